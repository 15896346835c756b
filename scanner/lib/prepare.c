/*
 * prepare.c -- a report's work on each finding, done on the detecting
 * thread.
 *
 * Findings reach a report in stream order, one thread at a time.  In a
 * table where every cell is a finding, what the report does per finding --
 * the normalized value, its preview and above all its keyed fingerprint (an
 * HMAC, which OpenSSL sets up with two context copies and allocations) --
 * was most of a scan's time, and all of it on that one thread.  None of it
 * depends on the findings before, so the worker that detected a window
 * does it for the window's findings right away (scan options previews and
 * fingerprints), and delivery only points the findings at the results.
 *
 * Findings the delivery then drops (below the confidence a column's share
 * gives them) were prepared for nothing; they are few.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "normalize.h"

#define NORM_MAX 512      /* as pii_out.norm */
#define PREVIEW_MAX 128   /* as report.c's preview */
#define FPR_LEN 17

/* Room for len more bytes in the arena; false when out of memory. */
static bool arena_room(pii_prep *pp, size_t len)
{
    if (pp->alen + len <= pp->acap)
        return true;
    size_t cap = pp->acap ? pp->acap : 1 << 16;
    while (cap < pp->alen + len)
        cap *= 2;
    char *a = realloc(pp->arena, cap);
    if (!a)
        return false;
    pp->arena = a;
    pp->acap = cap;
    return true;
}

static void prepare_one(pii_prep *pp, const piiscan_scan_options *o, const pii_window *w, const pii_cand *c,
                        pii_prep_entry *e)
{
    unsigned char tbuf[NORM_MAX];
    const unsigned char *text;
    size_t tl = pii_finding_text(c, w->data + c->start, c->end - c->start, tbuf, sizeof tbuf, &text);
    char *norm = pp->arena + pp->alen;
    e->norm_len = (uint32_t)pii_normalize((piiscan_type)c->type, text, tl, norm, NORM_MAX);
    e->norm = (uint32_t)pp->alen;
    pp->alen += e->norm_len + 1;
    if (o->previews) {
        e->preview = (uint32_t)pp->alen;
        char *pv = pp->arena + pp->alen;
        piiscan_preview((piiscan_type)c->type, norm, e->norm_len, pv, PREVIEW_MAX);
        pp->alen += strlen(pv) + 1;
    }
    if (o->fingerprints) {
        e->fingerprint = (uint32_t)pp->alen;
        piiscan_fingerprint(o->fingerprint_key, o->fingerprint_key_len, (piiscan_type)c->type, norm, e->norm_len,
                            pp->arena + pp->alen);
        pp->alen += FPR_LEN;
    }
}

void pii_prepare(pii_prep *pp, const piiscan_scan_options *o, const pii_window *w, const pii_cand *c, size_t n)
{
    pp->n = 0;
    pp->alen = 0;
    if (!n || !(o->previews || o->fingerprints))
        return;
    if (pp->cap < n) {
        pii_prep_entry *v = realloc(pp->v, n * sizeof *v);
        if (!v)
            return;   /* delivery does the work itself */
        pp->v = v;
        pp->cap = n;
    }
    size_t i = 0;
    for (; i < n; i++) {
        if (!arena_room(pp, NORM_MAX + PREVIEW_MAX + FPR_LEN))
            break;   /* the rest are done at delivery */
        pp->v[i] = (pii_prep_entry){ PII_PREP_NONE, 0, PII_PREP_NONE, PII_PREP_NONE };
        prepare_one(pp, o, w, &c[i], &pp->v[i]);
    }
    pp->n = i;
    pp->key = o->fingerprints ? o->fingerprint_key : NULL;
    pp->key_len = o->fingerprints ? o->fingerprint_key_len : 0;
}

void pii_prep_free(pii_prep *pp)
{
    free(pp->v);
    free(pp->arena);
    *pp = (pii_prep){ 0 };
}
