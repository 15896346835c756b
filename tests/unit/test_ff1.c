/*
 * test_ff1.c -- FF1 against all nine NIST SP 800-38G sample vectors
 * (FF1samples.pdf: AES-128/192/256 x {radix 10 no tweak, radix 10 with
 * tweak, radix 36 with tweak}), plus the Rev. 1 domain floor, answers
 * pinned for each of the three arithmetic paths, and the per-thread AES
 * context across key changes.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "op_int.h"

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = strlen(h) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(h + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
    return n;
}

static int digit_val(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }
static char digit_chr(int v) { return (char)(v < 10 ? '0' + v : 'a' + v - 10); }

typedef struct sample {
    const char *key, *tweak;
    unsigned radix;
    const char *pt, *ct;
} sample;

#define K128 "2B7E151628AED2A6ABF7158809CF4F3C"
#define K192 K128 "EF4359D8D580AA4F"
#define K256 K192 "7F036D6F04FC6A94"
#define T2 "39383736353433323130"
#define T3 "3737373770717273373737"

static const sample samples[9] = {
    {K128, "", 10, "0123456789", "2433477484"},
    {K128, T2, 10, "0123456789", "6124200773"},
    {K128, T3, 36, "0123456789abcdefghi", "a9tv40mll9kdu509eum"},
    {K192, "", 10, "0123456789", "2830668132"},
    {K192, T2, 10, "0123456789", "2496655549"},
    {K192, T3, 36, "0123456789abcdefghi", "xbj3kv35jrawxv32ysr"},
    {K256, "", 10, "0123456789", "6657667009"},
    {K256, T2, 10, "0123456789", "1001623463"},
    {K256, T3, 36, "0123456789abcdefghi", "xs8a0azh2avyalyzuwd"},
};

static void run_sample(const sample *s, bool decrypt)
{
    uint8_t key[32], tweak[16], x[32], y[32];
    size_t kl = unhex(s->key, key), tl = unhex(s->tweak, tweak), n = strlen(s->pt);
    const char *in = decrypt ? s->ct : s->pt, *want = decrypt ? s->pt : s->ct;
    for (size_t i = 0; i < n; i++)
        x[i] = (uint8_t)digit_val(in[i]);
    char err[200] = "";
    cr_assert_eq(pii_ff1(key, kl, s->radix, tweak, tl, x, n, y, decrypt, err, sizeof err), 0,
                 "%s", err);
    char got[32] = {0};
    for (size_t i = 0; i < n; i++)
        got[i] = digit_chr(y[i]);
    cr_expect_str_eq(got, want, "key %zu bytes radix %u tweak %s", kl, s->radix, s->tweak);
}

ParameterizedTestParameters(ff1, nist_encrypt)
{
    static int idx[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    return cr_make_param_array(int, idx, 9);
}

ParameterizedTest(int *i, ff1, nist_encrypt) { run_sample(&samples[*i], false); }

ParameterizedTestParameters(ff1, nist_decrypt)
{
    static int idx[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    return cr_make_param_array(int, idx, 9);
}

ParameterizedTest(int *i, ff1, nist_decrypt) { run_sample(&samples[*i], true); }

Test(ff1, in_place_and_round_trip_many_lengths)
{
    uint8_t key[32];
    unhex(K256, key);
    const uint8_t tweak[] = "CN_MOBILE";
    unsigned radixes[] = {2, 10, 16, 36};
    for (size_t r = 0; r < 4; r++)
        for (size_t n = 2; n <= 80; n++) {
            uint8_t x[80], y[80];
            for (size_t i = 0; i < n; i++)
                x[i] = (uint8_t)((i * 7 + n) % radixes[r]);
            memcpy(y, x, n);
            int rc = pii_ff1(key, 32, radixes[r], tweak, 9, y, n, y, false, NULL, 0);
            if (rc != 0)
                continue; /* domain too small, checked below */
            cr_assert_eq(pii_ff1(key, 32, radixes[r], tweak, 9, y, n, y, true, NULL, 0), 0);
            cr_assert_arr_eq(x, y, n, "radix %u n %zu", radixes[r], n);
        }
}

Test(ff1, tweak_changes_output)
{
    uint8_t key[16], a[10], b[10];
    unhex(K128, key);
    const uint8_t x[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    cr_assert_eq(pii_ff1(key, 16, 10, (const uint8_t *)"A", 1, x, 10, a, false, NULL, 0), 0);
    cr_assert_eq(pii_ff1(key, 16, 10, (const uint8_t *)"B", 1, x, 10, b, false, NULL, 0), 0);
    cr_expect(memcmp(a, b, 10) != 0);
}

Test(ff1, refuses_small_domain)
{
    uint8_t key[16], y[20];
    unhex(K128, key);
    const uint8_t x[20] = {0};
    char err[200] = "";
    /* 10^5 < 10^6: refused; 10^6 is the smallest domain allowed. */
    cr_expect_eq(pii_ff1(key, 16, 10, NULL, 0, x, 5, y, false, err, sizeof err), -1);
    cr_expect(strstr(err, "10^6") != NULL, "%s", err);
    cr_expect_eq(pii_ff1(key, 16, 10, NULL, 0, x, 6, y, false, NULL, 0), 0);
    cr_expect_eq(pii_ff1(key, 16, 2, NULL, 0, x, 19, y, false, NULL, 0), -1);
    cr_expect_eq(pii_ff1(key, 16, 2, NULL, 0, x, 20, y, false, NULL, 0), 0);
    cr_expect_eq(pii_ff1(key, 16, 16, NULL, 0, x, 4, y, false, NULL, 0), -1);
    cr_expect_eq(pii_ff1(key, 16, 16, NULL, 0, x, 5, y, false, NULL, 0), 0);
    /* One symbol, and none, are below FF1's minimum length too: the
     * domain is what the message names (an e-mail local part "a"). */
    for (size_t n = 0; n < 2; n++) {
        err[0] = 0;
        cr_expect_eq(pii_ff1(key, 16, 36, NULL, 0, x, n, y, false, err, sizeof err), -1);
        cr_expect(strstr(err, "FPE domain too small") != NULL, "length %zu: %s", n, err);
    }
}

Test(ff1, rejects_bad_arguments)
{
    uint8_t key[16] = {0}, y[10];
    const uint8_t x[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10};
    cr_expect_eq(pii_ff1(key, 16, 10, NULL, 0, x, 10, y, false, NULL, 0), -1); /* 10 >= radix */
    cr_expect_eq(pii_ff1(key, 16, 1, NULL, 0, x, 9, y, false, NULL, 0), -1);
    cr_expect_eq(pii_ff1(key, 16, 37, NULL, 0, x, 9, y, false, NULL, 0), -1);
    cr_expect_eq(pii_ff1(key, 15, 10, NULL, 0, x, 9, y, false, NULL, 0), -1);
}

/* Known answers from the BIGNUM-only implementation (commit 2da4b3c) under
 * K256 and tweak "piiscan", numerals (7i + 3) mod radix.  They pin each
 * arithmetic path of the current code to it: radix^v <= 2^32 (y reduced
 * four bytes at a time), < 2^56 (a byte at a time), and >= 2^56 (BIGNUM),
 * with both sides of the 2^56 boundary for radix 2 and 16. */
typedef struct pinned {
    unsigned radix;
    const char *pt, *ct;
} pinned;

static const pinned pins[] = {
    {10, "307418529630", "778024892651"},                         /* 10^6 */
    {10, "3074185296307418529", "5383307863903756212"},           /* 10^10 */
    {10, "3074185296307418529630741852963074", "4287658111704786591449516224968039"},
    {36, "3ahov29gnu18fmt07elsz6", "rpy7xueli0h8n4jm4o4ibh"},     /* 36^11 */
    {2, "10101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010",
     "11000000011111011000000101010100110010010011010001011110101000110100100101101101111011101001110101001010011111"},
    {2, "1010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010",
     "1011110110111011111100010001101100001011101010001100101110001010110000010100101000000001100000100111010010110010"},
    {16, "3a18f6d4b2907e5c3a18f6d4b2", "9c2fd782074f5e33a3c0bdde17"},   /* 2^52 */
    {16, "3a18f6d4b2907e5c3a18f6d4b290", "65163fe5de6c8a7c22b386dc2364"}, /* 2^56 */
};

static void run_pinned(const pinned *p, bool decrypt)
{
    uint8_t key[32], x[PII_FF1_MAX_LEN], y[PII_FF1_MAX_LEN];
    unhex(K256, key);
    const char *in = decrypt ? p->ct : p->pt, *want = decrypt ? p->pt : p->ct;
    size_t n = strlen(in);
    for (size_t i = 0; i < n; i++)
        x[i] = (uint8_t)digit_val(in[i]);
    cr_assert_eq(pii_ff1(key, 32, p->radix, (const uint8_t *)"piiscan", 7, x, n, y, decrypt,
                         NULL, 0), 0);
    char got[PII_FF1_MAX_LEN + 1] = {0};
    for (size_t i = 0; i < n; i++)
        got[i] = digit_chr(y[i]);
    cr_expect_str_eq(got, want, "radix %u n %zu %s", p->radix, n, decrypt ? "decrypt" : "encrypt");
}

Test(ff1, pinned_answers_every_arithmetic_path)
{
    for (size_t i = 0; i < sizeof pins / sizeof pins[0]; i++) {
        run_pinned(&pins[i], false);
        run_pinned(&pins[i], true);
    }
}

/* Tweaks of 0 to 64 bytes, on both sides of each AES block boundary: the
 * MAC of P and of Q's tweak-only blocks is computed once per call and
 * continued in every round.  Answers from the code before that (commit
 * 4f76242), for the uint64_t path (radix 10) and the BIGNUM one (radix 16,
 * 2^56; radix 10 with 73 digits, where Q's number is 16 bytes and the
 * round number the last byte of a block); key bytes 0x2b + 7i; the
 * 64-byte tweak ends in the string's terminating zero. */
Test(ff1, pinned_answers_for_long_tweaks)
{
    static const char tweak[65] = "piiscan: a tweak long enough to fill four AES blocks with bytes";
    static const struct {
        unsigned radix;
        size_t tlen;
        const char *pt, *ct;
    } pins_t[] = {
        {10, 0, "307418529630741852", "873723782192049064"},
        {10, 15, "307418529630741852", "533231116515779492"},
        {10, 16, "307418529630741852", "327188045855285121"},
        {10, 17, "307418529630741852", "297485638730732082"},
        {10, 31, "307418529630741852", "648115037871498389"},
        {10, 32, "307418529630741852", "423746697202457060"},
        {10, 64, "307418529630741852", "056343005997153455"},
        {16, 0, "3a18f6d4b2907e5c3a18f6d4b290", "dea97692943944c9c7c2331aa454"},
        {16, 15, "3a18f6d4b2907e5c3a18f6d4b290", "72dbdd89ab9034beb89ac8093a27"},
        {16, 16, "3a18f6d4b2907e5c3a18f6d4b290", "8be908e155c9332da89b357d25cd"},
        {16, 17, "3a18f6d4b2907e5c3a18f6d4b290", "2c12124e79c5c69a2d90ee8c43d9"},
        {16, 31, "3a18f6d4b2907e5c3a18f6d4b290", "b4c7c868d356bcfc853b2e5d2ba5"},
        {16, 32, "3a18f6d4b2907e5c3a18f6d4b290", "2b7a54150c524dd20874438792d0"},
        {16, 64, "3a18f6d4b2907e5c3a18f6d4b290", "59c0b1ad9fa38eb1ab0316050b8e"},
        /* b = 16: the round number ends a block */
        {10, 0, "3074185296307418529630741852963074185296307418529630741852963074185296307", "1499049452182293754329720499410970298594402355788979065252812634908968513"},
        {10, 15, "3074185296307418529630741852963074185296307418529630741852963074185296307", "4778715088214920360147328304245213151841130337182092041419157828618726749"},
        {10, 16, "3074185296307418529630741852963074185296307418529630741852963074185296307", "4497554337733049500881143597866968742313503848545971725228744993089898357"},
        {10, 17, "3074185296307418529630741852963074185296307418529630741852963074185296307", "5531341967471263076013947734421375157213299860477234100535703893557739121"},
    };
    uint8_t key[32], x[PII_FF1_MAX_LEN], y[PII_FF1_MAX_LEN], back[PII_FF1_MAX_LEN];
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)(0x2b + i * 7);
    for (size_t k = 0; k < sizeof pins_t / sizeof pins_t[0]; k++) {
        size_t n = strlen(pins_t[k].pt);
        for (size_t i = 0; i < n; i++)
            x[i] = (uint8_t)digit_val(pins_t[k].pt[i]);
        cr_assert_eq(pii_ff1(key, 32, pins_t[k].radix, (const uint8_t *)tweak, pins_t[k].tlen, x, n, y, false,
                             NULL, 0), 0);
        char got[PII_FF1_MAX_LEN + 1] = {0};
        for (size_t i = 0; i < n; i++)
            got[i] = digit_chr(y[i]);
        cr_expect_str_eq(got, pins_t[k].ct, "radix %u, tweak of %zu bytes", pins_t[k].radix, pins_t[k].tlen);
        cr_assert_eq(pii_ff1(key, 32, pins_t[k].radix, (const uint8_t *)tweak, pins_t[k].tlen, y, n, back, true,
                             NULL, 0), 0);
        cr_expect_arr_eq(back, x, n, "radix %u, tweak of %zu bytes: decrypt", pins_t[k].radix, pins_t[k].tlen);
    }
}

/* Each thread keeps its last AES key schedule: calls that switch between
 * the three NIST keys (and lengths, tweaks, directions) in one thread
 * must give what a fresh context gives, i.e. the published answers. */
Test(ff1, key_changes_between_calls_in_one_thread)
{
    /* A second AES-256 key (bytes 0..31; answer from commit 2da4b3c): a
     * key of the same length must not be mistaken for the cached one. */
    uint8_t k2[32], x[12] = {3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0}, y[12];
    for (int i = 0; i < 32; i++)
        k2[i] = (uint8_t)i;
    const uint8_t want2[12] = {2, 0, 5, 8, 9, 4, 7, 0, 1, 3, 2, 1};
    static const int order[] = {0, 3, 6, 1, 1, 4, 7, 2, 5, 8, 0, 8, 2, 6};
    for (int round = 0; round < 2; round++)
        for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
            run_sample(&samples[order[k]], round == 1);
            run_pinned(&pins[k % (sizeof pins / sizeof pins[0])], round == 0);
            cr_assert_eq(pii_ff1(k2, 32, 10, (const uint8_t *)"piiscan", 7, x, 12, y, false,
                                 NULL, 0), 0);
            cr_expect_arr_eq(y, want2, 12, "second key, step %zu", k);
        }
}
