/*
 * eval.c — the run's findings against the inconsistencies synth injected
 * (elmis_truth.csv: facility,drug,month,kind,claimed,dispensed):
 * CLAIMED_NOT_DISPENSED is detected by DISPENSED_GAP on the same cell,
 * PHANTOM_RECEIPT by RECEIPTS_ABOVE_AWARD on the same facility and drug
 * (the month the receipts pass the award may come later than the phantom
 * one), REPORT_ARITHMETIC by CLOSING_MISMATCH on the cell.
 */
#include "elmis/elmis_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

static const struct { const char *truth; gd_elmis_kind finding; bool by_month; } kinds[3] = {
    {"CLAIMED_NOT_DISPENSED", GD_EL_DISPENSED_GAP, true},
    {"PHANTOM_RECEIPT", GD_EL_RECEIPTS_ABOVE_AWARD, false},
    {"REPORT_ARITHMETIC", GD_EL_CLOSING_MISMATCH, true},
};

static void key_of(char *out, size_t size, const char *fac, const char *drug, gd_elmis_month m, bool by_month)
{
    if (by_month) snprintf(out, size, "%s\x1f%s\x1f%d", fac, drug, m);
    else snprintf(out, size, "%s\x1f%s", fac, drug);
}

static gd_status read_truth(const char *path, gd_strset truth[3], uint64_t counts[3], gd_err *err)
{
    gd_csv *csv;
    gd_status st = gd_csv_open(&csv, path, err);
    if (st != GD_OK) return st;
    static const char *const names[] = {"facility", "drug", "month", "kind", NULL};
    int idx[4];
    st = gd_csv_read_header(csv, names, 4, idx, names, err);
    int rc;
    while (st == GD_OK && (rc = gd_csv_next(csv, err)) != 0) {
        if (rc < 0) { st = GD_EINPUT; break; }
        gd_elmis_month m;
        if (gd_elmis_month_parse(gd_csv_field(csv, (size_t)idx[2]), &m) != 0) {
            st = gd_err_set(err, GD_EINPUT, path, gd_csv_line(csv), "month", "invalid month");
            break;
        }
        for (int k = 0; k < 3; k++) {
            if (strcmp(gd_csv_field(csv, (size_t)idx[3]), kinds[k].truth) != 0) continue;
            char key[128];
            key_of(key, sizeof key, gd_csv_field(csv, (size_t)idx[0]), gd_csv_field(csv, (size_t)idx[1]), m, kinds[k].by_month);
            size_t before = gd_strset_count(&truth[k]);
            if (gd_strset_add(&truth[k], key) < 0) { st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); break; }
            if (gd_strset_count(&truth[k]) > before) counts[k]++;
        }
    }
    gd_csv_close(csv);
    return st;
}

static int64_t per_mille(uint64_t a, uint64_t b) { return b ? (int64_t)((a * 1000 + b / 2) / b) : 1000; }

gd_status gd_elmis_eval(const char *truth_path, const gd_elmis_data *d, const gd_elmis_run *r,
                        gd_elmis_eval_row out[3], gd_err *err)
{
    gd_strset truth[3], seen[3];
    uint64_t counts[3] = {0};
    for (int k = 0; k < 3; k++) {
        gd_strset_init(&truth[k], 1024);
        gd_strset_init(&seen[k], 1024);
    }
    gd_status st = read_truth(truth_path, truth, counts, err);
    for (int k = 0; k < 3 && st == GD_OK; k++) {
        out[k] = (gd_elmis_eval_row){.kind = kinds[k].truth, .detected_by = gd_elmis_kind_name(kinds[k].finding),
                                     .truth = counts[k]};
        for (size_t i = 0; i < r->nfindings; i++) {
            const gd_elmis_finding *f = &r->findings[i];
            if (f->kind != kinds[k].finding) continue;
            char key[128];
            key_of(key, sizeof key, gd_strset_str(&d->facilities, f->facility), gd_strset_str(&d->drugs, f->drug), f->month,
                   kinds[k].by_month);
            size_t before = gd_strset_count(&seen[k]);
            if (gd_strset_add(&seen[k], key) < 0) { st = gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory"); break; }
            if (gd_strset_count(&seen[k]) == before) continue;   /* the same cell twice */
            out[k].findings++;
            if (gd_strset_find(&truth[k], key) >= 0) out[k].true_positives++;
        }
        out[k].found = out[k].true_positives;
        out[k].recall_pm = per_mille(out[k].true_positives, out[k].truth);
        out[k].precision_pm = per_mille(out[k].true_positives, out[k].findings);
    }
    for (int k = 0; k < 3; k++) {
        gd_strset_free(&truth[k]);
        gd_strset_free(&seen[k]);
    }
    return st;
}
