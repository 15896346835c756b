/*
 * test_pipeline.c -- the threaded pipeline gives exactly the findings and
 * the redacted bytes of the single-threaded scanner, in stream order, for
 * many streams and for one stream spread over many windows.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "piiscan.h"
#include "ruleset_suite.h"

RULESET_SUITE(pipeline);

typedef struct rec {
    int stream;
    int type;
    uint64_t start, end, line, col;
} rec;

typedef struct log {
    rec *v;
    size_t n, cap;
    int ends[64];   /* streams of one test: at most 64 */
    int nends;
} log_t;

typedef struct stream_ud {
    log_t *log;
    int id;
    const char *data;
    size_t len, off;
    char *out;
    size_t outlen;
} stream_ud;

static void push(log_t *l, rec r)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = r;
}

static int on_f(void *ud, const piiscan_finding *f)
{
    stream_ud *s = ud;
    push(s->log, (rec){ s->id, f->type, f->start, f->end, f->line, f->col });
    return 0;
}

static void on_end(void *ud, int rc, int err)
{
    (void)err;
    stream_ud *s = ud;
    cr_assert_eq(rc, 0);
    s->log->ends[s->log->nends++] = s->id;
}

static ssize_t rd(void *ud, void *buf, size_t cap)
{
    stream_ud *s = ud;
    size_t n = s->len - s->off;
    if (n > cap)
        n = cap;
    if (n > 777)
        n = 777;   /* short reads, as from a pipe */
    memcpy(buf, s->data + s->off, n);
    s->off += n;
    return (ssize_t)n;
}

static char *make_text(unsigned seed, size_t len)
{
    static const char *vals[] = { "13812345678", "11010519491231002X", "li.si@example.com", "d0:50:99:84:a2:a0",
                                  "imei=490154203237518", "198.51.100.23", "6200000000000005" };
    char *b = malloc(len + 64);
    size_t n = 0;
    while (n < len) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = (seed >> 16) % 50;
        if (r < 4)
            n += (size_t)sprintf(b + n, " %s ", vals[(seed >> 8) % 7]);
        else if (r < 6)
            b[n++] = '\n';
        else
            b[n++] = "abcdef 0123,:"[(seed >> 4) % 13];
    }
    b[len] = 0;
    return b;
}

static void sequential(const char *t, size_t len, int id, log_t *l, size_t window)
{
    piiscan_scan_options o;
    piiscan_scan_options_init(&o);
    o.window_size = window;
    piiscan_scanner *sc;
    cr_assert_eq(piiscan_scanner_new(&sc, rs, &o), 0);
    stream_ud s = { l, id, t, len, 0, NULL, 0 };
    cr_assert_eq(piiscan_scan_stream(sc, rd, &s, on_f, &s), 0);
    piiscan_scanner_free(sc);
}

/* The pipeline on 1..max_threads threads gives the sequential scanner's
 * findings for the n streams, in order, and ends them in order; frees text. */
static void same_as_sequential(char **text, const size_t *lens, int n, size_t window, int max_threads, size_t min_findings)
{
    log_t want = { 0 }, got = { 0 };
    for (int i = 0; i < n; i++)
        sequential(text[i], lens[i], i, &want, window);
    cr_assert_gt(want.n, min_findings);
    stream_ud *s = calloc((size_t)n, sizeof *s);
    for (int threads = 1; threads <= max_threads; threads++) {
        got.n = 0;
        got.nends = 0;
        piiscan_scan_options o;
        piiscan_scan_options_init(&o);
        o.window_size = window;
        piiscan_pipeline *p;
        cr_assert_eq(piiscan_pipeline_new(&p, rs, &o, threads), 0);
        for (int i = 0; i < n; i++) {
            s[i] = (stream_ud){ &got, i, text[i], lens[i], 0, NULL, 0 };
            cr_assert_eq(piiscan_pipeline_scan(p, rd, &s[i], on_f, on_end, &s[i]), 0);
        }
        piiscan_pipeline_free(p);
        cr_assert_eq(got.n, want.n, "threads %d: %zu vs %zu findings", threads, got.n, want.n);
        cr_assert_eq(got.nends, n);
        for (int i = 0; i < n; i++)
            cr_assert_eq(got.ends[i], i, "streams end in order");
        for (size_t i = 0; i < want.n; i++)
            cr_assert(memcmp(&got.v[i], &want.v[i], sizeof(rec)) == 0, "threads %d: finding %zu differs", threads, i);
    }
    for (int i = 0; i < n; i++)
        free(text[i]);
    free(s);
    free(want.v);
    free(got.v);
}

Test(pipeline, same_findings_in_order_as_sequential)
{
    enum { NSTREAMS = 12 };
    char *text[NSTREAMS];
    size_t lens[NSTREAMS];
    for (int i = 0; i < NSTREAMS; i++) {
        /* one big stream, one empty; the others end in their first or
         * second window (the last window also carries the end) */
        lens[i] = i == 5 ? 300000 : i == 3 ? 0 : 1000 + (size_t)i * 997;
        text[i] = make_text(42u + (unsigned)i, lens[i]);
    }
    same_as_sequential(text, lens, NSTREAMS, 4096, 4, 200);
}

/* An SQL dump whose first data statement comes after 64 KiB of comments:
 * only a first window that reaches it sees an SQL dump, and only then are
 * the dates in its birthday column (context-only values) found. */
static char *sql_dump_late_data(size_t *len)
{
    size_t cap = 200000, n = 0;
    char *b = malloc(cap);
    n += (size_t)sprintf(b + n, "-- MySQL dump 10.13\n");
    while (n < 70000)
        n += (size_t)sprintf(b + n, "-- padding comment line %zu of a long header\n", n);
    n += (size_t)sprintf(b + n, "CREATE TABLE `users` (`id` int, `birthday` date);\n");
    for (int k = 0; k < 40; k++)
        n += (size_t)sprintf(b + n, "INSERT INTO `users` VALUES (%d,'19%02d-0%d-1%d');\n", k, 60 + k, 1 + k % 9, k % 10);
    *len = n;
    return b;
}

/* With windows larger than the pipeline's small slots, a stream starts in
 * a small slot and moves to a full one when it does not fit: sizes around
 * the small slot's 64 KiB, many small streams (more than the slots), and
 * large ones must give what the sequential scanner gives. */
Test(pipeline, small_and_large_streams_as_sequential)
{
    enum { NSTREAMS = 60 };
    static const size_t edge[] = { 0, 1, 65535, 65536, 65537, 70000, 300000, 1 << 20 };
    size_t nedge = sizeof edge / sizeof edge[0];
    char *text[NSTREAMS];
    size_t lens[NSTREAMS];
    for (int i = 0; i < NSTREAMS; i++) {
        lens[i] = (size_t)i < nedge ? edge[i] : 200 + (size_t)i * 97;
        text[i] = i == NSTREAMS - 1 ? sql_dump_late_data(&lens[i]) : make_text(7u + (unsigned)i, lens[i]);
    }
    same_as_sequential(text, lens, NSTREAMS, 256 << 10, 3, 2000);
}

/* Workers are woken by queued bytes: 64 streams of a few hundred bytes
 * never add up to a wake-up, so only the reader waiting for a slot (one
 * thread: fewer small slots than streams) and waiting for the end may wake
 * them.  A stall fails by the timeout. */
Test(pipeline, tiny_streams_below_the_wake_up_never_stall, .timeout = 60)
{
    enum { NSTREAMS = 64 };
    char *text[NSTREAMS];
    size_t lens[NSTREAMS];
    for (int i = 0; i < NSTREAMS; i++) {
        lens[i] = i % 9 == 0 ? 0 : 40 + (size_t)i * 5;
        text[i] = make_text(1000u + (unsigned)i, lens[i]);
    }
    same_as_sequential(text, lens, NSTREAMS, 256 << 10, 4, 10);
}

/* --threads 1 means one thread: every finding and every stream's end is
 * delivered on the thread that adds the streams (no worker is started),
 * for streams of one small slot and streams of many windows alike. */
typedef struct solo_ud {
    pthread_t caller;
    size_t findings, ends, elsewhere;
} solo_ud;

static int on_solo_f(void *ud, const piiscan_finding *f)
{
    (void)f;
    solo_ud *u = ud;
    u->findings++;
    u->elsewhere += !pthread_equal(pthread_self(), u->caller);
    return 0;
}

static void on_solo_end(void *ud, int rc, int err)
{
    (void)err;
    solo_ud *u = ud;
    cr_assert_eq(rc, 0);
    u->ends++;
    u->elsewhere += !pthread_equal(pthread_self(), u->caller);
}

Test(pipeline, one_thread_is_the_callers)
{
    solo_ud u = { pthread_self(), 0, 0, 0 };
    static const size_t lens[] = { 300, 5000, 0, 300000, 70000 };
    enum { N = sizeof lens / sizeof lens[0] };
    char *text[N];
    stream_ud s[N];
    piiscan_scan_options o;
    piiscan_scan_options_init(&o);
    piiscan_pipeline *p;
    cr_assert_eq(piiscan_pipeline_new(&p, rs, &o, 1), 0);
    for (int i = 0; i < N; i++) {
        text[i] = make_text(77u + (unsigned)i, lens[i]);
        s[i] = (stream_ud){ NULL, i, text[i], lens[i], 0, NULL, 0 };
        cr_assert_eq(piiscan_pipeline_scan(p, rd, &s[i], on_solo_f, on_solo_end, &u), 0);
    }
    piiscan_pipeline_free(p);
    cr_assert_eq(u.ends, N);
    cr_assert_gt(u.findings, 100);
    cr_assert_eq(u.elsewhere, 0, "%zu deliveries on another thread", u.elsewhere);
    for (int i = 0; i < N; i++)
        free(text[i]);
}

/* Thousands of streams far below a worker's wake-up (WAKE_BYTES): when
 * the caller runs out of slots and detects queued windows itself, it
 * wakes the workers for the rest, so they take part -- some findings are
 * delivered elsewhere than on the caller.  (Before, they slept through the
 * whole run, every time, and one thread did everything.)  Woken workers
 * can still find nothing left when other processes keep the CPUs busy, so
 * a run where they did not take part is tried again, up to 10 times. */
static size_t tiny_streams_elsewhere(void)
{
    enum { N = 20000 };
    static const char line[] = "user phone 13800138000 email a@example.com\n";
    static char text[6 * sizeof line];
    size_t len = 0;
    for (int i = 0; i < 6; i++, len += sizeof line - 1)
        memcpy(text + len, line, sizeof line - 1);
    solo_ud u = { pthread_self(), 0, 0, 0 };
    piiscan_scan_options o;
    piiscan_scan_options_init(&o);
    piiscan_pipeline *p;
    cr_assert_eq(piiscan_pipeline_new(&p, rs, &o, 4), 0);
    stream_ud *s = calloc(N, sizeof *s);
    for (int i = 0; i < N; i++) {
        s[i] = (stream_ud){ NULL, i, text, len, 0, NULL, 0 };
        cr_assert_eq(piiscan_pipeline_scan(p, rd, &s[i], on_solo_f, on_solo_end, &u), 0);
    }
    piiscan_pipeline_free(p);
    free(s);
    cr_assert_eq(u.ends, N);
    cr_assert_eq(u.findings, 2u * 6u * N);
    return u.elsewhere;
}

Test(pipeline, tiny_streams_reach_the_workers, .timeout = 120)
{
    size_t elsewhere = 0;
    for (int attempt = 0; attempt < 10 && elsewhere == 0; attempt++)
        elsewhere = tiny_streams_elsewhere();
    cr_assert_gt(elsewhere, 0, "every delivery on the caller in 10 runs: the workers slept");
}

static ssize_t mark(void *ud, const piiscan_finding *f, unsigned char *out, size_t cap)
{
    (void)ud;
    int n = snprintf((char *)out, cap, "<%s>", piiscan_type_name(f->type));
    return n;
}

static int collect(void *ud, const void *buf, size_t len)
{
    stream_ud *s = ud;
    s->out = realloc(s->out, s->outlen + len + 1);
    memcpy(s->out + s->outlen, buf, len);
    s->outlen += len;
    return 0;
}

static void end_ok(void *ud, int rc, int err)
{
    (void)ud;
    (void)err;
    cr_assert_eq(rc, 0);
}

Test(pipeline, redaction_equals_sequential)
{
    size_t len = 200000;
    char *t = make_text(9, len);
    piiscan_scan_options o;
    piiscan_scan_options_init(&o);
    o.window_size = 4096;
    piiscan_scanner *sc;
    cr_assert_eq(piiscan_scanner_new(&sc, rs, &o), 0);
    stream_ud a = { NULL, 0, t, len, 0, NULL, 0 };
    cr_assert_eq(piiscan_redact_stream(sc, rd, &a, mark, NULL, collect, &a), 0);
    piiscan_scanner_free(sc);
    for (int threads = 1; threads <= 3; threads += 2) {
        piiscan_pipeline *p;
        cr_assert_eq(piiscan_pipeline_new(&p, rs, &o, threads), 0);
        stream_ud b = { NULL, 0, t, len, 0, NULL, 0 };
        cr_assert_eq(piiscan_pipeline_redact(p, rd, &b, mark, collect, end_ok, &b), 0);
        piiscan_pipeline_free(p);
        cr_assert_eq(a.outlen, b.outlen, "threads %d", threads);
        cr_assert(memcmp(a.out, b.out, a.outlen) == 0, "threads %d", threads);
        free(b.out);
    }
    cr_assert(strstr(a.out, "<CN_MOBILE>") != NULL);
    cr_assert(strstr(a.out, "13812345678") == NULL);
    free(a.out);
    free(t);
}

/* A replacement as long as the finding's type says: 1 to 3,000 bytes. */
static ssize_t sized(void *ud, const piiscan_finding *f, unsigned char *out, size_t cap)
{
    (void)ud;
    size_t n = (size_t)(f->start % 3000) + 1;
    cr_assert(n <= cap);
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)('a' + (f->start + i) % 26);
    return (ssize_t)n;
}

/* The copy goes to the writer in collected pieces (emit.c): every byte
 * around the replacements must come out once and in order, whatever the
 * sizes of the gaps between findings (none, a few bytes, about the
 * collector's size and above it) and of the replacements. */
Test(pipeline, redacted_copy_keeps_order_across_gap_sizes)
{
    static const size_t gaps[] = { 1, 7, 100, 5000, 8191, 8193, 9000, 12000, 16383, 16385, 40000, 2 };
    size_t cap = 0;
    for (size_t i = 0; i < sizeof gaps / sizeof *gaps; i++)
        cap += gaps[i] + 13;
    char *t = malloc(cap + 1), *want = malloc(cap * 3000 + 1);
    size_t len = 0, wlen = 0;
    for (size_t i = 0; i < sizeof gaps / sizeof *gaps; i++) {
        memset(t + len, i % 2 ? '.' : '\n', gaps[i] - 1);
        t[len + gaps[i] - 1] = ' ';
        memcpy(want + wlen, t + len, gaps[i]);
        len += gaps[i];
        wlen += gaps[i];
        unsigned char rep[3000];
        piiscan_finding f = { .start = len };
        size_t n = (size_t)sized(NULL, &f, rep, sizeof rep);
        memcpy(t + len, "13812345678 ", 12);   /* a mobile number, then a blank */
        memcpy(want + wlen, rep, n);
        want[wlen + n] = ' ';
        len += 12;
        wlen += n + 1;
    }
    const size_t windows[] = { 4096, 1 << 20 };
    for (size_t k = 0; k < 2; k++) {
        piiscan_scan_options o;
        piiscan_scan_options_init(&o);
        o.window_size = windows[k];
        piiscan_scanner *sc;
        cr_assert_eq(piiscan_scanner_new(&sc, rs, &o), 0);
        stream_ud a = { NULL, 0, t, len, 0, NULL, 0 };
        cr_assert_eq(piiscan_redact_stream(sc, rd, &a, sized, NULL, collect, &a), 0);
        piiscan_scanner_free(sc);
        cr_assert_eq(a.outlen, wlen, "window %zu: %zu bytes out, %zu expected", windows[k], a.outlen, wlen);
        cr_assert(memcmp(a.out, want, wlen) == 0, "window %zu: the copy differs", windows[k]);
        free(a.out);
    }
    free(t);
    free(want);
}

typedef struct prep_log {
    size_t n, prepared;
    bool bad;
} prep_log;

static const unsigned char PKEY[32] = "pipeline fingerprint key 0123456";

/* Every finding arrives with the fingerprint its normalized value gives
 * under the key (made on the worker), or without one when not asked. */
static int check_prepared(void *ud, const piiscan_finding *f)
{
    prep_log *l = ud;
    l->n++;
    if (!f->fingerprint)
        return 0;
    char fp[17];
    piiscan_fingerprint(PKEY, sizeof PKEY, f->type, f->norm, f->norm_len, fp);
    if (strcmp(f->fingerprint, fp) != 0 || f->fingerprint_key != PKEY || f->fingerprint_key_len != sizeof PKEY)
        l->bad = true;
    l->prepared++;
    return 0;
}

Test(pipeline, findings_prepared_on_the_workers)
{
    size_t len = 300000;
    char *t = make_text(21, len);
    for (int want = 0; want < 2; want++) {
        piiscan_scan_options o;
        piiscan_scan_options_init(&o);
        o.window_size = 4096;
        if (want) {
            o.fingerprints = true;
            o.fingerprint_key = PKEY;
            o.fingerprint_key_len = sizeof PKEY;
        }
        piiscan_pipeline *p;
        cr_assert_eq(piiscan_pipeline_new(&p, rs, &o, 3), 0);
        prep_log l = { 0 };
        stream_ud s = { NULL, 0, t, len, 0, NULL, 0 };
        cr_assert_eq(piiscan_pipeline_scan(p, rd, &s, check_prepared, end_ok, &l), 0);
        piiscan_pipeline_wait(p);
        piiscan_pipeline_free(p);
        cr_assert_gt(l.n, 100);
        cr_assert(!l.bad, "a prepared fingerprint differs");
        cr_assert_eq(l.prepared, want ? l.n : 0, "%zu of %zu findings prepared", l.prepared, l.n);
    }
    free(t);
}
