/*
 * op_replace.c -- the replace operator: "[CN_MOBILE]" or a fixed text.
 */
#include <string.h>

#include "op_int.h"

ssize_t pii_op_replace(const pii_op *op, piiscan_type t, uint8_t *out, size_t cap,
                       char *err, size_t errlen)
{
    const char *name = piiscan_type_name(t);
    size_t n = op->replacement ? strlen(op->replacement) : strlen(name) + 2;
    if (n > cap) {
        pii_op_err(err, errlen, "output buffer too small");
        return -1;
    }
    if (op->replacement) {
        memcpy(out, op->replacement, n);
    } else {
        out[0] = '[';
        memcpy(out + 1, name, n - 2);
        out[n - 1] = ']';
    }
    return (ssize_t)n;
}
