#include <lmdb.h>
#include <stdint.h>

/* Asks the CPU to bring a record's value, and where the next records are likely to be, into its
   caches (hints: a prefetch never faults, and a wrong guess costs only memory traffic). A scan of
   a read transaction calls it for the entry after the one being read.

   LMDB fills a leaf page from its end downward, and an append-only log's leaf pages mostly follow
   each other in the file: the entries after this one lie just below it, and once the start of
   its page is near, the next page begins with its header and ends with its first entries. (Pages
   of 4 KiB, LMDB's page size where the system's is; with larger pages only the guesses about
   the next page miss.) */
static inline void erp_prefetch_ahead(const void *value, size_t count) {
  const char *v = (const char *)value;
  for (size_t i = 0; i < count; i += 64) __builtin_prefetch(v + i, 0, 3);
  for (int i = 1; i <= 6; i++) __builtin_prefetch(v - 64 * i, 0, 3);
  const char *page = (const char *)((uintptr_t)v & ~(uintptr_t)4095);
  if (v - page < 768) {
    __builtin_prefetch(page + 4096, 0, 3);
    for (int i = 1; i <= 6; i++) __builtin_prefetch(page + 8192 - 64 * i, 0, 3);
  }
}

/* Asks the CPU to bring the line at `address` into its caches (a hint: any address will do). */
static inline void erp_prefetch_address(uintptr_t address) {
  __builtin_prefetch((const void *)address, 0, 3);
}

#if defined(__linux__)
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
/* Starts the writeback of the file's dirty pages to the disk without waiting for it
   (sync_file_range with SYNC_FILE_RANGE_WRITE). Durability is unchanged: LMDB still syncs at the
   commit; this only lets the disk begin earlier. */
static inline int erp_start_writeback(int fd) {
  return (int)syscall(SYS_sync_file_range, fd, (long long)0, (long long)0, 2u);
}
#include <sched.h>
/* Puts the calling thread under SCHED_BATCH (0, or -1 with errno): the kernel then does not let
   it preempt a running thread when it wakes up; it waits for its turn at the next tick. Any
   thread may ask this for itself. */
static inline int erp_sched_batch(void) {
  struct sched_param p = {0};
  return sched_setscheduler(0, 3 /* SCHED_BATCH, which <sched.h> names only under _GNU_SOURCE */, &p);
}
/* The calling thread's scheduling policy (SCHED_BATCH is 3), or -1. */
static inline int erp_sched_policy(void) { return sched_getscheduler(0); }
#else
static inline int erp_start_writeback(int fd) { (void)fd; return 0; }
static inline int erp_sched_batch(void) { return 0; }
static inline int erp_sched_policy(void) { return -1; }
#endif
