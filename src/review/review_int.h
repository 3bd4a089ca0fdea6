/*
 * review_int.h — helpers shared by the files of src/review/: reading and
 * changing the money of a decision record held as a json-c tree.
 */
#ifndef GD_REVIEW_INT_H
#define GD_REVIEW_INT_H

#include "review/review.h"

int64_t rv_i64(json_object *o, const char *key);            /* 0 when absent */
void rv_set_i64(json_object *o, const char *key, int64_t v);
void rv_set_str(json_object *o, const char *key, const char *v);   /* NULL v -> null */
const char *rv_str(json_object *o, const char *key);        /* "" when absent */
/* A line's or flag's table: "XML2" -> 2, an integer as is, null -> 0. */
int rv_table(json_object *o);
/* The line (table, stt) of the record, or NULL. */
json_object *rv_line(json_object *rec, int table, int stt);
/* The record's "lines" / "flags" arrays (created when absent). */
json_object *rv_array(json_object *rec, const char *key);
/* A copy of the record without the previous revision's "review", "appeal"
 * and "audit" members; NULL when out of memory. */
json_object *rv_next_copy(json_object *rec);
/* Appends a flag; table 0 = claim level (table and stt null). */
void rv_add_flag(json_object *rec, const char *rule, int table, int stt, const char *severity, int64_t amount,
                 const char *message);
/* Moves the line's allowed amount into its rejected_amount (fund and
 * patient to 0), and the claim's totals with it; returns the fund payment
 * withheld. */
int64_t rv_reject_line(json_object *rec, json_object *line);
/* Replaces a line's allowed / fund / patient / rejected amounts, moving the
 * claim's totals by the differences (claimed, uncovered, other_sources
 * stay). */
void rv_set_line_amounts(json_object *rec, json_object *line, int64_t allowed, int64_t fund, int64_t rejected);
/* Recomputes "outcome" from the amounts and flags (engine.c definitions). */
void rv_outcome(json_object *rec);
/* Half away from zero of num / den (den > 0). */
int64_t rv_div_round(__int128 num, int64_t den);

#endif
