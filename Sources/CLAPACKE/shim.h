#include <lapacke.h>
/* lapack_int is a macro; Swift imports typedefs only. */
typedef lapack_int CLapackInt;
