/*
 * op_parse.c -- operator specs ("mask:keep_first=3,char=#") and the static
 * facts about each operator (name, key, reversibility, privacy class).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "op_int.h"

static const char *const op_names[] = {
    [PII_OP_MASK] = "mask",         [PII_OP_REPLACE] = "replace", [PII_OP_HASH] = "hash",
    [PII_OP_ENCRYPT] = "encrypt",   [PII_OP_FPE] = "fpe",
    [PII_OP_GENERALIZE] = "generalize", [PII_OP_KEEP] = "keep",
};
#define N_OPS (sizeof op_names / sizeof op_names[0])

const char *pii_op_name(pii_op_kind k)
{
    return (unsigned)k < N_OPS ? op_names[k] : NULL;
}

bool pii_op_needs_key(pii_op_kind k)
{
    return k == PII_OP_HASH || k == PII_OP_ENCRYPT || k == PII_OP_FPE;
}

bool pii_op_reversible(pii_op_kind k) { return k == PII_OP_ENCRYPT || k == PII_OP_FPE; }

/* Mask styles that leave fewer than 10^6 candidates for what they hide
 * (docs/operators.md has the arithmetic): a masked mobile number is still
 * one of 10^4 numbers with a known prefix and suffix, which a second data
 * set narrows down at once, so calling it anonymous would mislead. */
static bool mask_leaves_few(piiscan_type t)
{
    switch (t) {
    case PIISCAN_CN_MOBILE:   /* 10^4 */
    case PIISCAN_CN_LANDLINE: /* 10^5 - 10^6 */
    case PIISCAN_BANK_CARD:   /* 10^5 (Luhn fixes one hidden digit) */
    case PIISCAN_IPV4:        /* 2^16 */
        return true;
    default:
        return false;
    }
}

const char *pii_op_class(pii_op_kind k, piiscan_type t)
{
    switch (k) {
    case PII_OP_MASK:
        return mask_leaves_few(t) ? "de-identifying" : "anonymizing";
    case PII_OP_REPLACE:
    case PII_OP_GENERALIZE:
        return "anonymizing";
    case PII_OP_HASH:
    case PII_OP_ENCRYPT:
    case PII_OP_FPE:
        return "de-identifying";
    default:
        return "none";
    }
}

void pii_op_default(pii_op *op, pii_op_kind kind)
{
    op->kind = kind;
    op->keep_first = op->keep_last = -1;
    op->mask_char = 0;
    op->replacement = NULL;
    op->decimals = -1;
}

/* Small non-negative integer parameter in [0, max]. */
static int parse_int(const char *v, size_t n, int max, int *out)
{
    if (n == 0 || n > 3)
        return -1;
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        x = x * 10 + (v[i] - '0');
    }
    if (x > max)
        return -1;
    *out = x;
    return 0;
}

static bool key_is(const char *k, size_t kl, const char *name)
{
    return strlen(name) == kl && memcmp(k, name, kl) == 0;
}

/* One "key=value" of a mask / generalize spec. */
static int parse_param(pii_op *op, const char *k, size_t kl, const char *v, size_t vl,
                       char *err, size_t errlen)
{
    if (op->kind == PII_OP_MASK && key_is(k, kl, "keep_first")) {
        if (parse_int(v, vl, PII_SYM_MAX, &op->keep_first) == 0)
            return 0;
    } else if (op->kind == PII_OP_MASK && key_is(k, kl, "keep_last")) {
        if (parse_int(v, vl, PII_SYM_MAX, &op->keep_last) == 0)
            return 0;
    } else if (op->kind == PII_OP_MASK && key_is(k, kl, "char")) {
        /* One visible ASCII character: it must not be mistaken for a
         * separator when the value is read back, nor break UTF-8. */
        if (vl == 1 && v[0] > 0x20 && v[0] < 0x7F) {
            op->mask_char = v[0];
            return 0;
        }
    } else if (op->kind == PII_OP_GENERALIZE && key_is(k, kl, "decimals")) {
        if (parse_int(v, vl, 8, &op->decimals) == 0)
            return 0;
    } else {
        pii_op_err(err, errlen, "operator %s has no parameter '%.*s'", pii_op_name(op->kind),
                   (int)kl, k);
        return -1;
    }
    pii_op_err(err, errlen, "bad value '%.*s' for %s parameter %.*s", (int)vl, v,
               pii_op_name(op->kind), (int)kl, k);
    return -1;
}

static int parse_params(pii_op *op, const char *p, char *err, size_t errlen)
{
    if (op->kind == PII_OP_REPLACE) {
        /* The text is taken verbatim to the end, so it may hold commas. */
        if (strncmp(p, "text=", 5) != 0) {
            pii_op_err(err, errlen, "replace takes only text=..., got '%s'", p);
            return -1;
        }
        op->replacement = p + 5;
        return 0;
    }
    if (*p == '\0') {
        pii_op_err(err, errlen, "empty parameter list after '%s:'", pii_op_name(op->kind));
        return -1;
    }
    while (*p) {
        size_t len = strcspn(p, ",");
        const char *eq = memchr(p, '=', len);
        if (!eq) {
            pii_op_err(err, errlen, "expected key=value, got '%.*s'", (int)len, p);
            return -1;
        }
        if (parse_param(op, p, (size_t)(eq - p), eq + 1, len - (size_t)(eq - p) - 1, err,
                        errlen) != 0)
            return -1;
        p += len;
        if (*p == ',' && *++p == '\0') {
            pii_op_err(err, errlen, "trailing ',' in operator spec");
            return -1;
        }
    }
    return 0;
}

int pii_op_parse(const char *spec, pii_op *op, char *err, size_t errlen)
{
    if (!spec) {
        pii_op_err(err, errlen, "no operator given");
        return -1;
    }
    size_t nl = strcspn(spec, ":");
    for (size_t k = 0; k < N_OPS; k++) {
        if (strlen(op_names[k]) != nl || strncasecmp(spec, op_names[k], nl) != 0)
            continue;
        pii_op_default(op, (pii_op_kind)k);
        if (spec[nl] == '\0')
            return 0;
        if (k != PII_OP_MASK && k != PII_OP_REPLACE && k != PII_OP_GENERALIZE) {
            pii_op_err(err, errlen, "operator %s takes no parameters", op_names[k]);
            return -1;
        }
        return parse_params(op, spec + nl + 1, err, errlen);
    }
    pii_op_err(err, errlen,
               "unknown operator '%.*s' (expected mask, replace, hash, encrypt, fpe, "
               "generalize or keep)", (int)nl, spec);
    return -1;
}
