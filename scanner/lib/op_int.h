/*
 * op_int.h -- internals shared by the operator files (op_*.c).  Not part of
 * the library's interface; ops.h is.
 */
#ifndef PII_OP_INT_H
#define PII_OP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "ops.h"

/* Is a thread's cached key the key a call brings (n a multiple of 8)?
 * Constant time like CRYPTO_memcmp, but a word at a time: the keyed
 * operators ask once per value or FF1 call, where CRYPTO_memcmp's byte
 * loop was 1.5-4% of their time. */
static inline bool pii_same_key(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint64_t diff = 0;
    for (size_t i = 0; i < n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        diff |= x ^ y;
    }
    return diff == 0;
}

/* Longest value, in letters and digits, that the symbol-level operators
 * handle; identifiers are far shorter, free text goes elsewhere. */
#define PII_SYM_MAX 256

/* One letter or digit of a raw value: where it is, how wide it is there
 * (1 for ASCII, 3 for a full-width form U+FF10.., U+FF21.., U+FF41..) and
 * the ASCII character it stands for.  Everything else in the value is a
 * separator and is copied through unchanged. */
typedef struct pii_sym {
    uint32_t off;
    uint8_t width;
    char c;
} pii_sym;

/* Splits raw into symbols; returns the count, or (size_t)-1 when there are
 * more than cap. */
size_t pii_syms(const uint8_t *raw, size_t n, pii_sym *s, size_t cap);
/* Copies raw into out with symbol i replaced by newc[i] in the symbol's own
 * width (a full-width digit stays full-width).  newc may be any printable
 * ASCII (a mask character).  Returns the length, or -1 if cap is too small. */
ssize_t pii_syms_write(const uint8_t *raw, size_t n, const pii_sym *s, size_t ns,
                       const char *newc, uint8_t *out, size_t cap);
/* UTF-8 of the full-width form of printable ASCII c (3 bytes). */
void pii_fullwidth(char c, uint8_t out[3]);

void pii_op_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- base32 (RFC 4648 alphabet A-Z2-7, no padding) ---- */
size_t pii_b32_len(size_t nbytes);
size_t pii_b32_encode(const uint8_t *in, size_t n, char *out);
/* -1 on a character outside the alphabet, an impossible length or non-zero
 * trailing bits (so every byte string has exactly one spelling). */
ssize_t pii_b32_decode(const char *in, size_t n, uint8_t *out, size_t cap);

/* ---- AES-SIV (RFC 5297) through OpenSSL EVP ---- */
/* keylen 32, 48 or 64 (AES-128/192/256-SIV).  out receives V || C
 * (16 + n bytes).  0, or -1. */
int pii_siv_seal(const uint8_t *key, size_t keylen, const uint8_t *const *ad,
                 const size_t *adlen, size_t nad, const uint8_t *pt, size_t n,
                 uint8_t *out);
/* in = V || C, n >= 16; pt receives n - 16 bytes.  -1 if it does not
 * authenticate. */
int pii_siv_open(const uint8_t *key, size_t keylen, const uint8_t *const *ad,
                 const size_t *adlen, size_t nad, const uint8_t *in, size_t n,
                 uint8_t *pt);

/* ---- FF1 (NIST SP 800-38G) ---- */
#define PII_FF1_MAX_LEN 256
/* Encrypts (decrypt = false) or decrypts the numeral string x[0,n) (values
 * < radix, 2 <= radix <= 36) with AES-128/192/256 (keylen 16/24/32) and the
 * given tweak.  Refuses radix^n < 10^6 (SP 800-38G Rev. 1).  y may alias x.
 * 0, or -1 with a message. */
int pii_ff1(const uint8_t *key, size_t keylen, unsigned radix, const uint8_t *tweak,
            size_t tlen, const uint8_t *x, size_t n, uint8_t *y, bool decrypt, char *err,
            size_t errlen);

/* ---- per-operator entry points (dispatched by op_apply.c) ---- */
ssize_t pii_op_mask(const pii_op *op, piiscan_type t, const uint8_t *raw, size_t n,
                    uint8_t *out, size_t cap, char *err, size_t errlen);
ssize_t pii_op_replace(const pii_op *op, piiscan_type t, uint8_t *out, size_t cap,
                       char *err, size_t errlen);
ssize_t pii_op_hash(piiscan_type t, const uint8_t *raw, size_t n, const pii_keyring *kr,
                    uint8_t *out, size_t cap, char *err, size_t errlen);
ssize_t pii_op_encrypt(piiscan_type t, const uint8_t *raw, size_t n, const pii_keyring *kr,
                       uint8_t *out, size_t cap, char *err, size_t errlen);
ssize_t pii_op_decrypt(piiscan_type t, const uint8_t *tok, size_t n, const pii_keyring *kr,
                       uint8_t *out, size_t cap, char *err, size_t errlen);
ssize_t pii_op_fpe(piiscan_type t, const uint8_t *raw, size_t n, const pii_keyring *kr,
                   bool decrypt, uint8_t *out, size_t cap, char *err, size_t errlen);
ssize_t pii_op_generalize(const pii_op *op, piiscan_type t, const uint8_t *raw, size_t n,
                          uint8_t *out, size_t cap, char *err, size_t errlen);

/* ---- resident-ID region codes, sorted, by index (op_regions.c) ---- */
/* Number of known GB/T 2260 codes (the same set pii_cn_region_known
 * accepts); 0 if the embedded table cannot be read. */
size_t pii_cn_region_count(void);
uint32_t pii_cn_region_at(size_t i);
/* Index of a known code, or -1. */
long pii_cn_region_index(uint32_t code);

#endif
