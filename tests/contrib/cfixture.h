/*
 * cfixture.h — the hand-made tables the contribution tests run on: a
 * temporary data directory with law/parameters.csv, law/card_groups.csv
 * and contrib/{rates,parameters,payers,age_bands}.csv.
 *
 *   base salary     1,800,000 from 2023-07-01; 2,340,000 from 2024-07-01
 *   HI              employer 3 %, employee 1.5 %, cap 20 x base salary
 *   SI              employer 17.5 %, employee 8 %, cap 20 x
 *   late interest   200 ppm a day from 2020-01-01, 300 ppm from 2025-07-16 (a change mid-month)
 *   card flag       3 months; cutoff day 15; buckets 3 / 6 / 12; gap 90 days; wait 30 days
 *   payers          HS: budget 30 %; HN: budget 100 %
 */
#ifndef GD_CFIXTURE_H
#define GD_CFIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "testutil.h"
#include "contrib/contrib.h"

static const char cf_law_params[] =
    "name,value,valid_from,note\n"
    "base_salary,1800000,2023-07-01,\n"
    "base_salary,2340000,2024-07-01,\n"
    "continuous_years_for_waiver,5,2015-01-01,\n";

static const char cf_groups[] =
    "code,digit,name,payer,valid_from\n"
    "DN,4,enterprise,employer_employee,2015-01-01\n"
    "GD,4,household,household,2015-01-01\n"
    "HS,4,student,state_budget_subsidy,2015-01-01\n"
    "HN,2,poor,state_budget,2015-01-01\n";

static const char cf_rates[] =
    "fund,valid_from,employer_ppm,employee_ppm,cap_base_multiple,note\n"
    "HI,2015-01-01,30000,15000,20,\n"
    "SI,2018-01-01,175000,80000,20,\n";

static const char cf_params[] =
    "name,value,valid_from,note\n"
    "late_interest_ppm_per_day,200,2020-01-01,\n"
    "late_interest_ppm_per_day,300,2025-07-16,\n"
    "card_flag_arrears_months,3,2015-01-01,\n"
    "labour_change_cutoff_day,15,2015-01-01,\n"
    "flat_premium_ppm,45000,2015-01-01,\n"
    "household_share_ppm_1,1000000,2015-01-01,\n"
    "household_share_ppm_2,700000,2015-01-01,\n"
    "household_share_ppm_3,600000,2015-01-01,\n"
    "household_share_ppm_4,500000,2015-01-01,\n"
    "household_share_ppm_5,400000,2015-01-01,\n"
    "ageing_bucket_1_months,3,2015-01-01,\n"
    "ageing_bucket_2_months,6,2015-01-01,\n"
    "ageing_bucket_3_months,12,2015-01-01,\n"
    "due_month_offset,0,2015-01-01,\n"
    "continuity_gap_days,90,2015-01-01,\n"
    "first_enrolment_wait_days,30,2015-01-01,\n";

static const char cf_payers[] =
    "group,payer,budget_ppm,valid_from,note\n"
    "HS,state_budget_subsidy,300000,2015-01-01,\n"
    "HN,state_budget,1000000,2015-01-01,\n"
    "GD,household,0,2015-01-01,\n";

static const char cf_bands[] = "band,age_from,age_to\n0-17,0,17\n18-59,18,59\n60+,60,\n";

/* Writes the tables under a fresh directory; returns it (malloc'd). */
static inline char *cf_write_data(void)
{
    char *dir = tu_make_tmpdir("contrib-data");
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/law", dir);
    mkdir(sub, 0755);
    free(tu_write_file(sub, "parameters.csv", cf_law_params));
    free(tu_write_file(sub, "card_groups.csv", cf_groups));
    snprintf(sub, sizeof sub, "%s/contrib", dir);
    mkdir(sub, 0755);
    free(tu_write_file(sub, "rates.csv", cf_rates));
    free(tu_write_file(sub, "parameters.csv", cf_params));
    free(tu_write_file(sub, "payers.csv", cf_payers));
    free(tu_write_file(sub, "age_bands.csv", cf_bands));
    return dir;
}

static inline gd_date cf_ymd(int y, int m, int d) { return gd_date_from_ymd(y, m, d); }

#endif
