/*
 * fuzz_window.c -- any stream, read in random chunks through 4096-byte
 * windows, is tiled exactly by the accept ranges, and every window holds the
 * stream's bytes at its base.
 *
 * Input layout: 8 bytes seed the chunk sizes, 1 byte is a stretch factor,
 * the rest is the stream with each byte repeated `stretch` times.  Stretching
 * lets small inputs make lines longer than half a window, which is where the
 * mid-line cut and the half-window rule are exercised.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "window.h"

typedef struct src {
    const uint8_t *p;
    size_t len, pos;
    uint64_t rng;
} src;

static ssize_t chunked_read(void *ud, void *buf, size_t cap)
{
    src *s = ud;
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    if ((s->rng & 15) == 0) {
        errno = EINTR;     /* the reader must retry */
        return -1;
    }
    size_t n = s->len - s->pos;
    size_t lim = 1 + (size_t)(s->rng >> 8) % 5000;
    if (n > cap)
        n = cap;
    if (n > lim)
        n = lim;
    memcpy(buf, s->p + s->pos, n);
    s->pos += n;
    return (ssize_t)n;
}

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "violated: %s\n", #c); abort(); } } while (0)

static void check_window(const pii_window *w, const src *s, uint64_t next, int first)
{
    CHECK(w->len <= 4096);
    CHECK(w->acc_lo < w->acc_hi && w->acc_hi <= w->len);
    CHECK(w->base + w->acc_lo == next);
    CHECK(w->base + w->len <= s->len);
    CHECK(w->at_start == (w->base == 0));
    CHECK(!first || (w->acc_lo == 0 && w->base == 0));
    CHECK(w->acc_lo >= (next < PII_WINDOW_OVERLAP ? next : PII_WINDOW_OVERLAP));
    CHECK(memcmp(w->data, s->p + w->base, w->len) == 0);
    if (w->at_eof) {
        CHECK(w->acc_hi == w->len && w->base + w->len == s->len);
        return;
    }
    CHECK(w->len == 4096);
    const uint8_t *nl = memrchr(w->data + w->len / 2, '\n', w->len - w->len / 2);
    CHECK(w->acc_hi == (nl ? (size_t)(nl - w->data) + 1 : w->len - PII_WINDOW_TAIL));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *stretched;
    src s = { .p = data, .len = size, .rng = 0x9E3779B97F4A7C15ull };
    if (size >= 9) {
        uint64_t seed;
        memcpy(&seed, data, 8);
        s.rng ^= seed;
        size_t k = 1 + data[8] % 64, n = size - 9;
        if (n * k > (1u << 20))
            k = 1;
        free(stretched);
        stretched = malloc(n * k + 1);
        if (!stretched)
            abort();
        for (size_t i = 0; i < n; i++)
            memset(stretched + i * k, data[9 + i], k);
        s.p = stretched;
        s.len = n * k;
    }
    if (s.rng == 0)
        s.rng = 1;
    pii_wreader r;
    if (pii_wreader_init(&r, 4096, chunked_read, &s) != 0)
        abort();
    pii_window w;
    uint64_t next = 0;
    int rc, first = 1;
    while ((rc = pii_wreader_next(&r, &w)) == 1) {
        check_window(&w, &s, next, first);
        next = w.base + w.acc_hi;
        first = 0;
        if (w.at_eof)
            CHECK(pii_wreader_next(&r, &w) == 0);
    }
    CHECK(rc == 0);
    CHECK(next == s.len);
    pii_wreader_free(&r);
    return 0;
}
