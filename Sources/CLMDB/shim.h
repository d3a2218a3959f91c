#include <lmdb.h>

/* Asks the CPU to bring `count` bytes from `p` into its caches (a hint: it never faults).
   A scan of a read transaction uses it on the record after the one being read. */
static inline void erp_prefetch(const void *p, size_t count) {
  for (size_t i = 0; i < count; i += 64) __builtin_prefetch((const char *)p + i, 0, 3);
}
