/*
 * test_fingerprint.c -- HMAC-SHA-256 (RFC 4231 vectors through the same
 * EVP_MAC path) and the keyed fingerprint built on it.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "hmac.h"
#include "normalize.h"
#include "piiscan.h"

static void hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

static void check_hmac(const unsigned char *key, size_t keylen, const void *msg,
                       size_t msglen, const char *want)
{
    unsigned char mac[PII_HMAC_SHA256_LEN];
    char got[2 * PII_HMAC_SHA256_LEN + 1];
    const void *parts[1] = {msg};
    size_t lens[1] = {msglen};
    cr_assert_eq(pii_hmac_sha256(key, keylen, parts, lens, 1, mac), 0);
    hex(mac, sizeof mac, got);
    cr_expect_eq(strncmp(got, want, strlen(want)), 0, "got %s want %s", got, want);
}

/* RFC 4231 section 4. */
Test(hmac, rfc4231_case1)
{
    unsigned char key[20];
    memset(key, 0x0b, sizeof key);
    check_hmac(key, sizeof key, "Hi There", 8,
               "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

Test(hmac, rfc4231_case2)
{
    check_hmac((const unsigned char *)"Jefe", 4, "what do ya want for nothing?", 28,
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

Test(hmac, rfc4231_case3)
{
    unsigned char key[20], msg[50];
    memset(key, 0xaa, sizeof key);
    memset(msg, 0xdd, sizeof msg);
    check_hmac(key, sizeof key, msg, sizeof msg,
               "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}

Test(hmac, rfc4231_case4)
{
    unsigned char key[25], msg[50];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (unsigned char)(i + 1);
    memset(msg, 0xcd, sizeof msg);
    check_hmac(key, sizeof key, msg, sizeof msg,
               "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

Test(hmac, rfc4231_case5_truncated)
{
    unsigned char key[20];
    memset(key, 0x0c, sizeof key);
    check_hmac(key, sizeof key, "Test With Truncation", 20,
               "a3b6167473100ee06e0c796c2955552b");
}

Test(hmac, rfc4231_case6_long_key)
{
    unsigned char key[131];
    memset(key, 0xaa, sizeof key);
    const char *msg = "Test Using Larger Than Block-Size Key - Hash Key First";
    check_hmac(key, sizeof key, msg, strlen(msg),
               "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

Test(hmac, rfc4231_case7_long_key_and_data)
{
    unsigned char key[131];
    memset(key, 0xaa, sizeof key);
    const char *msg = "This is a test using a larger than block-size key and a larger "
                      "than block-size data. The key needs to be hashed before being "
                      "used by the HMAC algorithm.";
    check_hmac(key, sizeof key, msg, strlen(msg),
               "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

/* A thread keeps set-up contexts for its last keys (fingerprint.c): keys
 * alternating in one thread, more of them than there are slots, with one
 * longer than the cached copy and one that differs only in its last byte
 * from another, must each still give their own RFC 4231 MAC. */
Test(hmac, interleaved_keys_reuse_contexts_correctly)
{
    unsigned char k1[20], k3a[20], k3b[20], k6[131];
    memset(k1, 0x0b, sizeof k1);
    memset(k3a, 0xaa, sizeof k3a);
    memcpy(k3b, k3a, sizeof k3b);
    k3b[19] = 0xab;
    memset(k6, 0xaa, sizeof k6);
    unsigned char msg3[50];
    memset(msg3, 0xdd, sizeof msg3);
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    unsigned char mac_b[PII_HMAC_SHA256_LEN], mac_b2[PII_HMAC_SHA256_LEN];
    const void *p3[1] = { msg3 };
    size_t l3[1] = { sizeof msg3 };
    for (int round = 0; round < 4; round++) {
        check_hmac(k1, sizeof k1, "Hi There", 8, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        check_hmac(k3a, sizeof k3a, msg3, sizeof msg3,
                   "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
        cr_assert_eq(pii_hmac_sha256(k3b, sizeof k3b, p3, l3, 1, mac_b), 0);
        check_hmac(k3a, sizeof k3a, msg3, sizeof msg3,
                   "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
        cr_assert_eq(pii_hmac_sha256(k3b, sizeof k3b, p3, l3, 1, mac_b2), 0);
        cr_assert_eq(memcmp(mac_b, mac_b2, sizeof mac_b), 0, "same key, same MAC");
        cr_assert_neq(memcmp(mac_b, "\x77\x3e\xa9\x1e", 4), 0, "a key one byte apart gives another MAC");
        check_hmac(k6, sizeof k6, m6, strlen(m6), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
        check_hmac((const unsigned char *)"Jefe", 4, "what do ya want for nothing?", 28,
                   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}

Test(hmac, wrong_vector_is_detected)
{
    /* Same as case 2 with one message byte changed: must not match. */
    unsigned char mac[PII_HMAC_SHA256_LEN];
    char got[2 * PII_HMAC_SHA256_LEN + 1];
    const void *parts[1] = {"what do ya want for nothing!"};
    size_t lens[1] = {28};
    cr_assert_eq(pii_hmac_sha256((const unsigned char *)"Jefe", 4, parts, lens, 1, mac), 0);
    hex(mac, sizeof mac, got);
    cr_expect_neq(strcmp(got, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                  0);
}

Test(hmac, parts_equal_concatenation)
{
    const char *whole = "what do ya want for nothing?";
    const void *parts[3] = {whole, whole + 5, whole + 20};
    size_t lens[3] = {5, 15, 8};
    unsigned char a[32], b[32];
    cr_assert_eq(pii_hmac_sha256((const unsigned char *)"Jefe", 4, parts, lens, 3, a), 0);
    const void *one[1] = {whole};
    size_t onelen[1] = {28};
    cr_assert_eq(pii_hmac_sha256((const unsigned char *)"Jefe", 4, one, onelen, 1, b), 0);
    cr_assert_eq(memcmp(a, b, 32), 0);
}

/* Expected values computed independently (Python hmac module):
 * hmac.new(key, b"CN_MOBILE\0" + norm, sha256).hexdigest()[:16]. */
Test(fingerprint, known_values)
{
    char fp[17];
    unsigned char key[32];
    memset(key, 'k', sizeof key);
    piiscan_fingerprint(key, sizeof key, PIISCAN_CN_MOBILE, "13812345678", 11, fp);
    cr_expect_str_eq(fp, "bef092441d63035b");
    piiscan_fingerprint(key, sizeof key, PIISCAN_CN_RESIDENT_ID, "11010519491231002X", 18,
                        fp);
    cr_expect_str_eq(fp, "7ac8d6ed7b5f019e");
    piiscan_fingerprint(NULL, 0, PIISCAN_CN_MOBILE, "13812345678", 11, fp);
    cr_expect_str_eq(fp, "646b3407981567e1");
}

Test(fingerprint, null_key_is_zero_key)
{
    static const unsigned char zero[32];
    char a[17], b[17], c[17];
    piiscan_fingerprint(NULL, 0, PIISCAN_EMAIL, "a@b.cn", 6, a);
    piiscan_fingerprint(zero, sizeof zero, PIISCAN_EMAIL, "a@b.cn", 6, b);
    piiscan_fingerprint(zero, 0, PIISCAN_EMAIL, "a@b.cn", 6, c);
    cr_expect_str_eq(a, b);
    cr_expect_str_eq(a, c);
}

Test(fingerprint, shape_and_determinism)
{
    char a[17], b[17];
    memset(a, 'X', sizeof a);
    piiscan_fingerprint((const unsigned char *)"key", 3, PIISCAN_IMEI, "352099001761481", 15,
                        a);
    piiscan_fingerprint((const unsigned char *)"key", 3, PIISCAN_IMEI, "352099001761481", 15,
                        b);
    cr_assert_eq(strlen(a), 16);
    for (int i = 0; i < 16; i++)
        cr_assert((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f'), "%s", a);
    cr_expect_str_eq(a, b);
}

Test(fingerprint, key_type_and_value_all_matter)
{
    char base[17], other[17];
    const unsigned char *k1 = (const unsigned char *)"key-one-0123456789abcdef0123456";
    const unsigned char *k2 = (const unsigned char *)"key-two-0123456789abcdef0123456";
    piiscan_fingerprint(k1, 31, PIISCAN_BANK_CARD, "6200000000000005", 16, base);
    piiscan_fingerprint(k2, 31, PIISCAN_BANK_CARD, "6200000000000005", 16, other);
    cr_expect_str_neq(base, other, "different keys");
    piiscan_fingerprint(k1, 31, PIISCAN_IMEI, "6200000000000005", 16, other);
    cr_expect_str_neq(base, other, "different types");
    piiscan_fingerprint(k1, 31, PIISCAN_BANK_CARD, "6200000000000047", 16, other);
    cr_expect_str_neq(base, other, "different values");
    /* The separator keeps "type + value" unambiguous. */
    piiscan_fingerprint(k1, 31, PIISCAN_BANK_CARD, "6200000000000005x", 16, other);
    cr_expect_str_eq(base, other, "only len bytes are hashed");
}

Test(fingerprint, equal_after_normalization)
{
    const char *spellings[] = {"138-1234-5678", "+86 138 1234 5678", "１３８１２３４５６７８",
                               "0086 13812345678"};
    char first[17];
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        char n[64], fp[17];
        size_t len = pii_normalize(PIISCAN_CN_MOBILE, (const uint8_t *)spellings[i],
                                   strlen(spellings[i]), n, sizeof n);
        piiscan_fingerprint((const unsigned char *)"k", 1, PIISCAN_CN_MOBILE, n, len, fp);
        if (i == 0)
            memcpy(first, fp, sizeof fp);
        cr_expect_str_eq(fp, first, "%s", spellings[i]);
    }
}
