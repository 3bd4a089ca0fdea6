/*
 * fixture.h — a small hand-written registry shared by the registry tests:
 * two provinces, four facilities, three persons, four cards and a few
 * catalog rows, written as the CSV files of docs/formats.md.
 *
 * Facts the tests rely on (keep them in step with the files below):
 *   - person 0123456789 holds DN4010123456789 (2025) and HC4010123456789 (2024);
 *   - person 7900000001 (card HT3797900000001) died on 2025-03-01;
 *   - bid 01001/drug/40.30.64: 450 VND in 2024, 420.5 VND from 2025-01-01;
 *   - facility 01002 is tier district until 2024-12-31, provincial after,
 *     technical basic from 2025-07-01.
 */
#ifndef GD_TEST_REGISTRY_FIXTURE_H
#define GD_TEST_REGISTRY_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

static const char fx_provinces[] =
    "code,name,region,population\n"
    "01,Ha Noi,Red River Delta,8435700\n"
    "79,Ho Chi Minh City,Southeast,9389700\n";

static const char fx_facilities[] =
    "code,name,province,type,rank,beds\n"
    "01001,Bach Mai Hospital,01,hospital,special,3200\n"
    "01002,Dong Da District Hospital,01,hospital,2,250\n"
    "79001,Cho Ray Hospital,79,hospital,special,1800\n"
    "79010,Ward 1 Health Station,79,commune_station,,\n";

static const char fx_facility_levels[] =
    "facility,scheme,level,valid_from,valid_to\n"
    "01001,tier,central,2015-01-01,\n"
    "01001,technical,specialised,2025-07-01,\n"
    "01002,tier,district,2015-01-01,2024-12-31\n"
    "01002,tier,provincial,2025-01-01,\n"
    "01002,technical,basic,2025-07-01,\n";

static const char fx_icd10[] =
    "code,sex,accpdx,age_min,age_max,age_min_days,mdc,name\n"
    "A00,B,Y,0,124,0,06,Cholera\n"
    "O80,F,Y,10,60,,14,Single spontaneous delivery\n"
    "N40,M,N,30,,,12,Hyperplasia of prostate\n";

static const char fx_drugs[] =
    "code,name,ingredient,strength,route,unit,covered_ratio,min_level,indications,valid_from,valid_to\n"
    "40.30.64,Paracetamol 500mg,Paracetamol,500mg,oral,tablet,100,,,2024-01-01,\n"
    "40.17.10,Ceftriaxone 1g,Ceftriaxone,1g,injection,vial,50,basic,J18;A41,2024-01-01,2026-12-31\n";

static const char fx_services[] =
    "code,name,group,min_level,components,paraclinical,max_per_day,valid_from,valid_to\n"
    "18.0001.0001,Blood count,lab,initial,,Y,2,2024-01-01,\n"
    "18.0002.0001,Liver panel,lab,basic,,Y,1,2024-01-01,\n"
    "18.0100.0001,Admission panel,lab,basic,18.0001.0001;18.0002.0001,N,0,2024-01-01,\n";

static const char fx_facility_services[] =
    "facility,service,valid_from\n"
    "79010,18.0002.0001,2025-01-01\n";

static const char fx_service_prices[] =
    "service,rank,price,valid_from,valid_to\n"
    "18.0001.0001,special,46200,2024-01-01,2024-12-31\n"
    "18.0001.0001,special,48500.5,2025-01-01,\n"
    "18.0001.0001,2,40100,2024-01-01,\n";

static const char fx_supplies[] =
    "code,name,group,unit,covered_ratio,price_cap,valid_from,valid_to\n"
    "N03.01.070,Syringe 5ml,syringe,piece,100,1200,2024-01-01,\n";

static const char fx_bid_prices[] =
    "facility,kind,item,price,bid_ref,valid_from,valid_to\n"
    "01001,drug,40.30.64,450,QĐ123;G1;N1;2024,2024-01-01,2024-12-31\n"
    "01001,drug,40.30.64,420.5,QĐ456;G1;N1;2025,2025-01-01,\n"
    "01001,supply,N03.01.070,1100,,,\n"
    "79001,drug,40.17.10,35000,\"QĐ9;G2;N3;2024\",2024-03-01,\n";

static const char fx_item_map[] =
    "facility,kind,local_code,national_code\n"
    "01001,drug,PARA500,40.30.64\n"
    "01001,service,CBC,18.0001.0001\n";

static const char fx_practitioners[] =
    "licence,name,profession,scope\n"
    "0003914/BL-CCHN,Nguyen Van A,doctor,K01;K03\n"
    "000123/HCM-CCHN,Tran Thi B,nurse,\n";

static const char fx_practitioner_sites[] =
    "licence,facility,days,hour_from,hour_to\n"
    "0003914/BL-CCHN,01001,1111100,07:00,16:30\n"
    "0003914/BL-CCHN,01002,0000011,,\n";

static const char fx_persons[] =
    "person_id,birth_date,sex,name,citizen_id,province,died_on\n"
    "0123456789,1990-05-17,M,\"Nguyen, Van An\",001090012345,01,\n"
    "7900000001,1950-01-02,F,Le Thi Hoa,079150000001,79,2025-03-01\n"
    "0100000002,20200229,F,Pham Be,,01,\n";

static const char fx_cards[] =
    "card_no,person_id,valid_from,valid_to,primary_facility,five_years_from\n"
    "DN4010123456789,0123456789,2025-01-01,2025-12-31,01002,2019-01-01\n"
    "HT3797900000001,7900000001,2024-01-01,2025-12-31,79010,2010-01-01\n"
    "TE1010100000002,0100000002,2020-02-29,2026-02-28,01001,\n"
    "HC4010123456789,0123456789,2024-01-01,2024-12-31,01002,\n";

typedef struct fx_file { const char *name; const char *text; } fx_file;

static const fx_file fx_files[] = {
    {"provinces.csv", fx_provinces}, {"facilities.csv", fx_facilities},
    {"facility_levels.csv", fx_facility_levels}, {"icd10.csv", fx_icd10},
    {"drugs.csv", fx_drugs}, {"services.csv", fx_services},
    {"facility_services.csv", fx_facility_services}, {"service_prices.csv", fx_service_prices},
    {"supplies.csv", fx_supplies}, {"bid_prices.csv", fx_bid_prices}, {"item_map.csv", fx_item_map},
    {"practitioners.csv", fx_practitioners}, {"practitioner_sites.csv", fx_practitioner_sites},
    {"persons.csv", fx_persons}, {"cards.csv", fx_cards},
};
#define FX_NFILES (sizeof fx_files / sizeof fx_files[0])

static void fx_write(const char *dir, const char *name, const char *text)
{
    free(tu_write_file(dir, name, text));
}

/* Writes the whole fixture into dir, plus things an import must ignore. */
static void fx_write_all(const char *dir)
{
    for (size_t i = 0; i < FX_NFILES; i++) fx_write(dir, fx_files[i].name, fx_files[i].text);
    fx_write(dir, "README.txt", "not an import file\n");
    fx_write(dir, "truth.csv", "claim_key,facility,table,stt,kind,amount\n");
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/claims", dir);
    mkdir(sub, 0755);
    fx_write(sub, "01001-0001.xml", "<GIAMDINHHS/>\n");
}

/* dir/name as a malloc'd path. */
static char *fx_path(const char *dir, const char *name)
{
    char *p = malloc(4096);
    snprintf(p, 4096, "%s/%s", dir, name);
    return p;
}

#endif
