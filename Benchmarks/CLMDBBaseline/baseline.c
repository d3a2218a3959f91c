// The plain-C baseline (see include/baseline.h): what raw liblmdb does on this machine.
#include "baseline.h"

#include <lmdb.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/// Where the scan leaves what it read, so the compiler cannot drop the reads.
static volatile uint64_t scan_sink;

static int fail(const char *call, int rc) {
  fprintf(stderr, "baseline: %s: %s\n", call, mdb_strerror(rc));
  return rc;
}

static void put_be64(unsigned char *out, uint64_t x) {
  for (int i = 7; i >= 0; i--) {
    out[i] = (unsigned char)x;
    x >>= 8;
  }
}

/// Opens an environment at `dir` with a map large enough for any run (the file stays sparse).
static int open_env(MDB_env **env, const char *dir, unsigned flags) {
  int rc = mdb_env_create(env);
  if (rc) return fail("mdb_env_create", rc);
  if ((rc = mdb_env_set_mapsize(*env, (size_t)16 << 30))) return fail("mdb_env_set_mapsize", rc);
  if ((rc = mdb_env_open(*env, dir, flags, 0600))) return fail("mdb_env_open", rc);
  return 0;
}

double erp_baseline_append(
    const char *dir, uint64_t count, size_t value_size, uint64_t batch, int nosync) {
  MDB_env *env = NULL;
  MDB_txn *txn = NULL;
  MDB_dbi dbi;
  unsigned char key[8];
  unsigned char *value = malloc(value_size > 8 ? value_size : 8);
  double elapsed = -1;
  int rc;
  if (!value) return -1;
  // Not all zeros, so nothing can compress or shortcut it (LMDB does neither, but be fair).
  for (size_t i = 0; i < value_size; i++) value[i] = (unsigned char)(i * 131 + 7);
  if (open_env(&env, dir, nosync ? MDB_NOSYNC : 0)) goto done;
  if ((rc = mdb_txn_begin(env, NULL, 0, &txn))) { fail("mdb_txn_begin", rc); goto done; }
  if ((rc = mdb_dbi_open(txn, NULL, 0, &dbi))) { fail("mdb_dbi_open", rc); goto done; }
  if ((rc = mdb_txn_commit(txn))) { txn = NULL; fail("mdb_txn_commit", rc); goto done; }
  txn = NULL;

  double start = now_seconds();
  for (uint64_t seq = 1; seq <= count;) {
    if ((rc = mdb_txn_begin(env, NULL, 0, &txn))) { fail("mdb_txn_begin", rc); goto done; }
    for (uint64_t n = 0; n < batch && seq <= count; n++, seq++) {
      put_be64(key, seq);
      if (value_size >= 8) memcpy(value, key, 8);  // every value differs a little
      MDB_val k = {sizeof key, key}, v = {value_size, value};
      if ((rc = mdb_put(txn, dbi, &k, &v, MDB_APPEND))) { fail("mdb_put", rc); goto done; }
    }
    rc = mdb_txn_commit(txn);
    txn = NULL;
    if (rc) { fail("mdb_txn_commit", rc); goto done; }
  }
  elapsed = now_seconds() - start;

done:
  if (txn) mdb_txn_abort(txn);
  if (env) mdb_env_close(env);
  free(value);
  return elapsed;
}

double erp_baseline_scan(const char *dir, uint64_t *entries, uint64_t *value_bytes) {
  MDB_env *env = NULL;
  MDB_txn *txn = NULL;
  MDB_cursor *cursor = NULL;
  MDB_dbi dbi;
  MDB_val k, v;
  uint64_t n = 0, bytes = 0, touched = 0;
  double elapsed = -1;
  int rc;
  if (open_env(&env, dir, MDB_RDONLY)) goto done;

  double start = now_seconds();
  if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn))) { fail("mdb_txn_begin", rc); goto done; }
  if ((rc = mdb_dbi_open(txn, NULL, 0, &dbi))) { fail("mdb_dbi_open", rc); goto done; }
  if ((rc = mdb_cursor_open(txn, dbi, &cursor))) { fail("mdb_cursor_open", rc); goto done; }
  for (rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
    n++;
    bytes += v.mv_size;
    if (v.mv_size) {
      const unsigned char *p = v.mv_data;
      touched += p[0] + p[v.mv_size - 1];
    }
  }
  if (rc != MDB_NOTFOUND) { fail("mdb_cursor_get", rc); goto done; }
  elapsed = now_seconds() - start;
  *entries = n;
  *value_bytes = bytes;
  scan_sink = touched;

done:
  if (cursor) mdb_cursor_close(cursor);
  if (txn) mdb_txn_abort(txn);
  if (env) mdb_env_close(env);
  return elapsed;
}

const char *erp_baseline_lmdb_version(void) { return mdb_version(NULL, NULL, NULL); }

void erp_release_free_memory(void) {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}
