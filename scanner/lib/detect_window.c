/*
 * detect_window.c -- everything that happens to one window, independent of
 * the windows around it (so that windows can be detected on any thread):
 * one hs_scan() whose callback only appends {id, end}; the tokenizer and
 * matchers over the same bytes; e-mail ends turned into candidates; the
 * CJK detectors; candidates outside the accept range dropped (they belong to
 * the neighbouring window); context, confidence and overlap resolution.
 * The arrays are reused, so once grown the hot path does not allocate.
 */
#include <errno.h>
#include <stdlib.h>

#include "engine_int.h"

int pii_worker_init(pii_worker *wk, const struct piiscan_ruleset *rs)
{
    wk->hits = (pii_vec_hit){ 0 };
    wk->near = (pii_vec_near){ 0 };
    wk->sort_tmp = (pii_vec_cand){ 0 };
    wk->oom = 0;
    wk->exhaustive = false;
    wk->scratch = NULL;
    return hs_clone_scratch(rs->scratch_proto, &wk->scratch) == HS_SUCCESS ? 0 : -1;
}

void pii_worker_free(pii_worker *wk)
{
    hs_free_scratch(wk->scratch);
    free(wk->hits.v);
    free(wk->near.v);
    free(wk->sort_tmp.v);
    wk->sort_tmp = (pii_vec_cand){ 0 };
    wk->scratch = NULL;
    wk->hits = (pii_vec_hit){ 0 };
    wk->near = (pii_vec_near){ 0 };
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
    (void)from;
    (void)flags;
    pii_worker *wk = ctx;
    pii_vec_hit *h = &wk->hits;
    if (h->n == h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 1024;
        pii_hit *nv = realloc(h->v, ncap * sizeof *nv);
        if (!nv) {
            wk->oom = 1;
            return 1;
        }
        h->v = nv;
        h->cap = ncap;
    }
    h->v[h->n++] = (pii_hit){ id, (uint32_t)to };
    return 0;
}

/* The literal hits that can give some type context, with their types: a
 * compound asks for the types near it, and on JSON Lines, where keys are
 * hits every few bytes, each hit's expression was looked up again for
 * every compound in reach.  false: out of memory. */
static bool near_hits(pii_worker *wk, const struct piiscan_ruleset *rs, const pii_hit *h, size_t nh)
{
    pii_vec_near *nv = &wk->near;
    nv->n = 0;
    if (nh > nv->cap) {   /* nh > 0 here: realloc(p, 0) may give NULL */
        pii_near_hit *p = realloc(nv->v, nh * sizeof *p);
        if (!p)
            return false;
        nv->v = p;
        nv->cap = nh;
    }
    for (size_t i = 0; i < nh; i++) {
        const pii_hs_expr *e = &rs->expr[h[i].id];
        uint32_t mask = e->kind == PII_HS_LITERAL ? e->keymask | e->hotmask : 0;
        if (mask)
            nv->v[nv->n++] = (pii_near_hit){ h[i].end, mask };
    }
    return true;
}

static int by_end(const void *a, const void *b)
{
    const pii_hit *x = a, *y = b;
    return x->end != y->end ? (x->end < y->end ? -1 : 1) : (x->id < y->id ? -1 : x->id > y->id);
}

int pii_detect_window(const struct piiscan_ruleset *rs, double min_conf, pii_worker *wk, const pii_window *w,
                      const pii_fieldmap *fm, const pii_tracker *tr, pii_vec_cand *cands, size_t *n)
{
    wk->hits.n = 0;
    wk->oom = 0;
    cands->n = 0;
    *n = 0;
    if (w->len == 0)
        return 0;
    if (hs_scan(rs->db, (const char *)w->data, (unsigned)w->len, 0, wk->scratch, on_match, wk) != HS_SUCCESS &&
        !wk->oom) {
        errno = EIO;
        return -1;
    }
    if (wk->oom) {
        errno = ENOMEM;
        return -1;
    }
    pii_hit *h = wk->hits.v;
    size_t nh = wk->hits.n;
    for (size_t i = 1; i < nh; i++)
        if (h[i].end < h[i - 1].end) {
            qsort(h, nh, sizeof *h, by_end);
            break;
        }
    /* Context-only candidates are dropped at once when no literal is near,
     * unless the column they are in (a CSV header far above) is a key for
     * their type. */
    pii_ctx_hits near = { 0 };
    bool gate = !wk->exhaustive;
    if (gate && fm && fm->n) {
        if (tr) {
            near.fm = fm;
            near.tr = tr;
        } else {
            gate = false;
        }
    }
    if (gate) {
        if (!near_hits(wk, rs, h, nh)) {
            errno = ENOMEM;
            return -1;
        }
        near.v = wk->near.v;
        near.n = wk->near.n;
    }
    pii_view v = { .p = w->data, .len = w->len, .left_open = !w->at_start, .right_open = !w->at_eof,
                   .near = gate ? &near : NULL, .exhaustive = wk->exhaustive };
    for (size_t i = 0; i < nh; i++)
        if (rs->expr[h[i].id].kind == PII_HS_REGEX && rs->expr[h[i].id].type == PIISCAN_EMAIL)
            pii_match_email(&v, h[i].end, cands, &wk->oom);
    pii_tokenize_view(&v, 0, w->len, cands, &wk->oom);
    pii_match_cjk(rs, &v, h, nh, fm, tr, cands, &wk->oom);
    if (wk->oom) {
        errno = ENOMEM;
        return -1;
    }
    size_t m = 0;
    for (size_t i = 0; i < cands->n; i++)
        if (cands->v[i].start >= w->acc_lo && cands->v[i].start < w->acc_hi)
            cands->v[m++] = cands->v[i];
    if (fm && fm->n)
        m = pii_context_columns(fm, tr, cands->v, m);
    pii_context_apply(rs, w->data, w->len, h, nh, fm, cands->v, m);
    *n = pii_resolve(rs, cands->v, m, min_conf, &wk->sort_tmp);
    return 0;
}
