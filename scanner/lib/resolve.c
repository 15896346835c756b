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
 */
#include <stdlib.h>

#include "engine_int.h"

#define PLACEHOLDER_CONF 0.2f

static int by_span(const void *a, const void *b)
{
    const pii_cand *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (int)x->type - (int)y->type;
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

size_t pii_resolve(const struct piiscan_ruleset *rs, pii_cand *c, size_t n, double min_conf)
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
    qsort(c, m, sizeof *c, by_span);
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
