/*
 * op_apply.c -- dispatch of pii_op_apply / pii_op_reveal to the operators.
 *
 * The checks common to all operators live here: a keyed operator without a
 * key is an error (never a silent fallback to something weaker), and
 * reveal exists only for the two reversible operators.
 */
#include <string.h>

#include "op_int.h"

static bool args_ok(const pii_op *op, piiscan_type t, const uint8_t *raw, size_t n,
                    const pii_keyring *kr, uint8_t *out, char *err, size_t errlen)
{
    if (!op || (unsigned)t >= PIISCAN_TYPE_COUNT || (!raw && n > 0) || !out) {
        pii_op_err(err, errlen, "invalid arguments");
        return false;
    }
    if (pii_op_needs_key(op->kind) && !kr) {
        pii_op_err(err, errlen, "operator %s needs a key (--key-file or PIISCAN_KEY)",
                   pii_op_name(op->kind));
        return false;
    }
    return true;
}

ssize_t pii_op_apply(const pii_op *op, piiscan_type t, const uint8_t *raw, size_t n,
                     const pii_keyring *kr, uint8_t *out, size_t cap, char *err,
                     size_t errlen)
{
    if (!args_ok(op, t, raw, n, kr, out, err, errlen))
        return -1;
    switch (op->kind) {
    case PII_OP_MASK:
        return pii_op_mask(op, t, raw, n, out, cap, err, errlen);
    case PII_OP_REPLACE:
        return pii_op_replace(op, t, out, cap, err, errlen);
    case PII_OP_HASH:
        return pii_op_hash(t, raw, n, kr, out, cap, err, errlen);
    case PII_OP_ENCRYPT:
        return pii_op_encrypt(t, raw, n, kr, out, cap, err, errlen);
    case PII_OP_FPE:
        return pii_op_fpe(t, raw, n, kr, false, out, cap, err, errlen);
    case PII_OP_GENERALIZE:
        return pii_op_generalize(op, t, raw, n, out, cap, err, errlen);
    case PII_OP_KEEP:
        if (n > cap) {
            pii_op_err(err, errlen, "output buffer too small");
            return -1;
        }
        memcpy(out, raw, n);
        return (ssize_t)n;
    }
    pii_op_err(err, errlen, "unknown operator");
    return -1;
}

ssize_t pii_op_reveal(const pii_op *op, piiscan_type t, const uint8_t *in, size_t n,
                      const pii_keyring *kr, uint8_t *out, size_t cap, char *err,
                      size_t errlen)
{
    if (!args_ok(op, t, in, n, kr, out, err, errlen))
        return -1;
    if (op->kind == PII_OP_ENCRYPT)
        return pii_op_decrypt(t, in, n, kr, out, cap, err, errlen);
    if (op->kind == PII_OP_FPE)
        return pii_op_fpe(t, in, n, kr, true, out, cap, err, errlen);
    pii_op_err(err, errlen, "operator %s cannot be reversed", pii_op_name(op->kind));
    return -1;
}
