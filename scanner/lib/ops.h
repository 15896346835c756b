/*
 * ops.h -- de-identification operators (DESIGN.md section 6, issue 4).
 *
 * Pure functions: an operator turns the raw bytes of one finding into
 * replacement bytes.  Nothing here reads files or keeps state between calls,
 * so any number of threads may call them at once with their own buffers.
 * docs/operators.md documents every format and default.
 */
#ifndef PII_OPS_H
#define PII_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "piiscan.h"

typedef enum pii_op_kind {
    PII_OP_MASK,
    PII_OP_REPLACE,
    PII_OP_HASH,
    PII_OP_ENCRYPT,
    PII_OP_FPE,
    PII_OP_GENERALIZE,
    PII_OP_KEEP
} pii_op_kind;

typedef struct pii_op {
    pii_op_kind kind;
    int keep_first, keep_last; /* MASK: -1 = type default */
    char mask_char;            /* MASK: 0 = '*' */
    const char *replacement;   /* REPLACE: NULL = "[TYPE]"; points into the parsed spec */
    int decimals;              /* GENERALIZE GPS: -1 = default 2 */
} pii_op;

/* Parses "mask", "mask:keep_first=3,keep_last=4,char=#", "replace",
 * "replace:text=<REDACTED>" (text takes the rest of the spec verbatim, commas
 * included; op->replacement then points into spec, which must outlive op),
 * "hash", "encrypt", "fpe", "generalize", "generalize:decimals=3", "keep".
 * Returns 0, or -1 with a message in err. */
int pii_op_parse(const char *spec, pii_op *op, char *err, size_t errlen);
/* An operator with every parameter at its default. */
void pii_op_default(pii_op *op, pii_op_kind kind);

const char *pii_op_name(pii_op_kind k);
bool pii_op_needs_key(pii_op_kind k);   /* hash, encrypt, fpe */
bool pii_op_reversible(pii_op_kind k);  /* encrypt, fpe */
/* "anonymizing", "de-identifying" or "none" (DESIGN section 6; mask depends
 * on how much the type's default style hides, see docs/operators.md). */
const char *pii_op_class(pii_op_kind k, piiscan_type t);

/* Sub-keys derived from one master key, one per purpose, so that a token of
 * one operator never helps to attack another. */
typedef struct pii_keyring {
    unsigned char k_hash[32]; /* HMAC-SHA-256 */
    unsigned char k_siv[64];  /* AES-256-SIV (two AES-256 keys) */
    unsigned char k_fpe[32];  /* FF1 with AES-256 */
} pii_keyring;

#define PII_KEY_MIN_LEN 16

/* HKDF-SHA-256 (RFC 5869) of the master key; master must have at least
 * PII_KEY_MIN_LEN bytes.  0, or -1. */
int pii_keyring_init(pii_keyring *kr, const unsigned char *master, size_t len);
/* Zeroes the keyring (OPENSSL_cleanse). */
void pii_keyring_wipe(pii_keyring *kr);

/* Transforms the raw value bytes of a finding of type t (exactly the span
 * found in the input: may contain separators, +86 prefixes, full-width
 * digits, parentheses) into out.  Returns the output length, or -1 with a
 * message in err (FPE domain too small, value not valid for FPE, no key,
 * output does not fit, ...).  kr may be NULL for non-keyed operators. */
ssize_t pii_op_apply(const pii_op *op, piiscan_type t, const uint8_t *raw, size_t n,
                     const pii_keyring *kr, uint8_t *out, size_t cap, char *err,
                     size_t errlen);

/* Inverse for ENCRYPT (input is a token) and FPE (input is the transformed
 * value): writes the original raw bytes.  -1 with a message otherwise. */
ssize_t pii_op_reveal(const pii_op *op, piiscan_type t, const uint8_t *in, size_t n,
                      const pii_keyring *kr, uint8_t *out, size_t cap, char *err,
                      size_t errlen);

/* Finds the next ENCRYPT token `<TYPE>_ENC_<base32>` in buf[from, len):
 * returns 1 with [*lo, *hi) and *type set, or 0.  A token starts at a
 * canonical type name that does not follow [A-Za-z0-9_] and its body is the
 * longest run of [A-Z2-7]. */
int pii_token_next(const uint8_t *buf, size_t len, size_t from, size_t *lo, size_t *hi,
                   piiscan_type *type);
/* Like pii_token_next, but when letters or digits of the surrounding text
 * run on directly after a token, picks the longest body prefix that
 * authenticates under kr (AES-SIV makes a wrong split fail with
 * probability 1 - 2^-128).  The decrypted value goes to plain (cap bytes;
 * a longer one does not authenticate here) with its length in *plen;
 * plain NULL: not kept. */
int pii_token_next_keyed(const pii_keyring *kr, const uint8_t *buf, size_t len, size_t from, size_t *lo,
                         size_t *hi, piiscan_type *type, uint8_t *plain, size_t cap, size_t *plen);

/* Upper bound on the output of pii_op_apply for an n-byte value and any
 * operator (for sizing buffers; REPLACE text is added separately). */
#define PII_OP_OUT_MAX(n) (2 * (n) + 96)

#endif
