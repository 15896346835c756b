/*
 * prepare.c -- work on a window's findings done on the detecting thread.
 *
 * Findings reach a report or a redacted copy in stream order, one thread
 * at a time.  In a table where every cell is a finding, two things done
 * per finding there were most of the time, and all of it on that one
 * thread: a report's keyed fingerprint (an HMAC, which OpenSSL sets up
 * with two context copies and allocations: a third of a scan) and a
 * redaction's keyed operator (an AES-SIV token, FF1's ten AES rounds, an
 * HMAC per value: three quarters of an encrypting redaction).  Neither
 * depends on the findings before, so the worker that detected a window
 * does it for the window's findings right away, and delivery only takes
 * the results:
 *   - scans (scan option fingerprints): 16 hex digits per finding;
 *   - redaction (a pii_prep_op from the redactor): each finding's
 *     replacement, or PIISCAN_KEEP, in an arena the slot keeps.  An
 *     operator that fails is left to delivery, which reports the failure
 *     with the finding's line and column.
 * The normalized value is made again at delivery (the finding carries
 * it): keeping every one per slot cost more memory than making it twice
 * costs time (about 1% of a scan of the customer table).
 * Findings the delivery then drops (below the confidence a column's share
 * gives them) were worked on for nothing; they are few.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "normalize.h"

/* The buffers delivery makes a finding in (pii_out's): the same sizes
 * here, or a value cut at another length would be replaced differently. */
#define NORM_MAX sizeof(((pii_out *)0)->norm)
#define TEXT_MAX sizeof(((pii_out *)0)->text)
#define CTX_MAX sizeof(((pii_out *)0)->ctx)
#define REP_MAX sizeof(((pii_out *)0)->rbuf)

/* Entries for n findings: fingerprints for a scan, replacements for a
 * redaction (a slot serves one or the other at a time). */
static bool room(pii_prep *pp, size_t n, bool reps)
{
    if ((reps ? pp->rcap : pp->fcap) >= n)
        return true;
    if (reps) {
        pii_rep *rep = realloc(pp->rep, n * sizeof *rep);
        if (!rep)
            return false;
        pp->rep = rep;
        pp->rcap = n;
    } else {
        char(*fp)[16] = realloc(pp->fp, n * sizeof *fp);
        if (!fp)
            return false;
        pp->fp = fp;
        pp->fcap = n;
    }
    return true;
}

static bool arena_room(pii_prep *pp, size_t len)
{
    if (pp->alen + len <= pp->acap)
        return true;
    if (pp->alen + len > UINT32_MAX)
        return false;   /* offsets are 32 bits; delivery does the rest */
    size_t cap = pp->acap ? pp->acap : 1 << 16;
    while (cap < pp->alen + len)
        cap *= 2;
    unsigned char *a = realloc(pp->arena, cap);
    if (!a)
        return false;
    pp->arena = a;
    pp->acap = cap;
    return true;
}

static void fingerprint(const piiscan_scan_options *o, const pii_window *w, const pii_cand *c, char out[16])
{
    unsigned char tbuf[TEXT_MAX];
    const unsigned char *text;
    size_t tl = pii_finding_text(c, w->data + c->start, c->end - c->start, tbuf, sizeof tbuf, &text);
    char norm[NORM_MAX], hex[17];
    size_t nl = pii_normalize((piiscan_type)c->type, text, tl, norm, sizeof norm);
    piiscan_fingerprint(o->fingerprint_key, o->fingerprint_key_len, (piiscan_type)c->type, norm, nl, hex);
    memcpy(out, hex, 16);
}

/* false: out of memory (this and later findings are left to delivery). */
static bool replacement(pii_prep *pp, const pii_prep_op *op, const pii_tracker *tr, const pii_window *w,
                        const pii_cand *c, pii_rep *r)
{
    if (!arena_room(pp, REP_MAX))
        return false;
    unsigned char text[TEXT_MAX];
    char ctx[CTX_MAX];
    piiscan_finding f;
    pii_finding_partial(w, tr, c, text, sizeof text, ctx, sizeof ctx, &f);
    ssize_t k = op->fn(op->ud, &f, pp->arena + pp->alen, REP_MAX);
    r->off = (uint32_t)pp->alen;
    if (k == PIISCAN_KEEP) {
        r->len = PIISCAN_KEEP;
    } else if (k < 0 || k > (ssize_t)REP_MAX) {
        r->len = PII_REP_NONE;
    } else {
        r->len = (int32_t)k;
        pp->alen += (size_t)k;
    }
    return true;
}

void pii_prepare(pii_prep *pp, const piiscan_scan_options *o, const pii_prep_op *op, const pii_tracker *tr,
                 const pii_window *w, const pii_cand *c, size_t n)
{
    pp->n = 0;
    pp->alen = 0;
    bool fps = o->fingerprints && !op, reps = op != NULL;
    if (!n || !(fps || reps) || !room(pp, n, reps))
        return;   /* delivery does it all itself */
    size_t i = 0;
    for (; i < n; i++) {
        if (fps)
            fingerprint(o, w, &c[i], pp->fp[i]);
        else if (!replacement(pp, op, tr, w, &c[i], &pp->rep[i]))
            break;
    }
    pp->n = i;
    pp->reps = reps;
    pp->key = fps ? o->fingerprint_key : NULL;
    pp->key_len = fps ? o->fingerprint_key_len : 0;
}

void pii_prep_free(pii_prep *pp)
{
    free(pp->fp);
    free(pp->rep);
    free(pp->arena);
    *pp = (pii_prep){ 0 };
}
