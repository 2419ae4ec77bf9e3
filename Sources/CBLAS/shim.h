#include <cblas.h>

// OpenBLAS's pool shutdown (what its fork handler calls). Weak, so a build without a thread pool
// (the serial variant Debian's alternatives can select) still loads; the helper calls it only
// where it exists. The pool is started again by the next threaded call.
void blas_thread_shutdown_(void) __attribute__((weak));
static inline void skd_blas_thread_shutdown(void) {
    if (blas_thread_shutdown_) blas_thread_shutdown_();
}
