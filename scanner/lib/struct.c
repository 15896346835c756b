/*
 * struct.c -- the tracker object: format decision on the first window, the
 * column table and the field map each window gets.
 *
 * The reader thread owns the tracker; detection threads only read column
 * infos through pii_tracker_col.  So the infos are allocated in fixed
 * chunks that never move, and a column is fully written before the map
 * naming it is handed to a worker (the pipeline's queue lock orders that).
 * The name -> column hash is the reader's alone and may be rebuilt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyname.h"
#include "struct_int.h"

pii_tracker *pii_tracker_new(const struct piiscan_ruleset *rs)
{
    pii_tracker *t = calloc(1, sizeof *t);
    if (t) {
        t->rs = rs;
        t->cur_col = PII_COL_NONE;
        t->last_col = PII_COL_NONE;
    }
    return t;
}

void pii_tracker_set_name(pii_tracker *t, const char *name)
{
    if (t)
        t->hint = name ? pii_struct_hint(name) : PII_SF_UNKNOWN;
}

void pii_tracker_free(pii_tracker *t)
{
    if (!t)
        return;
    pii_csv_free(t);
    pii_sql_free(t);
    for (uint32_t i = 0; i < t->ncols; i++)
        free((char *)t->chunk[i / PII_COL_CHUNK][i % PII_COL_CHUNK].name);
    /* Chunks are taken in order: most streams have none, a few one. */
    for (uint32_t k = 0; k < PII_COL_CHUNKS && t->chunk[k]; k++)
        free(t->chunk[k]);
    free(t->rd);
    free(t->hslot);
    free(t->gmap);
    free(t);
}

const pii_colinfo *pii_tracker_col(const pii_tracker *t, uint16_t col)
{
    /* ncols may grow on the reader thread while a worker reads it (the
     * column asked for was published before its window was queued): an
     * atomic load, which is a plain load on the machines we run on. */
    if (!t || col == PII_COL_NONE || col >= __atomic_load_n(&t->ncols, __ATOMIC_ACQUIRE))
        return NULL;
    return &t->chunk[col / PII_COL_CHUNK][col % PII_COL_CHUNK];
}

void pii_tracker_columns(const pii_tracker *t, void (*fn)(void *ud, const char *context, uint64_t rows), void *ud)
{
    char ctx[PII_NAME_MAX * 2 + 16];
    for (uint32_t c = 0; t && c < t->ncols; c++) {
        const pii_colinfo *ci = pii_tracker_col(t, (uint16_t)c);
        uint64_t n = pii_tr_rd(t, (uint16_t)c)->rows;
        if (!n)
            continue;
        snprintf(ctx, sizeof ctx, "%s:%s", ci->is_key ? "key" : "column", ci->name);
        fn(ud, ctx, n);
    }
}

/* 1 + the index of the last field in [0, hi) with v.off <= off, knowing
 * that every field before lo has one; 0 when none has. */
static size_t fields_upto(const pii_fieldmap *m, size_t lo, size_t hi, uint32_t off)
{
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->v[mid].off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const pii_field *pii_fieldmap_at(const pii_fieldmap *m, uint32_t off)
{
    size_t k = fields_upto(m, 0, m->n, off);
    return k ? &m->v[k - 1] : NULL;
}

const pii_field *pii_fieldmap_seek(const pii_fieldmap *m, size_t *cur, uint32_t off)
{
    size_t lo = 0, hi = m->n, c = *cur;
    if (c < m->n && m->v[c].off <= off) {
        /* Gallop from c to bracket the first field after off, then search
         * between. */
        size_t step = 1;
        lo = c + 1;
        while (c + step < m->n && m->v[c + step].off <= off) {
            lo = c + step + 1;
            step *= 2;
        }
        hi = c + step < m->n ? c + step : m->n;
    }
    size_t k = fields_upto(m, lo, hi, off);
    if (!k)
        return NULL;
    *cur = k - 1;
    return &m->v[k - 1];
}

bool pii_fieldmap_runs_on(const pii_fieldmap *m, const pii_field *f, uint32_t end)
{
    if (!f)
        return false;
    for (const pii_field *g = f + 1; g < m->v + m->n && g->off < end; g++)
        if (g->col != f->col)
            return true;
    return false;
}

bool pii_tr_grow(pii_tracker *t)
{
    pii_fieldmap *m = t->map;
    size_t ncap = m->cap ? m->cap * 2 : 256;
    pii_field *nv = realloc(m->v, ncap * sizeof *nv);
    if (!nv) {
        t->map_oom = true;   /* this window goes without structure */
        m->n = 0;
        t->map = NULL;       /* and no more marks: the one test pii_tr_mark_row makes */
        return false;
    }
    m->v = nv;
    m->cap = ncap;
    return true;
}

/* FNV-1a: names are short and hashed once per field, not per byte. */
static uint32_t name_hash(const char *s, size_t n, bool is_key)
{
    uint32_t h = is_key ? 0x811C9DC5u : 0x01000193u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 0x01000193u;
    return h;
}

static int rehash(pii_tracker *t)
{
    uint32_t n = t->nhslot ? t->nhslot * 2 : 64;
    uint32_t *s = calloc(n, sizeof *s);
    if (!s)
        return -1;
    for (uint32_t c = 0; c < t->ncols; c++) {
        const pii_colinfo *ci = pii_tracker_col(t, (uint16_t)c);
        uint32_t h = name_hash(ci->name, pii_tr_rd(t, (uint16_t)c)->len, ci->is_key) & (n - 1);
        while (s[h])
            h = (h + 1) & (n - 1);
        s[h] = c + 1;
    }
    free(t->hslot);
    t->hslot = s;
    t->nhslot = n;
    return 0;
}

/* Room for reader entry c (t->rd doubles from 64). */
static bool rd_room(pii_tracker *t, uint32_t c)
{
    if (c < t->rdcap)
        return true;
    uint32_t ncap = t->rdcap ? t->rdcap * 2 : 64;
    pii_colrd *nr = realloc(t->rd, ncap * sizeof *nr);
    if (!nr)
        return false;
    t->rd = nr;
    t->rdcap = ncap;
    return true;
}

static uint16_t add_column(pii_tracker *t, const char *name, size_t len, size_t cls, bool is_key)
{
    uint32_t c = t->ncols;
    if (c >= PII_COL_CHUNK * PII_COL_CHUNKS)
        return PII_COL_NONE;
    pii_colinfo **ch = &t->chunk[c / PII_COL_CHUNK];
    /* Not zeroed (40 KiB per structured file, most of a small file's cost):
     * columns are added in order and each is filled in below before ncols
     * makes it visible. */
    if (!*ch && !(*ch = malloc(PII_COL_CHUNK * sizeof **ch)))
        return PII_COL_NONE;
    if (!rd_room(t, c))
        return PII_COL_NONE;
    /* Zero-padded to a multiple of 8 bytes, NUL included, for
     * pii_name_eq_padded. */
    size_t padded = (len + 8) & ~(size_t)7;
    char *s = calloc(1, padded);
    if (!s)
        return PII_COL_NONE;
    memcpy(s, name, len);
    pii_colinfo *ci = &(*ch)[c % PII_COL_CHUNK];
    ci->name = s;
    ci->is_key = is_key;
    t->rd[c] = (pii_colrd){ .name = s, .len = (uint16_t)len, .next = PII_COL_NONE, .is_key = is_key };
    if (cls == PII_CLS_LAST_DOT)
        for (cls = len; cls > 0 && name[cls - 1] != '.';)
            cls--;
    /* "devices[]" names its elements: classify "devices". */
    size_t end = len;
    while (end >= cls + 2 && name[end - 2] == '[' && name[end - 1] == ']')
        end -= 2;
    pii_key_classify(t->rs, (const uint8_t *)name + cls, end - cls, &ci->keymask, &ci->wholemask);
    __atomic_store_n(&t->ncols, c + 1, __ATOMIC_RELEASE);   /* workers read it (pii_tracker_col) */
    return (uint16_t)c;
}

uint16_t pii_tr_lookup(pii_tracker *t, const char *name, size_t len, size_t cls, bool is_key, bool add)
{
    if ((t->ncols + 1) * 2 > t->nhslot && rehash(t) < 0)
        return PII_COL_NONE;
    uint32_t mask = t->nhslot - 1, h = name_hash(name, len, is_key) & mask;
    for (; t->hslot[h]; h = (h + 1) & mask)
        if (pii_tr_named(t, (uint16_t)(t->hslot[h] - 1), name, len, is_key))
            return (uint16_t)(t->hslot[h] - 1);
    uint16_t c = add ? add_column(t, name, len, cls, is_key) : PII_COL_NONE;
    if (c != PII_COL_NONE)
        t->hslot[h] = (uint32_t)c + 1;
    t->lost |= add && c == PII_COL_NONE;
    return c;
}

uint16_t pii_tr_column_find(pii_tracker *t, const char *name, size_t len, size_t cls, bool is_key)
{
    if (t->probe)
        return PII_COL_NONE;
    t->misses++;
    uint16_t prev = t->last_col, c = pii_tr_lookup(t, name, len, cls, is_key, true);
    if (prev < t->ncols)
        pii_tr_rd(t, prev)->next = c;
    t->last_col = c;
    return c;
}

bool pii_tracker_head_ok(const void *t, const uint8_t *p, size_t n)
{
    return pii_struct_settled(p, n, ((const pii_tracker *)t)->hint);
}

static void start(pii_tracker *t, const pii_window *w)
{
    uint8_t delim = ',';
    bool pg = false;
    t->fmt = w->at_start ? pii_struct_detect(w->data, w->len, t->hint, &delim, &pg) : PII_SF_PLAIN;
    t->count_at_end = t->fmt == PII_SF_CSV || t->fmt == PII_SF_SQL;
    if (t->fmt == PII_SF_CSV)
        pii_csv_init(t, delim);
    else if (t->fmt == PII_SF_JSON)
        pii_json_init(t);
    else if (t->fmt == PII_SF_SQL)
        pii_sql_init(t, pg);
}

void pii_tracker_feed(pii_tracker *t, const pii_window *w, pii_fieldmap *map)
{
    map->n = 0;
    if (t->fmt == PII_SF_UNKNOWN)
        start(t, w);
    if (t->fmt == PII_SF_PLAIN)
        return;
    t->map = map;
    t->map_oom = false;
    /* The state carried over from the previous window holds at acc_lo
     * (the map is empty, so this always makes an entry), with the value
     * ordinal of its mark: a value counted since (a CSV cell ended at a
     * delimiter) does not change the bytes up to the next mark. */
    pii_tr_mark_row(t, w->acc_lo, t->cur_col, t->cur_q, t->cur_row);
    if (t->fmt == PII_SF_CSV)
        pii_csv_feed(t, w->data, w->acc_lo, w->acc_hi);
    else if (t->fmt == PII_SF_JSON)
        pii_json_feed(t, w->data, w->acc_lo, w->acc_hi, false);
    else
        pii_sql_feed(t, w->data, w->acc_lo, w->acc_hi);
    t->map = NULL;
}
