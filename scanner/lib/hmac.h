/*
 * hmac.h -- HMAC-SHA-256 through OpenSSL 3 EVP_MAC.
 *
 * Exposed separately from piiscan_fingerprint so that the unit tests can
 * check the exact code path against the RFC 4231 vectors.
 */
#ifndef PII_HMAC_H
#define PII_HMAC_H

#include <stddef.h>

#define PII_HMAC_SHA256_LEN 32

/* HMAC-SHA-256(key, parts[0] || parts[1] || ...).  The message is given in
 * pieces so callers need not copy it into one buffer.  A NULL or empty key
 * is the all-zero key (HMAC pads short keys with zeros, so both are the
 * same key).  Returns 0, or -1 if OpenSSL fails (out is then zeroed). */
int pii_hmac_sha256(const unsigned char *key, size_t keylen, const void *const *parts,
                    const size_t *lens, size_t nparts,
                    unsigned char out[PII_HMAC_SHA256_LEN]);

#endif
