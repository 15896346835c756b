/*
 * resolve.c -- final confidence and overlap resolution.
 *
 * Confidence: the matcher's base score (validator strength), +0.10 for a
 * telling key, +0.05 for a hotword; known placeholders drop to 0.20 so that
 * the default --min-confidence hides them; context-only candidates without
 * context are dropped.
 * Overlaps: several matchers may claim the same bytes (an 18-digit string is
 * both an ID and a card shape; a phone sits inside an e-mail).  The longer
 * span wins over one it contains, the higher confidence wins otherwise.
 *
 * The sort is a stable merge of the ascending runs the candidates arrive in
 * (e-mails, the tokenizer's compounds, CJK matches: a handful of runs), in
 * a buffer the worker keeps.  qsort allocated its buffer on every window --
 * with tens of thousands of findings per window, a fresh mmap each time --
 * and called the comparison through a pointer: in a table of customers,
 * where every cell is a finding, that was 8% of a redaction.  Stable, so
 * the order of equal candidates is what glibc's merge sort gave.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

#define PLACEHOLDER_CONF 0.2f

static int by_span(const pii_cand *x, const pii_cand *y)
{
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (int)x->type - (int)y->type;
}

static int by_span_q(const void *a, const void *b) { return by_span(a, b); }

/* End of the ascending run that starts at i. */
static size_t run_end(const pii_cand *c, size_t i, size_t n)
{
    while (i + 1 < n && by_span(&c[i], &c[i + 1]) <= 0)
        i++;
    return i + 1;
}

static void merge(const pii_cand *a, size_t na, const pii_cand *b, size_t nb, pii_cand *out)
{
    size_t i = 0, j = 0;
    while (i < na && j < nb)
        *out++ = by_span(&b[j], &a[i]) < 0 ? b[j++] : a[i++];   /* ties: the left run first */
    while (i < na)
        *out++ = a[i++];
    while (j < nb)
        *out++ = b[j++];
}

/* Sort c[0, n) by by_span, stably.  false: no memory for the buffer. */
static bool sort_cands(pii_cand *c, size_t n, pii_vec_cand *tmp)
{
    if (run_end(c, 0, n) == n)
        return true;
    if (tmp->cap < n) {
        pii_cand *v = realloc(tmp->v, n * sizeof *v);
        if (!v)
            return false;
        tmp->v = v;
        tmp->cap = n;
    }
    pii_cand *src = c, *dst = tmp->v;
    for (;;) {
        size_t runs = 0;
        for (size_t i = 0; i < n; runs++) {   /* merge runs pairwise, src -> dst */
            size_t m = run_end(src, i, n);
            size_t e = m < n ? run_end(src, m, n) : n;
            merge(src + i, m - i, src + m, e - m, dst + i);
            i = e;
        }
        pii_cand *t = src;
        src = dst;
        dst = t;
        if (runs == 1)
            break;
    }
    if (src != c)
        memcpy(c, src, n * sizeof *c);
    return true;
}

static float final_conf(const pii_cand *c)
{
    float s = c->score;
    if (c->ctx_kind == 1 || c->ctx_kind == 3)
        s += 0.10f;
    else if (c->ctx_kind == 2)
        s += 0.05f;
    if (s > 0.99f)
        s = 0.99f;
    if (c->flags & PII_F_PLACEHOLDER)
        s = PLACEHOLDER_CONF;
    return s;
}

size_t pii_resolve(const struct piiscan_ruleset *rs, pii_cand *c, size_t n, double min_conf, pii_vec_cand *tmp)
{
    (void)rs;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if ((c[i].flags & PII_F_NEED_CTX) && !c[i].ctx_kind)
            continue;
        c[i].score = final_conf(&c[i]);
        if (c[i].score + 1e-6f < (float)min_conf)
            continue;
        c[m++] = c[i];
    }
    if (m < 2)
        return m;
    if (!sort_cands(c, m, tmp))
        qsort(c, m, sizeof *c, by_span_q);
    size_t k = 0;
    for (size_t i = 1; i < m; i++) {
        pii_cand *last = &c[k], *x = &c[i];
        if (x->start >= last->end) {
            c[++k] = *x;
            continue;
        }
        bool same = x->start == last->start && x->end == last->end;
        bool contained = x->end <= last->end;
        if ((same || !contained) && x->score > last->score)
            *last = *x;
    }
    return k + 1;
}
