/*
 * op_siv.c -- AES-SIV (RFC 5297) for the encrypt operator.
 *
 * SIV is deterministic authenticated encryption: the same value under the
 * same key and associated data always gives the same token, which is what
 * lets joins keep working on encrypted columns, while any change to a token
 * makes it fail to decrypt instead of decrypting to a wrong value.  The
 * cipher itself is OpenSSL 3's provider implementation (S2V over CMAC, then
 * AES-CTR); nothing cryptographic is implemented here.  Each element of ad
 * is one S2V input component, so the RFC's nonce-based mode is simply the
 * nonce passed as the last component.
 */
#include <pthread.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "op_int.h"

#define SIV_TAG 16

static EVP_CIPHER *siv_ciphers[3]; /* AES-128/192/256-SIV, fetched once */
static pthread_once_t siv_once = PTHREAD_ONCE_INIT;

static void siv_fetch(void)
{
    static const char *const names[3] = {"AES-128-SIV", "AES-192-SIV", "AES-256-SIV"};
    for (int i = 0; i < 3; i++)
        siv_ciphers[i] = EVP_CIPHER_fetch(NULL, names[i], NULL);
}

static const EVP_CIPHER *siv_cipher(size_t keylen)
{
    pthread_once(&siv_once, siv_fetch);
    switch (keylen) {
    case 32:
        return siv_ciphers[0];
    case 48:
        return siv_ciphers[1];
    case 64:
        return siv_ciphers[2];
    default:
        return NULL;
    }
}

static int add_ad(EVP_CIPHER_CTX *ctx, const uint8_t *const *ad, const size_t *adlen,
                  size_t nad)
{
    for (size_t i = 0; i < nad; i++) {
        int outl;
        if (adlen[i] > INT32_MAX || !EVP_CipherUpdate(ctx, NULL, &outl, ad[i], (int)adlen[i]))
            return -1;
    }
    return 0;
}

/* OpenSSL's SIV takes the whole message in one update call. */
int pii_siv_seal(const uint8_t *key, size_t keylen, const uint8_t *const *ad,
                 const size_t *adlen, size_t nad, const uint8_t *pt, size_t n,
                 uint8_t *out)
{
    const EVP_CIPHER *c = siv_cipher(keylen);
    if (!c || n == 0 || n > INT32_MAX)
        return -1;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int outl, finl, rc = -1;
    if (ctx && EVP_EncryptInit_ex2(ctx, c, key, NULL, NULL)
        && add_ad(ctx, ad, adlen, nad) == 0
        && EVP_EncryptUpdate(ctx, out + SIV_TAG, &outl, pt, (int)n)
        && (size_t)outl == n
        && EVP_EncryptFinal_ex(ctx, out + SIV_TAG + outl, &finl)
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, SIV_TAG, out))
        rc = 0;
    EVP_CIPHER_CTX_free(ctx);
    return rc;
}

int pii_siv_open(const uint8_t *key, size_t keylen, const uint8_t *const *ad,
                 const size_t *adlen, size_t nad, const uint8_t *in, size_t n,
                 uint8_t *pt)
{
    const EVP_CIPHER *c = siv_cipher(keylen);
    if (!c || n <= SIV_TAG || n - SIV_TAG > INT32_MAX)
        return -1;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int outl, finl, rc = -1;
    if (ctx && EVP_DecryptInit_ex2(ctx, c, key, NULL, NULL)
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, SIV_TAG, (void *)in)
        && add_ad(ctx, ad, adlen, nad) == 0
        && EVP_DecryptUpdate(ctx, pt, &outl, in + SIV_TAG, (int)(n - SIV_TAG))
        && (size_t)outl == n - SIV_TAG
        && EVP_DecryptFinal_ex(ctx, pt + outl, &finl))
        rc = 0;
    EVP_CIPHER_CTX_free(ctx);
    if (rc != 0)
        OPENSSL_cleanse(pt, n - SIV_TAG);
    return rc;
}
