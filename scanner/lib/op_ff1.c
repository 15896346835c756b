/*
 * op_ff1.c -- FF1 format-preserving encryption, NIST SP 800-38G (Rev. 1).
 *
 * A straight transcription of Algorithms 7 and 8: a 10-round Feistel network
 * over numeral strings whose round function is AES-CBC-MAC (PRF) of the
 * tweak, the round number and the other half, expanded by AES in counter
 * fashion.  AES is OpenSSL's (ECB, one block at a time, chained here -- the
 * CBC-MAC of step 6.ii); the NUM/STR conversions of long strings use
 * OpenSSL BIGNUM because a half of a 256-digit string is far beyond 64 bits.
 *
 * Rev. 1 requires radix^minlen >= 10^6: on a smaller domain an attacker can
 * tabulate the whole permutation from a handful of known pairs.  That check
 * lives here so that no caller can forget it.
 *
 * Speed: FPE calls FF1 once per value and again per cycle-walking step (a
 * resident ID takes about three on average), so per-call set-up dominated: a new
 * AES key schedule and a BN_CTX each call.  The keyed AES context is kept
 * per thread (ECB with whole blocks holds no state between calls), and when
 * radix^v < 2^56 -- every identifier piiscan handles -- the halves are
 * held as uint64_t numbers through all ten rounds (read and written as
 * numeral strings once per call); BIGNUM remains for longer strings.  The
 * CBC-MAC of P and of Q's tweak-only blocks is the same in every round of
 * a call and is computed once.  All of this is the same arithmetic; the
 * unit tests pin answers of earlier, plainer code for each path, both
 * sides of the limit and tweaks across block boundaries.
 */
#include <pthread.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "op_int.h"

static EVP_CIPHER *ecb[3]; /* AES-128/192/256-ECB, fetched once */
static pthread_once_t ecb_once = PTHREAD_ONCE_INIT;
static pthread_key_t aes_tls;
static bool aes_tls_ok;

/* The last key a thread used, with its AES context ready to encrypt. */
typedef struct thread_aes {
    EVP_CIPHER_CTX *ctx;
    size_t keylen;                     /* 0: no key set */
    unsigned char key[32];
} thread_aes;

static void free_thread_aes(void *v)
{
    thread_aes *t = v;
    EVP_CIPHER_CTX_free(t->ctx);
    OPENSSL_cleanse(t, sizeof *t);
    OPENSSL_free(t);
}

static void ecb_fetch(void)
{
    ecb[0] = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
    ecb[1] = EVP_CIPHER_fetch(NULL, "AES-192-ECB", NULL);
    ecb[2] = EVP_CIPHER_fetch(NULL, "AES-256-ECB", NULL);
    aes_tls_ok = pthread_key_create(&aes_tls, free_thread_aes) == 0;
}

static thread_aes *thread_state(void)
{
    thread_aes *t = pthread_getspecific(aes_tls);
    if (t)
        return t;
    if (!(t = OPENSSL_zalloc(sizeof *t)))
        return NULL;
    if (!(t->ctx = EVP_CIPHER_CTX_new()) || pthread_setspecific(aes_tls, t) != 0) {
        free_thread_aes(t);
        return NULL;
    }
    return t;
}

/* This thread's AES context under key: keyed again only when the key
 * differs from the last one. */
static EVP_CIPHER_CTX *keyed_aes(const uint8_t *key, size_t keylen)
{
    pthread_once(&ecb_once, ecb_fetch);
    const EVP_CIPHER *c = keylen == 16 ? ecb[0] : keylen == 24 ? ecb[1]
                        : keylen == 32 ? ecb[2] : NULL;
    thread_aes *t = c && aes_tls_ok ? thread_state() : NULL;
    if (!t)
        return NULL;
    if (t->keylen == keylen && pii_same_key(t->key, key, keylen))
        return t->ctx;
    t->keylen = 0;
    if (!EVP_EncryptInit_ex2(t->ctx, c, key, NULL, NULL) || !EVP_CIPHER_CTX_set_padding(t->ctx, 0))
        return NULL;
    memcpy(t->key, key, keylen);
    t->keylen = keylen;
    return t->ctx;
}

/* radix^v below this: NUM of any half and y mod radix^m, computed a byte
 * at a time (r * 256 + byte), stay within 64 bits. */
#define SMALL_LIMIT ((uint64_t)1 << 56)

typedef struct ff1_ctx {
    EVP_CIPHER_CTX *aes;               /* the thread's; not freed here */
    bool small;                        /* uint64_t arithmetic */
    uint64_t mod_u64, mod_v64;         /* small: radix^u, radix^v */
    BN_CTX *bn;                        /* !small only */
    BIGNUM *a, *b, *c, *y, *mod_u, *mod_v, *tmp;
    unsigned radix;
    size_t n, u, v, b_len, d_len;
    uint8_t p[16];
    /* The CBC-MAC of P and of the whole blocks at the start of Q that
     * hold only the tweak and its padding: the same in all ten rounds. */
    uint8_t h[16];
    size_t h_blocks;                   /* such blocks of Q */
    bool h_set;
} ff1_ctx;

static int aes_block(ff1_ctx *f, const uint8_t in[16], uint8_t out[16])
{
    int outl;
    return EVP_EncryptUpdate(f->aes, out, &outl, in, 16) && outl == 16 ? 0 : -1;
}

/* r = CBC-MAC continued from chain over q[0, qlen) (a multiple of 16). */
static int cbc_mac(ff1_ctx *f, const uint8_t chain[16], const uint8_t *q, size_t qlen, uint8_t r[16])
{
    if (r != chain)   /* the MAC of P is continued in place */
        memcpy(r, chain, 16);
    for (size_t i = 0; i < qlen; i += 16) {
        uint8_t x[16];
        for (int k = 0; k < 16; k++)
            x[k] = r[k] ^ q[i + (size_t)k];
        if (aes_block(f, x, r) != 0)
            return -1;
    }
    return 0;
}

/* PRF(P || Q), the CBC-MAC with a zero IV of step 6.ii.  P and the blocks
 * of Q before the round number are the same in every round of a call, so
 * their MAC is computed in the first round and continued from after. */
static int prf(ff1_ctx *f, const uint8_t *q, size_t qlen, size_t num_at, uint8_t r[16])
{
    if (!f->h_set) {
        static const uint8_t zero[16];
        f->h_blocks = (num_at - 1) / 16;   /* q[num_at - 1] is the round number */
        if (cbc_mac(f, zero, f->p, 16, f->h) != 0 || cbc_mac(f, f->h, q, 16 * f->h_blocks, f->h) != 0)
            return -1;
        f->h_set = true;
    }
    size_t skip = 16 * f->h_blocks;
    return cbc_mac(f, f->h, q + skip, qlen - skip, r);
}

/* NUM_radix of x[0,n). */
static int num_radix(const ff1_ctx *f, const uint8_t *x, size_t n, BIGNUM *out)
{
    BN_zero(out);
    for (size_t i = 0; i < n; i++)
        if (!BN_mul_word(out, f->radix) || !BN_add_word(out, x[i]))
            return -1;
    return 0;
}

/* STR^m_radix of v (< radix^m) into x[0,m); v is destroyed. */
static int str_radix(const ff1_ctx *f, BIGNUM *v, uint8_t *x, size_t m)
{
    for (size_t i = m; i-- > 0;) {
        BN_ULONG r = BN_div_word(v, f->radix);
        if (r == (BN_ULONG)-1)
            return -1;
        x[i] = (uint8_t)r;
    }
    return 0;
}

/* The same two on uint64_t (small only: the value is < radix^v). */
static uint64_t num64(unsigned radix, const uint8_t *x, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * radix + x[i];
    return v;
}

static void str64(unsigned radix, uint64_t v, uint8_t *x, size_t m)
{
    for (size_t i = m; i-- > 0; v /= radix)
        x[i] = (uint8_t)(v % radix);
}

/* [x]^b, big-endian: the tail of Q (step 6.i) for a half held as a
 * number (small path). */
static void put_u64(const ff1_ctx *f, uint64_t x, uint8_t *out)
{
    for (size_t k = f->b_len; k-- > 0; x >>= 8)
        out[k] = (uint8_t)x;
}

/* [NUM_radix(other)]^b (BIGNUM path). */
static int put_num(ff1_ctx *f, const uint8_t *other, size_t olen, uint8_t *out)
{
    if (num_radix(f, other, olen, f->tmp) != 0)
        return -1;
    return BN_bn2binpad(f->tmp, out, (int)f->b_len) < 0 ? -1 : 0;
}

#define Q_MAX (PII_FF1_MAX_LEN + 16 * 3 + 64)

/* Q up to its round number (step 6.i) in q[Q_MAX]: the tweak and zero
 * padding, the same in every round; the round number goes at the
 * returned offset minus one and the b_len bytes of the number from it
 * (0: Q would not fit).  Sets *qlen. */
static size_t q_head(const ff1_ctx *f, const uint8_t *tweak, size_t tlen, uint8_t *q, size_t *qlen)
{
    size_t pad = (16 - (tlen + f->b_len + 1) % 16) % 16;
    *qlen = tlen + pad + 1 + f->b_len;
    if (*qlen > Q_MAX)
        return 0;
    if (tlen > 0)
        memcpy(q, tweak, tlen);
    memset(q + tlen, 0, pad);
    return tlen + pad + 1;
}

/* S from Q, whose number starts at num_at (steps 6.ii-6.iii): d_len
 * bytes. */
static int round_s(ff1_ctx *f, const uint8_t *q, size_t qlen, size_t num_at, uint8_t *s)
{
    uint8_t r[16];
    if (prf(f, q, qlen, num_at, r) != 0)
        return -1;
    memcpy(s, r, 16);
    for (size_t j = 1; 16 * j < f->d_len; j++) {
        uint8_t x[16];
        memcpy(x, r, 16);
        for (int k = 0; k < 8; k++)
            x[15 - k] ^= (uint8_t)((uint64_t)j >> (8 * k));
        if (aes_block(f, x, s + 16 * j) != 0)
            return -1;
    }
    return 0;
}

/* Step 6.vi's y = NUM(S) reduced mod radix^m (small path). */
static uint64_t s_mod64(const ff1_ctx *f, const uint8_t *s, uint64_t mod)
{
    uint64_t y = 0;
    if (mod <= UINT32_MAX) {   /* d_len is a multiple of 4 */
        for (size_t k = 0; k < f->d_len; k += 4)
            y = ((y << 32) | ((uint64_t)s[k] << 24 | (uint64_t)s[k + 1] << 16
                              | (uint64_t)s[k + 2] << 8 | s[k + 3])) % mod;
    } else {
        for (size_t k = 0; k < f->d_len; k++)
            y = ((y << 8) | s[k]) % mod;
    }
    return y;
}

/* Steps 6.iv-6.vii: c = NUM(x) +- NUM(S) mod radix^m, written to out[0,m)
 * (BIGNUM path). */
static int combine(ff1_ctx *f, const uint8_t *s, const uint8_t *x, size_t m, bool even,
                   bool decrypt, uint8_t *out)
{
    const BIGNUM *mod = even ? f->mod_u : f->mod_v;
    if (!BN_bin2bn(s, (int)f->d_len, f->y) || num_radix(f, x, m, f->c) != 0)
        return -1;
    int ok = decrypt ? BN_mod_sub(f->c, f->c, f->y, mod, f->bn)
                     : BN_mod_add(f->c, f->c, f->y, mod, f->bn);
    return ok ? str_radix(f, f->c, out, m) : -1;
}

/* radix^k, or 0 when it reaches SMALL_LIMIT. */
static uint64_t small_pow(unsigned radix, size_t k)
{
    uint64_t p = 1;
    for (size_t i = 0; i < k; i++)
        if ((p *= radix) >= SMALL_LIMIT)
            return 0;
    return p;
}

/* BIGNUM set-up for strings too long for uint64_t; b_len from radix^v. */
static int bn_setup(ff1_ctx *f)
{
    if (!(f->bn = BN_CTX_new()))
        return -1;
    BN_CTX_start(f->bn); /* ff1_free ends it */
    BIGNUM **bns[] = {&f->a, &f->b, &f->c, &f->y, &f->mod_u, &f->mod_v, &f->tmp};
    for (size_t i = 0; i < sizeof bns / sizeof bns[0]; i++)
        if (!(*bns[i] = BN_CTX_get(f->bn)))
            return -1;
    /* b = ceil(ceil(v * log2(radix)) / 8): the bit length of radix^v - 1
     * is exactly ceil(v * log2(radix)), without floating point. */
    if (!BN_set_word(f->tmp, f->radix) || !BN_set_word(f->c, (BN_ULONG)f->u)
        || !BN_exp(f->mod_u, f->tmp, f->c, f->bn) || !BN_set_word(f->c, (BN_ULONG)f->v)
        || !BN_exp(f->mod_v, f->tmp, f->c, f->bn) || !BN_copy(f->c, f->mod_v)
        || !BN_sub_word(f->c, 1))
        return -1;
    f->b_len = ((size_t)BN_num_bits(f->c) + 7) / 8;
    return 0;
}

static int ff1_setup(ff1_ctx *f, const uint8_t *key, size_t keylen, unsigned radix,
                     size_t n, size_t tlen)
{
    f->radix = radix;
    f->n = n;
    f->u = n / 2;
    f->v = n - f->u;
    if (!(f->aes = keyed_aes(key, keylen)))
        return -1;
    f->mod_u64 = small_pow(radix, f->u);
    f->mod_v64 = small_pow(radix, f->v);
    f->small = f->mod_v64 != 0;   /* v >= u, so radix^u is small too */
    if (f->small) {
        size_t bits = 64 - (size_t)__builtin_clzll(f->mod_v64 - 1);
        f->b_len = (bits + 7) / 8;
    } else if (bn_setup(f) != 0) {
        return -1;
    }
    f->d_len = 4 * ((f->b_len + 3) / 4) + 4;
    const uint8_t p[16] = {1, 2, 1, (uint8_t)(radix >> 16), (uint8_t)(radix >> 8),
                           (uint8_t)radix, 10, (uint8_t)(f->u % 256),
                           (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8),
                           (uint8_t)n, (uint8_t)(tlen >> 24), (uint8_t)(tlen >> 16),
                           (uint8_t)(tlen >> 8), (uint8_t)tlen};
    memcpy(f->p, p, 16);
    return 0;
}

static void ff1_free(ff1_ctx *f)
{
    if (f->bn) {
        BN_CTX_end(f->bn);
        BN_CTX_free(f->bn);
    }
}

/* The Feistel rounds on numeral strings (BIGNUM path); A and B live in
 * buf[0,u) and buf[u,n) and swap roles every round by rotating through a
 * scratch copy. */
static int ff1_rounds(ff1_ctx *f, const uint8_t *tweak, size_t tlen, uint8_t *buf,
                      bool decrypt)
{
    uint8_t a[PII_FF1_MAX_LEN], b[PII_FF1_MAX_LEN], c[PII_FF1_MAX_LEN];
    uint8_t s[16 * ((PII_FF1_MAX_LEN + 15) / 16 + 2)], q[Q_MAX];
    size_t la = f->u, lb = f->v, qlen;
    size_t at = q_head(f, tweak, tlen, q, &qlen);
    if (at == 0)
        return -1;
    memcpy(a, buf, la);
    memcpy(b, buf + la, lb);
    for (unsigned k = 0; k < 10; k++) {
        unsigned i = decrypt ? 9 - k : k;
        size_t m = i % 2 == 0 ? f->u : f->v;
        q[at - 1] = (uint8_t)i;
        /* Encrypt: C = A + y over B.  Decrypt: C = B - y over A. */
        if (put_num(f, decrypt ? a : b, decrypt ? la : lb, q + at) != 0
            || round_s(f, q, qlen, at, s) != 0 || combine(f, s, decrypt ? b : a, m, i % 2 == 0, decrypt, c) != 0)
            return -1;
        if (decrypt) { /* B = A; A = C */
            memcpy(b, a, la);
            lb = la;
            memcpy(a, c, m);
            la = m;
        } else { /* A = B; B = C */
            memcpy(a, b, lb);
            la = lb;
            memcpy(b, c, m);
            lb = m;
        }
    }
    memcpy(buf, a, la);
    memcpy(buf + la, b, lb);
    OPENSSL_cleanse(a, sizeof a);
    OPENSSL_cleanse(b, sizeof b);
    OPENSSL_cleanse(c, sizeof c);
    OPENSSL_cleanse(q, sizeof q);
    return 0;
}

/* The same rounds when radix^v < 2^56: A and B are held as the numbers
 * NUM_radix(A) and NUM_radix(B) from the first round to the last, which
 * is what every step uses of them (Q takes NUM(B), C is NUM(A) + y mod
 * radix^m, and STR^m of a number below radix^m gives it back), so the
 * strings are read once and written once instead of twice per round.
 * Both halves have length u again after ten rounds. */
static int ff1_rounds_small(ff1_ctx *f, const uint8_t *tweak, size_t tlen, uint8_t *buf, bool decrypt)
{
    uint64_t a = num64(f->radix, buf, f->u), b = num64(f->radix, buf + f->u, f->v);
    uint8_t q[Q_MAX], s[16];
    size_t qlen, at = q_head(f, tweak, tlen, q, &qlen);
    if (at == 0)
        return -1;
    for (unsigned k = 0; k < 10; k++) {
        unsigned i = decrypt ? 9 - k : k;
        uint64_t mod = i % 2 == 0 ? f->mod_u64 : f->mod_v64;
        q[at - 1] = (uint8_t)i;
        put_u64(f, decrypt ? a : b, q + at);
        if (round_s(f, q, qlen, at, s) != 0)
            return -1;
        uint64_t y = s_mod64(f, s, mod), c;
        if (decrypt) { /* C = B - y; B = A; A = C */
            c = (b + mod - y) % mod;
            b = a;
            a = c;
        } else { /* C = A + y; A = B; B = C */
            c = (a + y) % mod;
            a = b;
            b = c;
        }
    }
    str64(f->radix, a, buf, f->u);
    str64(f->radix, b, buf + f->u, f->v);
    OPENSSL_cleanse(s, sizeof s);
    OPENSSL_cleanse(q, sizeof q);   /* holds a half of the input or output */
    OPENSSL_cleanse(&a, sizeof a);
    OPENSSL_cleanse(&b, sizeof b);
    return 0;
}

/* radix^n >= 10^6, computed without overflow. */
static bool domain_ok(unsigned radix, size_t n)
{
    uint64_t d = 1;
    for (size_t i = 0; i < n && d < 1000000; i++)
        d *= radix;
    return d >= 1000000;
}

int pii_ff1(const uint8_t *key, size_t keylen, unsigned radix, const uint8_t *tweak,
            size_t tlen, const uint8_t *x, size_t n, uint8_t *y, bool decrypt, char *err,
            size_t errlen)
{
    if (radix < 2 || radix > 36 || n > PII_FF1_MAX_LEN || tlen > 64) {
        pii_op_err(err, errlen, "FF1: radix %u, length %zu or tweak length %zu out of range",
                   radix, n, tlen);
        return -1;
    }
    /* Before FF1's own minimum length of 2: a value of one symbol (an
     * e-mail local part "a") is refused for the reason the user can act on. */
    if (!domain_ok(radix, n)) {
        pii_op_err(err, errlen,
                   "FPE domain too small: %zu symbol%s in radix %u give%s fewer than 10^6 values "
                   "(NIST SP 800-38G Rev. 1); use encrypt or hash instead", n, n == 1 ? "" : "s", radix,
                   n == 1 ? "s" : "");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (x[i] >= radix) {
            pii_op_err(err, errlen, "FF1: numeral %u not below radix %u", x[i], radix);
            return -1;
        }
    uint8_t buf[PII_FF1_MAX_LEN];
    memcpy(buf, x, n);
    ff1_ctx f = {0};
    int rc = ff1_setup(&f, key, keylen, radix, n, tlen);
    if (rc == 0)
        rc = f.small ? ff1_rounds_small(&f, tweak, tlen, buf, decrypt) : ff1_rounds(&f, tweak, tlen, buf, decrypt);
    ff1_free(&f);
    if (rc != 0) {
        OPENSSL_cleanse(buf, sizeof buf);
        pii_op_err(err, errlen, "FF1: OpenSSL failure");
        return -1;
    }
    memcpy(y, buf, n);
    OPENSSL_cleanse(buf, sizeof buf);
    return 0;
}
