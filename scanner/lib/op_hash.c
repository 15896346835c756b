/*
 * op_hash.c -- the hash operator: CN_MOBILE_<20 base32 chars>.
 *
 * HMAC-SHA-256 under the hash sub-key over "<TYPE>\0<normalized value>".
 * Normalizing first is what makes joins work: "138-1234-5678" and
 * "+86 13812345678" are one person and must give one token.  The type name
 * in the message keeps equal digit strings of different types (an IMEI and
 * an IMSI) apart.  20 base32 characters are 100 bits: collisions stay out of
 * reach (birthday bound 2^50 values) while tokens stay short.
 */
#include <string.h>

#include "hmac.h"
#include "normalize.h"
#include "op_int.h"

#define HASH_CHARS 20

ssize_t pii_op_hash(piiscan_type t, const uint8_t *raw, size_t n, const pii_keyring *kr,
                    uint8_t *out, size_t cap, char *err, size_t errlen)
{
    const char *name = piiscan_type_name(t);
    char norm[1024];
    if (n >= sizeof norm) {
        pii_op_err(err, errlen, "value too long to hash (%zu bytes)", n);
        return -1;
    }
    size_t nl = pii_normalize(t, raw, n, norm, sizeof norm);
    const void *parts[3] = {name, "", norm};
    const size_t lens[3] = {strlen(name), 1, nl};
    unsigned char mac[PII_HMAC_SHA256_LEN];
    if (pii_hmac_sha256(kr->k_hash, sizeof kr->k_hash, parts, lens, 3, mac) != 0) {
        pii_op_err(err, errlen, "HMAC failed");
        return -1;
    }
    size_t tl = lens[0] + 1 + HASH_CHARS;
    if (tl > cap) {
        pii_op_err(err, errlen, "output buffer too small");
        return -1;
    }
    char b32[64];
    pii_b32_encode(mac, 13, b32); /* 13 bytes -> 21 chars, the first 20 kept */
    memcpy(out, name, lens[0]);
    out[lens[0]] = '_';
    memcpy(out + lens[0] + 1, b32, HASH_CHARS);
    return (ssize_t)tl;
}
