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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "engine_int.h"

int pii_worker_init(pii_worker *wk, const struct piiscan_ruleset *rs)
{
    wk->hits = (pii_vec_hit){ 0 };
    wk->pairs = (pii_vec_hit){ 0 };
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
    free(wk->pairs.v);
    free(wk->near.v);
    free(wk->sort_tmp.v);
    wk->sort_tmp = (pii_vec_cand){ 0 };
    wk->scratch = NULL;
    wk->hits = (pii_vec_hit){ 0 };
    wk->pairs = (pii_vec_hit){ 0 };
    wk->near = (pii_vec_near){ 0 };
}

/* Room for n hits in h. */
static bool reserve_hits(pii_vec_hit *h, size_t n)
{
    if (n <= h->cap)
        return true;
    size_t ncap = h->cap ? h->cap * 2 : 1024;
    while (ncap < n)
        ncap *= 2;
    pii_hit *nv = realloc(h->v, ncap * sizeof *nv);
    if (!nv)
        return false;
    h->v = nv;
    h->cap = ncap;
    return true;
}

static bool push_hit(pii_vec_hit *h, uint32_t id, size_t end)
{
    if (!reserve_hits(h, h->n + 1))
        return false;
    h->v[h->n++] = (pii_hit){ id, (uint32_t)end };
    return true;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
    (void)from;
    (void)flags;
    pii_worker *wk = ctx;
    if (!push_hit(&wk->hits, id, (size_t)to)) {
        wk->oom = 1;
        return 1;
    }
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

/* The ends of the two-letter literal (a, b lower case) in p[0, len),
 * caseless as Hyperscan matches it, appended to out in end order. */
static bool find_pair(const uint8_t *p, size_t len, uint8_t a, uint8_t b, uint32_t id, pii_vec_hit *out)
{
    size_t j = 0;
#if defined(__SSE2__)
    const __m128i fold = _mm_set1_epi8(0x20), va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
    for (; j + 17 <= len; j += 16) {
        __m128i x = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + j)), fold);
        __m128i y = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + j + 1)), fold);
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(y, vb)));
        for (; m; m &= m - 1)
            if (!push_hit(out, id, j + (size_t)__builtin_ctz(m) + 2))
                return false;
    }
#endif
    for (; j + 1 < len; j++)
        if ((p[j] | 0x20) == a && (p[j + 1] | 0x20) == b && !push_hit(out, id, j + 2))
            return false;
    return true;
}

/* The hits of the two-letter literals (engine_int.h says why Hyperscan
 * does not match them) merged into wk->hits, which is in end order: a
 * pair's hit goes after Hyperscan's that end at the same byte (whose order
 * among themselves nothing depends on). */
static bool add_pair_hits(const struct piiscan_ruleset *rs, pii_worker *wk, const uint8_t *p, size_t len)
{
    for (size_t k = 0; k < rs->npairs; k++) {
        const char *t = rs->expr[rs->pair_id[k]].text;
        pii_vec_hit *q = &wk->pairs;
        q->n = 0;
        if (!find_pair(p, len, (uint8_t)(t[0] | 0x20), (uint8_t)(t[1] | 0x20), rs->pair_id[k], q))
            return false;
        pii_vec_hit *h = &wk->hits;
        if (!reserve_hits(h, h->n + q->n))
            return false;
        size_t i = h->n, j = q->n, o = h->n + q->n;   /* merged from the back, into the room after them */
        h->n = o;
        while (j > 0) {
            if (i > 0 && h->v[i - 1].end > q->v[j - 1].end)
                h->v[--o] = h->v[--i];
            else
                h->v[--o] = q->v[--j];
        }
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
    if (rs->npairs) {
        if (!add_pair_hits(rs, wk, w->data, w->len)) {
            errno = ENOMEM;
            return -1;
        }
        h = wk->hits.v;
        nh = wk->hits.n;
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
