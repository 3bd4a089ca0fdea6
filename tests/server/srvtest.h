/*
 * srvtest.h — a running review service for the tests of src/server/.
 *
 * st_world_open() makes a small synthetic country (gd_synth_run), imports
 * it, verifies its claims into the store, adds one user of each role (and
 * a second facility and reviewer, to test scopes) with API tokens, and
 * starts the server on a free loopback port.  The first claim file is held
 * back from that verification and submitted through the API (POST
 * /claims, as facility[0]'s user) once the server runs.  st_call() sends one HTTP/1.1
 * request over a fresh connection and reads the whole answer.
 *
 * One world per test program (cmocka group setup): building it takes a
 * second or two.
 */
#ifndef GD_SRVTEST_H
#define GD_SRVTEST_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "server/server.h"
#include "store/store.h"

enum { ST_ADMIN, ST_MANAGER, ST_REVIEWER, ST_REVIEWER_OTHER, ST_FACILITY, ST_FACILITY_OTHER, ST_NUSERS };

typedef struct st_reply {
    int status;
    char *headers;                    /* raw header block */
    char *body;                       /* NUL-terminated */
    size_t body_len;
} st_reply;

typedef struct st_world {
    char *dir;                        /* temporary directory (synth output, store) */
    char store_path[512];
    gd_server *srv;
    int port;
    char token[ST_NUSERS][GD_TOKEN_SIZE];
    char login[ST_NUSERS][32];
    char facility[2][8];              /* ST_FACILITY's and ST_FACILITY_OTHER's facilities (other provinces) */
    char province[2][4];              /* their provinces; ST_REVIEWER reviews province[0], ST_REVIEWER_OTHER province[1] */
    char claim[2][96];                /* one claim id ("F:K") of each of the two facilities */
    char claim_file[2][600];          /* the claim file (XML) of each facility */
    st_reply first_submission;        /* facility[0]'s file, held back from the store's verification
                                         and submitted by ST_FACILITY when the server started */
} st_world;

#define ST_PASSWORD "correct horse battery"

/* Returns NULL on failure (after printing why). */
st_world *st_world_open(unsigned people, unsigned claims, unsigned long seed);

/* A test program's world W with the cmocka group setup and teardown that
 * open and close it. */
#define ST_WORLD_GROUP(PEOPLE, CLAIMS, SEED)                 \
    static st_world *W;                                     \
    static int setup(void **state)                          \
    {                                                       \
        (void)state;                                        \
        W = st_world_open(PEOPLE, CLAIMS, SEED);            \
        return W ? 0 : -1;                                  \
    }                                                       \
    static int teardown(void **state)                       \
    {                                                       \
        (void)state;                                        \
        st_world_close(W);                                  \
        return 0;                                           \
    }
void st_world_close(st_world *w);

/* extra_headers: "Name: value\r\n..." or NULL; body may be NULL. */
bool st_call(const st_world *w, const char *method, const char *path, const char *extra_headers, const char *body,
             size_t body_len, const char *content_type, st_reply *out);
/* Sends raw request bytes as they are and reads the answer. */
bool st_call_raw(const st_world *w, const char *request, st_reply *out);
/* The same as user u (Authorization: Bearer). */
bool st_call_as(const st_world *w, int u, const char *method, const char *path, const char *json_body, st_reply *out);
void st_reply_free(st_reply *r);
/* The body parsed (the caller puts it); NULL when it is not JSON. */
json_object *st_json(const st_reply *r);
/* A header's value (copied into buf), or NULL. */
const char *st_header(const st_reply *r, const char *name, char *buf, size_t size);
/* A string / integer member of a JSON path "a.b.c" (arrays by index: "items.0.claim_id"). */
const char *st_jstr(json_object *o, const char *path);
long long st_jint(json_object *o, const char *path);

#endif
