/*
 * model.c — the supervised model (model.h) on XGBoost's C API: training a
 * binary:logistic booster on a dense matrix, saving and loading it as
 * XGBoost JSON, probabilities, margins and SHAP contributions.
 *
 * Owns the booster handle and its translation of XGBoost errors into gd_err
 * values.  Does not own features (src/ml/features.c) nor any claim data.
 *
 * Prediction uses XGBoosterPredictFromDense (in-place: no DMatrix, no
 * prediction cache, results in a buffer local to the calling thread), so it
 * is safe from several threads.  Contributions need a DMatrix and go
 * through contrib_lock.  Rows go to XGBoost in batches of GD_ML_BATCH so
 * that its per-thread result buffers stay small.
 */
#include "ml/model.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xgboost/c_api.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the array interface below describes floats as little-endian (<f4)"
#endif

#define GD_ML_BATCH 4096
#define GD_ML_MAX_MODEL_BYTES (1u << 30)

/* XGBoost prediction types ("type" in the predict config). */
enum { PRED_VALUE = 0, PRED_MARGIN = 1, PRED_CONTRIB = 2, PRED_CONTRIB_APPROX = 3 };

struct gd_ml_model {
    BoosterHandle booster;
    size_t nfeat;                  /* row width, fixed for the model's life */
    pthread_mutex_t contrib_lock;  /* serialises DMatrix use: contributions, save */
};

/* ---- errors ------------------------------------------------------------------------------ */

/* An XGBoost call failed: its message (thread-local) into err, first line
 * only, without the "[hh:mm:ss] " stamp, context lines and stack trace. */
static gd_status xgb_fail(gd_err *err, gd_status st, const char *file, const char *what)
{
    const char *why = XGBGetLastError();
    if (!why || !*why) why = "XGBoost error";
    const char *stamp_end = why[0] == '[' ? strstr(why, "] ") : NULL;
    if (stamp_end) why = stamp_end + 2;
    int len = (int)strcspn(why, "\n");
    return gd_err_set(err, st, file, 0, NULL, "%s: %.*s", what, len, why);
}

/* The lock is mutable state inside a model the API passes as const. */
static pthread_mutex_t *contrib_lock(const gd_ml_model *m)
{
    return (pthread_mutex_t *)&m->contrib_lock;
}

/* ---- model object -------------------------------------------------------------------------- */

static gd_status model_new(gd_ml_model **out, gd_err *err)
{
    gd_ml_model *m = calloc(1, sizeof *m);
    if (!m) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    if (pthread_mutex_init(&m->contrib_lock, NULL) != 0) {
        free(m);
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "cannot create a mutex");
    }
    *out = m;
    return GD_OK;
}

void gd_ml_model_free(gd_ml_model *m)
{
    if (!m) return;
    if (m->booster) XGBoosterFree(m->booster);
    pthread_mutex_destroy(&m->contrib_lock);
    free(m);
}

size_t gd_ml_model_nfeatures(const gd_ml_model *m)
{
    return m ? m->nfeat : 0;
}

/* One prediction of a row of missing values, so that XGBoost configures the
 * learner now, on this thread, and never lazily under concurrent calls. */
static gd_status model_warm_up(gd_ml_model *m, gd_err *err);

/* ---- training ------------------------------------------------------------------------------ */

void gd_ml_train_params_default(gd_ml_train_params *p)
{
    *p = (gd_ml_train_params){.rounds = 200, .max_depth = 6, .eta = 0.1, .subsample = 0.8,
                              .scale_pos_weight = 0, .threads = 0, .seed = 1};
}

static gd_status check_params(const gd_ml_train_params *p, gd_err *err)
{
    const char *bad = p->rounds < 1 ? "rounds" :
                      p->max_depth < 1 ? "max_depth" :
                      !(p->eta > 0 && p->eta <= 1) ? "eta" :
                      !(p->subsample > 0 && p->subsample <= 1) ? "subsample" :
                      !(p->scale_pos_weight >= 0 && isfinite(p->scale_pos_weight)) ? "scale_pos_weight" :
                      p->threads < 0 ? "threads" : NULL;
    if (bad) return gd_err_set(err, GD_EUSAGE, NULL, 0, bad, "training parameter out of range");
    return GD_OK;
}

/* Labels must be 0 or 1 and both classes present; counts the positives. */
static gd_status check_labels(const float *y, size_t n, size_t *npos, gd_err *err)
{
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] != 0.0f && y[i] != 1.0f)
            return gd_err_set(err, GD_EINPUT, NULL, (long)(i + 1), "label",
                              "label %g is not 0 or 1", (double)y[i]);
        pos += y[i] == 1.0f;
    }
    if (pos == 0 || pos == n)
        return gd_err_set(err, GD_EINPUT, NULL, 0, "label",
                          "every one of the %zu labels is %d: training needs both classes",
                          n, pos ? 1 : 0);
    *npos = pos;
    return GD_OK;
}

static gd_status check_train_args(const float *X, const float *y, size_t n, size_t nfeat,
                                  const char *const *names, gd_err *err)
{
    if (n == 0) return gd_err_set(err, GD_EINPUT, NULL, 0, NULL, "no training rows");
    if (!X || !y || nfeat == 0)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "training needs X, y and nfeat > 0");
    for (size_t j = 0; names && j < nfeat; j++)
        if (!names[j] || !*names[j])
            return gd_err_set(err, GD_EUSAGE, NULL, 0, "feature_names",
                              "feature name %zu is empty", j);
    return GD_OK;
}

static gd_status make_train_matrix(DMatrixHandle *dm, const float *X, const float *y,
                                   size_t n, size_t nfeat, int threads, gd_err *err)
{
    if (XGDMatrixCreateFromMat_omp(X, n, nfeat, NAN, dm, threads) != 0)
        return xgb_fail(err, GD_EINPUT, NULL, "training matrix");
    if (XGDMatrixSetFloatInfo(*dm, "label", y, n) != 0) {
        gd_status st = xgb_fail(err, GD_EINPUT, NULL, "training labels");
        XGDMatrixFree(*dm);
        return st;
    }
    return GD_OK;
}

static int set_param(BoosterHandle b, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int set_param(BoosterHandle b, const char *name, const char *fmt, ...)
{
    char value[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    return XGBoosterSetParam(b, name, value);
}

/* Booster parameters.  Hist is deterministic for a given thread count;
 * verbosity 0 keeps XGBoost's warnings off stderr (errors still arrive
 * through XGBGetLastError). */
static int set_train_params(BoosterHandle b, const gd_ml_train_params *p, double spw)
{
    return XGBoosterSetParam(b, "objective", "binary:logistic") ||
           XGBoosterSetParam(b, "tree_method", "hist") ||
           XGBoosterSetParam(b, "verbosity", "0") ||
           set_param(b, "nthread", "%d", p->threads) ||
           set_param(b, "seed", "%" PRIu64, p->seed) ||
           set_param(b, "max_depth", "%d", p->max_depth) ||
           set_param(b, "eta", "%.17g", p->eta) ||
           set_param(b, "subsample", "%.17g", p->subsample) ||
           set_param(b, "scale_pos_weight", "%.17g", spw);
}

static gd_status boost(gd_ml_model *m, DMatrixHandle dm, const char *const *names,
                       const gd_ml_train_params *p, double spw, gd_err *err)
{
    if (XGBoosterCreate(&dm, 1, &m->booster) != 0)
        return xgb_fail(err, GD_ENOMEM, NULL, "creating the booster");
    if (set_train_params(m->booster, p, spw) != 0)
        return xgb_fail(err, GD_EUSAGE, NULL, "training parameters");
    if (names && XGBoosterSetStrFeatureInfo(m->booster, "feature_name", (const char **)names,
                                            m->nfeat) != 0)
        return xgb_fail(err, GD_EUSAGE, NULL, "feature names");
    for (int i = 0; i < p->rounds; i++)
        if (XGBoosterUpdateOneIter(m->booster, i, dm) != 0)
            return xgb_fail(err, GD_EINPUT, NULL, "training");
    return GD_OK;
}

gd_status gd_ml_model_train(gd_ml_model **out, const float *X, const float *y,
                            size_t n, size_t nfeat, const char *const *feature_names,
                            const gd_ml_train_params *p, gd_err *err)
{
    gd_ml_train_params defaults;
    gd_ml_train_params_default(&defaults);
    if (!p) p = &defaults;
    *out = NULL;
    size_t npos = 0;
    gd_status st = check_params(p, err);
    if (st == GD_OK) st = check_train_args(X, y, n, nfeat, feature_names, err);
    if (st == GD_OK) st = check_labels(y, n, &npos, err);
    if (st != GD_OK) return st;
    double spw = p->scale_pos_weight > 0 ? p->scale_pos_weight : (double)(n - npos) / (double)npos;
    DMatrixHandle dm = NULL;
    if ((st = make_train_matrix(&dm, X, y, n, nfeat, p->threads, err)) != GD_OK) return st;
    gd_ml_model *m = NULL;
    if ((st = model_new(&m, err)) != GD_OK) {
        XGDMatrixFree(dm);
        return st;
    }
    m->nfeat = nfeat;
    st = boost(m, dm, feature_names, p, spw, err);
    XGDMatrixFree(dm);   /* the booster keeps no reference that needs it */
    if (st == GD_OK) st = model_warm_up(m, err);
    if (st != GD_OK) gd_ml_model_free(m);
    else *out = m;
    return st;
}

gd_status gd_ml_model_set_threads(gd_ml_model *m, int threads, gd_err *err)
{
    if (threads < 0) return gd_err_set(err, GD_EUSAGE, NULL, 0, "threads", "threads must be >= 0");
    if (set_param(m->booster, "nthread", "%d", threads) != 0)
        return xgb_fail(err, GD_EUSAGE, NULL, "setting threads");
    return model_warm_up(m, err);
}

/* ---- saving and loading -------------------------------------------------------------------- */

static gd_status write_all(const char *path, const char *data, size_t len, gd_err *err)
{
    FILE *f = fopen(path, "wb");
    if (!f) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot create: %s", strerror(errno));
    bool ok = fwrite(data, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0;
    int saved = errno;
    if (fclose(f) != 0 && ok) ok = false, saved = errno;
    if (!ok) {
        remove(path);
        return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot write: %s", strerror(saved));
    }
    return GD_OK;
}

gd_status gd_ml_model_save(const gd_ml_model *m, const char *path, gd_err *err)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 5);
    if (!tmp) return gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory");
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", 5);
    bst_ulong len = 0;
    const char *buf = NULL;
    gd_status st = GD_OK;
    /* The buffer is XGBoost's, valid until this thread's next call on the booster. */
    pthread_mutex_lock(contrib_lock(m));
    if (XGBoosterSaveModelToBuffer(m->booster, "{\"format\": \"json\"}", &len, &buf) != 0)
        st = xgb_fail(err, GD_EIO, path, "serialising the model");
    else
        st = write_all(tmp, buf, (size_t)len, err);
    pthread_mutex_unlock(contrib_lock(m));
    if (st == GD_OK && rename(tmp, path) != 0) {
        st = gd_err_set(err, GD_EIO, path, 0, NULL, "cannot rename %s: %s", tmp, strerror(errno));
        remove(tmp);
    }
    free(tmp);
    return st;
}

/* The whole file, NUL-terminated (malloc'd, caller frees). */
static gd_status read_all(const char *path, char **data, size_t *len, gd_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return gd_err_set(err, GD_EIO, path, 0, NULL, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    gd_status st = buf ? GD_OK : gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory");
    while (st == GD_OK) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (ferror(f)) st = gd_err_set(err, GD_EIO, path, 0, NULL, "cannot read: %s", strerror(errno));
        else if (n < cap - 1) break;
        else if (cap >= GD_ML_MAX_MODEL_BYTES)
            st = gd_err_set(err, GD_EINPUT, path, 0, NULL, "larger than %u bytes: not a model",
                            GD_ML_MAX_MODEL_BYTES);
        else {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) st = gd_err_set(err, GD_ENOMEM, path, 0, NULL, "out of memory");
            else buf = bigger, cap *= 2;
        }
    }
    fclose(f);
    if (st != GD_OK) {
        free(buf);
        return st;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return GD_OK;
}

/* Only XGBoost JSON: its legacy binary reader trusts lengths in the file. */
static bool looks_like_json_model(const char *data)
{
    data += strspn(data, " \t\r\n");
    return data[0] == '{' && data[strspn(data + 1, " \t\r\n") + 1] == '"';
}

/* The loaded booster must be a binary:logistic tree model with features. */
static gd_status check_loaded(gd_ml_model *m, const char *path, gd_err *err)
{
    bst_ulong nfeat = 0, len = 0;
    const char *config = NULL;
    if (XGBoosterGetNumFeature(m->booster, &nfeat) != 0)
        return xgb_fail(err, GD_EINPUT, path, "reading the model");
    if (nfeat == 0) return gd_err_set(err, GD_EINPUT, path, 0, NULL, "the model has no features");
    if (XGBoosterSaveJsonConfig(m->booster, &len, &config) != 0)
        return xgb_fail(err, GD_EINPUT, path, "reading the model");
    if (!strstr(config, "\"binary:logistic\""))
        return gd_err_set(err, GD_EINPUT, path, 0, NULL, "not a binary:logistic model");
    m->nfeat = (size_t)nfeat;
    return GD_OK;
}

static gd_status load_buffer(gd_ml_model *m, const char *path, const char *data, size_t len,
                             gd_err *err)
{
    if (!looks_like_json_model(data))
        return gd_err_set(err, GD_EINPUT, path, 0, NULL, "not an XGBoost JSON model");
    if (XGBoosterCreate(NULL, 0, &m->booster) != 0)
        return xgb_fail(err, GD_ENOMEM, path, "creating the booster");
    if (XGBoosterSetParam(m->booster, "verbosity", "0") != 0)
        return xgb_fail(err, GD_EUSAGE, path, "booster parameters");
    if (XGBoosterLoadModelFromBuffer(m->booster, data, len) != 0)
        return xgb_fail(err, GD_EINPUT, path, "not a valid model");
    gd_status st = check_loaded(m, path, err);
    return st == GD_OK ? model_warm_up(m, err) : st;
}

gd_status gd_ml_model_load(gd_ml_model **out, const char *path, gd_err *err)
{
    *out = NULL;
    char *data = NULL;
    size_t len = 0;
    gd_status st = read_all(path, &data, &len, err);
    if (st != GD_OK) return st;
    gd_ml_model *m = NULL;
    if ((st = model_new(&m, err)) == GD_OK) {
        st = load_buffer(m, path, data, len, err);
        if (st != GD_OK) gd_ml_model_free(m);
        else *out = m;
    }
    free(data);
    return st;
}

/* ---- prediction ---------------------------------------------------------------------------- */

/* Checks XGBoost's output shape: rows × width floats in all. */
static gd_status check_shape(const bst_ulong *shape, bst_ulong dim, size_t rows, size_t width,
                             gd_err *err)
{
    size_t total = 1;
    for (bst_ulong i = 0; i < dim; i++) total *= (size_t)shape[i];
    if (dim == 0 || total != rows * width)
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL,
                          "XGBoost returned %zu values for %zu rows × %zu", total, rows, width);
    return GD_OK;
}

/* XGBoost's predict configuration: every tree, no training-time behaviour,
 * NAN = missing (read by in-place prediction only). */
static void predict_config(char *buf, size_t size, int type)
{
    snprintf(buf, size,
             "{\"type\": %d, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": 0, "
             "\"strict_shape\": false, \"missing\": NaN, \"cache_id\": 0}", type);
}

/* One proxy DMatrix per calling thread, reused by every model and freed
 * when the thread exits.  Given none, XGBoost builds a proxy for each call,
 * and each new one reads the cgroup CPU-quota files (about 40 us, most of
 * a single-row call).  NULL (no key, no memory) lets XGBoost make its own. */
static pthread_key_t proxy_key;
static pthread_once_t proxy_once = PTHREAD_ONCE_INIT;
static bool proxy_key_ok;

static void proxy_free(void *proxy)
{
    XGDMatrixFree(proxy);
}

static void proxy_key_make(void)
{
    proxy_key_ok = pthread_key_create(&proxy_key, proxy_free) == 0;
}

static DMatrixHandle thread_proxy(void)
{
    pthread_once(&proxy_once, proxy_key_make);
    if (!proxy_key_ok) return NULL;
    DMatrixHandle proxy = pthread_getspecific(proxy_key);
    if (proxy) return proxy;
    if (XGProxyDMatrixCreate(&proxy) != 0) return NULL;
    if (pthread_setspecific(proxy_key, proxy) != 0) {
        XGDMatrixFree(proxy);
        return NULL;
    }
    return proxy;
}

/* In-place prediction of rows (value or margin) into out[0..rows). */
static gd_status predict_dense(const gd_ml_model *m, const float *X, size_t rows, int type,
                               float *out, gd_err *err)
{
    char iface[192], config[192];
    snprintf(iface, sizeof iface,
             "{\"data\": [%" PRIuPTR ", true], \"shape\": [%zu, %zu], \"strides\": null, "
             "\"typestr\": \"<f4\", \"version\": 3}", (uintptr_t)X, rows, m->nfeat);
    predict_config(config, sizeof config, type);
    const bst_ulong *shape = NULL;
    bst_ulong dim = 0;
    const float *res = NULL;
    if (XGBoosterPredictFromDense(m->booster, iface, config, thread_proxy(), &shape, &dim, &res) != 0)
        return xgb_fail(err, GD_EUSAGE, NULL, "prediction");
    gd_status st = check_shape(shape, dim, rows, 1, err);
    if (st == GD_OK) memcpy(out, res, rows * sizeof *out);
    return st;
}

static gd_status model_warm_up(gd_ml_model *m, gd_err *err)
{
    float *row = malloc(m->nfeat * sizeof *row), prob;
    if (!row) return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t j = 0; j < m->nfeat; j++) row[j] = NAN;
    gd_status st = predict_dense(m, row, 1, PRED_VALUE, &prob, err);
    free(row);
    return st;
}

static gd_status check_predict_args(const gd_ml_model *m, const float *X, size_t n,
                                    const void *out, gd_err *err)
{
    if (!m || !out || (n && !X))
        return gd_err_set(err, GD_EUSAGE, NULL, 0, NULL, "prediction needs a model, rows and output");
    return GD_OK;
}

gd_status gd_ml_model_predict(const gd_ml_model *m, const float *X, size_t n,
                              float *prob, float *margin, gd_err *err)
{
    gd_status st = check_predict_args(m, X, n, prob ? (void *)prob : (void *)margin, err);
    for (size_t i = 0; st == GD_OK && i < n; i += GD_ML_BATCH) {
        size_t rows = n - i < GD_ML_BATCH ? n - i : GD_ML_BATCH;
        const float *x = X + i * m->nfeat;
        if (prob) st = predict_dense(m, x, rows, PRED_VALUE, prob + i, err);
        if (st == GD_OK && margin) st = predict_dense(m, x, rows, PRED_MARGIN, margin + i, err);
    }
    return st;
}

/* Contributions of one batch: a DMatrix of the rows, then TreeSHAP
 * (type 2) or the approximate per-path attribution (type 3). */
static gd_status contrib_batch(const gd_ml_model *m, const float *X, size_t rows, float *out, int type,
                               gd_err *err)
{
    char config[192];
    predict_config(config, sizeof config, type);
    DMatrixHandle dm;
    if (XGDMatrixCreateFromMat(X, rows, m->nfeat, NAN, &dm) != 0)
        return xgb_fail(err, GD_ENOMEM, NULL, "contribution rows");
    const bst_ulong *shape = NULL;
    bst_ulong dim = 0;
    const float *res = NULL;
    gd_status st;
    pthread_mutex_lock(contrib_lock(m));
    if (XGBoosterPredictFromDMatrix(m->booster, dm, config, &shape, &dim, &res) != 0)
        st = xgb_fail(err, GD_EUSAGE, NULL, "contributions");
    else if ((st = check_shape(shape, dim, rows, m->nfeat + 1, err)) == GD_OK)
        memcpy(out, res, rows * (m->nfeat + 1) * sizeof *out);
    pthread_mutex_unlock(contrib_lock(m));
    XGDMatrixFree(dm);
    return st;
}

gd_status gd_ml_model_contributions(const gd_ml_model *m, const float *X, size_t n,
                                    float *out, gd_err *err)
{
    gd_status st = check_predict_args(m, X, n, out, err);
    for (size_t i = 0; st == GD_OK && i < n; i += GD_ML_BATCH) {
        size_t rows = n - i < GD_ML_BATCH ? n - i : GD_ML_BATCH;
        st = contrib_batch(m, X + i * m->nfeat, rows, out + i * (m->nfeat + 1), PRED_CONTRIB, err);
    }
    return st;
}

gd_status gd_ml_model_contributions_approx(const gd_ml_model *m, const float *X, size_t n, float *out,
                                           gd_err *err)
{
    gd_status st = check_predict_args(m, X, n, out, err);
    for (size_t i = 0; st == GD_OK && i < n; i += GD_ML_BATCH) {
        size_t rows = n - i < GD_ML_BATCH ? n - i : GD_ML_BATCH;
        st = contrib_batch(m, X + i * m->nfeat, rows, out + i * (m->nfeat + 1), PRED_CONTRIB_APPROX, err);
    }
    return st;
}
