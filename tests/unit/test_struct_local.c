/*
 * test_struct_local.c -- JSON windows tracked on their own (struct_local.h):
 * merged in order, they leave the stream's tracker with the column ids,
 * value counts and state that feeding the windows to it would have left,
 * and detection on their own maps gives, once its candidates are mapped,
 * the candidates of detection on the stream tracker's maps.  A window the
 * stream's tracker did not stand ready for is refused, and nothing that
 * matters has changed.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "piiscan.h"
#include "struct_int.h"
#include "struct_local.h"
#include "ruleset_suite.h"

RULESET_SUITE(struct_local);

/* The window accepting s[lo,hi), with up to 1 KiB before lo repeated as
 * the window reader does. */
static pii_window window_at(const char *s, size_t n, size_t lo, size_t hi)
{
    size_t from = lo > PII_WINDOW_OVERLAP ? lo - PII_WINDOW_OVERLAP : 0;
    return (pii_window){ .data = (const uint8_t *)s + from, .len = n - from, .base = from, .acc_lo = lo - from,
                         .acc_hi = hi - from, .at_start = from == 0, .at_eof = true };
}

typedef struct run {
    pii_tracker *t;
    pii_cand *c;      /* every window's candidates, in order */
    size_t n, cap;
    int refused;      /* windows pii_local_merge refused */
} run;

static void keep(run *r, const pii_vec_cand *v, size_t n)
{
    if (!n)
        return;
    if (r->n + n > r->cap) {
        r->cap = (r->n + n) * 2;
        r->c = realloc(r->c, r->cap * sizeof *r->c);
        cr_assert(r->c);
    }
    memcpy(r->c + r->n, v->v, n * sizeof *r->c);
    r->n += n;
}

/* Track and detect s cut at cuts[] (the accept ranges' ends): every window
 * by the stream's tracker, or (apart) the first by it and the others each
 * on its own, merged in order, tracked and detected again when refused. */
static run scan_cut(const char *s, const size_t *cuts, size_t ncuts, bool apart)
{
    size_t len = strlen(s);
    run r = { .t = pii_tracker_new(rs) };
    pii_tracker *lt = pii_tracker_new(rs);
    pii_worker wk;
    cr_assert(r.t && lt && pii_worker_init(&wk, rs) == 0);
    pii_tracker_set_name(r.t, "x.jsonl");
    pii_fieldmap m = { 0 };
    pii_vec_cand v = { 0 };
    size_t lo = 0, n;
    for (size_t k = 0; k <= ncuts; k++) {
        size_t hi = k < ncuts ? cuts[k] : len;
        pii_window w = window_at(s, len, lo, hi);
        if (apart && k > 0)   /* the reader: from the bytes before the window */
            pii_local_guess(lt, (const uint8_t *)s, lo, true);
        bool own = apart && k > 0 && pii_local_feed(lt, &w, &m);
        if (own) {
            cr_assert_eq(pii_detect_window(rs, 0.0, &wk, &w, &m, lt, &v, &n), 0);
            own = pii_local_merge(r.t, lt, v.v, n);
        }
        if (!own) {
            r.refused += apart && k > 0;
            pii_tracker_feed(r.t, &w, &m);
            cr_assert_eq(pii_detect_window(rs, 0.0, &wk, &w, &m, r.t, &v, &n), 0);
        }
        keep(&r, &v, n);
        lo = hi;
    }
    free(m.v);
    free(v.v);
    pii_worker_free(&wk);
    pii_tracker_free(lt);
    return r;
}

static void run_free(run *r)
{
    pii_tracker_free(r->t);
    free(r->c);
}

/* Same columns in the same order with the same counts, same state, same
 * candidates with the same column contexts. */
static void same_runs(const run *a, const run *b)
{
    cr_assert_eq(a->t->ncols, b->t->ncols, "columns: %u, %u", a->t->ncols, b->t->ncols);
    for (uint16_t c = 0; c < a->t->ncols; c++) {
        cr_assert_str_eq(pii_tracker_col(a->t, c)->name, pii_tracker_col(b->t, c)->name, "column %u", c);
        cr_assert_eq(pii_tracker_col(a->t, c)->keymask, pii_tracker_col(b->t, c)->keymask, "column %u", c);
        cr_assert_eq(pii_tr_rd(a->t, c)->rows, pii_tr_rd(b->t, c)->rows, "values of %s",
                     pii_tracker_col(a->t, c)->name);
    }
    cr_assert_eq(a->t->cur_col, b->t->cur_col);
    cr_assert_eq(a->t->cur_q, b->t->cur_q);
    cr_assert_eq(a->t->cur_row, b->t->cur_row);
    cr_assert_eq(a->t->json.records, b->t->json.records);
    cr_assert_eq(a->n, b->n, "candidates: %zu, %zu", a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const pii_cand *x = &a->c[i], *y = &b->c[i];
        cr_assert(x->start == y->start && x->end == y->end && x->type == y->type, "candidate %zu", i);
        cr_assert_eq(x->ctx_kind, y->ctx_kind, "candidate %zu at %u", i, x->start);
        cr_assert_eq(x->ctx_lo, y->ctx_lo, "candidate %zu at %u: column", i, x->start);
        cr_assert_eq(x->ctx_hi, y->ctx_hi, "candidate %zu at %u: value ordinal", i, x->start);
        cr_assert_eq(x->quote, y->quote, "candidate %zu", i);
        cr_assert_eq(x->score, y->score, "candidate %zu", i);
    }
}

/* JSON Lines whose columns first appear in different windows (each window
 * of five records brings a new key, and a telling one every third), with
 * a nested object, an array and a record ending in a telling key. */
static char *lines(int nrec, size_t *cuts, size_t *ncuts, int per_window)
{
    size_t cap = (size_t)nrec * 200 + 1, n = 0;
    char *s = malloc(cap);
    cr_assert(s);
    *ncuts = 0;
    for (int i = 0; i < nrec; i++) {
        int win = i / per_window;
        const char *late = win % 3 == 0 ? "phone" : win % 3 == 1 ? "\\u624b\\u673a" : "imei";
        n += (size_t)snprintf(s + n, cap - n,
                              "{\"id\":%d,\"k%d\":\"v\",\"u\":{\"mobile\":\"1381234%04d\",\"tags\":[\"a\",1]},"
                              "\"%s_%d\":\"13912345678\",\"phone\":\"1371234%04d\"}\n",
                              i, win, i, late, win, i);
        if ((i + 1) % per_window == 0 && i + 1 < nrec)
            cuts[(*ncuts)++] = n;
    }
    return s;
}

Test(struct_local, ids_ordinals_and_candidates_as_if_fed_in_order)
{
    size_t cuts[64], ncuts;
    char *s = lines(60, cuts, &ncuts, 5);
    run ref = scan_cut(s, cuts, ncuts, false), got = scan_cut(s, cuts, ncuts, true);
    cr_assert_eq(got.refused, 0, "every window starts between records: %d refused", got.refused);
    cr_assert_gt(ref.t->ncols, 20, "new columns in later windows: %u", ref.t->ncols);
    size_t col3 = 0;
    for (size_t i = 0; i < ref.n; i++)
        col3 += ref.c[i].ctx_kind == 3;
    cr_assert_gt(col3, 100, "candidates under telling columns: %zu", col3);
    same_runs(&ref, &got);
    run_free(&ref);
    run_free(&got);
    free(s);
}

/* The local ids are not the stream's: here the window's lines are
 * preceded by 1 KiB of others (the window repeats only part of them), so
 * its own table starts somewhere in the middle of the stream's, and its
 * last column, the stream's newest, has another id in each. */
Test(struct_local, window_ids_differ_from_stream_ids)
{
    char s[4096];
    size_t n = 0;
    for (int i = 0; i < 50; i++)
        n += (size_t)snprintf(s + n, sizeof s - n, "{\"a%d\":1,\"phone\":\"13812345678\"}\n", i);
    size_t cut = n;
    snprintf(s + n, sizeof s - n, "{\"c\":3,\"phone\":\"13812345679\"}\n{\"phone\":\"13812345670\",\"new\":4}\n");
    run ref = scan_cut(s, &cut, 1, false), got = scan_cut(s, &cut, 1, true);
    cr_assert_eq(got.refused, 0);
    cr_assert_eq(got.t->ncols, 53);
    cr_assert_str_eq(pii_tracker_col(got.t, 52)->name, "new");
    cr_assert_eq(got.t->cur_col, 52);
    cr_assert_eq(pii_tr_rd(got.t, 1)->rows, 52, "phone: 52 values");
    same_runs(&ref, &got);
    run_free(&ref);
    run_free(&got);
}

/* Records across window edges and pretty-printed JSON: those windows are
 * refused, and tracked again they give what feeding them would have. */
Test(struct_local, window_inside_a_record_is_refused)
{
    size_t cuts[64], ncuts;
    char *s = lines(30, cuts, &ncuts, 5);
    for (size_t k = 0; k < ncuts; k += 2)
        cuts[k] -= 20;   /* inside the record before */
    run ref = scan_cut(s, cuts, ncuts, false), got = scan_cut(s, cuts, ncuts, true);
    cr_assert_geq(got.refused, (int)(ncuts + 1) / 2);
    same_runs(&ref, &got);
    run_free(&ref);
    run_free(&got);
    free(s);

    const char *pretty = "[\n  {\n    \"phone\": \"13812345678\",\n    \"name\": \"x\"\n  },\n"
                         "  {\n    \"phone\": \"13812345679\",\n    \"imei\": \"356938035643809\"\n  }\n]\n";
    size_t pcuts[] = { strstr(pretty, "  {\n    \"phone\": \"13812345679") - pretty };
    ref = scan_cut(pretty, pcuts, 1, false);
    got = scan_cut(pretty, pcuts, 1, true);
    cr_assert_eq(got.refused, 1);
    same_runs(&ref, &got);
    run_free(&ref);
    run_free(&got);
}

/* Lines longer than a window's overlap, blank lines between records, CRLF:
 * the field a window starts in is guessed from the last line before it
 * that is not blank, whatever its length. */
Test(struct_local, long_and_blank_lines_are_guessed)
{
    size_t cap = 40 * 4000, n = 0, cuts[40], ncuts = 0;
    char *s = malloc(cap);
    cr_assert(s);
    for (int i = 0; i < 30; i++) {
        n += (size_t)snprintf(s + n, cap - n, "{\"id\":%d,\"note\":\"%0*d\",\"k%d\":1,\"phone\":\"1381234%04d\"}%s",
                              i, 2000 + 37 * i, 0, i % 4, i, i % 3 ? "\r\n" : "\n\n  \n");
        if (i % 2)
            cuts[ncuts++] = n;
    }
    run ref = scan_cut(s, cuts, ncuts, false), got = scan_cut(s, cuts, ncuts, true);
    cr_assert_eq(got.refused, 0, "%d windows refused", got.refused);
    same_runs(&ref, &got);
    run_free(&ref);
    run_free(&got);
    free(s);
}

/* Window `line` tracked on its own after the bytes `before` (at_start:
 * they start the stream), merged into t: does t take it? */
static bool merges(pii_tracker *t, pii_tracker *lt, pii_fieldmap *m, const char *before, const char *line,
                   bool at_start)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s%s", before, line);
    pii_window w = { .data = (const uint8_t *)buf, .len = strlen(buf), .base = at_start ? 0 : 100,
                     .acc_lo = strlen(before), .acc_hi = strlen(buf), .at_start = at_start, .at_eof = true };
    pii_local_guess(lt, w.data, w.acc_lo, w.at_start);
    cr_assert(pii_local_feed(lt, &w, m));
    return pii_local_merge(t, lt, NULL, 0);
}

/* The field a window starts in is guessed from the line before it; a
 * guess that is not where the stream's tracker stands is refused, and a
 * column only the guess named is not added. */
Test(struct_local, wrong_guess_is_refused)
{
    pii_tracker *t = pii_tracker_new(rs), *lt = pii_tracker_new(rs);
    pii_fieldmap m = { 0 };
    const char *first = "{\"a\":1,\"phone\":\"13812345678\"}\n";
    pii_window w = { .data = (const uint8_t *)first, .len = strlen(first), .acc_hi = strlen(first),
                     .at_start = true, .at_eof = true };
    pii_tracker_feed(t, &w, &m);
    cr_assert(pii_tracker_at_record_end(t));
    /* Not the stream's bytes before acc_lo: they end in column "b". */
    cr_assert_not(merges(t, lt, &m, "x\n{\"b\":2}\n", "{\"a\":3}\n", false));
    cr_assert_eq(t->ncols, 2, "b, named only by the guess, is not added: %u columns", t->ncols);
    /* A column of the stream, but not the one it ends in. */
    cr_assert_not(merges(t, lt, &m, "x\n{\"phone\":\"13812345678\",\"a\":2}\n", "{\"a\":3}\n", false));
    /* The guess ends in "phone" as the stream does, but names a column the
     * stream never had: those bytes are not the stream's either. */
    cr_assert_not(merges(t, lt, &m, "x\n{\"zz\":1,\"phone\":\"13812345678\"}\n", "{\"a\":3}\n", false));
    cr_assert_eq(t->ncols, 2, "zz, named only by the guess, is not added: %u columns", t->ncols);
    /* The stream's own bytes: the guess is "phone", as the tracker stands. */
    cr_assert(merges(t, lt, &m, first, "{\"a\":3,\"c\":4}\n", true));
    cr_assert_eq(t->ncols, 3);
    cr_assert_eq(pii_tr_rd(t, 0)->rows, 2, "a: 2 values");
    free(m.v);
    pii_tracker_free(t);
    pii_tracker_free(lt);
}
