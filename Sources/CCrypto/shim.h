/* OpenSSL's libcrypto, for the SHA-256 of every input file (provenance). Only the EVP digest
   interface is used: it picks the CPU's SHA extensions at run time. */
#include <openssl/evp.h>
