/*
 * engine.c -- the scanner: windows in, findings out.
 *
 * For each window: one hs_scan() whose callback only appends {id, end}; the
 * tokenizer and matchers over the same bytes; e-mail ends turned into
 * candidates; candidates outside the window's accept range dropped (they
 * belong to the neighbouring window); context, confidence and overlaps
 * resolved; then findings are emitted in order with line and column.
 * The arrays are kept in the scanner and reused, so the hot path does not
 * allocate once they have grown to the working size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "normalize.h"
#include "window.h"

#define DEFAULT_WINDOW (1u << 20)

struct piiscan_scanner {
    const piiscan_ruleset *rs;
    piiscan_scan_options opt;
    hs_scratch_t *scratch;
    pii_vec_hit hits;
    pii_vec_cand cands;
    int oom;
    uint64_t line, line_start, counted;   /* line tracking, absolute offsets */
    char norm[512];
    char ctx[160];
};

void piiscan_scan_options_init(piiscan_scan_options *o)
{
    o->min_confidence = 0.5;
    o->window_size = DEFAULT_WINDOW;
}

int piiscan_scanner_new(piiscan_scanner **out, const piiscan_ruleset *rs, const piiscan_scan_options *o)
{
    piiscan_scanner *sc = calloc(1, sizeof *sc);
    if (!sc)
        return -1;
    sc->rs = rs;
    if (o)
        sc->opt = *o;
    else
        piiscan_scan_options_init(&sc->opt);
    if (sc->opt.window_size < PII_WINDOW_MIN)
        sc->opt.window_size = PII_WINDOW_MIN;
    if (hs_clone_scratch(rs->scratch_proto, &sc->scratch) != HS_SUCCESS) {
        free(sc);
        return -1;
    }
    *out = sc;
    return 0;
}

void piiscan_scanner_free(piiscan_scanner *sc)
{
    if (!sc)
        return;
    hs_free_scratch(sc->scratch);
    free(sc->hits.v);
    free(sc->cands.v);
    free(sc);
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
    (void)from;
    (void)flags;
    piiscan_scanner *sc = ctx;
    pii_vec_hit *h = &sc->hits;
    if (h->n == h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 1024;
        pii_hit *nv = realloc(h->v, ncap * sizeof *nv);
        if (!nv) {
            sc->oom = 1;
            return 1;
        }
        h->v = nv;
        h->cap = ncap;
    }
    h->v[h->n++] = (pii_hit){ id, (uint32_t)to };
    return 0;
}

static int by_end(const void *a, const void *b)
{
    const pii_hit *x = a, *y = b;
    return x->end != y->end ? (x->end < y->end ? -1 : 1) : (x->id < y->id ? -1 : x->id > y->id);
}

/* Advance line tracking to absolute offset `to` inside the window. */
static void count_lines(piiscan_scanner *sc, const pii_window *w, uint64_t to)
{
    const uint8_t *p = w->data + (sc->counted - w->base), *e = w->data + (to - w->base);
    while (p < e) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(e - p));
        if (!nl)
            break;
        sc->line++;
        sc->line_start = w->base + (uint64_t)(nl - w->data) + 1;
        p = nl + 1;
    }
    sc->counted = to;
}

static void fill_finding(piiscan_scanner *sc, const pii_window *w, const pii_cand *c, piiscan_finding *out)
{
    uint64_t abs = w->base + c->start;
    count_lines(sc, w, abs);
    piiscan_finding f = {
        .type = (piiscan_type)c->type,
        .start = abs,
        .end = w->base + c->end,
        .line = sc->line,
        .col = abs - sc->line_start + 1,
        .confidence = (double)((int)(c->score * 100.0f + 0.5f)) / 100.0,
        .value = w->data + c->start,
        .value_len = c->end - c->start,
    };
    f.norm_len = pii_normalize(f.type, f.value, f.value_len, sc->norm, sizeof sc->norm);
    f.norm = sc->norm;
    sc->ctx[0] = 0;
    if (c->ctx_kind)
        snprintf(sc->ctx, sizeof sc->ctx, "%s:%.*s", c->ctx_kind == 1 ? "key" : "hotword",
                 (int)(c->ctx_hi - c->ctx_lo), (const char *)w->data + c->ctx_lo);
    f.context = sc->ctx;
    *out = f;
}

/* Detect in one window; the resolved findings are sc->cands.v[0..*n). */
static int detect_window(piiscan_scanner *sc, const pii_window *w, size_t *n)
{
    const piiscan_ruleset *rs = sc->rs;
    sc->hits.n = 0;
    sc->cands.n = 0;
    if (hs_scan(rs->db, (const char *)w->data, (unsigned)w->len, 0, sc->scratch, on_match, sc) != HS_SUCCESS &&
        !sc->oom) {
        errno = EIO;
        return -1;
    }
    if (sc->oom) {
        errno = ENOMEM;
        return -1;
    }
    pii_view v = { .p = w->data, .len = w->len, .left_open = !w->at_start, .right_open = !w->at_eof };
    for (size_t i = 1; i < sc->hits.n; i++)
        if (sc->hits.v[i].end < sc->hits.v[i - 1].end) {
            qsort(sc->hits.v, sc->hits.n, sizeof *sc->hits.v, by_end);
            break;
        }
    for (size_t i = 0; i < sc->hits.n; i++)
        if (rs->expr[sc->hits.v[i].id].kind == PII_HS_REGEX && rs->expr[sc->hits.v[i].id].type == PIISCAN_EMAIL)
            pii_match_email(&v, sc->hits.v[i].end, &sc->cands, &sc->oom);
    pii_tokenize_view(&v, 0, w->len, &sc->cands, &sc->oom);
    pii_match_cjk(rs, &v, sc->hits.v, sc->hits.n, &sc->cands, &sc->oom);
    if (sc->oom) {
        errno = ENOMEM;
        return -1;
    }
    /* Keep what starts in this window's accept range. */
    size_t m = 0;
    for (size_t i = 0; i < sc->cands.n; i++)
        if (sc->cands.v[i].start >= w->acc_lo && sc->cands.v[i].start < w->acc_hi)
            sc->cands.v[m++] = sc->cands.v[i];
    pii_context_apply(rs, w->data, w->len, sc->hits.v, sc->hits.n, sc->cands.v, m);
    *n = pii_resolve(rs, sc->cands.v, m, sc->opt.min_confidence);
    return 0;
}

static int scan_window(piiscan_scanner *sc, const pii_window *w, piiscan_finding_fn fn, void *ud)
{
    size_t n;
    if (detect_window(sc, w, &n) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        piiscan_finding f;
        fill_finding(sc, w, &sc->cands.v[i], &f);
        int rc = fn(ud, &f);
        if (rc)
            return rc;
    }
    count_lines(sc, w, w->base + w->acc_hi);
    return 0;
}

typedef struct redact_state {
    piiscan_transform_fn tf;
    void *tud;
    piiscan_write_fn wr;
    void *wud;
    uint64_t out_pos;         /* absolute: bytes before this are written */
    unsigned char buf[4096];  /* replacement of one finding */
} redact_state;

/* Copy window bytes [out_pos, to) to the writer. */
static int copy_to(redact_state *st, const pii_window *w, uint64_t to)
{
    if (to <= st->out_pos)
        return 0;
    const uint8_t *p = w->data + (st->out_pos - w->base);
    int rc = st->wr(st->wud, p, (size_t)(to - st->out_pos));
    st->out_pos = to;
    return rc;
}

/* Every byte of the accept range is written once: unchanged outside the
 * findings, the transform's output in place of each finding.  A finding
 * may end past acc_hi; out_pos then carries into the next window. */
static int redact_window(piiscan_scanner *sc, const pii_window *w, redact_state *st)
{
    size_t n;
    if (detect_window(sc, w, &n) < 0)
        return -1;
    if (st->out_pos < w->base + w->acc_lo)
        st->out_pos = w->base + w->acc_lo;
    for (size_t i = 0; i < n; i++) {
        const pii_cand *c = &sc->cands.v[i];
        if (w->base + c->start < st->out_pos)
            continue;   /* inside a finding replaced in the previous window */
        piiscan_finding f;
        fill_finding(sc, w, c, &f);
        ssize_t k = st->tf(st->tud, &f, st->buf, sizeof st->buf);
        if (k == PIISCAN_KEEP)
            continue;
        if (k < 0 || (size_t)k > sizeof st->buf)
            return k == -1 ? -2 : (int)k;
        if (copy_to(st, w, f.start) < 0 || st->wr(st->wud, st->buf, (size_t)k) < 0)
            return -3;
        st->out_pos = f.end;
    }
    if (copy_to(st, w, w->base + w->acc_hi) < 0)
        return -3;
    count_lines(sc, w, w->base + w->acc_hi);
    return 0;
}

static int run_stream(piiscan_scanner *sc, piiscan_read_fn rd, void *rud, piiscan_finding_fn fn, void *ud,
                      redact_state *st)
{
    pii_wreader r;
    if (pii_wreader_init(&r, sc->opt.window_size, rd, rud) < 0)
        return -1;
    sc->line = 1;
    sc->line_start = 0;
    sc->counted = 0;
    int rc = 0;
    pii_window w;
    for (;;) {
        int k = pii_wreader_next(&r, &w);
        if (k <= 0) {
            rc = k;
            break;
        }
        rc = st ? redact_window(sc, &w, st) : scan_window(sc, &w, fn, ud);
        if (rc != 0)
            break;
    }
    pii_wreader_free(&r);
    return rc;
}

int piiscan_scan_stream(piiscan_scanner *sc, piiscan_read_fn rd, void *rud, piiscan_finding_fn fn, void *ud)
{
    return run_stream(sc, rd, rud, fn, ud, NULL);
}

int piiscan_redact_stream(piiscan_scanner *sc, piiscan_read_fn rd, void *rud, piiscan_transform_fn tf, void *tud,
                          piiscan_write_fn wr, void *wud)
{
    redact_state *st = malloc(sizeof *st);
    if (!st)
        return -1;
    *st = (redact_state){ .tf = tf, .tud = tud, .wr = wr, .wud = wud };
    int rc = run_stream(sc, rd, rud, NULL, NULL, st);
    free(st);
    return rc;
}

typedef struct membuf {
    const uint8_t *p;
    size_t len, off;
} membuf;

static ssize_t mem_read(void *ud, void *buf, size_t cap)
{
    membuf *m = ud;
    size_t n = m->len - m->off < cap ? m->len - m->off : cap;
    memcpy(buf, m->p + m->off, n);
    m->off += n;
    return (ssize_t)n;
}

int piiscan_scan_buffer(piiscan_scanner *sc, const void *buf, size_t len, piiscan_finding_fn fn, void *ud)
{
    membuf m = { buf, len, 0 };
    return piiscan_scan_stream(sc, mem_read, &m, fn, ud);
}
