/*
 * test_siv.c -- AES-SIV against RFC 5297 appendix A (A.1 deterministic,
 * A.2 nonce-based with two AD components and a nonce), and base32.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "op_int.h"

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = 0;
    for (; *h; h += 2) {
        unsigned v;
        sscanf(h, "%2x", &v);
        out[n++] = (uint8_t)v;
    }
    return n;
}

Test(siv, rfc5297_a1_deterministic)
{
    uint8_t key[32], ad[24], pt[14], want[30], out[30], back[14];
    unhex("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", key);
    size_t adl = unhex("101112131415161718191a1b1c1d1e1f2021222324252627", ad);
    size_t n = unhex("112233445566778899aabbccddee", pt);
    unhex("85632d07c6e8f37f950acd320a2ecc9340c02b9690c4dc04daef7f6afe5c", want);
    const uint8_t *ads[] = {ad};
    cr_assert_eq(pii_siv_seal(key, 32, ads, &adl, 1, pt, n, out), 0);
    cr_expect_arr_eq(out, want, 30);
    cr_assert_eq(pii_siv_open(key, 32, ads, &adl, 1, out, 30, back), 0);
    cr_expect_arr_eq(back, pt, n);
}

Test(siv, rfc5297_a2_nonce_based)
{
    uint8_t key[32], ad1[40], ad2[10], nonce[16], pt[64], want[80], out[80], back[64];
    unhex("7f7e7d7c7b7a79787776757473727170404142434445464748494a4b4c4d4e4f", key);
    size_t l1 = unhex("00112233445566778899aabbccddeeffdeaddadadeaddadaffeeddccbbaa99887766554433221100", ad1);
    size_t l2 = unhex("102030405060708090a0", ad2);
    size_t l3 = unhex("09f911029d74e35bd84156c5635688c0", nonce);
    size_t n = unhex("7468697320697320736f6d6520706c61696e7465787420746f20656e6372797074207573696e67205349562d414553", pt);
    size_t wl = unhex("7bdb6e3b432667eb06f4d14bff2fbd0fcb900f2fddbe404326601965c889bf17"
                      "dba77ceb094fa663b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d", want);
    cr_assert_eq(wl, 16 + n);
    const uint8_t *ads[] = {ad1, ad2, nonce};
    size_t lens[] = {l1, l2, l3};
    cr_assert_eq(pii_siv_seal(key, 32, ads, lens, 3, pt, n, out), 0);
    cr_expect_arr_eq(out, want, wl);
    cr_assert_eq(pii_siv_open(key, 32, ads, lens, 3, out, wl, back), 0);
    cr_expect_arr_eq(back, pt, n);
}

Test(siv, tampering_and_wrong_ad_fail)
{
    uint8_t key[64], out[21], back[5];
    for (int i = 0; i < 64; i++)
        key[i] = (uint8_t)i;
    const uint8_t *ad[] = {(const uint8_t *)"CN_MOBILE"};
    size_t adl = 9;
    cr_assert_eq(pii_siv_seal(key, 64, ad, &adl, 1, (const uint8_t *)"hello", 5, out), 0);
    cr_expect_eq(pii_siv_open(key, 64, ad, &adl, 1, out, 21, back), 0);
    cr_expect_arr_eq(back, "hello", 5);
    out[20] ^= 1;
    cr_expect_eq(pii_siv_open(key, 64, ad, &adl, 1, out, 21, back), -1);
    out[20] ^= 1;
    const uint8_t *other[] = {(const uint8_t *)"CN_LANDLINE"};
    size_t ol = 11;
    cr_expect_eq(pii_siv_open(key, 64, other, &ol, 1, out, 21, back), -1);
    cr_expect_eq(pii_siv_open(key, 64, ad, &adl, 1, out, 16, back), -1);
    cr_expect_eq(pii_siv_seal(key, 40, ad, &adl, 1, (const uint8_t *)"x", 1, out), -1);
}

/* Each thread keeps its last key's contexts and works on copies: seals
 * and opens that alternate between the two RFC keys, with a failed open
 * in between, must all give the published answers. */
Test(siv, key_changes_and_failures_between_calls)
{
    uint8_t k1[32], k2[32], ad1[24], pt1[14], want1[30], out[80], back[64];
    unhex("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", k1);
    size_t adl1 = unhex("101112131415161718191a1b1c1d1e1f2021222324252627", ad1);
    size_t n1 = unhex("112233445566778899aabbccddee", pt1);
    unhex("85632d07c6e8f37f950acd320a2ecc9340c02b9690c4dc04daef7f6afe5c", want1);
    uint8_t ad2a[40], ad2b[10], nonce[16], pt2[64], want2[80];
    unhex("7f7e7d7c7b7a79787776757473727170404142434445464748494a4b4c4d4e4f", k2);
    size_t l1 = unhex("00112233445566778899aabbccddeeffdeaddadadeaddadaffeeddccbbaa99887766554433221100", ad2a);
    size_t l2 = unhex("102030405060708090a0", ad2b);
    size_t l3 = unhex("09f911029d74e35bd84156c5635688c0", nonce);
    size_t n2 = unhex("7468697320697320736f6d6520706c61696e7465787420746f20656e6372797074207573696e67205349562d414553", pt2);
    size_t w2 = unhex("7bdb6e3b432667eb06f4d14bff2fbd0fcb900f2fddbe404326601965c889bf17"
                      "dba77ceb094fa663b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d", want2);
    const uint8_t *ads1[] = {ad1}, *ads2[] = {ad2a, ad2b, nonce};
    size_t lens2[] = {l1, l2, l3};
    for (int round = 0; round < 3; round++) {
        cr_assert_eq(pii_siv_seal(k1, 32, ads1, &adl1, 1, pt1, n1, out), 0);
        cr_expect_arr_eq(out, want1, 30, "round %d", round);
        cr_assert_eq(pii_siv_seal(k1, 32, ads1, &adl1, 1, pt1, n1, out), 0); /* same key again */
        cr_expect_arr_eq(out, want1, 30, "round %d", round);
        cr_assert_eq(pii_siv_seal(k2, 32, ads2, lens2, 3, pt2, n2, out), 0);
        cr_expect_arr_eq(out, want2, w2, "round %d", round);
        out[w2 - 1] ^= 1;
        cr_expect_eq(pii_siv_open(k2, 32, ads2, lens2, 3, out, w2, back), -1);
        out[w2 - 1] ^= 1;
        cr_assert_eq(pii_siv_open(k2, 32, ads2, lens2, 3, out, w2, back), 0);
        cr_expect_arr_eq(back, pt2, n2, "round %d", round);
        cr_assert_eq(pii_siv_open(k1, 32, ads1, &adl1, 1, want1, 30, back), 0);
        cr_expect_arr_eq(back, pt1, n1, "round %d", round);
    }
}

Test(base32, rfc4648_vectors_without_padding)
{
    static const char *const vec[][2] = {
        {"", ""}, {"f", "MY"}, {"fo", "MZXQ"}, {"foo", "MZXW6"}, {"foob", "MZXW6YQ"},
        {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"},
    };
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
        char enc[32] = {0};
        size_t n = pii_b32_encode((const uint8_t *)vec[i][0], strlen(vec[i][0]), enc);
        cr_expect_str_eq(enc, vec[i][1]);
        cr_expect_eq(n, pii_b32_len(strlen(vec[i][0])));
        uint8_t dec[32];
        cr_expect_eq(pii_b32_decode(enc, n, dec, sizeof dec), (ssize_t)strlen(vec[i][0]));
        cr_expect_arr_eq(dec, vec[i][0], strlen(vec[i][0]));
    }
}

Test(base32, rejects_non_canonical)
{
    uint8_t out[16];
    cr_expect_eq(pii_b32_decode("MZ", 2, out, 16), -1);    /* trailing bits set */
    cr_expect_eq(pii_b32_decode("MZX", 3, out, 16), -1);   /* impossible length */
    cr_expect_eq(pii_b32_decode("mzxq", 4, out, 16), -1);  /* lower case */
    cr_expect_eq(pii_b32_decode("MZX1", 4, out, 16), -1);  /* 1 is not in the alphabet */
    cr_expect_eq(pii_b32_decode("MZXW6YTBOI", 10, out, 2), -1); /* does not fit */
}
