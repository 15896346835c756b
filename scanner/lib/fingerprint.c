/*
 * fingerprint.c -- keyed fingerprint of a normalized value, and the HMAC
 * behind it.
 *
 * Reports show a fingerprint so that equal values can be grouped without
 * being revealed.  A plain hash would not do: the space of phone numbers or
 * ID numbers is small enough to enumerate, so an unkeyed hash is as good as
 * the value.  With HMAC, only the key holder can test a guess.
 *
 * The type name is part of the message ("CN_MOBILE\0<norm>") so the same
 * digits found as two different types do not link.  64 bits are plenty to
 * group findings in one report and short enough to read.
 */
#include <pthread.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "hmac.h"
#include "piiscan.h"

/* Fetching an algorithm walks the provider tables under a lock; do it
 * once per process rather than once per finding. */
static EVP_MAC *hmac_alg;
static pthread_once_t hmac_once = PTHREAD_ONCE_INIT;

/* One MAC context per thread, kept between calls (a report fingerprints
 * every finding; a context per call would allocate on every one).  The
 * thread-specific destructor frees it when the thread ends. */
static pthread_key_t ctx_key;

static void free_ctx(void *c) { EVP_MAC_CTX_free(c); }

static void fetch_hmac(void)
{
    hmac_alg = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (pthread_key_create(&ctx_key, free_ctx) != 0)
        hmac_alg = NULL;
}

static EVP_MAC_CTX *thread_ctx(void)
{
    EVP_MAC_CTX *ctx = pthread_getspecific(ctx_key);
    if (!ctx && (ctx = EVP_MAC_CTX_new(hmac_alg)) != NULL && pthread_setspecific(ctx_key, ctx) != 0) {
        EVP_MAC_CTX_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

static int hmac_run(EVP_MAC_CTX *ctx, const unsigned char *key, size_t keylen,
                    const void *const *parts, const size_t *lens, size_t nparts,
                    unsigned char *out)
{
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    if (!EVP_MAC_init(ctx, key, keylen, params))
        return -1;
    for (size_t i = 0; i < nparts; i++)
        if (lens[i] && !EVP_MAC_update(ctx, parts[i], lens[i]))
            return -1;
    size_t outl = 0;
    if (!EVP_MAC_final(ctx, out, &outl, PII_HMAC_SHA256_LEN) ||
        outl != PII_HMAC_SHA256_LEN)
        return -1;
    return 0;
}

int pii_hmac_sha256(const unsigned char *key, size_t keylen, const void *const *parts,
                    const size_t *lens, size_t nparts,
                    unsigned char out[PII_HMAC_SHA256_LEN])
{
    /* EVP_MAC_init treats a NULL key as "keep the previous key" and fails
     * on a fresh context; spell the zero key out instead. */
    static const unsigned char zero_key[PII_HMAC_SHA256_LEN];
    if (!key || keylen == 0) {
        key = zero_key;
        keylen = sizeof zero_key;
    }
    pthread_once(&hmac_once, fetch_hmac);
    EVP_MAC_CTX *ctx = hmac_alg ? thread_ctx() : NULL;
    int rc = ctx ? hmac_run(ctx, key, keylen, parts, lens, nparts, out) : -1;
    if (rc != 0)
        memset(out, 0, PII_HMAC_SHA256_LEN);
    return rc;
}

void piiscan_fingerprint(const unsigned char *key, size_t keylen, piiscan_type t,
                         const char *norm, size_t len, char out[17])
{
    static const char hex[] = "0123456789abcdef";
    const char *name = piiscan_type_name(t);
    if (!name)
        name = "";
    const void *parts[2] = {name, norm ? norm : ""};
    const size_t lens[2] = {strlen(name) + 1, norm ? len : 0};
    unsigned char mac[PII_HMAC_SHA256_LEN];
    /* On an OpenSSL failure mac is all zeros: every value then shares one
     * fingerprint, which loses grouping but never reveals anything. */
    (void)pii_hmac_sha256(key, keylen, parts, lens, 2, mac);
    for (size_t i = 0; i < 8; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 15];
    }
    out[16] = '\0';
}
