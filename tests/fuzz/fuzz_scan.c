/*
 * fuzz_scan.c -- the public API on arbitrary bytes: scanning a buffer and
 * scanning the same bytes as a stream (4096-byte windows, random short
 * reads) must report the same findings, and every finding must be a
 * well-formed span of the input whose value, line and column agree with it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "piiscan.h"

typedef struct hit {
    int type;
    uint64_t start, end;
} hit;

typedef struct hits {
    hit *v;
    size_t n, cap;
    const uint8_t *input;
    size_t len;
} hits;

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "violated: %s\n", #c); abort(); } } while (0)

/* Offsets of the input's newlines, for checking line/col by binary search. */
static size_t *nls, nl_n, nl_cap;

static void index_newlines(const uint8_t *p, size_t len)
{
    nl_n = 0;
    for (const uint8_t *q = p; (q = memchr(q, '\n', len - (size_t)(q - p))) != NULL; q++) {
        if (nl_n == nl_cap) {
            nl_cap = nl_cap ? 2 * nl_cap : 256;
            nls = realloc(nls, nl_cap * sizeof *nls);
            CHECK(nls != NULL);
        }
        nls[nl_n++] = (size_t)(q - p);
    }
}

static void check_position(const piiscan_finding *f)
{
    size_t lo = 0, hi = nl_n;   /* number of newlines before start */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (nls[mid] < f->start)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint64_t line_start = lo ? nls[lo - 1] + 1 : 0;
    CHECK(f->line == lo + 1);
    CHECK(f->col == f->start - line_start + 1);
}

static int collect(void *ud, const piiscan_finding *f)
{
    hits *h = ud;
    CHECK((int)f->type >= 0 && f->type < PIISCAN_TYPE_COUNT);
    CHECK(f->start < f->end && f->end <= h->len);
    CHECK(f->confidence >= 0.0 && f->confidence <= 1.0);
    CHECK(f->value_len == f->end - f->start);
    CHECK(f->value && memcmp(f->value, h->input + f->start, f->value_len) == 0);
    CHECK(f->norm && strlen(f->norm) == f->norm_len);
    CHECK(f->context != NULL);
    check_position(f);
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 64;
        h->v = realloc(h->v, h->cap * sizeof *h->v);
        CHECK(h->v != NULL);
    }
    h->v[h->n++] = (hit){ (int)f->type, f->start, f->end };
    return 0;
}

static int hit_cmp(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return (x->type > y->type) - (x->type < y->type);
}

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
    size_t n = s->len - s->pos, lim = 1 + (size_t)(s->rng % 3000);
    if (n > cap)
        n = cap;
    if (n > lim)
        n = lim;
    memcpy(buf, s->p + s->pos, n);
    s->pos += n;
    return (ssize_t)n;
}

static piiscan_scanner *scanner(void)
{
    static piiscan_ruleset *rs;
    static piiscan_scanner *sc;
    if (sc)
        return sc;
    char err[512] = "";
    if (piiscan_ruleset_new(&rs, err, sizeof err) != 0) {
        fprintf(stderr, "piiscan_ruleset_new: %s\n", err);
        abort();
    }
    piiscan_scan_options o;
    piiscan_scan_options_init(&o);
    o.window_size = 4096;
    CHECK(piiscan_scanner_new(&sc, rs, &o) == 0);
    return sc;
}

static void dump(const char *what, const hits *h)
{
    fprintf(stderr, "%s: %zu findings\n", what, h->n);
    for (size_t i = 0; i < h->n; i++)
        fprintf(stderr, "  %s [%llu, %llu)\n", piiscan_type_name((piiscan_type)h->v[i].type),
                (unsigned long long)h->v[i].start, (unsigned long long)h->v[i].end);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static hits buf, str;
    piiscan_scanner *sc = scanner();
    buf.n = str.n = 0;
    buf.input = str.input = data;
    buf.len = str.len = size;
    index_newlines(data, size);

    CHECK(piiscan_scan_buffer(sc, data, size, collect, &buf) == 0);
    src s = { .p = data, .len = size, .rng = 0x2545F4914F6CDD1Dull ^ size };
    CHECK(piiscan_scan_stream(sc, chunked_read, &s, collect, &str) == 0);

    if (buf.n > 1)
        qsort(buf.v, buf.n, sizeof *buf.v, hit_cmp);
    if (str.n > 1)
        qsort(str.v, str.n, sizeof *str.v, hit_cmp);
    int same = buf.n == str.n;
    for (size_t i = 0; same && i < buf.n; i++)
        same = hit_cmp(&buf.v[i], &str.v[i]) == 0;
    if (!same) {
        dump("scan_buffer", &buf);
        dump("scan_stream", &str);
        abort();
    }
    for (size_t i = 1; i < buf.n; i++)
        CHECK(hit_cmp(&buf.v[i - 1], &buf.v[i]) != 0);   /* nothing reported twice */
    return 0;
}
