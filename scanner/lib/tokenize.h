/*
 * tokenize.h -- the vectorized run tokenizer.
 *
 * The detector for numeric and hex identifiers starts from "seed" bytes:
 * ASCII digits, ':' (so that a MAC or IPv6 address written only with the
 * letters a-f is seen too), and 0xEF (lead byte of full-width digits
 * U+FF10..FF19 and of the full-width colon U+FF1A).  Between seeds the input is skipped at SIMD
 * speed; around a seed the scalar compound builder (compound.c) takes over.
 *
 * Both an AVX2 and a portable scalar block finder exist and are tested on
 * the same inputs; pii_tokenizer_init() picks one at run time (CPU support) unless
 * PIISCAN_NO_AVX2 is set in the environment.
 */
#ifndef PII_TOKENIZE_H
#define PII_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

/* Byte classes used by the compound builder (bit flags). */
enum {
    PII_C_DIGIT = 1,   /* 0-9 */
    PII_C_HEXL  = 2,   /* a-f A-F */
    PII_C_ALPHA = 4,   /* A-Z a-z */
    PII_C_SEP   = 8,   /* . : - and space: separators inside compounds */
    PII_C_HIGH  = 16   /* >= 0x80 (UTF-8 multibyte) */
};
extern const uint8_t pii_byte_class[256];

/* The seeds of the first block of 64 bytes at or after *from that holds
 * any: *from is set to the block's start and bit k of the result is set
 * iff p[*from + k] is a seed (bits at or past len are clear); 0, with
 * *from = len, if [*from, len) has none. */
typedef uint64_t (*pii_seed_block_fn)(const uint8_t *p, size_t *from, size_t len);

uint64_t pii_seed_block_scalar(const uint8_t *p, size_t *from, size_t len);
#if defined(__x86_64__) || defined(__i386__)
uint64_t pii_seed_block_avx2(const uint8_t *p, size_t *from, size_t len);
#endif

/* Selected implementation (set by pii_tokenizer_init). */
extern pii_seed_block_fn pii_seed_block;

/* The seeds of p[0, len) one after another.  Logs hold a seed every 20-odd
 * bytes; a call per seed (a vector compare of the bytes after it, then
 * the AVX-to-SSE state change on return) cost more than finding them.
 * The iterator keeps one block's bits and hands them out inline, calling
 * the block finder once per block. */
typedef struct pii_seeds {
    const uint8_t *p;
    size_t len, base;   /* bits: the seeds of [base, base + 64) */
    uint64_t bits;
} pii_seeds;

static inline void pii_seeds_init(pii_seeds *s, const uint8_t *p, size_t len)
{
    *s = (pii_seeds){ .p = p, .len = len, .base = len, .bits = 0 };
}

/* First seed at or after i; len if none.  i may go back (a caller that
 * re-reads a byte): the block is then found again. */
static inline size_t pii_seeds_next(pii_seeds *s, size_t i)
{
    if (i >= s->base && i - s->base < 64) {
        uint64_t m = s->bits >> (i - s->base);
        if (m)
            return i + (size_t)__builtin_ctzll(m);
        i = s->base + 64;
    }
    if (i >= s->len)
        return s->len;
    s->base = i;
    s->bits = pii_seed_block(s->p, &s->base, s->len);
    return s->bits ? s->base + (size_t)__builtin_ctzll(s->bits) : s->len;
}

/* Choose AVX2 when the CPU has it (and PIISCAN_NO_AVX2 is unset).
 * Thread-safe, idempotent.  Returns "avx2" or "scalar". */
const char *pii_tokenizer_init(void);

#endif
