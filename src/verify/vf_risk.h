/*
 * vf_risk.h — scoring a batch's final decisions with a risk model
 * (vf_risk.c).
 */
#ifndef GD_VF_RISK_H
#define GD_VF_RISK_H

#include <stddef.h>
#include "base/arena.h"
#include "ml/risk.h"
#include "verify/decision.h"

/* Scores n decisions together (their stored facts) and sets risk_score,
 * risk_reasons (in the arena) and, at the model's threshold, review. */
gd_status gd_verify_score_risk(const gd_risk_model *m, gd_decision *const *ds, size_t n, gd_arena *a, gd_err *err);

#endif
