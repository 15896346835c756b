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
#include <stdbool.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "hmac.h"
#include "piiscan.h"

static pthread_once_t hmac_once = PTHREAD_ONCE_INIT;
static bool hmac_key_ok;

/* Per thread, a MAC context for each of the last two keys, kept between
 * calls.  A report fingerprints every finding and redact's hash operator
 * uses a second key; setting a key up again (digest fetch, two SHA-256
 * blocks of padding) cost more than the MAC itself, so a context that
 * already holds the right key is only re-armed (EVP_MAC_init with a NULL
 * key keeps the previous one).  The thread-specific destructor frees the
 * contexts and wipes the key copies when the thread ends.
 *
 * Re-arming copies the keyed digest state, which takes a reference on the
 * SHA-256 method and drops one: an atomic counter that every thread
 * fetching from one library context shares, bounced between cores once
 * per finding.  So each thread fetches HMAC (once: fetching walks the
 * provider tables under a lock) from a library context of its own, whose
 * objects no other thread touches (op_siv.c measured it). */
#define KEY_SLOTS 2
#define KEY_CACHE_MAX 64

typedef struct keyed_ctx {
    EVP_MAC_CTX *ctx;
    size_t keylen;                     /* 0: no key set yet */
    unsigned char key[KEY_CACHE_MAX];
} keyed_ctx;

typedef struct thread_macs {
    OSSL_LIB_CTX *lib;
    EVP_MAC *hmac;
    keyed_ctx slot[KEY_SLOTS];
    unsigned next;                     /* slot to replace on a miss */
} thread_macs;

static pthread_key_t ctx_key;

static void free_macs(void *v)
{
    thread_macs *t = v;
    for (int i = 0; i < KEY_SLOTS; i++)
        EVP_MAC_CTX_free(t->slot[i].ctx);
    EVP_MAC_free(t->hmac);
    OSSL_LIB_CTX_free(t->lib);
    OPENSSL_cleanse(t, sizeof *t);
    OPENSSL_free(t);
}

static void make_key(void)
{
    hmac_key_ok = pthread_key_create(&ctx_key, free_macs) == 0;
}

static thread_macs *thread_state(void)
{
    thread_macs *t = pthread_getspecific(ctx_key);
    if (t)
        return t;
    t = OPENSSL_zalloc(sizeof *t);
    if (!t)
        return NULL;
    if (!(t->lib = OSSL_LIB_CTX_new()) || !(t->hmac = EVP_MAC_fetch(t->lib, "HMAC", NULL))) {
        free_macs(t);
        return NULL;
    }
    for (int i = 0; i < KEY_SLOTS; i++)
        if (!(t->slot[i].ctx = EVP_MAC_CTX_new(t->hmac))) {
            free_macs(t);
            return NULL;
        }
    if (pthread_setspecific(ctx_key, t) != 0) {
        free_macs(t);
        return NULL;
    }
    return t;
}

/* Arm a context for a MAC under key: reuse a slot that holds it already.
 * A plain memcmp tells: both sides are this process's own key copies.
 * Its time does show where a key first differs from one cached on the
 * same thread, which matters only to callers who must keep keys secret
 * from each other inside one process -- not a use of this library.
 * (CRYPTO_memcmp here, once per finding, was 3% of a scan of a customer
 * table.) */
static EVP_MAC_CTX *armed_ctx(thread_macs *t, const unsigned char *key, size_t keylen)
{
    for (int i = 0; i < KEY_SLOTS; i++) {
        keyed_ctx *s = &t->slot[i];
        if (s->keylen == keylen && memcmp(s->key, key, keylen) == 0)
            return EVP_MAC_init(s->ctx, NULL, 0, NULL) ? s->ctx : NULL;
    }
    keyed_ctx *s = &t->slot[t->next];
    t->next = (t->next + 1) % KEY_SLOTS;
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    s->keylen = 0;
    if (!EVP_MAC_init(s->ctx, key, keylen, params))
        return NULL;
    if (keylen <= KEY_CACHE_MAX) {   /* longer keys are set up every time */
        memcpy(s->key, key, keylen);
        s->keylen = keylen;
    }
    return s->ctx;
}

static int hmac_run(EVP_MAC_CTX *ctx, const void *const *parts, const size_t *lens, size_t nparts,
                    unsigned char *out)
{
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
    pthread_once(&hmac_once, make_key);
    thread_macs *t = hmac_key_ok ? thread_state() : NULL;
    EVP_MAC_CTX *ctx = t ? armed_ctx(t, key, keylen) : NULL;
    int rc = ctx ? hmac_run(ctx, parts, lens, nparts, out) : -1;
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
