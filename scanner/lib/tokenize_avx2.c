/*
 * tokenize_avx2.c -- AVX2 seed finder and digit-run end.
 *
 * Compiled with a per-function target attribute rather than a global -mavx2,
 * so the rest of the library stays runnable on any x86-64 and
 * pii_tokenizer_init() decides at run time.
 *
 * Loads never leave [0, len): the last partial block is handled by one
 * unaligned load that ends exactly at len and overlaps bytes already seen;
 * the bits for those bytes are masked off.  That bytes before `from` are
 * readable follows from the contract (p[0..len) is the caller's buffer).
 * Inputs shorter than one vector go to the scalar code.
 */
#include "tokenize.h"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

/* 0xFF in each lane holding '0'..'9'.  Signed compares are exact here:
 * bytes >= 0x80 are negative and fail "> '/'". */
AVX2 static inline __m256i digit_lanes(__m256i v)
{
    __m256i gt_slash = _mm256_cmpgt_epi8(v, _mm256_set1_epi8('0' - 1));
    __m256i lt_colon = _mm256_cmpgt_epi8(_mm256_set1_epi8('9' + 1), v);
    return _mm256_and_si256(gt_slash, lt_colon);
}

/* Seeds: '0'..'9' and ':' (adjacent in ASCII, one range) and 0xEF. */
AVX2 static inline __m256i seed_lanes(__m256i v)
{
    __m256i gt_slash = _mm256_cmpgt_epi8(v, _mm256_set1_epi8('0' - 1));
    __m256i le_colon = _mm256_cmpgt_epi8(_mm256_set1_epi8(':' + 1), v);
    __m256i ef = _mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)0xEF));
    return _mm256_or_si256(_mm256_and_si256(gt_slash, le_colon), ef);
}

AVX2 static inline __m256i load32(const uint8_t *p)
{
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

AVX2 static inline uint32_t seed_bits(const uint8_t *p)
{
    return (uint32_t)_mm256_movemask_epi8(seed_lanes(load32(p)));
}

AVX2 static inline uint32_t nondigit_bits(const uint8_t *p)
{
    return ~(uint32_t)_mm256_movemask_epi8(digit_lanes(load32(p)));
}

/* Bits of the final block [len-32, len) at or after index i (i > len-32). */
static inline uint32_t tail_mask(size_t i, size_t len)
{
    return ~0u << (i - (len - 32));
}

AVX2 size_t pii_next_seed_avx2(const uint8_t *p, size_t from, size_t len)
{
    size_t i = from;
    if (i >= len)
        return len;
    if (len < 32)
        return pii_next_seed_scalar(p, from, len);
    /* Seeds in log text often come in clusters (dates, times, counters):
     * look at the next vector alone before entering the wide loop. */
    if (len - i >= 32) {
        uint32_t m = seed_bits(p + i);
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 32;
    }
    /* Two vectors per step with one branch: the common case is no seed. */
    for (; len - i >= 64; i += 64) {
        __m256i a = seed_lanes(load32(p + i));
        __m256i b = seed_lanes(load32(p + i + 32));
        if (!_mm256_testz_si256(_mm256_or_si256(a, b), _mm256_or_si256(a, b))) {
            uint64_t m = (uint64_t)(uint32_t)_mm256_movemask_epi8(a)
                       | (uint64_t)(uint32_t)_mm256_movemask_epi8(b) << 32;
            return i + (size_t)__builtin_ctzll(m);
        }
    }
    if (len - i >= 32) {
        uint32_t m = seed_bits(p + i);
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 32;
    }
    if (i < len) {
        uint32_t m = seed_bits(p + len - 32) & tail_mask(i, len);
        if (m)
            return len - 32 + (size_t)__builtin_ctz(m);
    }
    return len;
}

AVX2 size_t pii_digit_run_end_avx2(const uint8_t *p, size_t from, size_t len)
{
    size_t i = from;
    if (i >= len)
        return len;
    if (len < 32)
        return pii_digit_run_end_scalar(p, from, len);
    /* Runs are short (identifiers are <= 20 digits): one vector usually ends it. */
    for (; len - i >= 32; i += 32) {
        uint32_t m = nondigit_bits(p + i);
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
    if (i < len) {
        uint32_t m = nondigit_bits(p + len - 32) & tail_mask(i, len);
        if (m)
            return len - 32 + (size_t)__builtin_ctz(m);
    }
    return len;
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int pii_tokenize_avx2_unused;
#endif
