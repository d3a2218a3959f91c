// The plain-C baseline of the benchmark: raw liblmdb, no envelope, no encoding, no hashing.
// What erpctl's store is compared against on the same machine in the same run (BENCHMARKS.md).
#ifndef ERPCTL_BASELINE_H
#define ERPCTL_BASELINE_H

#include <stddef.h>
#include <stdint.h>

/// Creates a fresh LMDB environment in the existing empty directory `dir` and appends `count`
/// values of `value_size` bytes under big-endian u64 keys 1…count (MDB_APPEND), `batch` values
/// per write transaction. `nosync` != 0 opens the environment with MDB_NOSYNC (no fsync at
/// commit); otherwise every commit is durable (LMDB's default). Returns the elapsed seconds of the
/// appends (environment open and close not included), or a negative number on error (reported on
/// stderr).
double erp_baseline_append(
    const char *dir, uint64_t count, size_t value_size, uint64_t batch, int nosync);

/// Scans the whole environment at `dir` with one cursor in one read transaction, counting entries
/// and summing value bytes (touching the first and last byte of each value). Returns the elapsed
/// seconds of the scan, or a negative number on error.
double erp_baseline_scan(const char *dir, uint64_t *entries, uint64_t *value_bytes);

/// Hands freed heap memory back to the system (glibc's malloc_trim), so that resident-memory
/// figures taken afterwards show what is still in use. Not part of the baseline itself.
void erp_release_free_memory(void);

/// The liblmdb version string the baseline (and erpctl) linked against.
const char *erp_baseline_lmdb_version(void);

#endif
