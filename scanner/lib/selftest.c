/*
 * selftest.c -- the start-up self-test: every example in the detector table
 * must be found as exactly one finding of its type with the marked span, and
 * no negative may yield its type.  A miss means the engine, the Hyperscan
 * build in use (see vectorscan#382) or the tables are broken, and a scanner
 * that silently misses personal data is worse than one that refuses to run.
 */
#include <stdio.h>
#include <string.h>

#include "engine_int.h"

typedef struct tally {
    piiscan_type type;
    int hits, exact;
    size_t lo, hi;
    piiscan_type other;   /* a finding of another type, for the message */
    int others;
} tally;

static int count(void *ud, const piiscan_finding *f)
{
    tally *t = ud;
    if (f->type != t->type) {
        t->other = f->type;
        t->others++;
        return 0;
    }
    t->hits++;
    if (f->start == t->lo && f->end == t->hi)
        t->exact++;
    return 0;
}

static int scan_text(piiscan_scanner *sc, const char *s, size_t n, tally *t)
{
    return piiscan_scan_buffer(sc, s, n, count, t);
}

int pii_selftest(const piiscan_ruleset *rs, char *err, size_t errlen)
{
    piiscan_scan_options o;
    piiscan_scan_options_init(&o);
    piiscan_scanner *sc;
    if (piiscan_scanner_new(&sc, rs, &o) < 0) {
        snprintf(err, errlen, "self-test: cannot create a scanner");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < rs->ndet && rc == 0; i++) {
        const pii_detector *d = &rs->det[rs->order[i]];
        const char *name = piiscan_type_name(d->type);
        for (size_t k = 0; k < d->nexamples && rc == 0; k++) {
            const pii_example *e = &d->examples[k];
            tally t = { .type = d->type, .lo = e->lo, .hi = e->hi };
            if (scan_text(sc, e->text, e->len, &t) != 0 || t.hits != 1 || t.exact != 1) {
                snprintf(err, errlen, "self-test failed: %s example \"%s\": %d finding(s) of the type, %d with the "
                         "expected span%s%s", name, e->text, t.hits, t.exact, t.others ? ", also " : "",
                         t.others ? piiscan_type_name(t.other) : "");
                rc = -1;
            }
        }
        for (size_t k = 0; k < d->negatives.n && rc == 0; k++) {
            const char *s = d->negatives.v[k];
            tally t = { .type = d->type };
            if (scan_text(sc, s, strlen(s), &t) != 0 || t.hits != 0) {
                snprintf(err, errlen, "self-test failed: %s negative \"%s\" was reported", name, s);
                rc = -1;
            }
        }
    }
    piiscan_scanner_free(sc);
    return rc;
}
