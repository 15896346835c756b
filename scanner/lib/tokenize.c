/*
 * tokenize.c -- byte classes, the portable seed block finder and run-time
 * dispatch.
 *
 * The scalar path works eight bytes at a time (SWAR) so that a machine
 * without AVX2, or a run with PIISCAN_NO_AVX2, still skips digit-free text
 * quickly.  Every per-byte test below is exact: each lane is confined to its
 * own byte (high bits are masked off before any addition), so no carry leaks
 * into the neighbour and there are no false positives to re-check.
 */
#include "tokenize.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

const uint8_t pii_byte_class[256] = {
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  /* 00 */
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  /* 10 */
     8,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  8,  8,  0,  /* 20 */
     1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  8,  0,  0,  0,  0,  0,  /* 30 */
     0,  6,  6,  6,  6,  6,  6,  4,  4,  4,  4,  4,  4,  4,  4,  4,  /* 40 */
     4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  0,  0,  0,  0,  0,  /* 50 */
     0,  6,  6,  6,  6,  6,  6,  4,  4,  4,  4,  4,  4,  4,  4,  4,  /* 60 */
     4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  0,  0,  0,  0,  0,  /* 70 */
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,  /* 80 */
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,  /* 90 */
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,  /* A0 */
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,  /* B0 */
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,  /* C0 */
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,  /* D0 */
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,  /* E0 */
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,  /* F0 */
};

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
#define LOWS  0x7F7F7F7F7F7F7F7Full

static uint64_t load64(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);   /* unaligned, no aliasing trouble */
    return w;
}

/* High bit of each byte set iff that byte is in '0'..last (last <= 0x7E). */
static uint64_t swar_range(uint64_t w, uint8_t last)
{
    uint64_t x = w & LOWS;                 /* <= 0x7F: adding below cannot carry out */
    uint64_t ge0 = (x + ONES * (0x80 - '0')) & HIGHS;
    uint64_t gt = (x + ONES * (uint64_t)(0x80 - last - 1)) & HIGHS;
    return ge0 & ~gt & ~w & HIGHS;         /* ~w: bytes >= 0x80 are not in range */
}

/* High bit of each byte set iff that byte is 0xEF. */
static uint64_t swar_ef(uint64_t w)
{
    uint64_t y = w ^ (ONES * 0xEF);        /* zero byte where w had 0xEF */
    return ~(((y & LOWS) + LOWS) | y) & HIGHS;
}

/* Index of the first flagged byte in a non-zero mask, in memory order. */
static size_t first_flag(uint64_t m)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (size_t)__builtin_clzll(m) >> 3;
#else
    return (size_t)__builtin_ctzll(m) >> 3;
#endif
}

static int is_seed(uint8_t c)
{
    return (pii_byte_class[c] & PII_C_DIGIT) || c == ':' || c == 0xEF;
}

/* First seed in [from, len); len if none. */
static size_t next_seed(const uint8_t *p, size_t from, size_t len)
{
    size_t i = from;
    if (i >= len)
        return len;
    for (; len - i >= 8; i += 8) {
        uint64_t w = load64(p + i);
        uint64_t m = swar_range(w, ':') | swar_ef(w);   /* digits and ':' */
        if (m)
            return i + first_flag(m);
    }
    for (; i < len; i++)
        if (is_seed(p[i]))
            return i;
    return len;
}

/* The block starts at the first seed: any start at or after *from that
 * has the next seed in it will do. */
uint64_t pii_seed_block_scalar(const uint8_t *p, size_t *from, size_t len)
{
    size_t i = next_seed(p, *from, len);
    *from = i;
    uint64_t m = 0;
    for (size_t k = 0; k < 64 && i + k < len; k++)
        if (is_seed(p[i + k]))
            m |= 1ull << k;
    return m;
}

/* Scalar until pii_tokenizer_init() runs, so an early caller is still correct. */
pii_seed_block_fn pii_seed_block = pii_seed_block_scalar;
static const char *tokenizer_name = "scalar";
static pthread_once_t tokenizer_once = PTHREAD_ONCE_INIT;

static void tokenizer_choose(void)
{
#if defined(__x86_64__) || defined(__i386__)
    if (getenv("PIISCAN_NO_AVX2"))
        return;
    /* Also checks that the OS saves YMM state (XCR0), not just CPUID. */
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2"))
        return;
    pii_seed_block = pii_seed_block_avx2;
    tokenizer_name = "avx2";
#endif
}

const char *pii_tokenizer_init(void)
{
    pthread_once(&tokenizer_once, tokenizer_choose);
    return tokenizer_name;
}
