/*
 * srv_slow.c — the threads that run long requests (srv_slow_pool in
 * srv_int.h) so that libmicrohttpd's threads never wait on them.
 *
 * A libmicrohttpd pool thread serves every keep-alive connection it holds
 * in one event loop: a submission that waits seconds for its claims to be
 * verified would stall all of them.  Routes marked slow are therefore
 * handed to these threads while their connection is suspended; the job
 * resumes the connection when its answer is ready.
 *
 * Jobs run in arrival order on a fixed number of threads.  Stopping lets
 * the queued and running jobs finish (each must resume its connection
 * before the daemon may stop) and refuses new ones; the pool stays valid
 * for the HTTP threads' refused submissions until srv_slow_free.
 */
#include "server/srv_int.h"

#include <stdlib.h>

typedef struct slow_job {
    void (*run)(void *arg);
    void *arg;
    struct slow_job *next;
} slow_job;

struct srv_slow_pool {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    slow_job *head, *tail;
    bool stopping;
    pthread_t *threads;
    int nthreads;
};

static slow_job *take_job(srv_slow_pool *p)
{
    pthread_mutex_lock(&p->lock);
    while (!p->head && !p->stopping) pthread_cond_wait(&p->wake, &p->lock);
    slow_job *j = p->head;
    if (j) {
        p->head = j->next;
        if (!p->head) p->tail = NULL;
    }
    pthread_mutex_unlock(&p->lock);
    return j;
}

static void *slow_loop(void *arg)
{
    srv_slow_pool *p = arg;
    slow_job *j;
    while ((j = take_job(p)) != NULL) {
        j->run(j->arg);
        free(j);
    }
    return NULL;
}

gd_status srv_slow_start(srv_slow_pool **out, int nthreads, gd_err *err)
{
    srv_slow_pool *p = calloc(1, sizeof *p);
    pthread_t *t = calloc((size_t)nthreads, sizeof *t);
    if (!p || !t) {
        free(p);
        free(t);
        return gd_err_set(err, GD_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    p->threads = t;
    *out = p;
    for (; p->nthreads < nthreads; p->nthreads++)
        if (pthread_create(&p->threads[p->nthreads], NULL, slow_loop, p) != 0)
            return gd_err_set(err, GD_EIO, NULL, 0, NULL, "cannot start the threads of long requests");
    return GD_OK;
}

bool srv_slow_submit(srv_slow_pool *p, void (*before)(void *arg), void (*run)(void *arg), void *arg)
{
    slow_job *j = malloc(sizeof *j);
    if (!j) return false;
    *j = (slow_job){.run = run, .arg = arg};
    pthread_mutex_lock(&p->lock);
    bool taken = !p->stopping;
    if (taken) {
        before(arg);
        if (p->tail) p->tail->next = j;
        else p->head = j;
        p->tail = j;
        pthread_cond_signal(&p->wake);
    }
    pthread_mutex_unlock(&p->lock);
    if (!taken) free(j);
    return taken;
}

void srv_slow_stop(srv_slow_pool *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->nthreads; i++) pthread_join(p->threads[i], NULL);
    p->nthreads = 0;
}

void srv_slow_free(srv_slow_pool *p)
{
    if (!p) return;
    srv_slow_stop(p);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    free(p->threads);
    free(p);
}
