// SQLite maps the WAL index (`<db>-shm`) with mmap. It grows the file by writing one byte per 4 KiB
// page, which allocates every page only on a file system with 4 KiB blocks; with smaller blocks the
// rest of the page stays a hole, and on a full disk the first store into that hole kills the
// process with SIGBUS. This VFS wraps the default one and, once SQLite has mapped a region and
// before anything is stored in it, faults the region in writable with MADV_POPULATE_WRITE, which
// allocates its blocks and reports a failure as an error instead of a signal: SQLITE_FULL, which
// SQLite and its callers handle. (It touches no file descriptor: closing one of the -shm would drop
// this process's POSIX locks on it.)
#include "CSQLiteReserve.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/mman.h>

static sqlite3_vfs *base;
static sqlite3_vfs reserving;
static int installed = SQLITE_OK;
static pthread_once_t once = PTHREAD_ONCE_INIT;

// The base VFS gives all its files one of a few method tables; each gets one copy with xShmMap
// replaced. Guarded by a mutex: files are opened from many threads.
enum { maxTables = 8 };
static struct {
    const sqlite3_io_methods *original;
    sqlite3_io_methods copy;
} tables[maxTables];
static int tableCount;
static pthread_mutex_t tablesLock = PTHREAD_MUTEX_INITIALIZER;

static const sqlite3_io_methods *originalMethods(sqlite3_file *file) {
    for (int i = 0; i < tableCount; i++) {
        if (&tables[i].copy == file->pMethods) return tables[i].original;
    }
    return file->pMethods;
}

static int reservingShmMap(sqlite3_file *file, int region, int size, int extend, void volatile **mapped) {
    int rc = originalMethods(file)->xShmMap(file, region, size, extend, mapped);
    if (rc != SQLITE_OK || !*mapped) return rc;
    // Also for a region this connection did not grow: another process may have grown the file and
    // failed, and a reader stores into the index too (its read marks).
    while (madvise((void *)*mapped, (size_t)size, MADV_POPULATE_WRITE) != 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        if (errno == EINVAL) return rc;  // a kernel before 5.14: as without this VFS
        *mapped = 0;
        return errno == ENOMEM ? SQLITE_NOMEM : SQLITE_FULL;
    }
    return rc;
}

static const sqlite3_io_methods *withReservingShmMap(const sqlite3_io_methods *original) {
    if (!original || original->iVersion < 2 || !original->xShmMap) return original;
    const sqlite3_io_methods *result = original;
    pthread_mutex_lock(&tablesLock);
    int i = 0;
    while (i < tableCount && tables[i].original != original) i++;
    if (i == tableCount && tableCount < maxTables) {
        tables[i].original = original;
        tables[i].copy = *original;
        tables[i].copy.xShmMap = reservingShmMap;
        tableCount++;
    }
    if (i < tableCount) result = &tables[i].copy;
    pthread_mutex_unlock(&tablesLock);
    return result;
}

static int reservingOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *outFlags) {
    (void)vfs;
    int rc = base->xOpen(base, name, file, flags, outFlags);
    if (file->pMethods) file->pMethods = withReservingShmMap(file->pMethods);
    return rc;
}

static void install(void) {
    base = sqlite3_vfs_find(NULL);
    if (!base) {
        installed = SQLITE_ERROR;
        return;
    }
    reserving = *base;
    reserving.zName = "zaaklog-reserve-shm";
    reserving.xOpen = reservingOpen;
    installed = sqlite3_vfs_register(&reserving, 1);
}

int zaaklog_sqlite_reserve_shm(void) {
    pthread_once(&once, install);
    return installed;
}
