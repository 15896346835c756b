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
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "op_int.h"

#define SIV_TAG 16
#define SIV_KEY_MAX 64

static pthread_once_t siv_once = PTHREAD_ONCE_INIT;
static pthread_key_t siv_tls;
static bool siv_tls_ok;

/* Keying an SIV context is most of the cost of one token: OpenSSL fetches
 * CMAC and two ciphers by name, expands two AES keys and computes
 * CMAC(0^128).  And a keyed context encrypts or decrypts only once (the
 * S2V state is consumed).  So each thread keeps, for the last key it
 * used, one context keyed for each direction as a template, and every
 * call works on a copy (EVP_CIPHER_CTX_copy: the provider duplicates the
 * keyed state, no fetch, no key schedule).
 *
 * Each copy also takes a reference on the cipher and on the CMAC and AES
 * methods inside it, and drops them when the next copy resets the
 * context: atomic counters in objects that every thread fetching from one
 * library context shares.  On two vCPUs that cache line bouncing between
 * cores made encrypt at two threads take up to twice the CPU time of one.
 * So each thread fetches from a library context of its own, whose
 * objects (and the provider's inner fetches) no other thread touches. */
typedef struct thread_siv {
    OSSL_LIB_CTX *lib;
    EVP_CIPHER *cipher[3];             /* AES-128/192/256-SIV, fetched on first use */
    EVP_CIPHER_CTX *tmpl[2];           /* [0] decrypt, [1] encrypt */
    EVP_CIPHER_CTX *work;
    size_t keylen;                     /* 0: no key set */
    unsigned char key[SIV_KEY_MAX];
} thread_siv;

static void free_thread_siv(void *v)
{
    thread_siv *t = v;
    EVP_CIPHER_CTX_free(t->tmpl[0]);
    EVP_CIPHER_CTX_free(t->tmpl[1]);
    EVP_CIPHER_CTX_free(t->work);
    for (int i = 0; i < 3; i++)
        EVP_CIPHER_free(t->cipher[i]);
    OSSL_LIB_CTX_free(t->lib);
    OPENSSL_cleanse(t, sizeof *t);
    OPENSSL_free(t);
}

static void siv_key_create(void)
{
    siv_tls_ok = pthread_key_create(&siv_tls, free_thread_siv) == 0;
}

static thread_siv *thread_state(void)
{
    thread_siv *t = pthread_getspecific(siv_tls);
    if (t)
        return t;
    if (!(t = OPENSSL_zalloc(sizeof *t)))
        return NULL;
    if (!(t->lib = OSSL_LIB_CTX_new()) || !(t->tmpl[0] = EVP_CIPHER_CTX_new()) || !(t->tmpl[1] = EVP_CIPHER_CTX_new())
        || !(t->work = EVP_CIPHER_CTX_new()) || pthread_setspecific(siv_tls, t) != 0) {
        free_thread_siv(t);
        return NULL;
    }
    return t;
}

/* The thread's SIV cipher for keylen bytes of key (two AES keys). */
static const EVP_CIPHER *siv_cipher(thread_siv *t, size_t keylen)
{
    static const char *const names[3] = {"AES-128-SIV", "AES-192-SIV", "AES-256-SIV"};
    int i = keylen == 32 ? 0 : keylen == 48 ? 1 : keylen == 64 ? 2 : -1;
    if (i < 0)
        return NULL;
    if (!t->cipher[i])
        t->cipher[i] = EVP_CIPHER_fetch(t->lib, names[i], NULL);
    return t->cipher[i];
}

/* A fresh context for one seal (enc) or open under key: a copy of the
 * thread's template, which is keyed again only when the key changes.
 * Owned by the thread state; NULL on failure. */
static EVP_CIPHER_CTX *fresh_ctx(const uint8_t *key, size_t keylen, int enc)
{
    pthread_once(&siv_once, siv_key_create);
    thread_siv *t = siv_tls_ok ? thread_state() : NULL;
    const EVP_CIPHER *c = t ? siv_cipher(t, keylen) : NULL;
    if (!c)
        return NULL;
    if (t->keylen != keylen || CRYPTO_memcmp(t->key, key, keylen) != 0) {
        t->keylen = 0;
        if (!EVP_DecryptInit_ex2(t->tmpl[0], c, key, NULL, NULL)
            || !EVP_EncryptInit_ex2(t->tmpl[1], c, key, NULL, NULL))
            return NULL;
        memcpy(t->key, key, keylen);
        t->keylen = keylen;
    }
    return EVP_CIPHER_CTX_copy(t->work, t->tmpl[enc]) ? t->work : NULL;
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
    if (n == 0 || n > INT32_MAX)
        return -1;
    EVP_CIPHER_CTX *ctx = fresh_ctx(key, keylen, 1);
    int outl, finl;
    if (ctx && add_ad(ctx, ad, adlen, nad) == 0
        && EVP_EncryptUpdate(ctx, out + SIV_TAG, &outl, pt, (int)n)
        && (size_t)outl == n
        && EVP_EncryptFinal_ex(ctx, out + SIV_TAG + outl, &finl)
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, SIV_TAG, out))
        return 0;
    return -1;
}

int pii_siv_open(const uint8_t *key, size_t keylen, const uint8_t *const *ad,
                 const size_t *adlen, size_t nad, const uint8_t *in, size_t n,
                 uint8_t *pt)
{
    if (n <= SIV_TAG || n - SIV_TAG > INT32_MAX)
        return -1;
    EVP_CIPHER_CTX *ctx = fresh_ctx(key, keylen, 0);
    int outl, finl, rc = -1;
    if (ctx && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, SIV_TAG, (void *)in)
        && add_ad(ctx, ad, adlen, nad) == 0
        && EVP_DecryptUpdate(ctx, pt, &outl, in + SIV_TAG, (int)(n - SIV_TAG))
        && (size_t)outl == n - SIV_TAG
        && EVP_DecryptFinal_ex(ctx, pt + outl, &finl))
        rc = 0;
    if (rc != 0)
        OPENSSL_cleanse(pt, n - SIV_TAG);
    return rc;
}
