/*
 * fuzz_tokenizer.c -- the AVX2 and scalar seed finders must agree with a
 * byte-at-a-time reference on any input.
 *
 * libFuzzer hands over a heap buffer of exactly `size` bytes, so ASan also
 * catches any load past the end.  Shorter prefixes of the input are checked
 * too, which moves the end across every position of the last vector.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tokenize.h"

/* Reference answers for the whole input, from one backward pass:
 * next_seed[i] / run_end[i] for from = i and len = size.  For a prefix of
 * length len the answer is min(answer, len). */
static size_t *next_seed, *run_end, ref_cap;

static void build_reference(const uint8_t *p, size_t size)
{
    if (size + 1 > ref_cap) {
        ref_cap = 2 * (size + 1);
        next_seed = realloc(next_seed, ref_cap * sizeof *next_seed);
        run_end = realloc(run_end, ref_cap * sizeof *run_end);
        if (!next_seed || !run_end)
            abort();
    }
    next_seed[size] = run_end[size] = size;
    for (size_t i = size; i-- > 0;) {
        int digit = p[i] >= '0' && p[i] <= '9';
        next_seed[i] = digit || p[i] == ':' || p[i] == 0xEF ? i : next_seed[i + 1];
        run_end[i] = digit ? run_end[i + 1] : i;
    }
}

static size_t ref_seed(size_t from, size_t len)
{
    return from >= len ? len : next_seed[from] < len ? next_seed[from] : len;
}

static size_t ref_digit_end(size_t from, size_t len)
{
    return from >= len ? len : run_end[from] < len ? run_end[from] : len;
}

static void fail(const char *what, size_t from, size_t len, size_t got, size_t want)
{
    fprintf(stderr, "%s: from=%zu len=%zu got=%zu want=%zu\n", what, from, len, got, want);
    abort();
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

static void check_at(const uint8_t *p, size_t from, size_t len, int avx2)
{
    size_t s = ref_seed(from, len), e = ref_digit_end(from, len), got;
    if ((got = pii_next_seed_scalar(p, from, len)) != s)
        fail("scalar seed", from, len, got, s);
    if ((got = pii_digit_run_end_scalar(p, from, len)) != e)
        fail("scalar digit run end", from, len, got, e);
#if defined(__x86_64__) || defined(__i386__)
    if (avx2) {
        if ((got = pii_next_seed_avx2(p, from, len)) != s)
            fail("avx2 seed", from, len, got, s);
        if ((got = pii_digit_run_end_avx2(p, from, len)) != e)
            fail("avx2 digit run end", from, len, got, e);
    }
#else
    (void)avx2;
#endif
}

/* Every seed and every run end, walked the way the detector walks. */
static void walk(const uint8_t *p, size_t len, int avx2)
{
    for (size_t i = 0; i < len;) {
        check_at(p, i, len, avx2);
        size_t s = ref_seed(i, len);
        if (s == len)
            break;
        check_at(p, s, len, avx2);
        size_t e = ref_digit_end(s, len);
        i = e > s ? e : s + 1;
    }
}

/* Every start position near the end, and a scan from the start (which
 * runs the wide loop and then the tail block). */
static void tail(const uint8_t *p, size_t len, int avx2)
{
    check_at(p, 0, len, avx2);
    for (size_t k = 0; k <= len && k < 72; k++)
        check_at(p, len - k, len, avx2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int avx2 = -1;
    if (avx2 < 0)
        avx2 = have_avx2();
    build_reference(data, size);
    walk(data, size, avx2);
    for (size_t from = 1; from <= size && from < 72; from++)
        check_at(data, from, size, avx2);
    for (size_t cut = 0; cut <= size && cut < 34; cut++)
        tail(data, size - cut, avx2);
    return 0;
}
