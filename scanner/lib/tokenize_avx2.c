/*
 * tokenize_avx2.c -- AVX2 seed block finder.
 *
 * Compiled with a per-function target attribute rather than a global -mavx2,
 * so the rest of the library stays runnable on any x86-64 and
 * pii_tokenizer_init() decides at run time.
 *
 * Loads never leave [0, len): the last partial block is handled by loads
 * that end exactly at len and overlap bytes already seen; the bits for
 * those bytes are shifted out.  That bytes before `from` are
 * readable follows from the contract (p[0..len) is the caller's buffer).
 * Inputs shorter than one block go to the scalar code.  Signed compares
 * are exact: bytes >= 0x80 are negative and fall below every range.
 */
#include "tokenize.h"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

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

AVX2 static inline uint64_t seed_bits64(const uint8_t *p)
{
    return (uint64_t)seed_bits(p) | (uint64_t)seed_bits(p + 32) << 32;
}

AVX2 uint64_t pii_seed_block_avx2(const uint8_t *p, size_t *from, size_t len)
{
    size_t i = *from;
    if (i >= len) {
        *from = len;
        return 0;
    }
    if (len < 64)
        return pii_seed_block_scalar(p, from, len);
    for (; len - i >= 64; i += 64) {
        uint64_t m = seed_bits64(p + i);
        if (m) {
            *from = i;
            return m;
        }
    }
    /* The last partial block: the 64 bytes ending at len, shifted so that
     * bit 0 is i (the bytes before i were seen already). */
    uint64_t m = i < len ? seed_bits64(p + len - 64) >> (i - (len - 64)) : 0;
    *from = m ? i : len;
    return m;
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int pii_tokenize_avx2_unused;
#endif
