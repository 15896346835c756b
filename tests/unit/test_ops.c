/*
 * test_ops.c -- the de-identification operators: spec parsing, keys, mask
 * and generalize formats, hash normalisation, encrypt tokens, and FPE
 * property tests (thousands of generated valid values per type, fixed
 * seed): outputs pass the type's validator, keep length, separators and
 * prefix, and reveal gives back the input exactly.  IP addresses keep their
 * exact text shape (octet widths, IPv6 groups, "::", case, zone).
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "normalize.h"
#include "op_int.h"
#include "validate.h"

static pii_keyring kr;
static char err[256];

static void setup(void)
{
    cr_assert_eq(pii_tables_init(err, sizeof err), 0, "%s", err);
    const unsigned char master[32] = "0123456789abcdef0123456789abcdef";
    cr_assert_eq(pii_keyring_init(&kr, master, sizeof master), 0);
}

TestSuite(ops, .init = setup);

/* ---- helpers ------------------------------------------------------------ */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static unsigned rn(unsigned n) { return (unsigned)(rnd() % n); }

static void rand_digits(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        s[i] = (char)('0' + rn(10));
}

static void rand_hex(char *s, size_t n, bool upper)
{
    const char *h = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    for (size_t i = 0; i < n; i++)
        s[i] = h[rn(16)];
}

/* Applies op with spec to value, returns a static NUL-terminated result or
 * NULL on error. */
static const char *apply_spec(const char *spec, piiscan_type t, const char *value)
{
    static char out[1024];
    pii_op op;
    cr_assert_eq(pii_op_parse(spec, &op, err, sizeof err), 0, "%s", err);
    ssize_t r = pii_op_apply(&op, t, (const uint8_t *)value, strlen(value), &kr,
                             (uint8_t *)out, sizeof out - 1, err, sizeof err);
    if (r < 0)
        return NULL;
    out[r] = '\0';
    return out;
}

static const char *reveal_spec(const char *spec, piiscan_type t, const char *value)
{
    static char out[1024];
    pii_op op;
    cr_assert_eq(pii_op_parse(spec, &op, err, sizeof err), 0);
    ssize_t r = pii_op_reveal(&op, t, (const uint8_t *)value, strlen(value), &kr,
                              (uint8_t *)out, sizeof out - 1, err, sizeof err);
    if (r < 0)
        return NULL;
    out[r] = '\0';
    return out;
}

#define MASK(t, v, want) cr_expect_str_eq(apply_spec("mask", t, v), want, "mask %s", v)

/* ---- parsing and static facts ------------------------------------------ */

Test(ops, parse_specs)
{
    pii_op op;
    cr_assert_eq(pii_op_parse("mask", &op, err, sizeof err), 0);
    cr_expect_eq(op.kind, PII_OP_MASK);
    cr_expect_eq(op.keep_first, -1);
    cr_expect_eq(op.mask_char, 0);
    cr_assert_eq(pii_op_parse("mask:keep_first=3,keep_last=4,char=#", &op, err, sizeof err), 0);
    cr_expect_eq(op.keep_first, 3);
    cr_expect_eq(op.keep_last, 4);
    cr_expect_eq(op.mask_char, '#');
    const char *spec = "replace:text=<REDACTED, really>";
    cr_assert_eq(pii_op_parse(spec, &op, err, sizeof err), 0);
    cr_expect_eq(op.kind, PII_OP_REPLACE);
    cr_expect_str_eq(op.replacement, "<REDACTED, really>");
    cr_assert_eq(pii_op_parse("generalize:decimals=3", &op, err, sizeof err), 0);
    cr_expect_eq(op.decimals, 3);
    const char *names[] = {"replace", "hash", "encrypt", "fpe", "generalize", "keep", "HASH"};
    const pii_op_kind kinds[] = {PII_OP_REPLACE, PII_OP_HASH, PII_OP_ENCRYPT, PII_OP_FPE,
                                 PII_OP_GENERALIZE, PII_OP_KEEP, PII_OP_HASH};
    for (size_t i = 0; i < 7; i++) {
        cr_assert_eq(pii_op_parse(names[i], &op, err, sizeof err), 0, "%s", names[i]);
        cr_expect_eq(op.kind, kinds[i]);
    }
}

Test(ops, parse_errors)
{
    pii_op op;
    const char *bad[] = {
        "",  "masked", "mask:", "mask:keep_first", "mask:keep_first=x", "mask:keep_first=-1",
        "mask:keep_first=3,", "mask:char=##", "mask:char= ", "mask:decimals=2", "hash:x=1",
        "encrypt:key=1", "replace:txt=a", "generalize:decimals=9", "generalize:keep_first=1",
        "keep:", "fpe:radix=10",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        cr_expect_eq(pii_op_parse(bad[i], &op, err, sizeof err), -1, "accepted '%s'", bad[i]);
        cr_expect(err[0] != '\0', "no message for '%s'", bad[i]);
    }
    cr_expect_eq(pii_op_parse(NULL, &op, err, sizeof err), -1);
    pii_op_parse("frobnicate", &op, err, sizeof err);
    cr_expect(strstr(err, "frobnicate") && strstr(err, "mask"), "%s", err);
}

Test(ops, static_facts)
{
    cr_expect_str_eq(pii_op_name(PII_OP_FPE), "fpe");
    cr_expect_null(pii_op_name((pii_op_kind)42));
    cr_expect(pii_op_needs_key(PII_OP_HASH) && pii_op_needs_key(PII_OP_ENCRYPT)
              && pii_op_needs_key(PII_OP_FPE));
    cr_expect(!pii_op_needs_key(PII_OP_MASK) && !pii_op_needs_key(PII_OP_GENERALIZE));
    cr_expect(pii_op_reversible(PII_OP_ENCRYPT) && pii_op_reversible(PII_OP_FPE));
    cr_expect(!pii_op_reversible(PII_OP_HASH) && !pii_op_reversible(PII_OP_MASK));
    cr_expect_str_eq(pii_op_class(PII_OP_REPLACE, PIISCAN_CN_MOBILE), "anonymizing");
    cr_expect_str_eq(pii_op_class(PII_OP_HASH, PIISCAN_EMAIL), "de-identifying");
    cr_expect_str_eq(pii_op_class(PII_OP_FPE, PIISCAN_EMAIL), "de-identifying");
    cr_expect_str_eq(pii_op_class(PII_OP_MASK, PIISCAN_CN_MOBILE), "de-identifying");
    cr_expect_str_eq(pii_op_class(PII_OP_MASK, PIISCAN_CN_RESIDENT_ID), "anonymizing");
    cr_expect_str_eq(pii_op_class(PII_OP_GENERALIZE, PIISCAN_GPS), "anonymizing");
    cr_expect_str_eq(pii_op_class(PII_OP_KEEP, PIISCAN_GPS), "none");
}

/* ---- keys ---------------------------------------------------------------- */

Test(ops, keyring_derivation)
{
    pii_keyring a, b;
    const unsigned char m1[16] = "0123456789abcdef", m2[16] = "0123456789abcdeg";
    cr_assert_eq(pii_keyring_init(&a, m1, 16), 0);
    cr_assert_eq(pii_keyring_init(&b, m1, 16), 0);
    cr_expect_arr_eq(&a, &b, sizeof a, "not deterministic");
    cr_expect(memcmp(a.k_hash, a.k_fpe, 32) != 0, "purposes share a key");
    cr_expect(memcmp(a.k_hash, a.k_siv, 32) != 0);
    cr_assert_eq(pii_keyring_init(&b, m2, 16), 0);
    cr_expect(memcmp(a.k_hash, b.k_hash, 32) != 0);
    cr_expect_eq(pii_keyring_init(&b, m1, 15), -1, "short master key accepted");
    pii_keyring_wipe(&a);
    const pii_keyring zero = {0};
    cr_expect_arr_eq(&a, &zero, sizeof a);
}

Test(ops, keyed_operators_need_a_key)
{
    pii_op op;
    uint8_t out[256];
    const char *v = "13812345678";
    const pii_op_kind keyed[] = {PII_OP_HASH, PII_OP_ENCRYPT, PII_OP_FPE};
    for (int i = 0; i < 3; i++) {
        pii_op_default(&op, keyed[i]);
        err[0] = '\0';
        cr_expect_eq(pii_op_apply(&op, PIISCAN_CN_MOBILE, (const uint8_t *)v, 11, NULL, out,
                                  sizeof out, err, sizeof err), -1);
        cr_expect(strstr(err, "key") != NULL, "%s", err);
    }
    pii_op_default(&op, PII_OP_MASK);
    cr_expect_eq(pii_op_apply(&op, PIISCAN_CN_MOBILE, (const uint8_t *)v, 11, NULL, out,
                              sizeof out, err, sizeof err), 11);
    pii_op_default(&op, PII_OP_HASH);
    cr_expect_eq(pii_op_reveal(&op, PIISCAN_CN_MOBILE, (const uint8_t *)v, 11, &kr, out,
                               sizeof out, err, sizeof err), -1, "hash is not reversible");
}

/* ---- mask ---------------------------------------------------------------- */

Test(ops, mask_defaults)
{
    MASK(PIISCAN_CN_MOBILE, "13812345678", "138****5678");
    MASK(PIISCAN_CN_MOBILE, "+86 138-1234-5678", "+86 138-****-5678");
    MASK(PIISCAN_CN_MOBILE, "0086-13912345678", "0086-139****5678");
    MASK(PIISCAN_CN_MOBILE, "１３８１２３４５６７８", "１３８＊＊＊＊５６７８");
    MASK(PIISCAN_CN_LANDLINE, "010-62345678", "010-******78");
    MASK(PIISCAN_CN_LANDLINE, "0755-86013388", "0755-******88");
    MASK(PIISCAN_CN_LANDLINE, "(021)62345678", "(021)******78");
    MASK(PIISCAN_CN_RESIDENT_ID, "11010519491231002X", "1****************X");
    MASK(PIISCAN_BANK_CARD, "6200000000000005", "620000******0005");
    MASK(PIISCAN_BANK_CARD, "4111 1111 1111 1111", "4111 11** **** 1111");
    MASK(PIISCAN_BANK_CARD, "378282246310005", "378282******005"); /* 15: 6 + 3 */
    MASK(PIISCAN_BANK_CARD, "6205500000000000004", "620550*********0004");
    MASK(PIISCAN_IMEI, "35-209900-176148-1", "35-209900-******-*");
    MASK(PIISCAN_IMSI, "460001234567890", "46000**********");
    MASK(PIISCAN_ICCID, "89860112345678901237", "898601**************");
    MASK(PIISCAN_MAC, "d0:50:99:84:a2:a0", "d0:50:99:**:**:**");
    MASK(PIISCAN_MAC, "D0-50-99-84-A2-A0", "D0-50-99-**-**-**");
    MASK(PIISCAN_IDFA, "6655C2D7-B181-457B-A58A-BF8E9EDF41D8",
         "6655****-****-****-****-************");
    MASK(PIISCAN_ANDROID_ID, "9774d56d682e549c", "9774************");
    MASK(PIISCAN_CN_PASSPORT, "E12345678", "E********");
    MASK(PIISCAN_HKID, "A123456(3)", "A******(*)");
    MASK(PIISCAN_TW_ID, "A123456789", "A*********");
    MASK(PIISCAN_EMAIL, "zhang.san@example.com", "z***@example.com");
    MASK(PIISCAN_IPV4, "192.168.10.20", "192.168.**.**");
    MASK(PIISCAN_IPV6, "2001:db8::8a2e:370:7334", "2001:db8::****:***:****");
    MASK(PIISCAN_IPV6, "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
         "2001:0db8:85a3:****:****:****:****:****");
    MASK(PIISCAN_IPV6, "fe80::1ff:fe23:4567:890a%eth0", "fe80::***:****:****:****%eth0");
    MASK(PIISCAN_GPS, "39.984154,116.307490", "39.98****,116.30****");
    MASK(PIISCAN_GPS, "lat=39.9841", "lat=39.98**");
    MASK(PIISCAN_BIRTH_DATE, "1990-03-07", "1990-**-**");
    MASK(PIISCAN_BIRTH_DATE, "1990年3月7日", "1990年*月*日");
    MASK(PIISCAN_BIRTH_DATE, "19900307", "1990****");
    MASK(PIISCAN_PERSON_NAME, "张三丰", "张＊＊");
    MASK(PIISCAN_CN_ADDRESS, "广东省深圳市南山区科技园1号", "广东省深圳市＊＊＊＊＊＊*＊");
}

Test(ops, mask_options_and_short_values)
{
    cr_expect_str_eq(apply_spec("mask:keep_first=0,keep_last=2,char=#", PIISCAN_CN_MOBILE,
                                "13812345678"), "#########78");
    cr_expect_str_eq(apply_spec("mask:char=X", PIISCAN_CN_MOBILE, "138 1234 5678"),
                     "138 XXXX 5678");
    /* Asking to keep everything still hides everything rather than nothing. */
    cr_expect_str_eq(apply_spec("mask:keep_first=20", PIISCAN_CN_MOBILE, "13812345678"),
                     "***********");
    /* Too short for the style: all masked. */
    MASK(PIISCAN_CN_MOBILE, "1381234", "*******");
    MASK(PIISCAN_EMAIL, "@example.com", "***@example.com");
}

/* ---- replace, keep -------------------------------------------------------- */

Test(ops, replace_and_keep)
{
    cr_expect_str_eq(apply_spec("replace", PIISCAN_CN_MOBILE, "13812345678"), "[CN_MOBILE]");
    cr_expect_str_eq(apply_spec("replace:text=<REDACTED>", PIISCAN_EMAIL, "a@b.cn"),
                     "<REDACTED>");
    cr_expect_str_eq(apply_spec("replace:text=", PIISCAN_EMAIL, "a@b.cn"), "");
    cr_expect_str_eq(apply_spec("keep", PIISCAN_EMAIL, "a@b.cn"), "a@b.cn");
    pii_op op;
    pii_op_default(&op, PII_OP_REPLACE);
    uint8_t out[4];
    cr_expect_eq(pii_op_apply(&op, PIISCAN_CN_MOBILE, (const uint8_t *)"1", 1, NULL, out,
                              sizeof out, err, sizeof err), -1, "overflow not detected");
}

/* ---- generalize ----------------------------------------------------------- */

#define GEN(spec, t, v, want) cr_expect_str_eq(apply_spec(spec, t, v), want, "%s", v)

Test(ops, generalize_formats)
{
    GEN("generalize", PIISCAN_GPS, "39.984154,116.307490", "39.98,116.31");
    GEN("generalize", PIISCAN_GPS, "114.697924, 23.746066", "114.70, 23.75");
    GEN("generalize:decimals=3", PIISCAN_GPS, "lat=39.9841", "lat=39.984");
    GEN("generalize:decimals=0", PIISCAN_GPS, "39.5,116.4", "40,116");
    GEN("generalize", PIISCAN_GPS, "-33.996,151.2", "-34.00,151.2");
    GEN("generalize", PIISCAN_GPS, "-0.001,99.999", "0.00,100.00");
    GEN("generalize", PIISCAN_IPV4, "198.51.100.23", "198.51.100.0");
    GEN("generalize", PIISCAN_IPV6, "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        "2001:db8:85a3::");
    GEN("generalize", PIISCAN_IPV6, "fe80::1ff:fe23:4567:890a%eth0", "fe80::");
    GEN("generalize", PIISCAN_BIRTH_DATE, "1990年3月7日", "1990");
    GEN("generalize", PIISCAN_BIRTH_DATE, "19900307", "1990");
    GEN("generalize", PIISCAN_CN_RESIDENT_ID, "11010519491231002X", "110105-1949");
    GEN("generalize", PIISCAN_CN_RESIDENT_ID, "110105491231002", "110105-1949");
    cr_expect_null(apply_spec("generalize", PIISCAN_CN_MOBILE, "13812345678"));
    cr_expect(strstr(err, "generalize is not defined") != NULL, "%s", err);
    cr_expect_null(apply_spec("generalize", PIISCAN_IPV4, "not.an.ip"));
}

/* ---- hash ------------------------------------------------------------------ */

Test(ops, hash_normalises_and_separates_types)
{
    char a[64], b[64];
    snprintf(a, sizeof a, "%s", apply_spec("hash", PIISCAN_CN_MOBILE, "138-1234-5678"));
    snprintf(b, sizeof b, "%s", apply_spec("hash", PIISCAN_CN_MOBILE, "+86 13812345678"));
    cr_expect_str_eq(a, b);
    cr_expect_str_eq(apply_spec("hash", PIISCAN_CN_MOBILE, "１３８１２３４５６７８"), a);
    cr_expect_str_eq(apply_spec("hash", PIISCAN_CN_MOBILE, "0086 138 1234 5678"), a);
    cr_expect_eq(strlen(a), strlen("CN_MOBILE_") + 20);
    cr_expect_eq(strncmp(a, "CN_MOBILE_", 10), 0);
    cr_expect_eq(strspn(a + 10, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 20);
    cr_expect_str_neq(apply_spec("hash", PIISCAN_CN_MOBILE, "13812345679"), a);
    /* Same digits, other type: other token (not just another prefix). */
    const char *imei = apply_spec("hash", PIISCAN_IMSI, "13812345678");
    cr_expect_str_neq(imei + 5, a + 10);
    /* Another key, another token. */
    pii_keyring other;
    const unsigned char m[16] = "another key 1234";
    pii_keyring_init(&other, m, 16);
    pii_op op;
    pii_op_default(&op, PII_OP_HASH);
    uint8_t out[64];
    ssize_t r = pii_op_apply(&op, PIISCAN_CN_MOBILE, (const uint8_t *)"13812345678", 11,
                             &other, out, sizeof out, err, sizeof err);
    cr_assert_eq(r, 30);
    cr_expect(memcmp(out, a, 30) != 0);
}

/* ---- encrypt ---------------------------------------------------------------- */

Test(ops, encrypt_round_trip_and_tokens)
{
    const char *vals[] = {"+86 138-1234-5678", "１３８１２３４５６７８", "x", "zhang.san@example.com"};
    const piiscan_type types[] = {PIISCAN_CN_MOBILE, PIISCAN_CN_MOBILE, PIISCAN_EMAIL,
                                  PIISCAN_EMAIL};
    for (int i = 0; i < 4; i++) {
        char tok[512];
        snprintf(tok, sizeof tok, "%s", apply_spec("encrypt", types[i], vals[i]));
        const char *name = piiscan_type_name(types[i]);
        cr_expect_eq(strncmp(tok, name, strlen(name)), 0);
        cr_expect_eq(strncmp(tok + strlen(name), "_ENC_", 5), 0, "%s", tok);
        cr_expect_str_eq(apply_spec("encrypt", types[i], vals[i]), tok, "not deterministic");
        cr_expect_str_eq(reveal_spec("encrypt", types[i], tok), vals[i]);
        /* Scanning finds exactly the token inside text. */
        char text[640];
        snprintf(text, sizeof text, "tel=%s, ok", tok);
        size_t lo, hi;
        piiscan_type t;
        cr_assert_eq(pii_token_next((const uint8_t *)text, strlen(text), 0, &lo, &hi, &t), 1);
        cr_expect_eq(lo, 4);
        cr_expect_eq(hi, 4 + strlen(tok));
        cr_expect_eq(t, types[i]);
        cr_expect_eq(pii_token_next((const uint8_t *)text, strlen(text), lo + 1, &lo, &hi, &t), 0);
        /* Relabelled or tampered tokens do not decrypt. */
        cr_expect_null(reveal_spec("encrypt", PIISCAN_CN_LANDLINE, tok));
        char bad[512];
        snprintf(bad, sizeof bad, "%s", tok);
        size_t last = strlen(bad) - 3;
        bad[last] = bad[last] == 'A' ? 'B' : 'A';
        cr_expect_null(reveal_spec("encrypt", types[i], bad));
    }
}

Test(ops, token_scanning_edges)
{
    char tok[256], text[512];
    snprintf(tok, sizeof tok, "%s", apply_spec("encrypt", PIISCAN_IPV4, "10.1.2.3"));
    size_t lo, hi;
    piiscan_type t;
    /* Glued to a preceding word: not a token start. */
    snprintf(text, sizeof text, "X%s", tok);
    cr_expect_eq(pii_token_next((const uint8_t *)text, strlen(text), 0, &lo, &hi, &t), 0);
    /* A hash token is not an encrypt token. */
    const char *h = apply_spec("hash", PIISCAN_IPV4, "10.1.2.3");
    cr_expect_eq(pii_token_next((const uint8_t *)h, strlen(h), 0, &lo, &hi, &t), 0);
    /* Upper-case text running on after the token: the keyed scan finds the
     * real end, the plain scan cannot. */
    snprintf(text, sizeof text, "ip:%sABC def", tok);
    cr_assert_eq(pii_token_next((const uint8_t *)text, strlen(text), 0, &lo, &hi, &t), 1);
    cr_expect_eq(hi, 3 + strlen(tok) + 3);
    uint8_t plain[64];
    size_t pl = 0;
    cr_assert_eq(pii_token_next_keyed(&kr, (const uint8_t *)text, strlen(text), 0, &lo, &hi, &t, plain,
                                      sizeof plain, &pl), 1);
    cr_expect_eq(lo, 3);
    cr_expect_eq(hi, 3 + strlen(tok));
    cr_expect_eq(t, PIISCAN_IPV4);
    cr_expect_eq(pl, 8);
    cr_expect_arr_eq(plain, "10.1.2.3", 8);
    /* The same with no room for the value: no length authenticates. */
    cr_expect_eq(pii_token_next_keyed(&kr, (const uint8_t *)text, strlen(text), 0, &lo, &hi, &t, plain, 7, &pl), 0);
    /* Two tokens in a row. */
    snprintf(text, sizeof text, "%s %s", tok, tok);
    cr_assert_eq(pii_token_next((const uint8_t *)text, strlen(text), 0, &lo, &hi, &t), 1);
    cr_assert_eq(pii_token_next((const uint8_t *)text, strlen(text), hi, &lo, &hi, &t), 1);
    cr_expect_eq(lo, strlen(tok) + 1);
    /* Too short a body. */
    const char *shorty = "CN_MOBILE_ENC_ABCDEFG";
    cr_expect_eq(pii_token_next((const uint8_t *)shorty, strlen(shorty), 0, &lo, &hi, &t), 0);
}

/* Every type's token is found with its type, after text and after a
 * separator; a word that is only part of a type name ("EMAI", "N_MOBILE")
 * or runs on into one ("XEMAIL") starts no token. */
Test(ops, every_type_token_found_by_its_name)
{
    char tok[256], text[512];
    size_t lo, hi;
    piiscan_type t;
    for (int k = 0; k < PIISCAN_TYPE_COUNT; k++) {
        const char *enc = apply_spec("encrypt", (piiscan_type)k, "value 42");
        cr_assert_not_null(enc);
        snprintf(tok, sizeof tok, "%s", enc);
        snprintf(text, sizeof text, "id=%s;", tok);
        cr_assert_eq(pii_token_next((const uint8_t *)text, strlen(text), 0, &lo, &hi, &t), 1, "%s", tok);
        cr_expect_eq(lo, 3);
        cr_expect_eq(hi, 3 + strlen(tok));
        cr_expect_eq(t, (piiscan_type)k);
    }
    const char *body = strstr(apply_spec("encrypt", PIISCAN_EMAIL, "a@b.cn"), "_ENC_");
    static const char *const fakes[] = {"EMAI", "MAIL", "XEMAIL", "N_MOBILE", "CN_MOBILEX"};
    for (size_t i = 0; i < sizeof fakes / sizeof fakes[0]; i++) {
        snprintf(text, sizeof text, " %s%s", fakes[i], body);
        cr_expect_eq(pii_token_next((const uint8_t *)text, strlen(text), 0, &lo, &hi, &t), 0, "%s", fakes[i]);
    }
}

/* ---- FPE: fixed examples ---------------------------------------------------- */

/* Non-symbol bytes unchanged, symbol widths unchanged (so length too). */
static void expect_same_shape(const char *in, const char *out)
{
    pii_sym a[PII_SYM_MAX], b[PII_SYM_MAX];
    size_t na = pii_syms((const uint8_t *)in, strlen(in), a, PII_SYM_MAX);
    size_t nb = pii_syms((const uint8_t *)out, strlen(out), b, PII_SYM_MAX);
    cr_assert_eq(strlen(in), strlen(out), "%s -> %s", in, out);
    cr_assert_eq(na, nb, "%s -> %s", in, out);
    size_t k = 0;
    for (size_t i = 0; i < strlen(in);) {
        if (k < na && a[k].off == i) {
            cr_assert_eq(b[k].off, a[k].off, "%s -> %s", in, out);
            cr_assert_eq(b[k].width, a[k].width, "%s -> %s", in, out);
            i += a[k++].width;
        } else {
            cr_assert_eq(in[i], out[i], "separator changed: %s -> %s", in, out);
            i++;
        }
    }
}

/* inet_pton, and the IPv4 first octets the detector never reports. */
static bool ip_valid(piiscan_type t, const char *v)
{
    unsigned char bin[16];
    char a[64];
    snprintf(a, sizeof a, "%.*s", (int)strcspn(v, "%"), v);
    if (t == PIISCAN_IPV6)
        return inet_pton(AF_INET6, a, bin) == 1;
    return inet_pton(AF_INET, a, bin) == 1 && bin[0] != 0 && bin[0] != 127 && bin[0] < 224;
}

static bool valid(piiscan_type t, const char *v)
{
    if (t == PIISCAN_IPV4 || t == PIISCAN_IPV6)
        return ip_valid(t, v);
    char norm[256];
    size_t n = pii_normalize(t, (const uint8_t *)v, strlen(v), norm, sizeof norm);
    bool luhn;
    switch (t) {
    case PIISCAN_CN_MOBILE:
        return n == 11 && pii_cn_mobile_ok(norm);
    case PIISCAN_CN_LANDLINE:
        return pii_cn_landline_ok(norm, n);
    case PIISCAN_CN_RESIDENT_ID:
        return pii_cn_id_ok(norm, n);
    case PIISCAN_BANK_CARD:
        return pii_card_brand_of(norm, n) != PII_CARD_NONE && pii_luhn_ok(norm, n);
    case PIISCAN_IMEI:
        return n == 15 ? pii_imei_ok(norm) : pii_imeisv_ok(norm);
    case PIISCAN_MEID:
        return pii_meid_ok(norm, n);
    case PIISCAN_IMSI:
        return pii_imsi_cn_ok(norm);
    case PIISCAN_ICCID:
        return pii_iccid_ok(norm, n, &luhn) && (luhn || !pii_all_digits(norm, n));
    case PIISCAN_HKID:
        return pii_hkid_ok(norm, n);
    case PIISCAN_TW_ID:
        return pii_twid_ok(norm, n);
    case PIISCAN_CN_PASSPORT:
        return pii_cn_passport_ok(norm, n);
    case PIISCAN_HK_MACAU_PERMIT:
        return pii_hk_macau_permit_ok(norm, n);
    case PIISCAN_MAC: {
        uint8_t o[6];
        for (int i = 0; i < 6; i++)
            sscanf(norm + 2 * i, "%2hhx", &o[i]);
        return n == 12 && pii_mac_ok(o);
    }
    default:
        return true;
    }
}

/* FPE, then: valid, same shape, prefix kept, differs, reveal restores. */
static void fpe_check(piiscan_type t, const char *v, size_t keep_bytes)
{
    char out[512];
    const char *r = apply_spec("fpe", t, v);
    cr_assert_not_null(r, "fpe %s %s: %s", piiscan_type_name(t), v, err);
    snprintf(out, sizeof out, "%s", r);
    cr_assert(valid(t, out), "%s: %s -> %s fails the validator", piiscan_type_name(t), v, out);
    expect_same_shape(v, out);
    cr_assert_eq(memcmp(v, out, keep_bytes), 0, "prefix lost: %s -> %s", v, out);
    const char *back = reveal_spec("fpe", t, out);
    cr_assert_not_null(back, "reveal %s: %s", out, err);
    cr_assert_str_eq(back, v, "%s -> %s -> %s", v, out, back);
    /* Two letters and seven digits is also an HKID's shape: a pseudonym
     * that became a valid HKID would be found as one, and reveal would
     * undo the wrong operator (op_fpe.c, plan_document). */
    if (t == PIISCAN_CN_PASSPORT || t == PIISCAN_HK_MACAU_PERMIT)
        cr_assert_eq(pii_hkid_ok(out, strlen(out)), pii_hkid_ok(v, strlen(v)),
                     "%s: %s -> %s changes whether it is a valid HKID", piiscan_type_name(t), v, out);
}

Test(ops, fpe_examples)
{
    fpe_check(PIISCAN_CN_MOBILE, "13812345678", 3);
    fpe_check(PIISCAN_CN_MOBILE, "+86 138 1234 5678", 7);
    fpe_check(PIISCAN_CN_MOBILE, "(+86)15012345678", 8);
    fpe_check(PIISCAN_CN_MOBILE, "0086-13912345678", 8);
    fpe_check(PIISCAN_CN_MOBILE, "１３８１２３４５６７８", 9);
    fpe_check(PIISCAN_CN_MOBILE, "17401234567", 3);
    fpe_check(PIISCAN_CN_LANDLINE, "010-62345678", 4);
    fpe_check(PIISCAN_CN_LANDLINE, "(021)62345678", 5);
    fpe_check(PIISCAN_CN_LANDLINE, "0755-86013388", 5);
    fpe_check(PIISCAN_CN_LANDLINE, "+86 10 6234 5678", 6);
    fpe_check(PIISCAN_CN_RESIDENT_ID, "11010519491231002X", 0);
    fpe_check(PIISCAN_CN_RESIDENT_ID, "110105491231002", 0);
    fpe_check(PIISCAN_BANK_CARD, "6200000000000005", 6);
    fpe_check(PIISCAN_BANK_CARD, "4111 1111 1111 1111", 7);
    fpe_check(PIISCAN_BANK_CARD, "378282246310005", 6);
    fpe_check(PIISCAN_IMEI, "490154203237518", 8);
    fpe_check(PIISCAN_IMEI, "35-209900-176148-1", 9);
    fpe_check(PIISCAN_IMEI, "3520990017614823", 8);
    fpe_check(PIISCAN_MEID, "A1000049F2C3D4", 8);
    fpe_check(PIISCAN_IMSI, "460001234567890", 5);
    fpe_check(PIISCAN_ICCID, "89860112345678901237", 6);
    fpe_check(PIISCAN_ICCID, "89860012345678901B2C", 6);
    fpe_check(PIISCAN_MAC, "d0:50:99:84:a2:a0", 9);
    fpe_check(PIISCAN_MAC, "D0-50-99-84-A2-A0", 9);
    fpe_check(PIISCAN_MAC, "d050.9984.a2a0", 7);
    fpe_check(PIISCAN_IDFA, "6655C2D7-B181-457B-A58A-BF8E9EDF41D8", 0);
    fpe_check(PIISCAN_GAID, "38400000-8cf0-11bd-b23e-10b96e40000d", 0);
    fpe_check(PIISCAN_ANDROID_ID, "9774d56d682e549c", 0);
    fpe_check(PIISCAN_OAID, "214b7f61e4a94a4d8c5e25b52b95d3c70e5e7c2f8b1a6d9e3f0c4b7a2d5e8f16", 0);
    fpe_check(PIISCAN_CN_PASSPORT, "E12345678", 1);
    fpe_check(PIISCAN_CN_PASSPORT, "EA1234567", 2);
    fpe_check(PIISCAN_HK_MACAU_PERMIT, "C12345678", 1);
    fpe_check(PIISCAN_HK_MACAU_PERMIT, "CR2804591", 2);
    fpe_check(PIISCAN_HK_MACAU_PERMIT, "H1234567801", 1);
    fpe_check(PIISCAN_HKID, "A123456(3)", 1);
    fpe_check(PIISCAN_HKID, "C668668(9)", 1);
    fpe_check(PIISCAN_HKID, "G123456A", 1);
    fpe_check(PIISCAN_TW_ID, "A123456789", 2);
    fpe_check(PIISCAN_TW_ID, "F131104093", 2);
    fpe_check(PIISCAN_EMAIL, "zhang.san@example.com", 0);
    fpe_check(PIISCAN_EMAIL, "li_si+tag@mail.example.cn", 0);
    fpe_check(PIISCAN_IPV4, "203.0.113.7", 0);
    fpe_check(PIISCAN_IPV4, "10.20.31.222", 0);
    fpe_check(PIISCAN_IPV6, "2001:db8::8a2e:370:7334", 9);
    fpe_check(PIISCAN_IPV6, "fe80::1ff:fe23:4567:890a%eth0", 6);
    fpe_check(PIISCAN_IPV6, "240e:03b4:c0b7:0c34:0000:0000:0000:0561", 20);
    fpe_check(PIISCAN_IPV6, "2001:DB8:85A3:0:0:8A2E:370:7334", 16);
    fpe_check(PIISCAN_IPV6, "2001:db8:1:2:abcd::1234", 13);
    fpe_check(PIISCAN_IPV6, "::a:b:c:de", 2); /* 5 digits: 16^5 - 1 values */
}

/* The two spellings the old FPE could not give back. */
Test(ops, fpe_ip_exact_shape)
{
    const char *v4 = "10.20.31.222";
    const char *o = apply_spec("fpe", PIISCAN_IPV4, v4);
    cr_assert_not_null(o, "%s", err);
    cr_expect_eq(strlen(o), strlen(v4), "%s", o);
    cr_expect(o[2] == '.' && o[5] == '.' && o[8] == '.', "%s", o);
    cr_expect_str_neq(o, v4);
    const char *v6 = "240e:03b4:c0b7:0c34:0000:0000:0000:0561";
    o = apply_spec("fpe", PIISCAN_IPV6, v6);
    cr_assert_not_null(o, "%s", err);
    cr_expect_eq(strlen(o), strlen(v6), "%s", o);
    cr_expect_eq(strncmp(o, v6, 20), 0, "prefix lost: %s", o);
    cr_expect_str_neq(o, v6);
    char out[64];
    snprintf(out, sizeof out, "%s", o);
    cr_expect_str_eq(reveal_spec("fpe", PIISCAN_IPV6, out), v6);
    /* Upper-case groups stay upper case, lower-case ones lower case. */
    o = apply_spec("fpe", PIISCAN_IPV6, "2001:db8::ABCD:EF01:abcd:ef01");
    cr_assert_not_null(o, "%s", err);
    for (int i = 10; i < 20; i++)
        cr_expect(!(o[i] >= 'a' && o[i] <= 'z'), "%s", o);
    for (int i = 20; i < 29; i++)
        cr_expect(!(o[i] >= 'A' && o[i] <= 'Z'), "%s", o);
    /* Groups without letters follow the prefix's case. */
    o = apply_spec("fpe", PIISCAN_IPV6, "2001:DB8::8A2E:370:7334");
    cr_assert_not_null(o, "%s", err);
    for (const char *c = o; *c; c++)
        cr_expect(!(*c >= 'a' && *c <= 'z'), "%s", o);
    o = apply_spec("fpe", PIISCAN_IPV6, "2001:db8::8a2e:370:7334");
    for (const char *c = o; *c; c++)
        cr_expect(!(*c >= 'A' && *c <= 'Z'), "%s", o);
}

Test(ops, fpe_ip_deterministic)
{
    static const struct {
        piiscan_type t;
        const char *v;
    } cases[] = {
        {PIISCAN_IPV4, "198.51.100.23"},
        {PIISCAN_IPV4, "8.88.8.188"},
        {PIISCAN_IPV6, "2001:db8::8a2e:370:7334"},
        {PIISCAN_IPV6, "FE80::1FF:FE23:4567:890A%eth0"},
    };
    const unsigned char other[32] = "another master key, 32 bytes...";
    pii_keyring kr2;
    cr_assert_eq(pii_keyring_init(&kr2, other, sizeof other), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char a[64], b[64];
        snprintf(a, sizeof a, "%s", apply_spec("fpe", cases[i].t, cases[i].v));
        snprintf(b, sizeof b, "%s", apply_spec("fpe", cases[i].t, cases[i].v));
        cr_expect_str_eq(a, b, "not deterministic: %s", cases[i].v);
        pii_op op;
        pii_op_default(&op, PII_OP_FPE);
        ssize_t r = pii_op_apply(&op, cases[i].t, (const uint8_t *)cases[i].v,
                                 strlen(cases[i].v), &kr2, (uint8_t *)b, sizeof b - 1, err,
                                 sizeof err);
        cr_assert_geq(r, 0, "%s", err);
        b[r] = '\0';
        cr_expect_str_neq(a, b, "key ignored: %s", cases[i].v);
    }
    pii_keyring_wipe(&kr2);
}

/* Refused with a message containing want, both ways. */
static void ip_refused(piiscan_type t, const char *v, const char *want)
{
    cr_expect_null(apply_spec("fpe", t, v), "%s accepted", v);
    cr_expect(strstr(err, want) != NULL, "%s: %s", v, err);
    cr_expect_null(reveal_spec("fpe", t, v), "%s revealed", v);
    cr_expect(strstr(err, want) != NULL, "%s: %s", v, err);
}

Test(ops, fpe_ip_refusals)
{
    ip_refused(PIISCAN_IPV4, "1.2.3.4", "10^6");      /* 9 * 10^3 values */
    ip_refused(PIISCAN_IPV4, "1.1.1.123", "10^6");    /* 140400 */
    cr_expect_not_null(apply_spec("fpe", PIISCAN_IPV4, "1.1.12.123")); /* 1263600 */
    ip_refused(PIISCAN_IPV4, "010.20.30.40", "leading zero");
    ip_refused(PIISCAN_IPV4, "10.20.30.00", "leading zero");
    ip_refused(PIISCAN_IPV4, "127.10.20.30", "not a valid IPV4");
    ip_refused(PIISCAN_IPV4, "0.10.20.30", "not a valid IPV4");
    ip_refused(PIISCAN_IPV4, "224.10.20.30", "not a valid IPV4");
    ip_refused(PIISCAN_IPV4, "255.255.255.255", "not a valid IPV4");
    ip_refused(PIISCAN_IPV4, "10.20.30.256", "not a valid IPV4");
    ip_refused(PIISCAN_IPV4, "10.20.30", "not a valid IPV4");
    ip_refused(PIISCAN_IPV4, "10.20.30.40.50", "not a valid IPV4");
    ip_refused(PIISCAN_IPV4, "10.20.30.4000", "not a valid IPV4");
    ip_refused(PIISCAN_IPV6, "::ffff:10.20.30.40", "IPv4");
    ip_refused(PIISCAN_IPV6, "64:ff9b::192.0.2.33", "IPv4");
    ip_refused(PIISCAN_IPV6, "fe80::1:2", "10^6");
    ip_refused(PIISCAN_IPV6, "fe80::12:34", "10^6");
    ip_refused(PIISCAN_IPV6, "2001:db8:1:2:3::4", "10^6"); /* "::" inside the IID */
    ip_refused(PIISCAN_IPV6, "::a:b:c:d", "10^6");
    /* Upper-case groups must keep a letter: 6^3 * 156 values. */
    ip_refused(PIISCAN_IPV6, "::A:B:C:DE", "10^6");
    ip_refused(PIISCAN_IPV6, "2001:db8::A:B:C:DE", "10^6");
    cr_expect_not_null(apply_spec("fpe", PIISCAN_IPV6, "2001:DB8::A:B:C:DE"), "%s", err);
    ip_refused(PIISCAN_IPV6, "2001:db8::aBcd:1234:5678", "case");
    ip_refused(PIISCAN_IPV6, "2001:db8:1:2:00:000:0:0", "not a valid IPV6");
    ip_refused(PIISCAN_IPV6, "2001:db8:1:2:0000:0000:0000:0000", "not a valid IPV6");
    ip_refused(PIISCAN_IPV6, "2001:db8::1::2345", "not a valid IPV6");
    ip_refused(PIISCAN_IPV6, "2001:db8:1:2:3:4:5:6:7", "not a valid IPV6");
    ip_refused(PIISCAN_IPV6, "2001:db8:1:2:3:4:5", "not a valid IPV6");
    ip_refused(PIISCAN_IPV6, "2001:db8::12345", "not a valid IPV6");
    ip_refused(PIISCAN_IPV6, "2001:db8::g123:4567", "not a valid IPV6");
}

Test(ops, fpe_details)
{
    /* UUID version and variant nibbles stay. */
    const char *u = apply_spec("fpe", PIISCAN_GAID, "cdda802e-fb9c-47ad-9866-0794d394c912");
    cr_assert_not_null(u);
    cr_expect_eq(u[14], '4');
    cr_expect_eq(u[19], '9');
    /* Upper-case hex stays upper case. */
    u = apply_spec("fpe", PIISCAN_IDFA, "6655C2D7-B181-457B-A58A-BF8E9EDF41D8");
    for (const char *p = u; *p; p++)
        cr_expect(!(*p >= 'a' && *p <= 'z'), "%s", u);
    /* The zone of an IPv6 address stays, the /64 prefix stays. */
    u = apply_spec("fpe", PIISCAN_IPV6, "fe80::1ff:fe23:4567:890a%eth0");
    cr_expect_eq(strncmp(u, "fe80::", 6), 0, "%s", u);
    cr_expect(strstr(u, "%eth0") != NULL);
    /* Different prefixes, same tail: different tails out (prefix in tweak). */
    char a[32];
    snprintf(a, sizeof a, "%s", apply_spec("fpe", PIISCAN_CN_MOBILE, "13812345678"));
    const char *b = apply_spec("fpe", PIISCAN_CN_MOBILE, "13912345678");
    cr_expect_str_neq(a + 3, b + 3);
    /* A card failing Luhn still round-trips (its error offset is kept). */
    const char *bad = "6217000000000000005";
    char o[32];
    snprintf(o, sizeof o, "%s", apply_spec("fpe", PIISCAN_BANK_CARD, bad));
    cr_expect(!pii_luhn_ok(o, strlen(o)));
    cr_expect_str_eq(reveal_spec("fpe", PIISCAN_BANK_CARD, o), bad);
    /* A lower-case x check character stays lower case when it is an X. */
    const char *id = apply_spec("fpe", PIISCAN_CN_RESIDENT_ID, "44011320141005001x");
    cr_assert_not_null(id);
    cr_expect(valid(PIISCAN_CN_RESIDENT_ID, id), "%s", id);
    cr_expect(id[17] != 'X', "%s", id);
}

Test(ops, fpe_refusals)
{
    /* Domain below 10^6 (SP 800-38G Rev. 1): 3 symbols in radix 36. */
    cr_expect_null(apply_spec("fpe", PIISCAN_EMAIL, "abc@example.com"));
    cr_expect(strstr(err, "10^6") != NULL, "%s", err);
    cr_expect_not_null(apply_spec("fpe", PIISCAN_EMAIL, "abcd@example.com"));
    cr_expect_null(apply_spec("fpe", PIISCAN_GPS, "39.984154,116.307490"));
    cr_expect(strstr(err, "generalize") != NULL, "%s", err);
    cr_expect_null(apply_spec("fpe", PIISCAN_BIRTH_DATE, "1990-03-07"));
    cr_expect_null(apply_spec("fpe", PIISCAN_PERSON_NAME, "张三"));
    /* Not valid values of the type. */
    cr_expect_null(apply_spec("fpe", PIISCAN_CN_MOBILE, "12012345678")); /* no such prefix */
    cr_expect(strstr(err, "not a valid CN_MOBILE") != NULL, "%s", err);
    cr_expect_null(apply_spec("fpe", PIISCAN_CN_RESIDENT_ID, "99999919491231002X"));
    cr_expect_null(apply_spec("fpe", PIISCAN_CN_RESIDENT_ID, "11010518491231002X")); /* 1849 */
    cr_expect_null(apply_spec("fpe", PIISCAN_CN_RESIDENT_ID, "110105194902300021"));  /* 30 Feb */
    cr_expect_null(apply_spec("fpe", PIISCAN_IPV4, "127.0.0.1"));
    cr_expect_null(apply_spec("fpe", PIISCAN_MAC, "d0:50:99:84:a2"));
    /* Reveal of something fpe never produced. */
    cr_expect_null(reveal_spec("fpe", PIISCAN_CN_MOBILE, "12012345678"));
}

/* ---- FPE: property tests over generated values ------------------------------ */

#define ROUNDS 1500

static void gen_mobile(char *v, size_t cap)
{
    static const char *const pre[] = {"138", "139", "150", "186", "199", "147", "170", "174"};
    char d[12] = {0};
    do {
        memcpy(d, pre[rn(8)], 3);
        rand_digits(d + 3, 8);
    } while (!pii_cn_mobile_ok(d));
    switch (rn(4)) {
    case 0:
        snprintf(v, cap, "%s", d);
        break;
    case 1:
        snprintf(v, cap, "+86 %.3s %.4s %.4s", d, d + 3, d + 7);
        break;
    case 2:
        snprintf(v, cap, "%.3s-%.4s-%.4s", d, d + 3, d + 7);
        break;
    default: {
        size_t o = 0;
        for (int i = 0; i < 11; i++) {
            pii_fullwidth(d[i], (uint8_t *)v + o);
            o += 3;
        }
        v[o] = '\0';
    }
    }
}

static void gen_landline(char *v, size_t cap)
{
    static const char *const area[] = {"010", "021", "020", "0755", "0571", "0898"};
    const char *a = area[rn(6)];
    char local[9] = {0};
    size_t ll = strlen(a) == 3 || rn(2) ? 8 : 7;
    local[0] = (char)('2' + rn(7));
    rand_digits(local + 1, ll - 1);
    local[ll] = '\0';
    if (rn(3) == 0)
        snprintf(v, cap, "+86 %s %s", a + 1, local);
    else if (rn(2))
        snprintf(v, cap, "(%s)%s", a, local);
    else
        snprintf(v, cap, "%s-%s", a, local);
}

static void gen_cn_id(char *v, size_t cap)
{
    uint32_t region = pii_cn_region_at(rn((unsigned)pii_cn_region_count()));
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool short_form = rn(5) == 0;
    int y = short_form ? 1900 + (int)rn(100) : 1900 + (int)rn(125), m = 1 + (int)rn(12);
    int d = 1 + (int)rn((unsigned)dm[m - 1]);
    char s[64];
    if (short_form) {
        snprintf(s, sizeof s, "%06u%02d%02d%02d%03u", region, y % 100, m, d, rn(1000));
    } else {
        snprintf(s, sizeof s, "%06u%04d%02d%02d%03u", region, y, m, d, rn(1000));
        s[17] = pii_cn_id_check_char(s);
        s[18] = '\0';
    }
    snprintf(v, cap, "%s", s);
}

static void gen_luhn(char *v, size_t cap, const char *prefix, size_t n, bool spaced)
{
    char d[24];
    size_t pl = strlen(prefix);
    memcpy(d, prefix, pl);
    rand_digits(d + pl, n - 1 - pl);
    d[n - 1] = pii_luhn_digit(d, n - 1);
    d[n] = '\0';
    if (spaced && n == 16)
        snprintf(v, cap, "%.4s %.4s %.4s %.4s", d, d + 4, d + 8, d + 12);
    else
        snprintf(v, cap, "%s", d);
}

static void gen_card(char *v, size_t cap)
{
    static const char *const iin[] = {"620000", "622588", "411111", "555555", "356999"};
    const char *p = iin[rn(5)];
    size_t n = p[0] == '6' ? (rn(2) ? 16 : 19) : 16;
    gen_luhn(v, cap, p, n, rn(2));
}

static void gen_imei(char *v, size_t cap)
{
    if (rn(4) == 0) {
        char d[17] = "35209900";
        rand_digits(d + 8, 6);
        memcpy(d + 14, "23", 3);
        snprintf(v, cap, "%s", d);
    } else {
        gen_luhn(v, cap, rn(2) ? "86474303" : "49015420", 15, false);
    }
}

static void gen_meid(char *v, size_t cap)
{
    char s[16] = "A1000049";
    rand_hex(s + 8, 6, true);
    s[14] = '\0';
    snprintf(v, cap, "%s", s);
}

static void gen_imsi(char *v, size_t cap)
{
    char s[16] = "46000";
    s[4] = rn(2) ? '0' : '1';
    rand_digits(s + 5, 10);
    s[15] = '\0';
    snprintf(v, cap, "%s", s);
}

static void gen_iccid(char *v, size_t cap)
{
    if (rn(3) == 0) {
        char s[21] = "898600";
        do
            rand_hex(s + 6, 13, true);
        while (pii_all_digits(s + 6, 13));
        s[19] = 'C';
        s[20] = '\0';
        snprintf(v, cap, "%s", s);
    } else {
        gen_luhn(v, cap, "898601", rn(2) ? 20 : 19, false);
    }
}

static void gen_mac(char *v, size_t cap)
{
    char h[13];
    bool up = rn(2);
    rand_hex(h, 12, up);
    memcpy(h, up ? "D05099" : "d05099", 6);
    if (up)
        snprintf(v, cap, "%.2s-%.2s-%.2s-%.2s-%.2s-%.2s", h, h + 2, h + 4, h + 6, h + 8, h + 10);
    else
        snprintf(v, cap, "%.2s:%.2s:%.2s:%.2s:%.2s:%.2s", h, h + 2, h + 4, h + 6, h + 8, h + 10);
}

static void gen_uuid(char *v, size_t cap)
{
    char h[33];
    bool up = rn(2);
    rand_hex(h, 32, up);
    h[12] = '4';
    h[16] = "89ab"[rn(4)];
    if (up && h[16] > '9')
        h[16] = (char)(h[16] - 32);
    snprintf(v, cap, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

static void gen_android_id(char *v, size_t cap)
{
    char h[17];
    rand_hex(h, 16, false);
    h[16] = '\0';
    snprintf(v, cap, "%s", h);
}

static void gen_passport(char *v, size_t cap)
{
    char d[9];
    rand_digits(d, 8);
    if (rn(2))
        snprintf(v, cap, "E%.8s", d);
    else
        snprintf(v, cap, "E%c%.7s", "ABCDEFGHJKLMNPQRSTUVWXYZ"[rn(24)], d);
}

static void gen_permit(char *v, size_t cap)
{
    char d[11];
    rand_digits(d, 10);
    int form = (int)rn(3);
    if (form == 0)
        snprintf(v, cap, "C%.8s", d);
    else if (form == 1)   /* electronic permits once C0-C9 ran out: CA..CZ */
        snprintf(v, cap, "C%c%.7s", "ABCDEFGHJKLMNPQRSTUVWXYZ"[rn(24)], d);
    else
        snprintf(v, cap, "H%.10s", d);
}

static void gen_hkid(char *v, size_t cap)
{
    char s[10];
    size_t nl = 1 + rn(2);
    for (size_t i = 0; i < nl; i++)
        s[i] = (char)('A' + rn(26));
    rand_digits(s + nl, 6);
    for (char c = '0';; c = c == '9' ? 'A' : (char)(c + 1)) {
        s[nl + 6] = c;
        if (pii_hkid_ok(s, nl + 7))
            break;
    }
    snprintf(v, cap, "%.*s(%c)", (int)(nl + 6), s, s[nl + 6]);
}

static void gen_twid(char *v, size_t cap)
{
    char s[11];
    s[0] = (char)('A' + rn(26));
    s[1] = "1289"[rn(4)];
    rand_digits(s + 2, 8);
    for (s[9] = '0'; !pii_twid_ok(s, 10); s[9]++)
        ;
    s[10] = '\0';
    snprintf(v, cap, "%s", s);
}

static void gen_email(char *v, size_t cap)
{
    static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    char local[32];
    size_t n = 4 + rn(10), o = 0;
    for (size_t i = 0; i < n; i++) {
        local[o++] = al[rn(36)];
        if (i + 1 < n && i > 0 && rn(6) == 0)
            local[o++] = '.';
    }
    local[o] = '\0';
    snprintf(v, cap, "%s@example.com", local);
}

typedef void (*gen_fn)(char *v, size_t cap);

static void property(piiscan_type t, gen_fn gen, size_t keep_bytes)
{
    rng_state = 0x9E3779B97F4A7C15ull ^ (uint64_t)t;
    for (int i = 0; i < ROUNDS; i++) {
        char v[256];
        gen(v, sizeof v);
        cr_assert(valid(t, v), "generator made an invalid %s: %s", piiscan_type_name(t), v);
        fpe_check(t, v, keep_bytes);
        char tok[512];
        snprintf(tok, sizeof tok, "%s", apply_spec("encrypt", t, v));
        cr_assert_str_eq(reveal_spec("encrypt", t, tok), v);
    }
}

Test(ops, property_cn_mobile, .timeout = 120) { property(PIISCAN_CN_MOBILE, gen_mobile, 0); }
Test(ops, property_cn_landline, .timeout = 120) { property(PIISCAN_CN_LANDLINE, gen_landline, 3); }
Test(ops, property_cn_resident_id, .timeout = 120) { property(PIISCAN_CN_RESIDENT_ID, gen_cn_id, 0); }
Test(ops, property_bank_card, .timeout = 120) { property(PIISCAN_BANK_CARD, gen_card, 6); }
Test(ops, property_imei, .timeout = 120) { property(PIISCAN_IMEI, gen_imei, 8); }
Test(ops, property_meid, .timeout = 120) { property(PIISCAN_MEID, gen_meid, 8); }
Test(ops, property_imsi, .timeout = 120) { property(PIISCAN_IMSI, gen_imsi, 5); }
Test(ops, property_iccid, .timeout = 120) { property(PIISCAN_ICCID, gen_iccid, 6); }
Test(ops, property_mac, .timeout = 120) { property(PIISCAN_MAC, gen_mac, 9); }
Test(ops, property_uuid, .timeout = 120) { property(PIISCAN_IDFA, gen_uuid, 0); }
Test(ops, property_android_id, .timeout = 120) { property(PIISCAN_ANDROID_ID, gen_android_id, 0); }
Test(ops, property_passport, .timeout = 120) { property(PIISCAN_CN_PASSPORT, gen_passport, 1); }
Test(ops, property_permit, .timeout = 120) { property(PIISCAN_HK_MACAU_PERMIT, gen_permit, 1); }
Test(ops, property_hkid, .timeout = 120) { property(PIISCAN_HKID, gen_hkid, 1); }
Test(ops, property_twid, .timeout = 120) { property(PIISCAN_TW_ID, gen_twid, 2); }
Test(ops, property_email, .timeout = 120) { property(PIISCAN_EMAIL, gen_email, 0); }

/* The mobile prefix (after any +86) is kept: checked separately because the
 * generator mixes spellings. */
Test(ops, fpe_keeps_network_prefix)
{
    rng_state = 42;
    for (int i = 0; i < 500; i++) {
        char v[64], nv[16], no[16];
        gen_mobile(v, sizeof v);
        const char *o = apply_spec("fpe", PIISCAN_CN_MOBILE, v);
        cr_assert_not_null(o);
        pii_normalize(PIISCAN_CN_MOBILE, (const uint8_t *)v, strlen(v), nv, sizeof nv);
        pii_normalize(PIISCAN_CN_MOBILE, (const uint8_t *)o, strlen(o), no, sizeof no);
        cr_assert_eq(memcmp(nv, no, 3), 0, "%s -> %s", v, o);
        cr_assert_str_neq(nv, no, "%s unchanged", v);
    }
}

/* ---- FPE on IP addresses: generated shapes ---------------------------------- */

#define IP_ROUNDS 4000

/* A random IPv4 address with random octet widths (never a leading zero);
 * returns how many addresses share its widths, counted independently of
 * op_fpe.c: first octet 1-9, 10-99, 100-223 without 127; others 0-9,
 * 10-99, 100-255. */
static uint64_t gen_ipv4(char *v, size_t cap)
{
    static const unsigned lo[4] = {0, 0, 10, 100}, hi[4] = {0, 9, 99, 255};
    unsigned o[4];
    uint64_t dom = 1;
    for (int k = 0; k < 4; k++) {
        unsigned d = 1 + rn(3);
        do
            o[k] = lo[d] + rn(hi[d] - lo[d] + 1);
        while (k == 0 && (o[k] == 0 || o[k] == 127 || o[k] >= 224));
        dom *= k > 0 ? hi[d] - lo[d] + 1 : d == 1 ? 9 : d == 2 ? 90 : 123;
    }
    snprintf(v, cap, "%u.%u.%u.%u", o[0], o[1], o[2], o[3]);
    return dom;
}

Test(ops, property_ipv4, .timeout = 120)
{
    rng_state = 0x1234567887654321ull;
    int done = 0, refused = 0;
    for (int i = 0; i < IP_ROUNDS; i++) {
        char v[32];
        uint64_t dom = gen_ipv4(v, sizeof v);
        cr_assert(valid(PIISCAN_IPV4, v), "generator made %s", v);
        if (dom < 1000000) {
            ip_refused(PIISCAN_IPV4, v, "10^6");
            refused++;
            continue;
        }
        fpe_check(PIISCAN_IPV4, v, 0);
        done++;
    }
    cr_expect_gt(refused, 0);
    cr_expect_gt(done, IP_ROUNDS / 2);
}

/* What gen_ipv6 made, worked out while making it. */
typedef struct ip6_gen {
    size_t keep;       /* bytes of routing-prefix text that must stay */
    size_t digits;     /* hex digits written in the interface identifier */
    uint64_t values;   /* interface identifiers of that shape and case, minus zero */
    bool upper[8];     /* per text group: output letters must be upper case */
    bool need[8];      /* per text group: output must have a letter */
    bool iid[8];       /* per text group: in the interface identifier */
    bool pu, pl;       /* the prefix has upper / lower case letters */
    size_t off[8], len[8], ng;
} ip6_gen;

static void gen_group(ip6_gen *g, char *v, size_t *o, unsigned val, size_t pos)
{
    size_t min = val > 0xfff ? 4 : val > 0xff ? 3 : val > 0xf ? 2 : 1;
    size_t w = rn(3) == 0 ? 4 : rn(2) ? min : min + rn((unsigned)(5 - min));
    bool up = rn(3) == 0;
    char buf[8];
    snprintf(buf, sizeof buf, up ? "%0*X" : "%0*x", (int)w, val);
    size_t k = g->ng++;
    g->off[k] = *o;
    g->len[k] = w;
    /* Letterless groups take the prefix's case; a group in the other case
     * must keep a letter to show it. */
    bool has_up = strpbrk(buf, "ABCDEF") != NULL, has_low = strpbrk(buf, "abcdef") != NULL;
    bool dflt = g->pu && !g->pl;
    g->upper[k] = has_up || has_low ? has_up : dflt;
    g->need[k] = (has_up || has_low) && has_up != dflt;
    g->iid[k] = pos >= 4;
    if (pos < 4)
        g->pu = g->pu || has_up, g->pl = g->pl || has_low;
    memcpy(v + *o, buf, w);
    *o += w;
    if (pos >= 4) {
        uint64_t h = 1, d = 1;
        for (size_t i = 0; i < w; i++)
            h *= 16, d *= 10;
        g->digits += w;
        g->values *= g->need[k] ? h - d : h;
        if (g->values > 1000000000000ull)
            g->values = 1000000000000ull;
    }
}

/* A random IPv6 address in a random spelling: full or shortened groups,
 * stray leading zeros, "::" over any run of zero groups, per-group case,
 * sometimes a zone.  The interface identifier is never zero. */
static void gen_ipv6(char *v, ip6_gen *g)
{
    unsigned val[8];
    for (int i = 0; i < 8; i++) {
        unsigned r = rn(4);
        val[i] = r == 0 ? 0 : r == 1 ? rn(16) : r == 2 ? rn(0x1000) : rn(0x10000);
    }
    if ((val[4] | val[5] | val[6] | val[7]) == 0)
        val[4 + rn(4)] = 1 + rn(0xffff);
    /* "::" over zero groups [z, z + zl), when there are any. */
    int z = -1, zl = 0;
    if (rn(3) > 0)
        for (int tries = 0; tries < 8 && z < 0; tries++) {
            int s = (int)rn(8);
            if (val[s] != 0)
                continue;
            int e = s;
            while (e < 8 && val[e] == 0 && (e == s || rn(4) > 0))
                e++;
            z = s, zl = e - s;
        }
    *g = (ip6_gen){.values = 1};
    size_t o = 0;
    for (int i = 0; i < 8; i++) {
        if (i == z) {
            memcpy(v + o, "::", 2);
            o += 2;
            i += zl - 1;
            continue;
        }
        if (i > 0 && i != z + zl)
            v[o++] = ':';
        gen_group(g, v, &o, val[i], (size_t)i);
        if (i < 4)
            g->keep = o;
    }
    g->values -= 1;
    const char *zone[] = {"", "", "", "", "", "%eth0", "%en1", "%25"};
    snprintf(v + o, 16, "%s", zone[rn(8)]);
}

static void expect_case_kept(const ip6_gen *g, const char *in, const char *out)
{
    for (size_t k = 0; k < g->ng; k++) {
        bool up = false, low = false;
        for (size_t i = g->off[k]; i < g->off[k] + g->len[k]; i++) {
            up = up || (out[i] >= 'A' && out[i] <= 'F');
            low = low || (out[i] >= 'a' && out[i] <= 'f');
        }
        cr_assert(!(up ? low || !g->upper[k] : low && g->upper[k]),
                  "%s -> %s: case of group %zu", in, out, k);
        cr_assert(up || low || !g->need[k], "%s -> %s: group %zu lost its letters", in, out, k);
    }
}

Test(ops, property_ipv6, .timeout = 120)
{
    rng_state = 0x0DDBA11CAFEF00Dull;
    int done = 0, refused = 0, compressed = 0, upper = 0, need = 0, zoned = 0;
    for (int i = 0; i < IP_ROUNDS; i++) {
        char v[64], out[64];
        ip6_gen g;
        gen_ipv6(v, &g);
        cr_assert(valid(PIISCAN_IPV6, v), "generator made %s", v);
        if (g.digits < 5 || g.values < 1000000) {
            ip_refused(PIISCAN_IPV6, v, "10^6");
            refused++;
            continue;
        }
        fpe_check(PIISCAN_IPV6, v, g.keep);
        snprintf(out, sizeof out, "%s", apply_spec("fpe", PIISCAN_IPV6, v));
        expect_case_kept(&g, v, out);
        const char *zin = strchr(v, '%'), *zout = strchr(out, '%');
        cr_assert_str_eq(zin ? zin : "", zout ? zout : "", "%s -> %s: zone", v, out);
        unsigned char bi[16], bo[16];
        char a[64];
        snprintf(a, sizeof a, "%.*s", (int)strcspn(v, "%"), v);
        inet_pton(AF_INET6, a, bi);
        snprintf(a, sizeof a, "%.*s", (int)strcspn(out, "%"), out);
        inet_pton(AF_INET6, a, bo);
        cr_assert_eq(memcmp(bi, bo, 8), 0, "%s -> %s: /64 changed", v, out);
        cr_assert_neq(memcmp(bo + 8, "\0\0\0\0\0\0\0\0", 8), 0, "%s -> %s: zero IID", v, out);
        done++;
        compressed += strstr(v, "::") != NULL;
        zoned += zin != NULL;
        for (size_t k = 0; k < g.ng; k++)
            upper += g.iid[k] && g.upper[k] && g.pu, need += g.iid[k] && g.need[k];
    }
    cr_expect_gt(refused, 0);
    cr_expect_gt(done, IP_ROUNDS / 2);
    cr_expect_gt(compressed, 100);
    cr_expect_gt(zoned, 100);
    cr_expect_gt(upper, 100);
    cr_expect_gt(need, 100);
}

/* Encrypt tokens of IP addresses reverse exactly too. */
Test(ops, encrypt_ip_round_trip)
{
    rng_state = 77;
    for (int i = 0; i < 300; i++) {
        char v[64], tok[512];
        ip6_gen g;
        if (i % 2)
            gen_ipv4(v, sizeof v);
        else
            gen_ipv6(v, &g);
        piiscan_type t = i % 2 ? PIISCAN_IPV4 : PIISCAN_IPV6;
        snprintf(tok, sizeof tok, "%s", apply_spec("encrypt", t, v));
        cr_assert_str_eq(reveal_spec("encrypt", t, tok), v);
    }
}
