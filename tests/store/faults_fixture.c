/*
 * faults_fixture.c — the fault-injecting VFS shim and allocator wrapper of
 * faults_fixture.h.  Linked into every test of tests/store/; inert until
 * gdfault_install() is called.
 *
 * The shim's file is the real (unix) file placed right after our header
 * in the same allocation (szOsFile is the sum of both); every method
 * forwards to the real one after the fault check.
 */
#include "store/faults_fixture.h"

#include <sqlite3.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

static struct {
    atomic_int kind;              /* gdfault_kind + 1 while armed, 0 disarmed */
    atomic_long target;           /* the call that fails first; 0 = count only */
    atomic_bool persistent;
    atomic_long calls, failures;
    atomic_int last_op;
    atomic_long live;             /* SQLite allocations alive */
} fault = {.last_op = -1};

static bool installed;

/* Whether this counted call of `kind` fails. */
static bool fault_now(gdfault_kind kind, int op)
{
    if (atomic_load(&fault.kind) != (int)kind + 1) return false;
    long n = atomic_fetch_add(&fault.calls, 1) + 1, t = atomic_load(&fault.target);
    if (t <= 0 || n < t || (n > t && !atomic_load(&fault.persistent))) return false;
    if (atomic_fetch_add(&fault.failures, 1) == 0) atomic_store(&fault.last_op, op);
    return true;
}

void gdfault_arm(gdfault_kind kind, long n, bool persistent)
{
    atomic_store(&fault.kind, 0);
    atomic_store(&fault.target, n);
    atomic_store(&fault.persistent, persistent);
    atomic_store(&fault.calls, 0);
    atomic_store(&fault.failures, 0);
    atomic_store(&fault.last_op, -1);
    atomic_store(&fault.kind, (int)kind + 1);
}

void gdfault_disarm(void) { atomic_store(&fault.kind, 0); }
long gdfault_calls(void) { return atomic_load(&fault.calls); }
long gdfault_failures(void) { return atomic_load(&fault.failures); }
int gdfault_last_op(void) { return atomic_load(&fault.last_op); }
long gdfault_live_allocations(void) { return atomic_load(&fault.live); }

const char *gdfault_op_name(int op)
{
    static const char *const names[GDFAULT_NOPS] = {"open", "delete", "read", "write", "truncate", "sync",
                                                    "filesize", "shmmap"};
    return op >= 0 && op < GDFAULT_NOPS ? names[op] : "none";
}

/* ---- the allocator ------------------------------------------------------ */

static sqlite3_mem_methods real_mem;

static void *mem_malloc(int n)
{
    if (fault_now(GDFAULT_MEM, -1)) return NULL;
    void *p = real_mem.xMalloc(n);
    if (p) atomic_fetch_add(&fault.live, 1);
    return p;
}

static void mem_free(void *p)
{
    if (p) atomic_fetch_sub(&fault.live, 1);
    real_mem.xFree(p);
}

static void *mem_realloc(void *p, int n)
{
    if (fault_now(GDFAULT_MEM, -1)) return NULL;
    return real_mem.xRealloc(p, n);
}

static int mem_size(void *p) { return real_mem.xSize(p); }
static int mem_roundup(int n) { return real_mem.xRoundup(n); }
static int mem_init(void *app) { return real_mem.xInit(app); }
static void mem_shutdown(void *app) { real_mem.xShutdown(app); }

/* ---- the file ----------------------------------------------------------- */

typedef struct shim_file {
    sqlite3_file base;
    sqlite3_file *real;           /* points just past this struct */
    long writes;                  /* alternates the write error between IOERR_WRITE and FULL */
} shim_file;

static sqlite3_file *real_of(sqlite3_file *f) { return ((shim_file *)f)->real; }

static int shim_close(sqlite3_file *f)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
}

static int shim_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    if (fault_now(GDFAULT_IO, GDFAULT_READ)) return SQLITE_IOERR_READ;
    return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}

static int shim_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    shim_file *s = (shim_file *)f;
    if (fault_now(GDFAULT_IO, GDFAULT_WRITE)) return s->writes++ % 2 ? SQLITE_FULL : SQLITE_IOERR_WRITE;
    return s->real->pMethods->xWrite(s->real, buf, n, off);
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    if (fault_now(GDFAULT_IO, GDFAULT_TRUNCATE)) return SQLITE_IOERR_TRUNCATE;
    return real_of(f)->pMethods->xTruncate(real_of(f), size);
}

/* Counted and failed like the others, but never passed down: these tests
 * kill no machine, so durability is not what they check, and an fsync per
 * commit on a shared disk would make every run wait for it. */
static int shim_sync(sqlite3_file *f, int flags)
{
    (void)f;
    (void)flags;
    return fault_now(GDFAULT_IO, GDFAULT_SYNC) ? SQLITE_IOERR_FSYNC : SQLITE_OK;
}

static int shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    if (fault_now(GDFAULT_IO, GDFAULT_FILESIZE)) return SQLITE_IOERR_FSTAT;
    return real_of(f)->pMethods->xFileSize(real_of(f), size);
}

static int shim_lock(sqlite3_file *f, int level) { return real_of(f)->pMethods->xLock(real_of(f), level); }
static int shim_unlock(sqlite3_file *f, int level) { return real_of(f)->pMethods->xUnlock(real_of(f), level); }

static int shim_check_reserved(sqlite3_file *f, int *out)
{
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}

static int shim_file_control(sqlite3_file *f, int op, void *arg)
{
    return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}

static int shim_sector_size(sqlite3_file *f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }

static int shim_device_characteristics(sqlite3_file *f)
{
    return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}

static int shim_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
    if (fault_now(GDFAULT_IO, GDFAULT_SHMMAP)) return SQLITE_IOERR_SHMMAP;
    return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
}

static int shim_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}

static void shim_shm_barrier(sqlite3_file *f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }

static int shim_shm_unmap(sqlite3_file *f, int delete_flag)
{
    return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag);
}

static int shim_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
    sqlite3_file *r = real_of(f);
    if (r->pMethods->iVersion < 3) {
        *out = NULL;
        return SQLITE_OK;
    }
    return r->pMethods->xFetch(r, off, n, out);
}

static int shim_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->iVersion < 3 ? SQLITE_OK : r->pMethods->xUnfetch(r, off, p);
}

static const sqlite3_io_methods shim_methods = {
    3, shim_close, shim_read, shim_write, shim_truncate, shim_sync, shim_file_size, shim_lock, shim_unlock,
    shim_check_reserved, shim_file_control, shim_sector_size, shim_device_characteristics, shim_shm_map,
    shim_shm_lock, shim_shm_barrier, shim_shm_unmap, shim_fetch, shim_unfetch,
};

/* ---- the VFS ------------------------------------------------------------ */

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;

static int shim_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *out_flags)
{
    (void)vfs;
    shim_file *s = (shim_file *)f;
    memset(s, 0, sizeof *s);
    s->real = (sqlite3_file *)(s + 1);
    if (fault_now(GDFAULT_IO, GDFAULT_OPEN)) return SQLITE_CANTOPEN;
    int rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out_flags);
    /* SQLite calls xClose whenever pMethods is set, even after a failure. */
    if (s->real->pMethods) s->base.pMethods = &shim_methods;
    return rc;
}

static int shim_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    if (fault_now(GDFAULT_IO, GDFAULT_DELETE)) return SQLITE_IOERR_DELETE;
    (void)sync_dir;                     /* no directory fsync either (see shim_sync) */
    return real_vfs->xDelete(real_vfs, name, 0);
}

static int shim_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int shim_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *shim_dlopen(sqlite3_vfs *v, const char *name) { (void)v; return real_vfs->xDlOpen(real_vfs, name); }
static void shim_dlerror(sqlite3_vfs *v, int n, char *out) { (void)v; real_vfs->xDlError(real_vfs, n, out); }

static void (*shim_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    (void)v;
    return real_vfs->xDlSym(real_vfs, h, sym);
}

static void shim_dlclose(sqlite3_vfs *v, void *h) { (void)v; real_vfs->xDlClose(real_vfs, h); }
static int shim_randomness(sqlite3_vfs *v, int n, char *out) { (void)v; return real_vfs->xRandomness(real_vfs, n, out); }
static int shim_sleep(sqlite3_vfs *v, int us) { (void)v; return real_vfs->xSleep(real_vfs, us); }
static int shim_current_time(sqlite3_vfs *v, double *t) { (void)v; return real_vfs->xCurrentTime(real_vfs, t); }

static int shim_last_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real_vfs->xGetLastError(real_vfs, n, out);
}

static int shim_current_time64(sqlite3_vfs *v, sqlite3_int64 *t)
{
    (void)v;
    return real_vfs->xCurrentTimeInt64(real_vfs, t);
}

int gdfault_install(void)
{
    if (installed) return 0;
    sqlite3_mem_methods mine;
    if (sqlite3_shutdown() != SQLITE_OK || sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK)
        return -1;
    mine = (sqlite3_mem_methods){mem_malloc, mem_free, mem_realloc, mem_size, mem_roundup, mem_init,
                                 mem_shutdown, NULL};
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mine) != SQLITE_OK || sqlite3_initialize() != SQLITE_OK) return -1;
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs) return -1;
    shim_vfs = (sqlite3_vfs){
        .iVersion = 2, .szOsFile = (int)sizeof(shim_file) + real_vfs->szOsFile,
        .mxPathname = real_vfs->mxPathname, .zName = "gdfault", .xOpen = shim_open, .xDelete = shim_delete,
        .xAccess = shim_access, .xFullPathname = shim_full_pathname, .xDlOpen = shim_dlopen,
        .xDlError = shim_dlerror, .xDlSym = shim_dlsym, .xDlClose = shim_dlclose, .xRandomness = shim_randomness,
        .xSleep = shim_sleep, .xCurrentTime = shim_current_time, .xGetLastError = shim_last_error,
        .xCurrentTimeInt64 = shim_current_time64,
    };
    if (sqlite3_vfs_register(&shim_vfs, 1) != SQLITE_OK) return -1;
    installed = true;
    return 0;
}
