/*
 * auc.c — the area under the ROC curve of scores against 0/1 labels
 * (model.h): the Mann-Whitney rank sum, tied scores sharing their mean rank.
 */
#include "ml/model.h"

#include <math.h>
#include <stdlib.h>

typedef struct scored { float score, label; } scored;

static int by_score(const void *a, const void *b)
{
    float x = ((const scored *)a)->score, y = ((const scored *)b)->score;
    return x < y ? -1 : x > y;
}

double gd_ml_auc(const float *score, const float *label, size_t n)
{
    scored *s = malloc((n ? n : 1) * sizeof *s);
    if (!s) return NAN;
    for (size_t i = 0; i < n; i++) s[i] = (scored){score[i], label[i]};
    qsort(s, n, sizeof *s, by_score);
    double rank_sum = 0, pos = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j].score == s[i].score) j++;
        for (size_t k = i; k < j; k++)
            if (s[k].label == 1.0f) rank_sum += (double)(i + 1 + j) / 2, pos++;
        i = j;
    }
    free(s);
    if (pos == 0 || pos == (double)n) return NAN;
    return (rank_sum - pos * (pos + 1) / 2) / (pos * ((double)n - pos));
}
