/*
 * prepare.c -- the keyed fingerprints of a window's findings, made on the
 * detecting thread.
 *
 * Findings reach a report in stream order, one thread at a time.  In a
 * table where every cell is a finding, the fingerprint of each (an HMAC,
 * which OpenSSL sets up with two context copies and allocations) was a
 * third of a scan's time (perf), all of it on that one thread.  It depends
 * on nothing before, so the worker that detected a window makes the
 * fingerprints of its findings right away (scan option fingerprints), and
 * delivery only points the findings at them: 16 bytes per finding.  The
 * normalized value is made again at delivery (the finding carries it):
 * keeping every one per slot cost more memory than making it twice costs
 * time (about 1% of a scan of the customer table).
 * Findings the delivery then drops (below the confidence a column's share
 * gives them) were fingerprinted for nothing; they are few.
 *
 * Redaction's operators were made here too for a while (FF1 encryption is
 * three quarters of an encrypting redaction, all on the delivering
 * thread); that version crashed under ThreadSanitizer in redact_ahead.sh's
 * output-limit case (a file size limit hit inside nested archives, two of
 * three runs; none of three without it) and was taken out until the cause
 * is known.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "normalize.h"

#define NORM_MAX 512   /* as pii_out.norm */

void pii_prepare(pii_prep *pp, const piiscan_scan_options *o, const pii_window *w, const pii_cand *c, size_t n)
{
    pp->n = 0;
    if (!n || !o->fingerprints)
        return;
    if (pp->cap < n) {
        char(*v)[16] = realloc(pp->fp, n * sizeof *v);
        if (!v)
            return;   /* delivery makes them itself */
        pp->fp = v;
        pp->cap = n;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char tbuf[NORM_MAX];
        const unsigned char *text;
        size_t tl = pii_finding_text(&c[i], w->data + c[i].start, c[i].end - c[i].start, tbuf, sizeof tbuf, &text);
        char norm[NORM_MAX], hex[17];
        size_t nl = pii_normalize((piiscan_type)c[i].type, text, tl, norm, sizeof norm);
        piiscan_fingerprint(o->fingerprint_key, o->fingerprint_key_len, (piiscan_type)c[i].type, norm, nl, hex);
        memcpy(pp->fp[i], hex, 16);
    }
    pp->n = n;
    pp->key = o->fingerprint_key;
    pp->key_len = o->fingerprint_key_len;
}

void pii_prep_free(pii_prep *pp)
{
    free(pp->fp);
    *pp = (pii_prep){ 0 };
}
