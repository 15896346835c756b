/*
 * test_siv.c -- AES-SIV against RFC 5297 appendix A (A.1 deterministic,
 * A.2 nonce-based with two AD components and a nonce) and against
 * OpenSSL's own AES-SIV cipher on random inputs, and base32.
 */
#include <criterion/criterion.h>
#include <openssl/evp.h>
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

/* An RFC 5297 appendix A example: key, AD components, plaintext and the
 * published output (SIV || ciphertext). */
typedef struct siv_vec {
    uint8_t key[32], ad[3][40], pt[64], want[80];
    const uint8_t *ads[3];
    size_t adl[3], nad, n, wl;
} siv_vec;

static void rfc5297_a1(siv_vec *v)
{
    unhex("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", v->key);
    v->adl[0] = unhex("101112131415161718191a1b1c1d1e1f2021222324252627", v->ad[0]);
    v->nad = 1;
    v->n = unhex("112233445566778899aabbccddee", v->pt);
    v->wl = unhex("85632d07c6e8f37f950acd320a2ecc9340c02b9690c4dc04daef7f6afe5c", v->want);
    v->ads[0] = v->ad[0];
}

/* A.2: two AD components and a nonce. */
static void rfc5297_a2(siv_vec *v)
{
    unhex("7f7e7d7c7b7a79787776757473727170404142434445464748494a4b4c4d4e4f", v->key);
    v->adl[0] = unhex("00112233445566778899aabbccddeeffdeaddadadeaddadaffeeddccbbaa99887766554433221100", v->ad[0]);
    v->adl[1] = unhex("102030405060708090a0", v->ad[1]);
    v->adl[2] = unhex("09f911029d74e35bd84156c5635688c0", v->ad[2]);
    v->nad = 3;
    v->n = unhex("7468697320697320736f6d6520706c61696e7465787420746f20656e6372797074207573696e67205349562d414553",
                 v->pt);
    v->wl = unhex("7bdb6e3b432667eb06f4d14bff2fbd0fcb900f2fddbe404326601965c889bf17"
                  "dba77ceb094fa663b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d",
                  v->want);
    for (int i = 0; i < 3; i++)
        v->ads[i] = v->ad[i];
}

/* Seal gives the published output, open gives the plaintext back. */
static void seal_open(const siv_vec *v, int round)
{
    uint8_t out[80], back[64];
    cr_assert_eq(v->wl, 16 + v->n);
    cr_assert_eq(pii_siv_seal(v->key, 32, v->ads, v->adl, v->nad, v->pt, v->n, out), 0);
    cr_expect_arr_eq(out, v->want, v->wl, "round %d", round);
    cr_assert_eq(pii_siv_open(v->key, 32, v->ads, v->adl, v->nad, out, v->wl, back), 0);
    cr_expect_arr_eq(back, v->pt, v->n, "round %d", round);
}

Test(siv, rfc5297_a1_deterministic)
{
    siv_vec v;
    rfc5297_a1(&v);
    seal_open(&v, 0);
}

Test(siv, rfc5297_a2_nonce_based)
{
    siv_vec v;
    rfc5297_a2(&v);
    seal_open(&v, 0);
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

/* Each thread keeps its last key's contexts and re-arms them: seals
 * and opens that alternate between the two RFC keys, with a failed open
 * in between, must all give the published answers. */
Test(siv, key_changes_and_failures_between_calls)
{
    siv_vec a1, a2;
    rfc5297_a1(&a1);
    rfc5297_a2(&a2);
    uint8_t out[80], back[64];
    for (int round = 0; round < 3; round++) {
        seal_open(&a1, round);
        seal_open(&a1, round); /* same key again */
        cr_assert_eq(pii_siv_seal(a2.key, 32, a2.ads, a2.adl, 3, a2.pt, a2.n, out), 0);
        cr_expect_arr_eq(out, a2.want, a2.wl, "round %d", round);
        out[a2.wl - 1] ^= 1;
        cr_expect_eq(pii_siv_open(a2.key, 32, a2.ads, a2.adl, 3, out, a2.wl, back), -1);
        seal_open(&a2, round);
        cr_assert_eq(pii_siv_open(a1.key, 32, a1.ads, a1.adl, 1, a1.want, a1.wl, back), 0);
        cr_expect_arr_eq(back, a1.pt, a1.n, "round %d", round);
    }
}

/* OpenSSL's AES-SIV (the provider cipher) as the reference: V || C. */
static void openssl_siv(const uint8_t *key, size_t keylen, const uint8_t *const *ad, const size_t *adl,
                        size_t nad, const uint8_t *pt, size_t n, uint8_t *out)
{
    static const char *const names[] = {"AES-128-SIV", "AES-192-SIV", "AES-256-SIV"};
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, names[keylen / 16 - 2], NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    cr_assert(c && ctx && EVP_EncryptInit_ex2(ctx, c, key, NULL, NULL));
    int outl;
    for (size_t i = 0; i < nad; i++)
        cr_assert(EVP_EncryptUpdate(ctx, NULL, &outl, ad[i], (int)adl[i]));
    cr_assert(EVP_EncryptUpdate(ctx, out + 16, &outl, pt, (int)n) && (size_t)outl == n);
    cr_assert(EVP_EncryptFinal_ex(ctx, out + 16 + n, &outl));
    cr_assert(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, out));
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(c);
}

/* Every key size, 0 to 3 AD components of 0 to 69 bytes (the memo of
 * first components included: a few recur, under changing keys) and
 * plaintexts of 1 to 99 bytes (under, at and over one block, where S2V
 * pads or xors the end), against OpenSSL; each output opens again, and
 * fails to open with its last byte changed. */
Test(siv, same_as_openssl_on_random_inputs)
{
    uint64_t x = 0x9E3779B97F4A7C15ull;
    uint8_t keys[3][64], adbuf[3][70], pt[100], got[116], want[116], back[100];
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 64; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            keys[k][i] = (uint8_t)(x >> 40);
        }
    for (int round = 0; round < 3000; round++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        size_t keylen = 32 + 16 * (size_t)((x >> 33) % 3);
        const uint8_t *key = keys[(x >> 40) % 3];
        size_t nad = (x >> 45) % 4, n = 1 + (x >> 50) % 99;
        const uint8_t *ad[3];
        size_t adl[3];
        for (size_t i = 0; i < nad; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            /* one first component in four is one of three fixed names */
            if (i == 0 && (x >> 60) < 4) {
                static const char *const names[] = {"CN_MOBILE", "EMAIL", "CN_RESIDENT_ID"};
                ad[0] = (const uint8_t *)names[(x >> 58) % 3];
                adl[0] = strlen(names[(x >> 58) % 3]);
                continue;
            }
            adl[i] = (x >> 33) % 70;
            for (size_t j = 0; j < adl[i]; j++)
                adbuf[i][j] = (uint8_t)(x >> (j % 7 * 8)) + (uint8_t)j;
            ad[i] = adbuf[i];
        }
        for (size_t j = 0; j < n; j++)
            pt[j] = (uint8_t)(x >> (j % 5 * 8)) ^ (uint8_t)(round + j);
        cr_assert_eq(pii_siv_seal(key, keylen, ad, adl, nad, pt, n, got), 0);
        openssl_siv(key, keylen, ad, adl, nad, pt, n, want);
        cr_assert_arr_eq(got, want, 16 + n, "round %d: keylen %zu, %zu AD, %zu bytes", round, keylen, nad, n);
        cr_assert_eq(pii_siv_open(key, keylen, ad, adl, nad, got, 16 + n, back), 0, "round %d", round);
        cr_assert_arr_eq(back, pt, n, "round %d", round);
        got[15 + n] ^= 0x40;
        cr_assert_eq(pii_siv_open(key, keylen, ad, adl, nad, got, 16 + n, back), -1, "round %d", round);
    }
}

/* An empty component counts (RFC 5297, and OpenSSL): no AD and one empty
 * AD give different tokens, and neither opens as the other.  Sealed first
 * under a fresh key, when the memo of first components is empty: a free
 * memo entry must not pass for an empty component's. */
Test(siv, an_empty_component_counts)
{
    uint8_t key[32] = {1}, a[21], b[21], want[21], back[5];
    const uint8_t *ad[] = {(const uint8_t *)""};
    size_t adl = 0;
    cr_assert_eq(pii_siv_seal(key, 32, ad, &adl, 1, (const uint8_t *)"hello", 5, b), 0);
    openssl_siv(key, 32, ad, &adl, 1, (const uint8_t *)"hello", 5, want);
    cr_expect_arr_eq(b, want, 21);
    cr_assert_eq(pii_siv_seal(key, 32, NULL, NULL, 0, (const uint8_t *)"hello", 5, a), 0);
    openssl_siv(key, 32, NULL, NULL, 0, (const uint8_t *)"hello", 5, want);
    cr_expect_arr_eq(a, want, 21);
    cr_expect_arr_neq(a, b, 16);
    cr_expect_eq(pii_siv_open(key, 32, ad, &adl, 1, a, 21, back), -1);
    cr_expect_eq(pii_siv_open(key, 32, NULL, NULL, 0, b, 21, back), -1);
    cr_expect_eq(pii_siv_open(key, 32, ad, &adl, 1, b, 21, back), 0);
}

/* Keys that differ in one byte only (the first or last of K1 or K2), and
 * first components that are prefixes of each other, one after another:
 * neither the cached key nor the memo may answer for the other. */
Test(siv, near_keys_and_prefix_components)
{
    static const char *const names[] = {"CN_MOBILE", "CN_MOBIL", "CN_MOBILE_", "CN_MOBILE"};
    /* each key used right after the base key, and the base key after it */
    static const int flip[] = {-1, 0, -1, 31, -1, 32, -1, 63, -1};
    uint8_t key[64], got[40], want[40];
    for (int i = 0; i < 64; i++)
        key[i] = (uint8_t)(7 * i + 3);
    for (size_t f = 0; f < sizeof flip / sizeof flip[0]; f++) {
        if (flip[f] >= 0)
            key[flip[f]] ^= 1;
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
            const uint8_t *ad[] = {(const uint8_t *)names[k]};
            size_t adl = strlen(names[k]);
            cr_assert_eq(pii_siv_seal(key, 64, ad, &adl, 1, (const uint8_t *)"13812345678", 11, got), 0);
            openssl_siv(key, 64, ad, &adl, 1, (const uint8_t *)"13812345678", 11, want);
            cr_expect_arr_eq(got, want, 27, "flip %d, %s", flip[f], names[k]);
        }
        if (flip[f] >= 0)
            key[flip[f]] ^= 1;
    }
}

/* Any one byte changed, in the tag or the ciphertext, and the open fails
 * and leaves nothing of the decryption behind. */
Test(siv, every_byte_authenticated_and_failures_wiped)
{
    uint8_t key[64] = {9}, tok[16 + 20], back[20];
    const uint8_t *ad[] = {(const uint8_t *)"EMAIL"};
    size_t adl = 5;
    cr_assert_eq(pii_siv_seal(key, 64, ad, &adl, 1, (const uint8_t *)"someone@example.com", 20, tok), 0);
    for (size_t i = 0; i < sizeof tok; i++) {
        tok[i] ^= 0x10;
        memset(back, 0xAA, sizeof back);
        cr_expect_eq(pii_siv_open(key, 64, ad, &adl, 1, tok, sizeof tok, back), -1, "byte %zu", i);
        for (size_t j = 0; j < sizeof back; j++)
            cr_expect_eq(back[j], 0, "byte %zu: output byte %zu not wiped", i, j);
        tok[i] ^= 0x10;
    }
    cr_expect_eq(pii_siv_open(key, 64, ad, &adl, 1, tok, sizeof tok, back), 0);
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

/* Whole five-byte groups and every tail length: the (unchanged, bit at
 * a time) decoder gives each string back. */
Test(base32, round_trip_every_length)
{
    uint8_t in[41], dec[41];
    char enc[72];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i * 37 + 11);
    for (size_t n = 0; n <= sizeof in; n++) {
        size_t el = pii_b32_encode(in, n, enc);
        cr_assert_eq(el, pii_b32_len(n));
        cr_assert_eq(pii_b32_decode(enc, el, dec, sizeof dec), (ssize_t)n, "%zu bytes", n);
        cr_assert_arr_eq(dec, in, n, "%zu bytes", n);
    }
    cr_expect_eq(pii_b32_encode((const uint8_t *)"foobarfooba", 11, enc), 18);
    cr_expect_arr_eq(enc, "MZXW6YTBOJTG633CME", 18);   /* Python base64.b32encode, padding dropped */
}

Test(base32, rejects_non_canonical)
{
    uint8_t out[16];
    cr_expect_eq(pii_b32_decode("MZ", 2, out, 16), -1);    /* trailing bits set */
    cr_expect_eq(pii_b32_decode("MZX", 3, out, 16), -1);   /* impossible length */
    cr_expect_eq(pii_b32_decode("mzxq", 4, out, 16), -1);  /* lower case */
    cr_expect_eq(pii_b32_decode("MZX1", 4, out, 16), -1);  /* 1 is not in the alphabet */
    cr_expect_eq(pii_b32_decode("MZXW6YTBOI", 10, out, 2), -1); /* does not fit */
    /* the same in a whole group of eight, at its first and last place */
    cr_expect_eq(pii_b32_decode("MZXW6YTBOI", 10, out, 16), 6);
    cr_expect_eq(pii_b32_decode("mZXW6YTBOI", 10, out, 16), -1);
    cr_expect_eq(pii_b32_decode("MZXW6YT1OI", 10, out, 16), -1);
    cr_expect_eq(pii_b32_decode("MZXW6YT\xC3OI", 10, out, 16), -1);
    cr_expect_eq(pii_b32_decode("MZXW6YT=OI", 10, out, 16), -1);
}
