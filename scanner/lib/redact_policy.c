/*
 * redact_policy.c -- the policy and key objects of the public API
 * (piiscan.h, "de-identification") over policy.h and ops.h, and one value
 * revealed on its own (reveal --type T VALUE...).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "redact_int.h"
#include "validate.h"

int piiscan_policy_new(piiscan_policy **out)
{
    *out = malloc(sizeof **out);
    if (!*out)
        return -1;
    pii_policy_init(&(*out)->pol);
    return 0;
}

void piiscan_policy_free(piiscan_policy *p)
{
    if (!p)
        return;
    pii_policy_free(&p->pol);
    free(p);
}

int piiscan_policy_load(piiscan_policy *p, const char *path, char *err, size_t errlen)
{
    return pii_policy_load(&p->pol, path, err, errlen);
}

int piiscan_policy_parse(piiscan_policy *p, const char *name, const char *text, size_t len, char *err,
                         size_t errlen)
{
    return pii_policy_parse(&p->pol, name, text, len, err, errlen);
}

int piiscan_policy_op(piiscan_policy *p, const char *type_op, char *err, size_t errlen)
{
    return pii_policy_cli_op(&p->pol, type_op, err, errlen);
}

int piiscan_policy_default_op(piiscan_policy *p, const char *op, char *err, size_t errlen)
{
    return pii_policy_cli_default(&p->pol, op, err, errlen);
}

double piiscan_policy_min_confidence(const piiscan_policy *p) { return p->pol.min_confidence; }

const char *piiscan_policy_needs_key(const piiscan_policy *p)
{
    const char *which = NULL;
    return pii_policy_needs_key(&p->pol, &which) ? which : NULL;
}

int piiscan_key_new(piiscan_key **out, const unsigned char *master, size_t len)
{
    piiscan_key *k = malloc(sizeof *k);
    *out = NULL;
    if (!k)
        return -1;
    if (pii_keyring_init(&k->kr, master, len) < 0) {
        piiscan_key_free(k);
        return -1;
    }
    *out = k;
    return 0;
}

void piiscan_key_free(piiscan_key *k)
{
    if (!k)
        return;
    OPENSSL_cleanse(k, sizeof *k);
    free(k);
}

void piiscan_key_id(const piiscan_key *k, char out[17])
{
    static const char probe[] = "piiscan --incremental";
    piiscan_fingerprint(k->kr.k_hash, sizeof k->kr.k_hash, (piiscan_type)0, probe, sizeof probe - 1, out);
}

ssize_t piiscan_reveal_value(const piiscan_policy *p, const piiscan_key *k, piiscan_type t, const char *value,
                             size_t n, unsigned char *out, size_t cap, char *err, size_t errlen)
{
    /* FPE checks its output against the validator tables (mobile prefixes,
     * regions, IINs); on files the ruleset loads them, here nothing may
     * have. */
    if (pii_tables_init(err, errlen) < 0)
        return -1;
    const pii_op *op = pii_policy_select(&p->pol, t, "");
    /* Not compound literals in the ifs below: their lifetime would end
     * with that statement, before pii_op_reveal reads them. */
    pii_op enc = { .kind = PII_OP_ENCRYPT };
    pii_op fpe = { .kind = PII_OP_FPE, .keep_first = -1, .keep_last = -1, .decimals = -1 };
    size_t lo, hi;
    piiscan_type tt;
    if (pii_token_next((const uint8_t *)value, n, 0, &lo, &hi, &tt) && lo == 0 && hi == n)
        op = &enc, t = tt;   /* a token names its own type */
    else if (op->kind != PII_OP_FPE)
        op = &fpe;
    return pii_op_reveal(op, t, (const uint8_t *)value, n, &k->kr, out, cap, err, errlen);
}
