/*
 * vfixture.h — a tiny hand-written registry for the verification tests
 * (test_rules.c, test_cross.c), written as the CSV files of
 * docs/formats.md, imported into a fresh SQLite store and opened as a
 * gd_engine with the shipped law and rules (data/).
 *
 * Facts the tests rely on (keep them in step with the files below):
 *
 * facilities (tier / technical level from 2024-01-01 / rank / beds)
 *   01001 central    specialised  special 3200
 *   01002 district   basic        2       250   the primary facility of every card but one
 *   01003 provincial specialised  1       600
 *   01004 district   basic        2       200   approved for 10.0001 (facility_services)
 *   01005 district   basic        3       1     one bed (BEDS_EXCEEDED)
 *   01010 commune    initial      none    -     commune health station
 *
 * persons and cards (all valid 2025-01-01..2025-12-31, primary 01002, unless said)
 *   0100000001 M 1980-05-10  DN4010100000001                     digit 4 (80 %)
 *   0100000002 F 1958-02-20  HT3010100000002                     digit 3 (95 %)
 *   0100000003 M 1950-07-01  CC1010100000003                     digit 1 (100 %, ratio exempt)
 *   0100000004 F 1990-09-09  HN2010100000004                     digit 2 (100 %)
 *   0100000005 M 1985-12-12  QN5010100000005                     digit 5 (100 %, ratio exempt)
 *   0100000006 M 1975-03-15  DN4010100000006 valid 2024-03-11..2025-03-10
 *   0100000007 F 1960-11-30  HC4010100000007 (2024) renewed as HT3010100000007 (2025)
 *   0100000008 M 1940-01-01  DN4010100000008, died 2025-03-01
 *   0100000009 F 1995-06-15  GD4010100000009
 *   0100000010 M 1970-04-04  DN4010100000010, five_years_from 2018-01-01
 *   0100000011 F 1988-08-08  GD4010100000011, primary 01010
 *
 * catalog (bid prices: the same at every facility, see vf_bid_items)
 *   drugs    40.30.64 Paracetamol 500 VND; 40.17.10 Ceftriaxone 35,000 (min basic,
 *            indications J18;A41); 40.70.01 Albumin 600,000 (covered 70 %);
 *            40.20.30 Metformin 500mg 1,000; 40.20.31 Metformin 850mg 1,500;
 *            40.60.01 Insulin glargine 312,300; 40.99.01 valid until 2024-12-31
 *            (bid 1,000); 40.20.40 Amlodipine: no bid anywhere
 *   services 02.1896 exam (caps: special/1 50,600; 2 38,700; 3 34,500);
 *            12.0001 bed (caps special 300,000; 2 200,000; 3 180,000);
 *            18.0001.0001 blood count, paraclinical, max 2 a day (cap rank 2 40,100);
 *            18.0002.0001 liver panel, paraclinical;
 *            18.0100.0001 package of the two (cap rank 2 150,000);
 *            10.0001 appendectomy, min level specialised (cap rank 2 3,000,000)
 *   supplies N03.01.070 cap 1,200 bid 1,100; N03.01.080 cap 2,000 bid 2,500
 *   item map 01002: drug PARA500 -> 40.30.64, service XN-CTM -> 18.0001.0001
 *   practitioners 000001/HNO-CCHN (scope K01;K02) at every facility, any time;
 *            000002/HNO-CCHN (scope K01) at 01002 Mon-Fri 07:00-16:30
 *
 * ICD-10: rows copied from the Thai table (/work/shared/data/thai-drg-6.3/
 * c63i10.csv: CODE, SEX, ACCPDX, AGEMIN, AGEMAX, AGEDMIN, MDC), e.g.
 *   O800,14,14A,F,,0,,,N,F,Y,N,9,60,0,0   P073,15,,T,P050,99,P072,,N,B,Y,N,0,0,0,0
 *   Z000,30,,F,,0,,,N,B,N,N,0,124,0,0     I10,05,5H,T,I10,99,I10,,N,B,Y,N,1,124,0,0
 *
 * Everything here is static inline or used by both test programs, so that
 * -Werror=unused does not bite.
 */
#ifndef GD_TEST_VFIXTURE_H
#define GD_TEST_VFIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

#include "base/buf.h"
#include "registry/registry.h"
#include "store/store.h"
#include "verify/batch.h"

#define VF_DECIDED_AT "2025-03-31T10:00:00+07:00"
#define VF_DOC_A "000001/HNO-CCHN"
#define VF_DOC_B "000002/HNO-CCHN"

static const char vf_provinces[] =
    "code,name,region,population\n"
    "01,Ha Noi,Red River Delta,8435700\n"
    "79,Ho Chi Minh City,Southeast,9389700\n";

static const char vf_facilities[] =
    "code,name,province,type,rank,beds\n"
    "01001,Bach Mai Hospital,01,hospital,special,3200\n"
    "01002,Dong Da District Hospital,01,hospital,2,250\n"
    "01003,Ha Noi General Hospital,01,hospital,1,600\n"
    "01004,Thanh Tri District Hospital,01,hospital,2,200\n"
    "01005,Soc Son Small Hospital,01,hospital,3,1\n"
    "01010,Phuc Xa Ward Health Station,01,commune_station,,\n";

static const char vf_facility_levels[] =
    "facility,scheme,level,valid_from,valid_to\n"
    "01001,tier,central,2015-01-01,\n"
    "01001,technical,specialised,2024-01-01,\n"
    "01002,tier,district,2015-01-01,\n"
    "01002,technical,basic,2024-01-01,\n"
    "01003,tier,provincial,2015-01-01,\n"
    "01003,technical,specialised,2024-01-01,\n"
    "01004,tier,district,2015-01-01,\n"
    "01004,technical,basic,2024-01-01,\n"
    "01005,tier,district,2015-01-01,\n"
    "01005,technical,basic,2024-01-01,\n"
    "01010,tier,commune,2015-01-01,\n"
    "01010,technical,initial,2024-01-01,\n";

/* Values copied from c63i10.csv (SEX, ACCPDX, AGEMIN, AGEMAX, AGEDMIN, MDC). */
static const char vf_icd10[] =
    "code,sex,accpdx,age_min,age_max,age_min_days,mdc,name\n"
    "A000,B,Y,0,124,0,06,Cholera due to Vibrio cholerae 01 biovar cholerae\n"
    "A090,B,Y,0,124,0,06,Other gastroenteritis and colitis of infectious origin\n"
    "B349,B,Y,0,124,0,18,Viral infection unspecified\n"
    "E119,B,Y,0,124,0,10,Type 2 diabetes mellitus without complications\n"
    "E785,B,Y,0,124,0,10,Hyperlipidaemia unspecified\n"
    "I10,B,Y,1,124,0,05,Essential (primary) hypertension\n"
    "I500,B,Y,0,124,0,05,Congestive heart failure\n"
    "J00,B,Y,0,124,0,03,Acute nasopharyngitis\n"
    "J069,B,Y,0,124,0,03,Acute upper respiratory infection unspecified\n"
    "J189,B,Y,0,124,0,04,Pneumonia unspecified\n"
    "J459,B,Y,0,124,0,04,Asthma unspecified\n"
    "K219,B,Y,0,124,0,06,Gastro-oesophageal reflux disease without oesophagitis\n"
    "M542,B,Y,0,124,0,08,Cervicalgia\n"
    "R509,B,Y,0,124,0,18,Fever unspecified\n"
    "N40,M,Y,1,124,0,12,Hyperplasia of prostate\n"
    "O800,F,Y,9,60,0,14,Spontaneous vertex delivery\n"
    "P073,B,Y,0,0,0,15,Other preterm infants\n"
    "P220,B,Y,0,0,0,15,Respiratory distress syndrome of newborn\n"
    "Z000,B,N,0,124,0,30,General medical examination\n";

static const char vf_drugs[] =
    "code,name,ingredient,strength,route,unit,covered_ratio,min_level,indications,valid_from,valid_to\n"
    "40.30.64,Paracetamol 500mg,Paracetamol,500mg,oral,tablet,100,,,2020-01-01,\n"
    "40.17.10,Ceftriaxone 1g,Ceftriaxone,1g,injection,vial,100,basic,J18;A41,2020-01-01,\n"
    "40.70.01,Human albumin 20% 50ml,Albumin,20%,infusion,bottle,70,basic,,2020-01-01,\n"
    "40.20.30,Metformin 500mg,Metformin,500mg,oral,tablet,100,,,2020-01-01,\n"
    "40.20.31,Metformin 850mg,Metformin,850mg,oral,tablet,100,,,2020-01-01,\n"
    "40.20.40,Amlodipine 5mg,Amlodipine,5mg,oral,tablet,100,,,2020-01-01,\n"
    "40.60.01,Insulin glargine 300IU/3ml,Insulin glargine,300IU/3ml,injection,pen,100,,,2020-01-01,\n"
    "40.99.01,Phenylbutazone 100mg,Phenylbutazone,100mg,oral,tablet,100,,,2015-01-01,2024-12-31\n";

static const char vf_services[] =
    "code,name,group,min_level,components,paraclinical,max_per_day,valid_from,valid_to\n"
    "02.1896,Kham Noi,exam,,,N,0,2020-01-01,\n"
    "12.0001,Giuong Noi khoa,bed,,,N,0,2020-01-01,\n"
    "18.0001.0001,Blood count,lab,initial,,Y,2,2020-01-01,\n"
    "18.0002.0001,Liver panel,lab,basic,,Y,1,2020-01-01,\n"
    "18.0100.0001,Admission panel,lab,basic,18.0001.0001;18.0002.0001,N,0,2020-01-01,\n"
    "10.0001,Laparoscopic appendectomy,surgery,specialised,,N,0,2020-01-01,\n";

static const char vf_facility_services[] =
    "facility,service,valid_from\n"
    "01004,10.0001,2025-01-01\n";

static const char vf_service_prices[] =
    "service,rank,price,valid_from,valid_to\n"
    "02.1896,special,50600,2024-07-01,\n"
    "02.1896,1,50600,2024-07-01,\n"
    "02.1896,2,38700,2024-07-01,\n"
    "02.1896,3,34500,2024-07-01,\n"
    "12.0001,special,300000,2024-07-01,\n"
    "12.0001,2,200000,2024-07-01,\n"
    "12.0001,3,180000,2024-07-01,\n"
    "18.0001.0001,special,48500,2024-07-01,\n"
    "18.0001.0001,2,40100,2024-07-01,\n"
    "18.0100.0001,2,150000,2024-07-01,\n"
    "10.0001,2,3000000,2024-07-01,\n";

static const char vf_supplies[] =
    "code,name,group,unit,covered_ratio,price_cap,valid_from,valid_to\n"
    "N03.01.070,Syringe 5ml,syringe,piece,100,1200,2020-01-01,\n"
    "N03.01.080,Syringe 10ml,syringe,piece,100,2000,2020-01-01,\n";

/* Winning bids: the same items and prices at every facility. */
static const char *const vf_bid_facilities[] = {"01001", "01002", "01003", "01004", "01005", "01010"};
static const char *const vf_bid_items[][3] = {
    {"drug", "40.30.64", "500"},        {"drug", "40.17.10", "35000"},  {"drug", "40.70.01", "600000"},
    {"drug", "40.20.30", "1000"},       {"drug", "40.20.31", "1500"},   {"drug", "40.60.01", "312300"},
    {"drug", "40.99.01", "1000"},       {"supply", "N03.01.070", "1100"}, {"supply", "N03.01.080", "2500"},
};

static const char vf_item_map[] =
    "facility,kind,local_code,national_code\n"
    "01002,drug,PARA500,40.30.64\n"
    "01002,service,XN-CTM,18.0001.0001\n";

static const char vf_practitioners[] =
    "licence,name,profession,scope\n"
    VF_DOC_A ",Nguyen Van A,doctor,K01;K02\n"
    VF_DOC_B ",Tran Thi B,doctor,K01\n";

static const char vf_practitioner_sites[] =
    "licence,facility,days,hour_from,hour_to\n"
    VF_DOC_A ",01001,,,\n"
    VF_DOC_A ",01002,,,\n"
    VF_DOC_A ",01003,,,\n"
    VF_DOC_A ",01004,,,\n"
    VF_DOC_A ",01005,,,\n"
    VF_DOC_A ",01010,,,\n"
    VF_DOC_B ",01002,1111100,07:00,16:30\n";

static const char vf_persons[] =
    "person_id,birth_date,sex,name,citizen_id,province,died_on\n"
    "0100000001,1980-05-10,M,Nguyen Van Mot,,01,\n"
    "0100000002,1958-02-20,F,Tran Thi Hai,,01,\n"
    "0100000003,1950-07-01,M,Le Van Ba,,01,\n"
    "0100000004,1990-09-09,F,Pham Thi Bon,,01,\n"
    "0100000005,1985-12-12,M,Vu Van Nam,,01,\n"
    "0100000006,1975-03-15,M,Do Van Sau,,01,\n"
    "0100000007,1960-11-30,F,Hoang Thi Bay,,01,\n"
    "0100000008,1940-01-01,M,Bui Van Tam,,01,2025-03-01\n"
    "0100000009,1995-06-15,F,Ngo Thi Chin,,01,\n"
    "0100000010,1970-04-04,M,Dang Van Muoi,,01,\n"
    "0100000011,1988-08-08,F,Ly Thi Muoi Mot,,01,\n";

static const char vf_cards[] =
    "card_no,person_id,valid_from,valid_to,primary_facility,five_years_from\n"
    "DN4010100000001,0100000001,2025-01-01,2025-12-31,01002,\n"
    "HT3010100000002,0100000002,2025-01-01,2025-12-31,01002,\n"
    "CC1010100000003,0100000003,2025-01-01,2025-12-31,01002,\n"
    "HN2010100000004,0100000004,2025-01-01,2025-12-31,01002,\n"
    "QN5010100000005,0100000005,2025-01-01,2025-12-31,01002,\n"
    "DN4010100000006,0100000006,2024-03-11,2025-03-10,01002,\n"
    "HC4010100000007,0100000007,2024-01-01,2024-12-31,01002,\n"
    "HT3010100000007,0100000007,2025-01-01,2025-12-31,01002,\n"
    "DN4010100000008,0100000008,2025-01-01,2025-12-31,01002,\n"
    "GD4010100000009,0100000009,2025-01-01,2025-12-31,01002,\n"
    "DN4010100000010,0100000010,2025-01-01,2025-12-31,01002,2018-01-01\n"
    "GD4010100000011,0100000011,2025-01-01,2025-12-31,01010,\n";

typedef struct vf_world {
    char *dir;          /* temp dir: registry/ files, the store, claim files */
    gd_store *store;
    gd_engine e;
} vf_world;

static inline void vf_write(const char *dir, const char *name, const char *text)
{
    char *p = tu_write_file(dir, name, text);
    assert_non_null(p);
    free(p);
}

/* dir/name (malloc'd). */
static inline char *vf_path(const char *dir, const char *name)
{
    char *p = malloc(4096);
    snprintf(p, 4096, "%s/%s", dir, name);
    return p;
}

static inline void vf_write_registry(const char *dir)
{
    const struct { const char *name, *text; } files[] = {
        {"provinces.csv", vf_provinces}, {"facilities.csv", vf_facilities},
        {"facility_levels.csv", vf_facility_levels}, {"icd10.csv", vf_icd10}, {"drugs.csv", vf_drugs},
        {"services.csv", vf_services}, {"facility_services.csv", vf_facility_services},
        {"service_prices.csv", vf_service_prices}, {"supplies.csv", vf_supplies},
        {"item_map.csv", vf_item_map}, {"practitioners.csv", vf_practitioners},
        {"practitioner_sites.csv", vf_practitioner_sites}, {"persons.csv", vf_persons}, {"cards.csv", vf_cards},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) vf_write(dir, files[i].name, files[i].text);
    gd_buf b;
    gd_buf_init(&b, 4096);
    gd_buf_puts(&b, "facility,kind,item,price,bid_ref,valid_from,valid_to\n");
    for (size_t f = 0; f < sizeof vf_bid_facilities / sizeof vf_bid_facilities[0]; f++)
        for (size_t k = 0; k < sizeof vf_bid_items / sizeof vf_bid_items[0]; k++)
            gd_buf_printf(&b, "%s,%s,%s,%s,QĐ100;G1;N4;2024,2024-01-01,\n", vf_bid_facilities[f], vf_bid_items[k][0],
                          vf_bid_items[k][1], vf_bid_items[k][2]);
    vf_write(dir, "bid_prices.csv", gd_buf_cstr(&b));
    gd_buf_free(&b);
}

/* A fresh temp dir with the registry imported into dir/store.db and an
 * engine on data_dir (law and rules).  0 on success. */
static inline int vf_world_open(vf_world *w, const char *tag, const char *data_dir)
{
    memset(w, 0, sizeof *w);
    w->dir = tu_make_tmpdir(tag);
    if (!w->dir) return -1;
    char *reg = vf_path(w->dir, "registry");
    mkdir(reg, 0755);
    vf_write_registry(reg);
    char *db = vf_path(w->dir, "store.db");
    gd_err err;
    const char *paths[] = {reg};
    int rc = 0;
    if (gd_store_open(&w->store, db, NULL, &err) != GD_OK) rc = -1;
    if (!rc && gd_import_paths(w->store, paths, 1, NULL, NULL, &err) != GD_OK) rc = -1;
    if (!rc && gd_engine_open(&w->e, w->store, data_dir, VF_DECIDED_AT, &err) != GD_OK) rc = -1;
    if (rc) {
        char msg[1024];
        fprintf(stderr, "vf_world_open: %s\n", gd_err_format(&err, msg, sizeof msg));
    }
    free(reg);
    free(db);
    return rc;
}

static inline void vf_world_close(vf_world *w)
{
    if (w->e.v) gd_engine_close(&w->e);
    if (w->store) gd_store_close(w->store);
    tu_remove_tree(w->dir);
    free(w->dir);
    memset(w, 0, sizeof *w);
}

#endif
