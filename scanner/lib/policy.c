/*
 * policy.c -- the YAML policy file (libyaml document API, so that every
 * error can name the line and column it comes from).
 *
 *   default: mask                 # operator for every type not named
 *   min_confidence: 0.6           # optional
 *   types:
 *     CN_MOBILE: fpe
 *     EMAIL: "replace:text=<email>"
 *   keys:                         # by key or column name, any case
 *     收货人: replace
 *     phone: hash
 *
 * Operator values use the same syntax as --op (see ops.h, pii_op_parse).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "policy.h"

void pii_policy_init(pii_policy *p)
{
    memset(p, 0, sizeof *p);
    p->min_confidence = -1;
}

void pii_policy_free(pii_policy *p)
{
    for (size_t i = 0; i < p->nkeys; i++)
        free(p->keys[i].key);
    free(p->keys);
    for (size_t i = 0; i < p->nspecs; i++)
        free(p->specs[i]);
    free(p->specs);
    pii_policy_init(p);
}

/* Parse an operator spec, keeping the string alive for the op's pointers. */
static int keep_op(pii_policy *p, const char *spec, pii_op *op, char *err, size_t errlen)
{
    char **nv = realloc(p->specs, (p->nspecs + 1) * sizeof *nv);
    if (!nv) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    p->specs = nv;
    if (!(p->specs[p->nspecs] = strdup(spec))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return pii_op_parse(p->specs[p->nspecs++], op, err, errlen);
}

typedef struct yctx {
    pii_policy *p;
    yaml_document_t *doc;
    const char *name;
    char *err;
    size_t errlen;
} yctx;

static int fail_at(yctx *y, const yaml_node_t *n, const char *fmt, const char *arg)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, arg);
    snprintf(y->err, y->errlen, "%s:%zu:%zu: %s", y->name, n->start_mark.line + 1, n->start_mark.column + 1, msg);
    return -1;
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int op_at(yctx *y, const yaml_node_t *v, pii_op *op)
{
    const char *s = scalar(v);
    if (!s)
        return fail_at(y, v, "%s", "expected an operator (mask, replace, hash, encrypt, fpe, generalize, keep)");
    char msg[200];
    if (keep_op(y->p, s, op, msg, sizeof msg) < 0)
        return fail_at(y, v, "%s", msg);
    return 0;
}

static int parse_types(yctx *y, const yaml_node_t *map)
{
    if (map->type != YAML_MAPPING_NODE)
        return fail_at(y, map, "%s", "`types` must be a mapping TYPE: operator");
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(y->doc, pr->key), *v = yaml_document_get_node(y->doc, pr->value);
        const char *name = scalar(k);
        int t = name ? piiscan_type_from_name(name) : -1;
        if (t < 0)
            return fail_at(y, k, "unknown type '%s' (see `piiscan types`)", name ? name : "?");
        if (op_at(y, v, &y->p->file_type[t]) < 0)
            return -1;
        y->p->has_file_type[t] = true;
    }
    return 0;
}

static int parse_keys(yctx *y, const yaml_node_t *map)
{
    if (map->type != YAML_MAPPING_NODE)
        return fail_at(y, map, "%s", "`keys` must be a mapping key-name: operator");
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(y->doc, pr->key), *v = yaml_document_get_node(y->doc, pr->value);
        const char *name = scalar(k);
        if (!name || !*name)
            return fail_at(y, k, "%s", "expected a key name");
        pii_policy_key *nv = realloc(y->p->keys, (y->p->nkeys + 1) * sizeof *nv);
        if (!nv)
            return fail_at(y, k, "%s", "out of memory");
        y->p->keys = nv;
        pii_policy_key *e = &nv[y->p->nkeys];
        if (!(e->key = strdup(name)))
            return fail_at(y, k, "%s", "out of memory");
        y->p->nkeys++;
        if (op_at(y, v, &e->op) < 0)
            return -1;
    }
    return 0;
}

static int parse_root(yctx *y, const yaml_node_t *root)
{
    if (root->type != YAML_MAPPING_NODE)
        return fail_at(y, root, "%s", "a policy is a mapping with default, min_confidence, types, keys");
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(y->doc, pr->key), *v = yaml_document_get_node(y->doc, pr->value);
        const char *name = scalar(k);
        int rc;
        if (!name)
            return fail_at(y, k, "%s", "expected a field name");
        if (!strcmp(name, "default")) {
            rc = op_at(y, v, &y->p->file_default);
            y->p->has_file_default = true;
        } else if (!strcmp(name, "min_confidence")) {
            const char *s = scalar(v);
            char *end = NULL;
            double d = s ? strtod(s, &end) : -1;
            if (!s || *end || end == s || d < 0 || d > 1)
                return fail_at(y, v, "%s", "min_confidence must be a number from 0 to 1");
            y->p->min_confidence = d;
            rc = 0;
        } else if (!strcmp(name, "types")) {
            rc = parse_types(y, v);
        } else if (!strcmp(name, "keys")) {
            rc = parse_keys(y, v);
        } else if (!strcmp(name, "version")) {
            const char *s = scalar(v);
            rc = s && !strcmp(s, "1") ? 0 : fail_at(y, v, "%s", "only version 1 is known");
        } else {
            return fail_at(y, k, "unknown field '%s' (default, min_confidence, types, keys, version)", name);
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

int pii_policy_parse(pii_policy *p, const char *name, const char *text, size_t len, char *err, size_t errlen)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        snprintf(err, errlen, "%s: cannot initialise the YAML parser", name);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int rc = -1;
    if (!yaml_parser_load(&parser, &doc)) {
        snprintf(err, errlen, "%s:%zu:%zu: %s", name, parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                 parser.problem ? parser.problem : "invalid YAML");
        yaml_parser_delete(&parser);
        return -1;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) {
        snprintf(err, errlen, "%s: empty policy", name);
    } else {
        yctx y = { p, &doc, name, err, errlen };
        rc = parse_root(&y, root);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

int pii_policy_load(pii_policy *p, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            char *nb = cap > (1u << 24) ? NULL : realloc(buf, cap);
            if (!nb) {
                snprintf(err, errlen, "%s: policy file too large", path);
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
        }
        size_t k = fread(buf + len, 1, cap - len, f);
        len += k;
        if (k == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    int rc = bad ? (snprintf(err, errlen, "%s: read error", path), -1) : pii_policy_parse(p, path, buf, len, err, errlen);
    free(buf);
    return rc;
}

int pii_policy_cli_op(pii_policy *p, const char *arg, char *err, size_t errlen)
{
    const char *eq = strchr(arg, '=');
    char name[64];
    if (!eq || (size_t)(eq - arg) >= sizeof name) {
        snprintf(err, errlen, "--op: expected TYPE=OPERATOR, got '%s'", arg);
        return -1;
    }
    memcpy(name, arg, (size_t)(eq - arg));
    name[eq - arg] = 0;
    int t = piiscan_type_from_name(name);
    if (t < 0) {
        snprintf(err, errlen, "--op: unknown type '%s' (see `piiscan types`)", name);
        return -1;
    }
    char msg[200];
    if (keep_op(p, eq + 1, &p->cli_type[t], msg, sizeof msg) < 0) {
        snprintf(err, errlen, "--op %s: %s", arg, msg);
        return -1;
    }
    p->has_cli_type[t] = true;
    return 0;
}

int pii_policy_cli_default(pii_policy *p, const char *spec, char *err, size_t errlen)
{
    char msg[200];
    if (keep_op(p, spec, &p->cli_default, msg, sizeof msg) < 0) {
        snprintf(err, errlen, "--default-op %s: %s", spec, msg);
        return -1;
    }
    p->has_cli_default = true;
    return 0;
}

static const pii_op MASK = { .kind = PII_OP_MASK, .keep_first = -1, .keep_last = -1, .decimals = -1 };

/* The operator of a type that neither --op nor `types` names. */
static const pii_op *default_op(const pii_policy *p)
{
    if (p->has_cli_default)
        return &p->cli_default;
    if (p->has_file_default)
        return &p->file_default;
    return &MASK;
}

/* Does rule name `key` equal name[0, len) (any ASCII case)?  A JSON array
 * level ("phones[]") is matched by the key's own name, as it is written in
 * the file: the "[]" is the scanner's notation, not part of the key. */
static bool key_is(const char *key, const char *name, size_t len)
{
    while (len >= 2 && name[len - 2] == '[' && name[len - 1] == ']')
        len -= 2;
    return len > 0 && strlen(key) == len && !strncasecmp(key, name, len);
}

/* The `keys:` rule for a finding's context, or NULL.  Rules name a key or a
 * column, so they apply to both kinds of structural context: "key:..." (a
 * key=value pair, a JSON key path) and "column:..." (a CSV/TSV header
 * column, an SQL table.column) -- the policy promises every value under
 * 收货人, and in a CSV export that is a column.  A rule matches the whole
 * name first (`user.phone` for key:user.phone), else its last component
 * (`phone` for key:user.phone, `mobile` for column:users.mobile,
 * `imei` for key:devices[].imei): a value in {"user":{"phone":...}} or in
 * the mobile column of table users is under that key too.  The exact
 * pass comes first so that a rule for a full path beats a rule for its
 * last component, whatever their order in the file. */
static const pii_op *key_rule(const pii_policy *p, const char *context)
{
    const char *name;
    if (!strncmp(context, "key:", 4))
        name = context + 4;
    else if (!strncmp(context, "column:", 7))
        name = context + 7;
    else
        return NULL;   /* hotword or no context: not under any key */
    size_t len = strlen(name);
    for (size_t i = 0; i < p->nkeys; i++)
        if (key_is(p->keys[i].key, name, len))
            return &p->keys[i].op;
    const char *last = strrchr(name, '.');
    if (!last)
        return NULL;
    last++;
    for (size_t i = 0; i < p->nkeys; i++)
        if (key_is(p->keys[i].key, last, strlen(last)))
            return &p->keys[i].op;
    return NULL;
}

const pii_op *pii_policy_select(const pii_policy *p, piiscan_type t, const char *context)
{
    if (p->has_cli_type[t])
        return &p->cli_type[t];
    const pii_op *k = context ? key_rule(p, context) : NULL;
    if (k)
        return k;
    if (p->has_file_type[t])
        return &p->file_type[t];
    return default_op(p);
}

/* Only operators that pii_policy_select can actually return count: a --op
 * for a type shadows that type's policy entry and its `keys` rules, and the
 * default in force (--default-op, else the policy's, else mask) is reached
 * only by a type that neither --op nor `types` names.  Over-reporting would
 * demand a key that nothing uses. */
static bool keyed(const pii_op *op, const char **which)
{
    if (!pii_op_needs_key(op->kind))
        return false;
    *which = pii_op_name(op->kind);
    return true;
}

bool pii_policy_needs_key(const pii_policy *p, const char **which)
{
    bool open = false, unnamed = false;
    for (int t = 0; t < PIISCAN_TYPE_COUNT; t++) {
        if (p->has_cli_type[t]) {
            if (keyed(&p->cli_type[t], which))
                return true;
            continue;
        }
        open = true;
        if (!p->has_file_type[t])
            unnamed = true;
        else if (keyed(&p->file_type[t], which))
            return true;
    }
    for (size_t i = 0; open && i < p->nkeys; i++)
        if (keyed(&p->keys[i].op, which))
            return true;
    return unnamed && keyed(default_op(p), which);
}
