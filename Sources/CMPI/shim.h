// Open MPI's handles (MPI_COMM_WORLD, MPI_BYTE, ...) are macros over the addresses of
// library globals, which Swift cannot import; these inline functions return them.
#include <mpi.h>

static inline MPI_Comm skd_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype skd_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype skd_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Status *skd_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
