/*
 * fuzz_tokenizer.c -- the AVX2 and scalar seed block finders, and the
 * iterator over them, must agree with a byte-at-a-time reference on any
 * input: no seed before the block, every bit of the block right.
 *
 * libFuzzer hands over a heap buffer of exactly `size` bytes, so ASan also
 * catches any load past the end.  Shorter prefixes of the input are checked
 * too, which moves the end across every position of the last block.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tokenize.h"

/* Reference answers for the whole input, from one backward pass:
 * next_seed[i] for from = i and len = size.  For a prefix of length len
 * the answer is min(answer, len). */
static size_t *next_seed, ref_cap;

static int is_seed(uint8_t c)
{
    return (c >= '0' && c <= '9') || c == ':' || c == 0xEF;
}

static void build_reference(const uint8_t *p, size_t size)
{
    if (size + 1 > ref_cap) {
        ref_cap = 2 * (size + 1);
        next_seed = realloc(next_seed, ref_cap * sizeof *next_seed);
        if (!next_seed)
            abort();
    }
    next_seed[size] = size;
    for (size_t i = size; i-- > 0;)
        next_seed[i] = is_seed(p[i]) ? i : next_seed[i + 1];
}

static size_t ref_seed(size_t from, size_t len)
{
    return from >= len ? len : next_seed[from] < len ? next_seed[from] : len;
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

/* One block finder's answer for (from, len) against the reference. */
static void check_block(pii_seed_block_fn fn, const char *what, const uint8_t *p, size_t from, size_t len)
{
    size_t b = from, want = ref_seed(from, len);
    uint64_t m = fn(p, &b, len);
    if (m == 0) {
        if (b != len || want != len)
            fail(what, from, len, b, want);
        return;
    }
    if (b < from || b >= len || b + (size_t)__builtin_ctzll(m) != want)
        fail(what, from, len, b, want);
    for (size_t k = 0; k < 64; k++)
        if ((int)(m >> k & 1) != (b + k < len && is_seed(p[b + k])))
            fail(what, from, len, b + k, want);
}

static void check_at(const uint8_t *p, size_t from, size_t len, int avx2)
{
    check_block(pii_seed_block_scalar, "scalar block", p, from, len);
#if defined(__x86_64__) || defined(__i386__)
    if (avx2)
        check_block(pii_seed_block_avx2, "avx2 block", p, from, len);
#else
    (void)avx2;
#endif
}

/* Every seed through the iterator, the way the detector walks, with each
 * block finder; every position it is asked from is checked too. */
static void iterate(pii_seed_block_fn fn, const uint8_t *p, size_t len, int avx2)
{
    pii_seed_block = fn;
    pii_seeds it;
    pii_seeds_init(&it, p, len);
    for (size_t i = 0;;) {
        size_t s = pii_seeds_next(&it, i);
        if (s != ref_seed(i, len))
            fail("iterator", i, len, s, ref_seed(i, len));
        check_at(p, i, len, avx2);
        if (s == len)
            break;
        i = s + 1;
    }
}

static void walk(const uint8_t *p, size_t len, int avx2)
{
    iterate(pii_seed_block_scalar, p, len, avx2);
#if defined(__x86_64__) || defined(__i386__)
    if (avx2)
        iterate(pii_seed_block_avx2, p, len, avx2);
#endif
}

/* Every start position near the end, and a scan from the start (which
 * runs the wide loop and then the tail block). */
static void tail(const uint8_t *p, size_t len, int avx2)
{
    check_at(p, 0, len, avx2);
    for (size_t k = 0; k <= len && k < 136; k++)
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
    for (size_t from = 1; from <= size && from < 136; from++)
        check_at(data, from, size, avx2);
    for (size_t cut = 0; cut <= size && cut < 66; cut++)
        tail(data, size - cut, avx2);
    return 0;
}
