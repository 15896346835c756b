/*
 * struct_local.c -- a JSON window tracked on its own (struct_local.h): its
 * table reset for each window, the guess of the field it starts in, and
 * the merge into the stream's tracker.
 *
 * The map such a window gets is the stream tracker's map with local column
 * ids and value ordinals counted from the window's start: a column of the
 * window is one of the stream by name, and as both parsers start in the
 * same state, they make the same marks.  So when the merge maps ids and adds
 * each column's count before the window to the ordinals, detection -- which
 * looked only at the names behind the ids and at the marks -- has seen what
 * it would have seen, and its candidates need only their column and ordinal
 * mapped.  (The map itself is not mapped: nothing reads it after detection.)
 */
#include <stdlib.h>
#include <string.h>

#include "struct_int.h"
#include "struct_local.h"

bool pii_tracker_at_record_end(const pii_tracker *t)
{
    return t->fmt == PII_SF_JSON && pii_json_between_records(t);
}

/* Forget the previous window's columns and state; the chunks, the hash
 * table and the id map are kept for the next. */
static void reset(pii_tracker *t)
{
    for (uint32_t c = 0; c < t->ncols; c++)
        free((char *)t->chunk[c / PII_COL_CHUNK][c % PII_COL_CHUNK].name);
    t->ncols = 0;
    if (t->hslot)
        memset(t->hslot, 0, t->nhslot * sizeof *t->hslot);
    t->fmt = PII_SF_JSON;
    t->count_at_end = false;
    t->last_col = t->cur_col = PII_COL_NONE;
    t->cur_q = PII_Q_NONE;
    t->cur_row = 0;
    t->lost = false;
    t->guessed = false;
    t->map = NULL;
    t->map_oom = false;
    pii_json_init(t);
}

/* Where the last line of p[0,n) that is not blank starts; n when it may
 * start before p (the bytes before it are not known). */
static size_t last_line(const uint8_t *p, size_t n, bool at_start)
{
    size_t e = n;
    while (e > 0 && pii_json_blank(p[e - 1]))
        e--;
    const uint8_t *nl = e ? memrchr(p, '\n', e) : NULL;
    return nl ? (size_t)(nl - p) + 1 : at_start ? 0 : n;
}

void pii_local_guess(pii_tracker *t, const uint8_t *p, size_t n, bool at_start)
{
    reset(t);
    /* The field the window starts in is the one the last mark before it
     * opened (the bytes after a record's last value belong to that value's
     * column until the next key): parse the last line, without a map, and
     * take the field it ends in.  The merge checks the guess.  If the line
     * does not end between records, the window most likely starts inside
     * one (a record longer than the window, pretty-printed JSON), and
     * tracking and detecting it on its own would be wasted. */
    size_t ls = last_line(p, n, at_start);
    pii_json_feed(t, p, ls, n, false);
    t->guessed = ls < n && pii_json_between_records(t);
    t->carried_col = t->cur_col;
    t->carried_q = t->cur_q;
    t->npre = t->ncols;
    for (uint32_t c = 0; c < t->ncols; c++)
        pii_tr_rd(t, (uint16_t)c)->rows = 0;   /* those values were the previous window's */
    pii_json_init(t);   /* between records: the assumption the merge checks */
}

bool pii_local_feed(pii_tracker *t, const pii_window *w, pii_fieldmap *map)
{
    map->n = 0;
    if (!t->guessed)
        return false;
    t->map = map;
    pii_tr_mark_row(t, w->acc_lo, t->carried_col, t->carried_q, 0);
    pii_json_feed(t, w->data, w->acc_lo, w->acc_hi, false);
    t->map = NULL;
    return true;
}

static uint32_t sat_row(uint64_t r) { return r > UINT32_MAX ? UINT32_MAX : (uint32_t)r; }

/* Local column c of lt in t: found, or added when add. */
static uint16_t in_stream(pii_tracker *t, const pii_tracker *lt, uint16_t c, bool add)
{
    const pii_colrd *r = pii_tr_rd(lt, c);
    return pii_tr_lookup(t, r->name, r->len, PII_CLS_LAST_DOT, r->is_key, add);
}

/* Does t stand where lt's window was tracked from: between records, in
 * the guessed field, whose value ordinal is then its column's count? */
static bool start_holds(pii_tracker *t, const pii_tracker *lt)
{
    if (t->fmt != PII_SF_JSON || !pii_json_between_records(t) || !lt->guessed || lt->lost || lt->map_oom)
        return false;
    uint16_t c = PII_COL_NONE;
    if (lt->carried_col != PII_COL_NONE && (c = in_stream(t, lt, lt->carried_col, false)) == PII_COL_NONE)
        return false;
    if (c != t->cur_col || lt->carried_q != t->cur_q)
        return false;
    return t->cur_row == (c == PII_COL_NONE ? 0 : sat_row(pii_tr_rd(t, c)->rows));
}

/* lt->gmap: t's id of each local column.  The columns the guess named come
 * before the window's bytes and must be t's already; the others are added
 * in local order, which is the order they first appear in the window --
 * the order feeding the window to t would add them in.  false when a
 * column is missing or cannot be added. */
static bool map_columns(pii_tracker *t, pii_tracker *lt)
{
    if (lt->ncols > lt->gcap) {
        uint16_t *g = realloc(lt->gmap, lt->ncols * sizeof *g);
        if (!g)
            return false;
        lt->gmap = g;
        lt->gcap = lt->ncols;
    }
    for (uint32_t c = 0; c < lt->ncols; c++) {
        lt->gmap[c] = in_stream(t, lt, (uint16_t)c, c >= lt->npre);
        if (lt->gmap[c] == PII_COL_NONE)
            return false;
    }
    return true;
}

/* Column and ordinal of the candidates under a telling column: the window's
 * ordinals follow the values t counted before it. */
static void map_cands(const pii_tracker *t, const pii_tracker *lt, pii_cand *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].ctx_kind == 3) {
            uint16_t g = lt->gmap[c[i].ctx_lo];
            c[i].ctx_hi = sat_row(pii_tr_rd(t, g)->rows + c[i].ctx_hi);
            c[i].ctx_lo = g;
        }
}

/* t takes over lt's state at the window's end, in its own ids. */
static void take_state(pii_tracker *t, const pii_tracker *lt)
{
    uint16_t cur = lt->cur_col == PII_COL_NONE ? PII_COL_NONE : lt->gmap[lt->cur_col];
    t->cur_row = cur == PII_COL_NONE ? 0 : sat_row(pii_tr_rd(t, cur)->rows + lt->cur_row);
    t->cur_col = cur;
    t->cur_q = lt->cur_q;
    for (uint32_t c = 0; c < lt->ncols; c++) {
        const pii_colrd *r = pii_tr_rd(lt, (uint16_t)c);
        pii_colrd *g = pii_tr_rd(t, lt->gmap[c]);
        g->rows += r->rows;
        if (r->next != PII_COL_NONE)   /* the look-up guesses, which only save time */
            g->next = lt->gmap[r->next];
    }
    if (lt->last_col != PII_COL_NONE)
        t->last_col = lt->gmap[lt->last_col];
    uint32_t records = t->json.records;
    t->json = lt->json;
    t->json.records += records;
}

bool pii_local_merge(pii_tracker *t, pii_tracker *lt, pii_cand *c, size_t n)
{
    if (!start_holds(t, lt) || !map_columns(t, lt))
        return false;
    map_cands(t, lt, c, n);   /* before take_state moves the counts on */
    take_state(t, lt);
    return true;
}
