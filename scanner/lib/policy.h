/*
 * policy.h -- which operator applies to which finding.
 *
 * Sources, strongest first: --op TYPE=OP on the command line; the policy
 * file's `keys:` rules (the finding sits under that key or column, e.g.
 * everything under 收货人); the policy file's `types:`; --default-op; the
 * policy file's `default:`; and finally `mask`, so that a plain
 * `piiscan redact` is safe without a key.
 */
#ifndef PII_POLICY_H
#define PII_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "ops.h"
#include "piiscan.h"

typedef struct pii_policy_key {
    char *key;
    pii_op op;
} pii_policy_key;

typedef struct pii_policy {
    pii_op cli_type[PIISCAN_TYPE_COUNT];
    bool has_cli_type[PIISCAN_TYPE_COUNT];
    pii_op file_type[PIISCAN_TYPE_COUNT];
    bool has_file_type[PIISCAN_TYPE_COUNT];
    pii_policy_key *keys;
    size_t nkeys;
    pii_op cli_default, file_default;
    bool has_cli_default, has_file_default;
    double min_confidence;        /* < 0: not set */
    char **specs;                 /* operator spec strings the ops point into */
    size_t nspecs;
} pii_policy;

void pii_policy_init(pii_policy *p);
void pii_policy_free(pii_policy *p);

/* Load a YAML policy file; errors read "FILE:LINE:COL: message". */
int pii_policy_load(pii_policy *p, const char *path, char *err, size_t errlen);
/* Parse a policy from memory (name is used in messages). */
int pii_policy_parse(pii_policy *p, const char *name, const char *text, size_t len, char *err, size_t errlen);
/* --op TYPE=OP */
int pii_policy_cli_op(pii_policy *p, const char *arg, char *err, size_t errlen);
/* --default-op OP */
int pii_policy_cli_default(pii_policy *p, const char *spec, char *err, size_t errlen);

/* The operator for a finding of type t with the given context
 * ("key:phone", "hotword:…" or ""). */
const pii_op *pii_policy_select(const pii_policy *p, piiscan_type t, const char *context);
/* Does any operator that can be selected need a key? Names it in *which. */
bool pii_policy_needs_key(const pii_policy *p, const char **which);

#endif
