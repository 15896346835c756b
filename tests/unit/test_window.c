/*
 * test_window.c -- windows tile the stream: accept ranges are contiguous,
 * disjoint and cover [0, length) exactly, whatever the line lengths, window
 * size and read pattern; cuts follow the newline / tail rule of window.h.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "window.h"

enum read_mode { READ_FULL, READ_ONE, READ_RANDOM };

typedef struct src {
    const uint8_t *data;      /* NULL: bytes come from gen_byte() */
    uint64_t len, pos;
    enum read_mode mode;
    uint64_t rng;
    uint64_t fail_at;         /* return -1/EIO once pos reaches this (0: never) */
    bool fail_first;          /* every call fails with EIO */
    int eintr_every;          /* every n-th call fails with EINTR (0: never) */
    int pause_every;          /* every n-th call fails with EAGAIN, a live pipe's pause (0: never) */
    bool waited;              /* the last call paused: this one must read (window.h) */
    int calls, pauses;
} src;

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Procedural stream content for streams too large to hold in memory. */
static uint8_t gen_byte(uint64_t off)
{
    return (uint8_t)('a' + (off * 7 + off / 26) % 26);
}

static ssize_t src_read(void *ud, void *buf, size_t cap)
{
    src *s = ud;
    s->calls++;
    if (s->eintr_every && s->calls % s->eintr_every == 0) {
        errno = EINTR;
        return -1;
    }
    if (s->pause_every && !s->waited && s->calls % s->pause_every == 0 && s->pos < s->len) {
        s->waited = true;
        s->pauses++;
        errno = EAGAIN;
        return -1;
    }
    s->waited = false;
    if (s->fail_first || (s->fail_at && s->pos >= s->fail_at)) {
        errno = EIO;
        return -1;
    }
    uint64_t left = s->len - s->pos;
    size_t n = cap < left ? cap : (size_t)left;
    if (s->mode == READ_ONE && n > 1)
        n = 1;
    else if (s->mode == READ_RANDOM && n > 1)
        n = 1 + (size_t)(xorshift(&s->rng) % (n < 3000 ? n : 3000));
    if (s->data)
        memcpy(buf, s->data + s->pos, n);
    else
        for (size_t i = 0; i < n; i++)
            ((uint8_t *)buf)[i] = gen_byte(s->pos + i);
    s->pos += n;
    return (ssize_t)n;
}

static uint8_t stream_at(const src *s, uint64_t off)
{
    return s->data ? s->data[off] : gen_byte(off);
}

/* Checks every window of one stream against the contract; returns the
 * number of windows. */
static size_t check_tiling(src *s, size_t window_size)
{
    pii_wreader r;
    cr_assert_eq(pii_wreader_init(&r, window_size, src_read, s), 0);
    size_t cap = window_size < PII_WINDOW_MIN ? PII_WINDOW_MIN : window_size;
    uint64_t next = 0;        /* absolute start of the next accept range */
    size_t nwin = 0;
    bool saw_eof = false;
    pii_window w;
    int rc;
    while ((rc = pii_wreader_next(&r, &w)) == 1) {
        cr_assert(!saw_eof, "a window after the at_eof window");
        nwin++;
        cr_assert_leq(w.len, cap);
        cr_assert_lt(w.acc_lo, w.acc_hi, "empty accept range in window %zu", nwin);
        cr_assert_leq(w.acc_hi, w.len);
        cr_assert_eq(w.base + w.acc_lo, next, "gap or overlap before window %zu", nwin);
        cr_assert_eq(w.at_start, w.base == 0);
        if (nwin == 1)
            cr_assert(w.acc_lo == 0 && w.base == 0 && w.at_start);
        uint64_t ctx = w.base + w.acc_lo < PII_WINDOW_OVERLAP ? w.base + w.acc_lo : PII_WINDOW_OVERLAP;
        cr_assert_geq(w.acc_lo, ctx, "left context missing in window %zu", nwin);
        for (size_t i = 0; i < w.len; i++)
            if (w.data[i] != stream_at(s, w.base + i))
                cr_assert_fail("window %zu byte %zu differs from the stream", nwin, i);
        if (w.at_eof) {
            saw_eof = true;
            cr_assert_eq(w.acc_hi, w.len);
            cr_assert_eq(w.base + w.len, s->len);
        } else if (w.paused) {
            /* The input paused: what came up to its last newline. */
            cr_assert_eq(w.data[w.acc_hi - 1], '\n', "paused window %zu not cut after a newline", nwin);
            cr_assert_null(memchr(w.data + w.acc_hi, '\n', w.len - w.acc_hi), "paused window %zu: a newline left", nwin);
        } else {
            /* Not the last window: the buffer was filled, and the cut obeys the rule. */
            cr_assert_eq(w.len, cap, "short window %zu not at EOF", nwin);
            const uint8_t *nl = memrchr(w.data + w.len / 2, '\n', w.len - w.len / 2);
            if (nl)
                cr_assert_eq(w.acc_hi, (size_t)(nl - w.data) + 1, "cut not after the last newline");
            else
                cr_assert_eq(w.acc_hi, w.len - PII_WINDOW_TAIL, "mid-line cut not at len - TAIL");
        }
        next = w.base + w.acc_hi;
    }
    cr_assert_eq(rc, 0, "unexpected error %d (%s)", rc, strerror(errno));
    cr_assert_eq(next, s->len, "accept ranges cover %llu of %llu bytes",
                 (unsigned long long)next, (unsigned long long)s->len);
    cr_assert_eq(pii_wreader_next(&r, &w), 0, "finished reader must stay finished");
    if (s->len == 0)
        cr_assert_eq(nwin, 0, "an empty stream yields no window");
    pii_wreader_free(&r);
    return nwin;
}

static void tile_buffer(const uint8_t *data, size_t len, size_t window_size, enum read_mode mode)
{
    src s = { .data = data, .len = len, .mode = mode, .rng = 12345 + len };
    check_tiling(&s, window_size);
}

static uint8_t *one_line(size_t len)
{
    uint8_t *p = malloc(len + 1);
    cr_assert_not_null(p);
    for (size_t i = 0; i < len; i++)
        p[i] = gen_byte(i);
    return p;
}

static uint8_t *short_lines(size_t len, uint64_t seed)
{
    uint8_t *p = one_line(len);
    for (size_t i = 0; i < len; i += 1 + xorshift(&seed) % 80)
        p[i] = '\n';
    return p;
}

/* Lines of exactly line_len bytes (newline included). */
static uint8_t *fixed_lines(size_t len, size_t line_len)
{
    uint8_t *p = one_line(len);
    for (size_t i = line_len - 1; i < len; i += line_len)
        p[i] = '\n';
    return p;
}

static const size_t stream_sizes[] = {
    0, 1, 2, 100, 1023, 1024, 1025, 2047, 2048, 2049, 3071, 3072, 3073, 4095, 4096, 4097,
    5000, 8191, 8192, 8193, 12288, 20000, 65535, 65536, 65537, 100003, 300000,
};
static const size_t window_sizes[] = { 0, 4096, 4097, 5000, 8192, 65536 };

#define NSIZES (sizeof stream_sizes / sizeof stream_sizes[0])
#define NWINDOWS (sizeof window_sizes / sizeof window_sizes[0])

Test(window, tiles_one_long_line)
{
    for (size_t i = 0; i < NSIZES; i++) {
        uint8_t *p = one_line(stream_sizes[i]);
        for (size_t j = 0; j < NWINDOWS; j++)
            tile_buffer(p, stream_sizes[i], window_sizes[j], READ_FULL);
        free(p);
    }
}

Test(window, tiles_many_short_lines)
{
    for (size_t i = 0; i < NSIZES; i++) {
        uint8_t *p = short_lines(stream_sizes[i], 99 + i);
        for (size_t j = 0; j < NWINDOWS; j++)
            tile_buffer(p, stream_sizes[i], window_sizes[j], READ_FULL);
        free(p);
    }
}

/* Line lengths on both sides of the half-window and full-window thresholds. */
Test(window, tiles_lines_around_window_size)
{
    const size_t ws = 4096, len = 40000;
    for (size_t line = 1; line <= 2 * ws + 64; line++) {
        bool near = line < 64 || (line > ws / 2 - 64 && line < ws / 2 + 64) ||
                    (line > ws - PII_WINDOW_TAIL - 64 && line < ws - PII_WINDOW_TAIL + 64) ||
                    (line > ws - 64 && line < ws + 64) || line > 2 * ws - 64 || line % 97 == 0;
        if (!near)
            continue;
        uint8_t *p = fixed_lines(len, line);
        tile_buffer(p, len, ws, READ_FULL);
        tile_buffer(p, len - line / 2, ws, READ_RANDOM);
        free(p);
    }
}

Test(window, tiles_with_one_byte_reads)
{
    static const size_t sizes[] = { 0, 1, 4095, 4096, 4097, 10000, 30000 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint8_t *a = one_line(sizes[i]), *b = short_lines(sizes[i], 7);
        tile_buffer(a, sizes[i], 4096, READ_ONE);
        tile_buffer(b, sizes[i], 4096, READ_ONE);
        tile_buffer(b, sizes[i], 5000, READ_ONE);
        free(a);
        free(b);
    }
}

Test(window, tiles_with_random_short_reads)
{
    for (size_t i = 0; i < NSIZES; i++) {
        uint8_t *a = one_line(stream_sizes[i]), *b = short_lines(stream_sizes[i], 3 + i);
        for (size_t j = 0; j < NWINDOWS; j++) {
            tile_buffer(a, stream_sizes[i], window_sizes[j], READ_RANDOM);
            tile_buffer(b, stream_sizes[i], window_sizes[j], READ_RANDOM);
        }
        free(a);
        free(b);
    }
}

Test(window, eintr_is_retried)
{
    uint8_t *p = short_lines(50000, 11);
    src s = { .data = p, .len = 50000, .mode = READ_RANDOM, .rng = 5, .eintr_every = 3 };
    check_tiling(&s, 4096);
    cr_assert_gt(s.calls, 3, "the reader was not called often enough to hit EINTR");
    free(p);
}

/* A live input that pauses (EAGAIN): the lines read so far are handed out
 * at once, and the windows still tile the stream. */
Test(window, paused_input_hands_out_whole_lines)
{
    uint8_t *p = short_lines(200000, 17);
    for (size_t j = 0; j < NWINDOWS; j++) {
        src s = { .data = p, .len = 200000, .mode = READ_RANDOM, .rng = 9 + j, .pause_every = 3 };
        size_t paused_tiles = check_tiling(&s, window_sizes[j]);
        src whole = { .data = p, .len = 200000, .mode = READ_FULL };
        size_t full_tiles = check_tiling(&whole, window_sizes[j]);
        cr_assert_gt(s.pauses, 10, "the reader paused only %d times", s.pauses);
        cr_assert_gt(paused_tiles, full_tiles, "pauses made no earlier windows (window %zu)", window_sizes[j]);
    }
    free(p);
}

/* A pause with no whole line read waits for more: a line is never cut
 * early because its writer paused in it. */
Test(window, pause_inside_a_line_waits)
{
    uint8_t *p = one_line(100000);
    src s = { .data = p, .len = 100000, .mode = READ_RANDOM, .rng = 3, .pause_every = 2 };
    src whole = { .data = p, .len = 100000, .mode = READ_FULL };
    cr_assert_eq(check_tiling(&s, 8192), check_tiling(&whole, 8192));
    cr_assert_gt(s.pauses, 10);
    free(p);
}

Test(window, empty_stream_gives_no_window)
{
    src s = { .data = NULL, .len = 0 };
    pii_wreader r;
    pii_window w;
    cr_assert_eq(pii_wreader_init(&r, 4096, src_read, &s), 0);
    cr_assert_eq(pii_wreader_next(&r, &w), 0);
    cr_assert_eq(pii_wreader_next(&r, &w), 0);
    pii_wreader_free(&r);
}

static void expect_window(const pii_window *w, uint64_t base, size_t len, size_t lo, size_t hi,
                          bool at_start, bool at_eof)
{
    cr_assert_eq(w->base, base, "base %llu", (unsigned long long)w->base);
    cr_assert_eq(w->len, len, "len %zu", w->len);
    cr_assert_eq(w->acc_lo, lo, "acc_lo %zu", w->acc_lo);
    cr_assert_eq(w->acc_hi, hi, "acc_hi %zu", w->acc_hi);
    cr_assert_eq(w->at_start, at_start);
    cr_assert_eq(w->at_eof, at_eof);
}

/* Worked example: 100-byte lines, 4096-byte windows. */
Test(window, newline_cuts_and_offsets)
{
    uint8_t *p = fixed_lines(10000, 100);   /* newlines at 99, 199, ... 9999 */
    src s = { .data = p, .len = 10000 };
    pii_wreader r;
    pii_window w;
    cr_assert_eq(pii_wreader_init(&r, 4096, src_read, &s), 0);
    cr_assert_eq(pii_wreader_next(&r, &w), 1);
    expect_window(&w, 0, 4096, 0, 4000, true, false);          /* last '\n' at 3999 */
    cr_assert_eq(pii_wreader_next(&r, &w), 1);
    expect_window(&w, 2976, 4096, 1024, 4024, false, false);   /* abs 2976..7072, '\n' at 6999 */
    cr_assert_eq(pii_wreader_next(&r, &w), 1);
    expect_window(&w, 5976, 4024, 1024, 4024, false, true);
    cr_assert_eq(pii_wreader_next(&r, &w), 0);
    pii_wreader_free(&r);
    free(p);
}

/* No newline in the second half: the cut leaves PII_WINDOW_TAIL bytes. */
Test(window, mid_line_cut_leaves_tail)
{
    uint8_t *p = one_line(9000);
    p[1000] = '\n';   /* first half only: must be ignored */
    src s = { .data = p, .len = 9000 };
    pii_wreader r;
    pii_window w;
    cr_assert_eq(pii_wreader_init(&r, 4096, src_read, &s), 0);
    cr_assert_eq(pii_wreader_next(&r, &w), 1);
    expect_window(&w, 0, 4096, 0, 4096 - PII_WINDOW_TAIL, true, false);
    cr_assert_eq(pii_wreader_next(&r, &w), 1);
    expect_window(&w, 2048, 4096, 1024, 3072, false, false);
    cr_assert_eq(pii_wreader_next(&r, &w), 1);
    expect_window(&w, 4096, 4096, 1024, 3072, false, false);
    cr_assert_eq(pii_wreader_next(&r, &w), 1);
    expect_window(&w, 6144, 9000 - 6144, 1024, 9000 - 6144, false, true);
    cr_assert_eq(pii_wreader_next(&r, &w), 0);
    pii_wreader_free(&r);
    free(p);
}

/* A stream that is exactly one full window ending in '\n': the first window
 * already accepts everything, and the reader then finishes without an empty
 * window. */
Test(window, exact_fit_ends_without_empty_window)
{
    uint8_t *p = fixed_lines(4096, 64);
    src s = { .data = p, .len = 4096 };
    pii_wreader r;
    pii_window w;
    cr_assert_eq(pii_wreader_init(&r, 4096, src_read, &s), 0);
    cr_assert_eq(pii_wreader_next(&r, &w), 1);
    expect_window(&w, 0, 4096, 0, 4096, true, false);
    cr_assert_eq(pii_wreader_next(&r, &w), 0);
    pii_wreader_free(&r);
    free(p);
}

Test(window, small_stream_is_one_window)
{
    uint8_t *p = short_lines(777, 1);
    src s = { .data = p, .len = 777 };
    pii_wreader r;
    pii_window w;
    cr_assert_eq(pii_wreader_init(&r, 1 << 20, src_read, &s), 0);
    cr_assert_eq(pii_wreader_next(&r, &w), 1);
    expect_window(&w, 0, 777, 0, 777, true, true);
    cr_assert(memcmp(w.data, p, 777) == 0);
    cr_assert_eq(pii_wreader_next(&r, &w), 0);
    pii_wreader_free(&r);
    free(p);
}

Test(window, window_size_is_clamped)
{
    uint8_t *p = one_line(20000);
    src s = { .data = p, .len = 20000 };
    pii_wreader r;
    pii_window w;
    cr_assert_eq(pii_wreader_init(&r, 10, src_read, &s), 0);
    cr_assert_eq(r.cap, PII_WINDOW_MIN);
    cr_assert_eq(pii_wreader_next(&r, &w), 1);
    cr_assert_eq(w.len, PII_WINDOW_MIN);
    pii_wreader_free(&r);
    free(p);
}

static void expect_read_error(uint64_t fail_at, enum read_mode mode)
{
    uint8_t *p = short_lines(30000, 2);
    src s = { .data = p, .len = 30000, .mode = mode, .rng = 9, .fail_at = fail_at };
    pii_wreader r;
    pii_window w;
    cr_assert_eq(pii_wreader_init(&r, 4096, src_read, &s), 0);
    int rc;
    uint64_t accepted = 0;
    while ((rc = pii_wreader_next(&r, &w)) == 1)
        accepted = w.base + w.acc_hi;
    cr_assert_eq(rc, -1, "read error at %llu not reported", (unsigned long long)fail_at);
    cr_assert_eq(errno, EIO);
    cr_assert_leq(accepted, s.pos, "bytes never read were accepted");
    cr_assert_lt(accepted, s.len, "the whole stream was accepted despite the error");
    pii_wreader_free(&r);
    free(p);
}

Test(window, read_error_propagates)
{
    expect_read_error(1, READ_FULL);      /* fails on the second read, inside window 1 */
    expect_read_error(4096, READ_FULL);   /* fails when refilling for window 2 */
    expect_read_error(12345, READ_RANDOM);
}

Test(window, read_error_on_first_read)
{
    src s = { .data = NULL, .len = 100, .fail_first = true };
    pii_wreader r;
    pii_window w;
    cr_assert_eq(pii_wreader_init(&r, 4096, src_read, &s), 0);
    errno = 0;
    cr_assert_eq(pii_wreader_next(&r, &w), -1);
    cr_assert_eq(errno, EIO);
    pii_wreader_free(&r);
}

static long max_rss_kib(void)
{
    struct rusage ru;
    cr_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
    return ru.ru_maxrss;
}

/* 100 MB without a newline through 1 MiB windows: completes, tiles, and the
 * resident set does not grow with the line. */
Test(window, hundred_megabyte_line_in_constant_memory, .timeout = 120)
{
    long before = max_rss_kib();
    src s = { .data = NULL, .len = 100u * 1000 * 1000, .mode = READ_RANDOM, .rng = 77 };
    size_t nwin = check_tiling(&s, 1 << 20);
    long grown = max_rss_kib() - before;
    cr_assert_geq(nwin, 95, "only %zu windows for 100 MB", nwin);
    cr_assert_lt(grown, 16 * 1024, "resident set grew by %ld KiB", grown);
}

/* With tell_pauses, a pause that finds nothing new to hand out (the window
 * before was full) is told as 2, so that what was handed out can be
 * flushed; the next call reads on, and the windows still tile. */
Test(window, pause_after_a_full_window_is_told)
{
    uint8_t *p = fixed_lines(8192, 64);
    src s = { .data = p, .len = 8192, .mode = READ_FULL, .pause_every = 2 };
    pii_wreader r;
    cr_assert_eq(pii_wreader_init(&r, 4096, src_read, &s), 0);
    r.tell_pauses = true;
    pii_window w;
    int told = 0, windows = 0, k;
    uint64_t next = 0;
    while ((k = pii_wreader_next(&r, &w)) != 0) {
        cr_assert_geq(k, 1, "no read error");
        if (k == 2) {
            told++;
            continue;
        }
        windows++;
        cr_assert_eq(w.base + w.acc_lo, next);
        next = w.base + w.acc_hi;
    }
    cr_expect_eq(next, 8192, "the windows tile the stream");
    cr_expect_gt(told, 0, "a pause after a full window was told (%d windows)", windows);
    pii_wreader_free(&r);
    free(p);
}
