/*
 * test_policy.c -- YAML policies and operator selection: the shipped
 * examples in corpora/policies/ parse to the operators their comments
 * promise, the precedence chain (--op, keys, types, --default-op, default,
 * mask) holds level by level, every bad example is refused with the exact
 * FILE:LINE:COL of the fault, and pii_policy_needs_key reports a key only
 * when an operator that can really be selected needs one.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

#define POLICIES PIISCAN_SOURCE_DIR "/corpora/policies/"

static pii_policy pol;
static char err[512];

static void setup(void) { pii_policy_init(&pol); }
static void teardown(void) { pii_policy_free(&pol); }

TestSuite(policy, .init = setup, .fini = teardown);

/* ---- helpers ------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    char *buf = malloc(1 << 16);
    cr_assert_not_null(buf);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    cr_assert(feof(f), "%s is larger than the test buffer", path);
    fclose(f);
    buf[*len] = 0;
    return buf;
}

/* Parses a shipped example from memory under its path name. */
static int parse_file(const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    int rc = pii_policy_parse(&pol, path, text, len, err, sizeof err);
    free(text);
    return rc;
}

static int parse_text(const char *text)
{
    return pii_policy_parse(&pol, "inline.yaml", text, strlen(text), err, sizeof err);
}

static pii_op_kind sel(piiscan_type t, const char *context)
{
    return pii_policy_select(&pol, t, context)->kind;
}

static piiscan_type type(const char *name)
{
    int t = piiscan_type_from_name(name);
    cr_assert_geq(t, 0, "unknown type %s", name);
    return (piiscan_type)t;
}

/* The error names the file, line and column, in that order. */
static void assert_error_at(const char *file, int line, int col, const char *words)
{
    char want[600];
    snprintf(want, sizeof want, "%s:%d:%d: ", file, line, col);
    cr_assert_eq(strncmp(err, want, strlen(want)), 0, "expected '%s...', got '%s'", want, err);
    cr_assert_not_null(strstr(err, words), "message '%s' lacks '%s'", err, words);
}

/* ---- the shipped examples ----------------------------------------------- */

Test(policy, default_mask_example)
{
    cr_assert_eq(parse_file(POLICIES "default-mask.yaml"), 0, "%s", err);
    cr_assert(pol.has_file_default);
    cr_assert_eq(pol.file_default.kind, PII_OP_MASK);
    cr_assert_float_eq(pol.min_confidence, 0.6, 1e-9);
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, ""), PII_OP_MASK);
    cr_assert_eq(sel(PIISCAN_IMEI, "key:imei"), PII_OP_MASK);
    cr_assert(pol.has_file_type[PIISCAN_CN_RESIDENT_ID]);
    cr_assert_eq(pol.file_type[PIISCAN_CN_RESIDENT_ID].keep_first, -1, "type default style");
    cr_assert_eq(pol.nkeys, 0);
    const char *which = NULL;
    cr_assert_not(pii_policy_needs_key(&pol, &which));
}

Test(policy, pseudonymize_example)
{
    cr_assert_eq(parse_file(POLICIES "pseudonymize.yaml"), 0, "%s", err);
    cr_assert_lt(pol.min_confidence, 0, "not set");
    cr_assert_eq(pol.file_default.kind, PII_OP_MASK);
    const char *hashed[] = { "CN_RESIDENT_ID", "CN_MOBILE", "EMAIL", "BANK_CARD", "IMEI", "OAID", "MAC" };
    for (size_t i = 0; i < sizeof hashed / sizeof *hashed; i++)
        cr_assert_eq(sel(type(hashed[i]), ""), PII_OP_HASH, "%s", hashed[i]);
    cr_assert_eq(sel(PIISCAN_GPS, ""), PII_OP_GENERALIZE);
    cr_assert_eq(pii_policy_select(&pol, PIISCAN_GPS, "")->decimals, 2);
    cr_assert_eq(sel(PIISCAN_BIRTH_DATE, ""), PII_OP_GENERALIZE);
    cr_assert_eq(sel(PIISCAN_IPV4, ""), PII_OP_GENERALIZE);
    cr_assert_eq(sel(PIISCAN_IPV6, ""), PII_OP_GENERALIZE);
    cr_assert_eq(sel(PIISCAN_PERSON_NAME, ""), PII_OP_MASK, "unnamed type falls to default");

    /* keys: wins over types, matched by name in any case */
    cr_assert_eq(pol.nkeys, 3);
    const pii_op *k = pii_policy_select(&pol, PIISCAN_PERSON_NAME, "key:收货人");
    cr_assert_eq(k->kind, PII_OP_REPLACE);
    cr_assert_null(k->replacement, "plain replace means [TYPE]");
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "key:收货人"), PII_OP_REPLACE);
    k = pii_policy_select(&pol, PIISCAN_PERSON_NAME, "key:Consignee");
    cr_assert_eq(k->kind, PII_OP_REPLACE);
    cr_assert_str_eq(k->replacement, "<consignee>");
    /* a hotword context is not a key */
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "hotword:收货人"), PII_OP_HASH);
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "key:收货"), PII_OP_HASH, "no prefix match");

    const char *which = NULL;
    cr_assert(pii_policy_needs_key(&pol, &which));
    cr_assert_str_eq(which, "hash");
}

Test(policy, reversible_example)
{
    cr_assert_eq(parse_file(POLICIES "reversible.yaml"), 0, "%s", err);
    cr_assert_eq(pol.file_default.kind, PII_OP_ENCRYPT);
    const char *fpe[] = { "CN_MOBILE", "CN_LANDLINE", "CN_RESIDENT_ID", "BANK_CARD", "IMEI", "ICCID", "IMSI" };
    for (size_t i = 0; i < sizeof fpe / sizeof *fpe; i++)
        cr_assert_eq(sel(type(fpe[i]), ""), PII_OP_FPE, "%s", fpe[i]);
    cr_assert_eq(sel(PIISCAN_EMAIL, ""), PII_OP_ENCRYPT);
    /* GPS and birth dates refuse FPE, so the default must not be fpe */
    cr_assert_eq(sel(PIISCAN_GPS, ""), PII_OP_ENCRYPT);
    cr_assert_eq(sel(PIISCAN_BIRTH_DATE, ""), PII_OP_ENCRYPT);
    /* every selectable operator is reversible */
    for (int t = 0; t < PIISCAN_TYPE_COUNT; t++)
        cr_assert(pii_op_reversible(sel((piiscan_type)t, "")), "%s", piiscan_type_name((piiscan_type)t));
    const char *which = NULL;
    cr_assert(pii_policy_needs_key(&pol, &which));
}

Test(policy, load_reads_the_file)
{
    cr_assert_eq(pii_policy_load(&pol, POLICIES "reversible.yaml", err, sizeof err), 0, "%s", err);
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, ""), PII_OP_FPE);
}

Test(policy, load_missing_file_names_it)
{
    cr_assert_eq(pii_policy_load(&pol, POLICIES "no-such.yaml", err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "no-such.yaml"), "%s", err);
}

/* ---- precedence --------------------------------------------------------- */

/* Peel the chain one level at a time: each assertion can only pass if the
 * level above it is absent and this level is present. */
Test(policy, precedence_level_by_level)
{
    const char *yaml = "default: replace\n"
                       "types:\n"
                       "  CN_MOBILE: generalize\n"
                       "  EMAIL: generalize\n"
                       "  IPV4: generalize\n"
                       "keys:\n"
                       "  phone: keep\n";
    cr_assert_eq(parse_text(yaml), 0, "%s", err);
    cr_assert_eq(pii_policy_cli_op(&pol, "CN_MOBILE=fpe", err, sizeof err), 0, "%s", err);
    cr_assert_eq(pii_policy_cli_default(&pol, "encrypt", err, sizeof err), 0, "%s", err);

    /* --op beats keys and types */
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "key:phone"), PII_OP_FPE);
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, ""), PII_OP_FPE);
    /* keys beat types */
    cr_assert_eq(sel(PIISCAN_EMAIL, "key:phone"), PII_OP_KEEP);
    cr_assert_eq(sel(PIISCAN_EMAIL, "key:PHONE"), PII_OP_KEEP, "key names in any case");
    /* keys beat --default-op for an unnamed type */
    cr_assert_eq(sel(PIISCAN_IMEI, "key:phone"), PII_OP_KEEP);
    /* types beat --default-op */
    cr_assert_eq(sel(PIISCAN_EMAIL, "key:email"), PII_OP_GENERALIZE);
    cr_assert_eq(sel(PIISCAN_IPV4, ""), PII_OP_GENERALIZE);
    /* --default-op beats the policy default */
    cr_assert_eq(sel(PIISCAN_IMEI, ""), PII_OP_ENCRYPT);
}

Test(policy, precedence_policy_default_then_mask)
{
    cr_assert_eq(parse_text("default: replace\n"), 0, "%s", err);
    cr_assert_eq(sel(PIISCAN_IMEI, ""), PII_OP_REPLACE);
    pii_policy_free(&pol);
    /* nothing at all: mask, in the type's default style */
    const pii_op *op = pii_policy_select(&pol, PIISCAN_IMEI, "key:imei");
    cr_assert_eq(op->kind, PII_OP_MASK);
    cr_assert_eq(op->keep_first, -1);
    cr_assert_eq(op->keep_last, -1);
    cr_assert_eq(op->mask_char, 0);
}

Test(policy, cli_default_without_policy)
{
    cr_assert_eq(pii_policy_cli_default(&pol, "replace:text=<x>", err, sizeof err), 0, "%s", err);
    const pii_op *op = pii_policy_select(&pol, PIISCAN_GPS, "");
    cr_assert_eq(op->kind, PII_OP_REPLACE);
    cr_assert_str_eq(op->replacement, "<x>");
}

Test(policy, cli_op_parameters_kept)
{
    cr_assert_eq(pii_policy_cli_op(&pol, "CN_MOBILE=mask:keep_first=3,keep_last=2,char=#", err, sizeof err), 0,
                 "%s", err);
    const pii_op *op = pii_policy_select(&pol, PIISCAN_CN_MOBILE, "");
    cr_assert_eq(op->kind, PII_OP_MASK);
    cr_assert_eq(op->keep_first, 3);
    cr_assert_eq(op->keep_last, 2);
    cr_assert_eq(op->mask_char, '#');
    /* the last --op for a type wins */
    cr_assert_eq(pii_policy_cli_op(&pol, "CN_MOBILE=keep", err, sizeof err), 0, "%s", err);
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, ""), PII_OP_KEEP);
}

Test(policy, cli_op_errors)
{
    cr_assert_eq(pii_policy_cli_op(&pol, "CN_MOBILE", err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "TYPE=OPERATOR"), "%s", err);
    cr_assert_eq(pii_policy_cli_op(&pol, "NOPE=mask", err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "NOPE"), "%s", err);
    cr_assert_eq(pii_policy_cli_op(&pol, "EMAIL=scramble", err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "scramble"), "%s", err);
    cr_assert_eq(pii_policy_cli_default(&pol, "shred", err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "--default-op"), "%s", err);
    cr_assert_not(pol.has_cli_type[PIISCAN_EMAIL]);
    cr_assert_not(pol.has_cli_default);
}

/* ---- errors name FILE:LINE:COL ------------------------------------------ */

Test(policy, bad_unknown_type)
{
    cr_assert_eq(parse_file(POLICIES "bad/unknown-type.yaml"), -1);
    assert_error_at(POLICIES "bad/unknown-type.yaml", 3, 3, "CN_MOBIL");
}

Test(policy, bad_unknown_operator)
{
    cr_assert_eq(parse_file(POLICIES "bad/unknown-operator.yaml"), -1);
    assert_error_at(POLICIES "bad/unknown-operator.yaml", 4, 14, "scramble");
}

Test(policy, bad_yaml_syntax)
{
    cr_assert_eq(parse_file(POLICIES "bad/syntax.yaml"), -1);
    assert_error_at(POLICIES "bad/syntax.yaml", 4, 17, "mapping values are not allowed");
}

Test(policy, bad_unknown_field)
{
    cr_assert_eq(parse_file(POLICIES "bad/unknown-field.yaml"), -1);
    assert_error_at(POLICIES "bad/unknown-field.yaml", 3, 1, "defualt_op");
}

Test(policy, bad_confidence)
{
    cr_assert_eq(parse_file(POLICIES "bad/bad-confidence.yaml"), -1);
    assert_error_at(POLICIES "bad/bad-confidence.yaml", 3, 17, "min_confidence");
}

Test(policy, bad_load_names_the_path)
{
    cr_assert_eq(pii_policy_load(&pol, POLICIES "bad/unknown-type.yaml", err, sizeof err), -1);
    assert_error_at(POLICIES "bad/unknown-type.yaml", 3, 3, "unknown type");
}

Test(policy, bad_shapes)
{
    cr_assert_eq(parse_text("- mask\n- hash\n"), -1);
    assert_error_at("inline.yaml", 1, 1, "mapping");
    pii_policy_free(&pol);
    cr_assert_eq(parse_text("default: mask\ntypes: hash\n"), -1);
    assert_error_at("inline.yaml", 2, 8, "types");
    pii_policy_free(&pol);
    cr_assert_eq(parse_text("keys:\n  - phone\n"), -1);
    assert_error_at("inline.yaml", 2, 3, "keys");
    pii_policy_free(&pol);
    cr_assert_eq(parse_text("types:\n  EMAIL: [mask]\n"), -1);
    assert_error_at("inline.yaml", 2, 10, "expected an operator");
    pii_policy_free(&pol);
    cr_assert_eq(parse_text("version: 2\n"), -1);
    assert_error_at("inline.yaml", 1, 10, "version");
    pii_policy_free(&pol);
    cr_assert_eq(parse_text("min_confidence: high\n"), -1);
    assert_error_at("inline.yaml", 1, 17, "min_confidence");
    pii_policy_free(&pol);
    cr_assert_eq(parse_text(""), -1, "an empty policy is an error");
    cr_assert_not_null(strstr(err, "inline.yaml"), "%s", err);
}

Test(policy, operator_parameter_error_has_position)
{
    cr_assert_eq(parse_text("types:\n  CN_MOBILE: \"mask:keep_frist=3\"\n"), -1);
    assert_error_at("inline.yaml", 2, 14, "keep_frist");
}

/* ---- pii_policy_needs_key ----------------------------------------------- */

Test(policy, needs_key_none_by_default)
{
    const char *which = NULL;
    cr_assert_not(pii_policy_needs_key(&pol, &which));
    cr_assert_eq(parse_text("default: replace\ntypes:\n  GPS: generalize\nkeys:\n  phone: keep\n"), 0, "%s", err);
    cr_assert_not(pii_policy_needs_key(&pol, &which));
}

Test(policy, needs_key_each_source)
{
    const char *which = NULL;
    cr_assert_eq(parse_text("types:\n  EMAIL: encrypt\n"), 0, "%s", err);
    cr_assert(pii_policy_needs_key(&pol, &which));
    cr_assert_str_eq(which, "encrypt");
    pii_policy_free(&pol);

    cr_assert_eq(parse_text("keys:\n  phone: fpe\n"), 0, "%s", err);
    cr_assert(pii_policy_needs_key(&pol, &which));
    cr_assert_str_eq(which, "fpe");
    pii_policy_free(&pol);

    cr_assert_eq(parse_text("default: hash\n"), 0, "%s", err);
    cr_assert(pii_policy_needs_key(&pol, &which));
    cr_assert_str_eq(which, "hash");
    pii_policy_free(&pol);

    cr_assert_eq(pii_policy_cli_op(&pol, "IMEI=hash", err, sizeof err), 0, "%s", err);
    cr_assert(pii_policy_needs_key(&pol, &which));
    pii_policy_free(&pol);

    cr_assert_eq(pii_policy_cli_default(&pol, "encrypt", err, sizeof err), 0, "%s", err);
    cr_assert(pii_policy_needs_key(&pol, &which));
}

/* A keyless --op for a type shadows a keyed policy entry for it: no key is
 * needed, because the keyed operator can never be selected. */
Test(policy, needs_key_cli_op_shadows_policy_type)
{
    const char *which = NULL;
    cr_assert_eq(parse_text("types:\n  CN_MOBILE: hash\n"), 0, "%s", err);
    cr_assert(pii_policy_needs_key(&pol, &which));
    cr_assert_eq(pii_policy_cli_op(&pol, "CN_MOBILE=mask", err, sizeof err), 0, "%s", err);
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "key:phone"), PII_OP_MASK);
    cr_assert_not(pii_policy_needs_key(&pol, &which));
}

/* --default-op shadows the policy default entirely. */
Test(policy, needs_key_cli_default_shadows_policy_default)
{
    const char *which = NULL;
    cr_assert_eq(parse_text("default: encrypt\n"), 0, "%s", err);
    cr_assert(pii_policy_needs_key(&pol, &which));
    cr_assert_eq(pii_policy_cli_default(&pol, "mask", err, sizeof err), 0, "%s", err);
    cr_assert_not(pii_policy_needs_key(&pol, &which));
}

/* A keyed default is unreachable when every type is named; a keyed key rule
 * is unreachable when --op names every type. */
Test(policy, needs_key_unreachable_default_and_keys)
{
    const char *which = NULL;
    cr_assert_eq(parse_text("default: hash\nkeys:\n  phone: encrypt\n"), 0, "%s", err);
    for (int t = 0; t < PIISCAN_TYPE_COUNT; t++) {
        char arg[64];
        snprintf(arg, sizeof arg, "%s=replace", piiscan_type_name((piiscan_type)t));
        cr_assert_eq(pii_policy_cli_op(&pol, arg, err, sizeof err), 0, "%s", err);
        /* still reachable while one type is open */
        if (t + 1 < PIISCAN_TYPE_COUNT)
            cr_assert(pii_policy_needs_key(&pol, &which), "after %s", arg);
    }
    cr_assert_not(pii_policy_needs_key(&pol, &which));
}

/* A keyed type entry stays reachable through its type even when a key
 * rule would override it for some findings. */
Test(policy, needs_key_type_entry_behind_key_rule)
{
    const char *which = NULL;
    cr_assert_eq(parse_text("types:\n  EMAIL: hash\nkeys:\n  email: mask\n"), 0, "%s", err);
    cr_assert(pii_policy_needs_key(&pol, &which));
    cr_assert_str_eq(which, "hash");
}

/* `keys:` rules name a key or a column (DESIGN §3: "every value under
 * 收货人"), so they apply to CSV/SQL column contexts as well as to key
 * contexts, and to a nested JSON path or an SQL table.column by its last
 * component; a rule for the whole path beats one for its last component,
 * whatever their order.  Hotwords are not keys. */
Test(policy, key_rules_reach_columns_and_paths)
{
    const char *yaml = "default: replace\n"
                       "keys:\n"
                       "  phone: keep\n"
                       "  Mobile: hash\n"
                       "  user.phone: encrypt\n"
                       "  收货人: generalize\n"
                       "  phones: fpe\n";
    cr_assert_eq(parse_text(yaml), 0, "%s", err);
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "column:mobile"), PII_OP_HASH, "a CSV column");
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "column:users.mobile"), PII_OP_HASH, "an SQL table.column");
    cr_assert_eq(sel(PIISCAN_PERSON_NAME, "column:收货人"), PII_OP_GENERALIZE, "a Chinese column name");
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "key:user.phone"), PII_OP_ENCRYPT, "the full path wins");
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "key:contact.phone"), PII_OP_KEEP, "last component of a path");
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "key:phones[]"), PII_OP_FPE, "an array under its key");
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "key:a.phones[]"), PII_OP_FPE, "an array in a path");
    /* neither a part of a name nor a hotword matches */
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "key:telephone"), PII_OP_REPLACE);
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "column:phone_no"), PII_OP_REPLACE);
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "hotword:phone"), PII_OP_REPLACE);
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, "key:user."), PII_OP_REPLACE, "an empty last component");
    cr_assert_eq(sel(PIISCAN_CN_MOBILE, ""), PII_OP_REPLACE);
}
