/*
 * struct_stub.c -- placeholder tracker: every stream is plain text.
 * (CSV / JSON / SQL tracking is the structured-formats issue.)
 */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "struct.h"

struct pii_tracker {
    int unused;
};

pii_tracker *pii_tracker_new(const struct piiscan_ruleset *rs)
{
    (void)rs;
    return calloc(1, sizeof(pii_tracker));
}

void pii_tracker_free(pii_tracker *t) { free(t); }

void pii_tracker_feed(pii_tracker *t, const pii_window *w, pii_fieldmap *map)
{
    (void)t;
    (void)w;
    map->n = 0;
}

const pii_colinfo *pii_tracker_col(const pii_tracker *t, uint16_t col)
{
    (void)t;
    (void)col;
    return NULL;
}

const pii_field *pii_fieldmap_at(const pii_fieldmap *m, uint32_t off)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {   /* last transition with v.off <= off */
        size_t mid = (lo + hi) / 2;
        if (m->v[mid].off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? &m->v[lo - 1] : NULL;
}

ssize_t pii_escape_replacement(int quote, const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
    (void)quote;
    if (n > cap)
        return -1;
    memmove(out, in, n);
    return (ssize_t)n;
}
