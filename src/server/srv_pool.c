/*
 * srv_pool.c — store connections for the request threads.
 *
 * A request takes a connection for its whole life and gives it back; idle
 * connections wait on a stack, and a new one is opened when the stack is
 * empty, so the pool grows to the number of requests served at once (the
 * worker thread count) and no further.  SQLite in WAL mode lets these
 * connections read in parallel; their writes queue on the busy timeout.
 */
#include "server/srv_int.h"

#include <stdlib.h>
#include <string.h>

struct srv_pool {
    char *path;
    pthread_mutex_t lock;
    gd_store **idle;
    size_t nidle, cap;
};

gd_status srv_pool_new(srv_pool **out, const char *path, gd_err *err)
{
    srv_pool *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(path))) {
        free(p);
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    pthread_mutex_init(&p->lock, NULL);
    *out = p;
    return GD_OK;
}

void srv_pool_free(srv_pool *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->nidle; i++) gd_store_close(p->idle[i]);
    pthread_mutex_destroy(&p->lock);
    free(p->idle);
    free(p->path);
    free(p);
}

gd_store *srv_pool_get(srv_pool *p, gd_err *err)
{
    pthread_mutex_lock(&p->lock);
    gd_store *db = p->nidle ? p->idle[--p->nidle] : NULL;
    pthread_mutex_unlock(&p->lock);
    if (db) return db;
    if (gd_store_open(&db, p->path, NULL, err) != GD_OK) return NULL;
    return db;
}

void srv_pool_put(srv_pool *p, gd_store *db)
{
    pthread_mutex_lock(&p->lock);
    if (p->nidle == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        gd_store **v = realloc(p->idle, cap * sizeof *v);
        if (!v) {
            pthread_mutex_unlock(&p->lock);
            gd_store_close(db);
            return;
        }
        p->idle = v;
        p->cap = cap;
    }
    p->idle[p->nidle++] = db;
    pthread_mutex_unlock(&p->lock);
}
