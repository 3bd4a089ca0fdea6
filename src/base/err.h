/*
 * err.h — error values for the whole library.
 *
 * Library functions never exit: they return a gd_status and, when given a
 * gd_err, fill it with where the problem is (file, record/line, field) and
 * what it is.  Only main() turns a status into an exit code.
 */
#ifndef GD_ERR_H
#define GD_ERR_H

#include <stddef.h>

/* Status values double as the CLI's exit codes (see shared design.md). */
typedef enum gd_status {
    GD_OK = 0,
    GD_EINPUT = 1,   /* some input records were bad */
    GD_EUSAGE = 2,   /* caller error: bad arguments */
    GD_EIO = 3,      /* I/O or database failure */
    GD_ENOMEM = 4    /* allocation failure (reported as exit 3) */
} gd_status;

typedef struct gd_err {
    char file[256];   /* input file, or "" */
    long line;        /* 1-based line or record number, 0 if none */
    char field[64];   /* field name, or "" */
    char msg[512];
} gd_err;

void gd_err_clear(gd_err *e);

/* Fill e (if not NULL) and return st.  file/field may be NULL. */
gd_status gd_err_set(gd_err *e, gd_status st, const char *file, long line,
                     const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* "file:line:field: msg" (parts omitted when empty); returns buf. */
const char *gd_err_format(const gd_err *e, char *buf, size_t size);

/* Exit code for a status: ENOMEM maps to 3 like other system failures. */
int gd_status_exit_code(gd_status st);

#endif
