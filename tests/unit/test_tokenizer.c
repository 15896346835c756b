/*
 * test_tokenizer.c -- the scalar and AVX2 seed block finders agree with a
 * byte-at-a-time reference on every (from, len) of crafted buffers, at every
 * alignment, and on random buffers: no seed skipped before the block, every
 * bit of the block right; the inline iterator (pii_seeds_next) walks the
 * seeds of a buffer in order with either.
 *
 * Buffers are allocated with exactly len bytes so that ASan flags any load
 * past the end (the AVX2 tail is the risky part).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "tokenize.h"

static size_t ref_seed(const uint8_t *p, size_t from, size_t len)
{
    for (size_t i = from; i < len; i++)
        if ((p[i] >= '0' && p[i] <= '9') || p[i] == ':' || p[i] == 0xEF)
            return i;
    return len;
}

static int have_avx2(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
#else
    return 0;
#endif
}

static int ref_is_seed(uint8_t c)
{
    return (c >= '0' && c <= '9') || c == ':' || c == 0xEF;
}

/* The next seed at or after from by one implementation's block finder,
 * after checking the block it returned against the reference. */
static size_t seed_via(int avx2, const uint8_t *p, size_t from, size_t len)
{
    size_t b = from;
    uint64_t m = 0;
#if defined(__x86_64__) || defined(__i386__)
    m = avx2 ? pii_seed_block_avx2(p, &b, len) : pii_seed_block_scalar(p, &b, len);
#else
    (void)avx2;
    m = pii_seed_block_scalar(p, &b, len);
#endif
    const char *impl = avx2 ? "avx2" : "scalar";
    if (from >= len) {
        cr_assert(m == 0 && b == len, "%s: from %zu past len %zu", impl, from, len);
        return len;
    }
    cr_assert_geq(b, from, "%s: block %zu starts before from %zu", impl, b, from);
    cr_assert_eq(ref_seed(p, from, b < len ? b : len), b < len ? b : len,
                 "%s len=%zu from=%zu: a seed before the block at %zu", impl, len, from, b);
    if (m == 0) {
        cr_assert_eq(b, len, "%s len=%zu from=%zu: no seed, but the block is at %zu", impl, len, from, b);
        return len;
    }
    for (size_t k = 0; k < 64; k++) {
        int want = b + k < len && ref_is_seed(p[b + k]);
        cr_assert_eq((int)(m >> k & 1), want, "%s len=%zu from=%zu block=%zu: bit %zu", impl, len, from, b, k);
    }
    return b + (size_t)__builtin_ctzll(m);
}

/* Check all implementations at every from in [0, len].  The expected
 * answers come from one backward pass so the check stays O(len) per buffer. */
static void check_all_from(const uint8_t *p, size_t len, int avx2)
{
    static size_t want_seed[1024];
    cr_assert_lt(len, sizeof want_seed / sizeof want_seed[0]);
    want_seed[len] = len;
    for (size_t i = len; i-- > 0;)
        want_seed[i] = ref_is_seed(p[i]) ? i : want_seed[i + 1];
    for (size_t from = 0; from <= len; from++) {
        size_t want = want_seed[from];
        size_t got = seed_via(0, p, from, len);
        cr_assert_eq(got, want, "scalar seed len=%zu from=%zu: %zu != %zu", len, from, got, want);
        if (avx2) {
            got = seed_via(1, p, from, len);
            cr_assert_eq(got, want, "avx2 seed len=%zu from=%zu: %zu != %zu", len, from, got, want);
        }
    }
}

/* A heap copy of exactly len bytes (at least 1 allocated for len 0). */
static uint8_t *exact(size_t len)
{
    uint8_t *p = malloc(len ? len : 1);
    cr_assert_not_null(p);
    return p;
}

/* Bytes that are not seeds and not digits but sit next to them in value or
 * differ from one by a single bit: the cases a wrong range test gets wrong. */
static const uint8_t near_miss[] = {
    'a', '/', ':', ' ', 0x00, 0x7F, 0x80, 0xB0, 0xB9, 0xEE, 0xF0, 0xFF, 0x6F, 0xCF,
};
/* Seed bytes to plant: both ends of the digit range and the full-width lead. */
static const uint8_t planted[] = { '0', '5', '9', ':', 0xEF };

#define MAXLEN 160

static void seed_positions(int avx2)
{
    for (size_t bg = 0; bg < sizeof near_miss; bg++) {
        for (size_t len = 0; len <= MAXLEN; len++) {
            uint8_t *p = exact(len);
            memset(p, near_miss[bg], len);
            check_all_from(p, len, avx2);   /* no seed at all */
            for (size_t k = 0; k < len; k++) {
                p[k] = planted[(k + bg) % sizeof planted];
                check_all_from(p, len, avx2);
                p[k] = near_miss[bg];
            }
            free(p);
        }
    }
}

Test(tokenizer, scalar_matches_reference_at_every_position)
{
    seed_positions(0);
}

Test(tokenizer, avx2_matches_reference_at_every_position)
{
    if (!have_avx2())
        cr_skip_test("CPU lacks AVX2: only the scalar path can be checked");
    seed_positions(1);
}

/* Dense seeds (digit runs of every length, ended by each near-miss byte):
 * blocks with many bits set. */
static void digit_runs(int avx2)
{
    for (size_t len = 1; len <= 140; len++) {
        uint8_t *p = exact(len);
        for (size_t end = 0; end <= len; end++) {
            for (size_t bg = 0; bg < sizeof near_miss; bg += 3) {
                for (size_t i = 0; i < len; i++)
                    p[i] = (uint8_t)('0' + i % 10);
                if (end < len)
                    p[end] = near_miss[bg];
                check_all_from(p, len, avx2);
            }
        }
        free(p);
    }
}

Test(tokenizer, scalar_dense_seeds)
{
    digit_runs(0);
}

Test(tokenizer, avx2_dense_seeds)
{
    if (!have_avx2())
        cr_skip_test("CPU lacks AVX2: only the scalar path can be checked");
    digit_runs(1);
}

/* Two seeds: the second must be found when from is just past the first. */
Test(tokenizer, consecutive_seeds_found_in_order)
{
    int avx2 = have_avx2();
    for (size_t len = 2; len <= 100; len++) {
        uint8_t *p = exact(len);
        for (size_t a = 0; a + 1 < len; a += 3) {
            for (size_t b = a + 1; b < len; b += 5) {
                memset(p, 'x', len);
                p[a] = '7';
                p[b] = 0xEF;
                check_all_from(p, len, avx2);
            }
        }
        free(p);
    }
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Text with the given chance (per 1024) of a seed at each byte. */
static void random_text(uint8_t *p, size_t len, unsigned per1024)
{
    for (size_t i = 0; i < len; i++) {
        uint64_t r = rng();
        if ((r & 1023) < per1024)
            p[i] = (r >> 10) % 11 == 10 ? 0xEF : (uint8_t)('0' + (r >> 10) % 11);
        else
            p[i] = near_miss[(r >> 20) % sizeof near_miss];
    }
}

/* All seeds of p[0, len) through the iterator with the selected finder,
 * stepping back a byte now and then as the detector does (a ':' re-read
 * from the word before it). */
static void iterate(const uint8_t *p, size_t len, int back)
{
    pii_seeds it;
    pii_seeds_init(&it, p, len);
    size_t i = 0, n = 0;
    for (;;) {
        size_t s = pii_seeds_next(&it, i);
        cr_assert_eq(s, ref_seed(p, i, len), "iterator len %zu from %zu", len, i);
        if (s == len)
            break;
        if (back && s > 0 && ++n % 3 == 0)
            cr_assert_eq(pii_seeds_next(&it, s - 1), ref_seed(p, s - 1, len), "iterator back to %zu", s - 1);
        i = s + 1;
    }
}

Test(tokenizer, random_buffers_scalar_equals_avx2)
{
    int avx2 = have_avx2();
    static const unsigned density[] = { 0, 1, 8, 64, 512, 1000, 1024 };
    for (int round = 0; round < 3000; round++) {
        size_t len = (size_t)(rng() % 5000);
        uint8_t *p = exact(len);
        random_text(p, len, density[round % 7]);
        pii_seed_block = pii_seed_block_scalar;
        iterate(p, len, round & 1);
#if defined(__x86_64__) || defined(__i386__)
        if (avx2) {
            pii_seed_block = pii_seed_block_avx2;
            iterate(p, len, round & 1);
        }
#endif
        for (int k = 0; k < 20 && len; k++) {
            size_t from = (size_t)(rng() % (len + 1));
            size_t want = ref_seed(p, from, len);
            cr_assert_eq(seed_via(0, p, from, len), want);
            if (avx2)
                cr_assert_eq(seed_via(1, p, from, len), want);
        }
        free(p);
    }
}

/* from beyond len (a caller that stepped past the end) must not read. */
Test(tokenizer, from_past_len_returns_len)
{
    uint8_t buf[64];
    memset(buf, '1', sizeof buf);
    cr_assert_eq(seed_via(0, buf, 70, 64), 64);
    cr_assert_eq(seed_via(0, buf, 0, 0), 0);
    if (have_avx2()) {
        cr_assert_eq(seed_via(1, buf, 70, 64), 64);
        cr_assert_eq(seed_via(1, buf, 0, 0), 0);
    }
}

/* A seed inside a large digit-free buffer, at offsets around vector and
 * unrolled-loop boundaries, far from the start. */
Test(tokenizer, seed_far_into_large_buffer)
{
    const size_t len = 1 << 16;
    uint8_t *p = exact(len);
    memset(p, 'z', len);
    int avx2 = have_avx2();
    static const size_t at[] = { 31, 32, 33, 63, 64, 65, 127, 128, 4095, 4096, 65503, 65504, 65535 };
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
        p[at[k]] = '3';
        cr_assert_eq(seed_via(0, p, 0, len), at[k]);
        cr_assert_eq(seed_via(0, p, at[k] + 1, len), len);
        if (avx2) {
            cr_assert_eq(seed_via(1, p, 0, len), at[k]);
            cr_assert_eq(seed_via(1, p, at[k] + 1, len), len);
        }
        p[at[k]] = 'z';
    }
    free(p);
}

Test(tokenizer, byte_class_table)
{
    for (int c = 0; c < 256; c++) {
        uint8_t k = pii_byte_class[c];
        cr_assert_eq(!!(k & PII_C_DIGIT), c >= '0' && c <= '9', "digit class of 0x%02X", c);
        cr_assert_eq(!!(k & PII_C_HIGH), c >= 0x80, "high class of 0x%02X", c);
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        cr_assert_eq(!!(k & PII_C_ALPHA), alpha, "alpha class of 0x%02X", c);
        int hexl = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        cr_assert_eq(!!(k & PII_C_HEXL), hexl, "hex-letter class of 0x%02X", c);
        int sep = c == '.' || c == ':' || c == '-' || c == ' ';
        cr_assert_eq(!!(k & PII_C_SEP), sep, "separator class of 0x%02X", c);
    }
    cr_assert_eq(pii_byte_class['G'], PII_C_ALPHA);
    cr_assert_eq(pii_byte_class['\t'], 0);
    cr_assert_eq(pii_byte_class['_'], 0);
}

/* Criterion runs each test in its own process, so pthread_once starts fresh. */
Test(tokenizer, init_honours_no_avx2_env)
{
    setenv("PIISCAN_NO_AVX2", "1", 1);
    cr_assert_str_eq(pii_tokenizer_init(), "scalar");
    cr_assert(pii_seed_block == pii_seed_block_scalar);
    unsetenv("PIISCAN_NO_AVX2");
    cr_assert_str_eq(pii_tokenizer_init(), "scalar", "init must be idempotent");
}

Test(tokenizer, init_picks_avx2_when_available)
{
    unsetenv("PIISCAN_NO_AVX2");
    const char *name = pii_tokenizer_init();
    if (!have_avx2()) {
        cr_assert_str_eq(name, "scalar");
        cr_skip_test("CPU lacks AVX2: the scalar choice was checked");
    }
#if defined(__x86_64__) || defined(__i386__)
    cr_assert_str_eq(name, "avx2");
    cr_assert(pii_seed_block == pii_seed_block_avx2);
    cr_assert_str_eq(pii_tokenizer_init(), "avx2");
#endif
}
