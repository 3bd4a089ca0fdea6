/*
 * rulebook.h — the catalog of named, versioned verification rules, as data.
 *
 * data/rules/rules.csv lists every rule the engine knows: a stable
 * UPPER_SNAKE id, a version, the severity of a hit (reject / partial /
 * review), the dates it is in force, parameters (`name=value;...`, integer
 * values) and its legal basis.  Switching a rule off, changing a threshold
 * or a severity is an edit of that file; docs/rules.md explains each rule.
 * A rulebook is immutable once loaded and owns all its memory.
 */
#ifndef GD_RULEBOOK_H
#define GD_RULEBOOK_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/date.h"
#include "base/err.h"
#include "verify/decision.h"

typedef struct gd_rule_def {
    const char *id;
    int version;
    gd_severity severity;
    gd_date valid_from, valid_to;   /* GD_DATE_NONE = open */
    const char *group;
    const char *params;             /* "name=value;name=value" */
    const char *legal_basis;
    const char *summary;
} gd_rule_def;

typedef struct gd_rulebook {
    gd_rule_def *rules;
    size_t n;
    gd_date latest_from;            /* the newest valid_from: names the rules version */
    gd_arena arena;
} gd_rulebook;

/* Loads a rules CSV; errors name the file, line and column. */
gd_status gd_rulebook_load(gd_rulebook *book, const char *path, gd_err *err);
void gd_rulebook_free(gd_rulebook *book);

/* The rule with this id in force on the day, or NULL (unknown or not in force). */
const gd_rule_def *gd_rulebook_in_force(const gd_rulebook *book, const char *id, gd_date on);
/* Integer parameter of a rule, or dflt when the rule does not set it. */
int64_t gd_rule_param(const gd_rule_def *rule, const char *name, int64_t dflt);

#endif
