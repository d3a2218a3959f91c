/* mimalloc (Debian's libmimalloc-dev), linked into the executables so that it replaces the C
   library's malloc and free for the whole process: see Package.swift. Only its own `mi_`
   functions are declared here; the replacement needs none of them. */
#include <mimalloc.h>
