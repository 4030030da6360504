#ifndef CSQLITE_RESERVE_H
#define CSQLITE_RESERVE_H

/// Makes the default SQLite VFS one that allocates each region of a WAL index (`-shm`) as soon as
/// SQLite has mapped it, before anything is stored there, so that a full disk is SQLITE_FULL instead
/// of SIGBUS. Idempotent; returns an SQLite result code.
int zaaklog_sqlite_reserve_shm(void);

#endif
