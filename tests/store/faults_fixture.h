/*
 * faults_fixture.h — fault injection under SQLite for the store tests
 * (faults_fixture.c): a VFS shim over the default unix VFS that fails the
 * Nth file operation, and an allocator wrapper (SQLITE_CONFIG_MALLOC) that
 * fails the Nth SQLite allocation.
 *
 * Nothing happens until a test calls gdfault_install() (the fixture is
 * linked into every test of tests/store/, and does nothing by itself):
 * it shuts SQLite down, installs the allocator, initialises SQLite again
 * and registers the shim as the default VFS, so every connection the
 * process opens afterwards (the store's and the test's own) goes through
 * it.  While disarmed both are plain pass-throughs.
 *
 * Armed with n > 0, the nth counted call from the arming fails: once
 * (a transient error) or, persistent, that call and every one after it
 * (a dead disk, memory exhausted).  n = 0 only counts, which tells how
 * many calls a clean run of an operation makes.  Counted I/O calls:
 * xOpen, xDelete, xRead, xWrite, xTruncate, xSync, xFileSize, xShmMap;
 * each fails with its own code (SQLITE_IOERR_READ, SQLITE_IOERR_WRITE or
 * SQLITE_FULL on alternate writes, SQLITE_IOERR_FSYNC, ...).  xSync is
 * never passed down to the disk (durability across a power loss is not
 * what these tests check; an fsync per commit made them slow).  Not thread
 * safe beyond the counters being atomic: arm and disarm from one thread.
 */
#ifndef GD_FAULTS_FIXTURE_H
#define GD_FAULTS_FIXTURE_H

#include <stdbool.h>

typedef enum gdfault_kind { GDFAULT_IO, GDFAULT_MEM } gdfault_kind;

/* The I/O calls counted, for the report of which ones failed. */
enum { GDFAULT_OPEN, GDFAULT_DELETE, GDFAULT_READ, GDFAULT_WRITE, GDFAULT_TRUNCATE, GDFAULT_SYNC,
       GDFAULT_FILESIZE, GDFAULT_SHMMAP, GDFAULT_NOPS };

/* Installs the allocator and the VFS (once per process); 0 on success. */
int gdfault_install(void);

void gdfault_arm(gdfault_kind kind, long n, bool persistent);
void gdfault_disarm(void);

long gdfault_calls(void);         /* counted calls since the last arm */
long gdfault_failures(void);      /* calls failed since the last arm */
int gdfault_last_op(void);        /* GDFAULT_* of the first I/O failure since the arm, -1 none */
const char *gdfault_op_name(int op);

/* SQLite allocations alive now (a leak shows as a count that grows). */
long gdfault_live_allocations(void);

#endif
