/*
 * struct_int.h -- what the structure tracker's files share: the tracker,
 * its column table, the field-map writer and the per-format state machines
 * (struct_csv.c, struct_json.c, struct_sql.c), chosen by struct_detect.c.
 *
 * Every machine is a byte-driven state machine whose whole state lives in
 * the tracker, so a window may end anywhere -- inside a quoted cell, a JSON
 * escape, an SQL keyword -- and the next window simply goes on.  A machine
 * writes a mark (window offset, column, quoting) where a field starts; the
 * map of a window therefore needs no look-ahead.
 */
#ifndef PII_STRUCT_INT_H
#define PII_STRUCT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "engine_int.h"
#include "struct.h"

enum pii_sfmt { PII_SF_UNKNOWN, PII_SF_PLAIN, PII_SF_CSV, PII_SF_JSON, PII_SF_SQL };

/* Column infos live in chunks that are never moved (workers read them while
 * the reader adds more). */
#define PII_COL_CHUNK 1024u
#define PII_COL_CHUNKS 63u   /* 64512 columns, below PII_COL_NONE */

#define PII_NAME_MAX 240     /* bytes of a column name or key path kept */

/* ---- CSV ---- */
typedef struct pii_csv {
    uint8_t delim;
    uint8_t st;             /* CSV_* state */
    bool header;            /* still in the header record */
    uint32_t field;         /* field index in the record */
    uint16_t *cols;         /* header field index -> column */
    uint32_t ncols;
    uint32_t hlen;          /* bytes of the header field being read */
    char hname[PII_NAME_MAX + 1];
} pii_csv;

/* ---- JSON ---- */
#define PII_JSON_DEPTH 64
typedef struct pii_json_level {
    uint8_t kind;           /* '{' or '[' */
    uint8_t st;             /* JL_* expectation */
    uint16_t plen;          /* path length before this level's own part */
} pii_json_level;

typedef struct pii_json {
    uint8_t st;             /* JS_* lexical state */
    bool esc;               /* inside a string, after a backslash */
    bool is_key;            /* the string being read is a key */
    bool kesc;              /* ... and has a backslash so far */
    /* The innermost level's kind and plen (0 at depth 0), read at every
     * key and value: kept here, not looked up in lv[depth - 1]. */
    uint8_t kind;
    uint16_t base;
    uint16_t depth;
    uint16_t plen;          /* current path length */
    uint16_t klen;          /* raw key bytes */
    uint32_t records;       /* top-level values completed */
    pii_json_level lv[PII_JSON_DEPTH];
    char path[PII_NAME_MAX + 8];
    char key[PII_NAME_MAX + 1];
} pii_json;

/* ---- SQL ---- */
typedef struct pii_sql_table {
    char *name;
    uint16_t *cols;
    uint32_t n;
} pii_sql_table;

typedef struct pii_sql {
    bool pg;                /* standard strings (no backslash escapes) */
    uint8_t lx;             /* lexer state */
    uint8_t ps;             /* statement state */
    uint8_t tok_kind;       /* kind of the token in tok */
    bool esc;               /* string: after a backslash */
    bool estr;              /* string: E'...' (backslash escapes in pg) */
    bool values;            /* inside VALUES */
    bool line_start;        /* COPY data: at the start of a line */
    uint8_t qch;            /* closing quote of the identifier / string */
    int depth;              /* parentheses */
    uint32_t vi;            /* value index in the tuple; COPY field index */
    uint16_t tlen;
    char tok[PII_NAME_MAX + 1];
    char table[PII_NAME_MAX + 1];
    uint16_t dlen, dpos;    /* dollar quote: tag length, match position */
    char dtag[64];
    /* column list of the statement being read */
    uint16_t *cols;
    uint32_t ncols, capcols;
    bool have_list;
    bool want_col;          /* CREATE TABLE: next token starts a definition */
    pii_sql_table *tables;
    uint32_t ntables;
} pii_sql;

/* What the reader keeps per column besides its info: how many values it
 * had, the length of its name, and the column looked up right after it the
 * last time (JSON Lines records repeat their keys in the same order, so
 * that guess is checked before the hash).  is_key repeats the info's, so
 * that checking the guess reads this alone. */
typedef struct pii_colrd {
    uint64_t rows;
    const char *name;       /* the info's name, zero-padded to a multiple of 8 bytes */
    uint16_t len;
    uint16_t next;          /* PII_COL_NONE: no guess */
    bool is_key;
} pii_colrd;

struct pii_tracker {
    /* Read by detection threads (pii_tracker_col); written only when a
     * column is added. */
    pii_colinfo *chunk[PII_COL_CHUNKS];
    uint32_t ncols;
    /* Everything below is written by the reader at every field.  The gap
     * keeps it off the cache line holding ncols: a worker reading ncols
     * for every field of its window would otherwise pull that line away
     * from the reader between two marks (false sharing). */
    char gap[64];
    const struct piiscan_ruleset *rs;
    int fmt;                        /* PII_SF_* */
    /* Reader only, so one array that moves as it grows, not chunks (no
     * pointer into it is kept across adding a column): entries are found
     * three times for every JSON value, where going through the chunk
     * took 2.4 times the instructions of indexing one array. */
    pii_colrd *rd;
    uint32_t rdcap;
    uint32_t *hslot;                /* name hash -> column + 1 (reader only) */
    uint32_t nhslot;
    uint16_t last_col;              /* the column pii_tr_column gave last */
    uint32_t misses;                /* look-ups the guess did not answer (tests) */
    pii_fieldmap *map;              /* the map being filled (NULL: none) */
    bool map_oom;
    bool probe;                     /* format detection: no columns, no marks */
    int hint;                       /* PII_SF_* the stream's name suggests */
    bool count_at_end;              /* the format counts a value when it ends */
    uint16_t cur_col;               /* state at the last mark */
    uint8_t cur_q;
    uint32_t cur_row;
    bool lost;                      /* a column could not be added (table full, out of memory) */
    pii_csv csv;
    pii_json json;
    pii_sql sql;
    /* Only in a window's own tracker (struct_local.c): whether the line
     * before the window ended between records, the field the bytes before
     * the window's first mark were then guessed to be in, how many columns
     * that guess named, and the stream column of each local one. */
    bool guessed;
    uint16_t carried_col;
    uint8_t carried_q;
    uint32_t npre;
    uint16_t *gmap;
    uint32_t gcap;
};

static inline pii_colrd *pii_tr_rd(const pii_tracker *t, uint16_t col)
{
    return &t->rd[col];
}

/* One more value in column col (PII_COL_NONE: ignored). */
static inline void pii_tr_count(pii_tracker *t, uint16_t col)
{
    if (col != PII_COL_NONE && col < t->ncols)
        pii_tr_rd(t, col)->rows++;
}

/* Ordinal of the value of col at a mark.  CSV and SQL count a value when
 * it ends, JSON when it starts (before its mark): either way the value a
 * mark opens is the same one whichever window the mark falls in. */
static inline uint32_t pii_tr_row(const pii_tracker *t, uint16_t col)
{
    if (col == PII_COL_NONE || col >= t->ncols)
        return 0;
    uint64_t r = pii_tr_rd(t, col)->rows + (t->count_at_end ? 1 : 0);
    return r > UINT32_MAX ? UINT32_MAX : (uint32_t)r;
}

/* Room for one more field in t->map; false when out of memory (the window
 * then goes without structure: map_oom is set and t->map is NULL). */
bool pii_tr_grow(pii_tracker *t);

/* Record that from window offset off on, bytes are in col with quoting q,
 * in value ordinal row.  Inline: a JSON line makes two marks per key. */
static inline void pii_tr_mark_row(pii_tracker *t, size_t off, uint16_t col, uint8_t q, uint32_t row)
{
    t->cur_col = col;
    t->cur_q = q;
    t->cur_row = row;
    pii_fieldmap *m = t->map;
    if (!m)   /* none, or out of memory (pii_tr_grow) */
        return;
    if (m->n) {
        pii_field *last = &m->v[m->n - 1];
        if (last->col == col && last->quote == q && last->row == row)
            return;
        if (last->off == off) {
            last->col = col;
            last->quote = q;
            last->row = row;
            return;
        }
    }
    if (m->n == m->cap && !pii_tr_grow(t))
        return;
    m->v[m->n++] = (pii_field){ .off = (uint32_t)off, .col = col, .quote = q, .row = row };
}

/* Record that from window offset off on, bytes are in col with quoting q. */
static inline void pii_tr_mark(pii_tracker *t, size_t off, uint16_t col, uint8_t q)
{
    pii_tr_mark_row(t, off, col, q, pii_tr_row(t, col));
}

/* pii_tr_count then pii_tr_mark, with one look-up of the column: JSON
 * counts and marks every value this way.  Only for a format that counts a
 * value when it starts (count_at_end false: the ordinal is the count). */
static inline void pii_tr_count_mark(pii_tracker *t, size_t off, uint16_t col, uint8_t q)
{
    uint32_t row = 0;
    if (col != PII_COL_NONE && col < t->ncols) {
        pii_colrd *r = pii_tr_rd(t, col);
        uint64_t n = ++r->rows;
        row = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    }
    pii_tr_mark_row(t, off, col, q, row);
}

/* cls of pii_tr_column: classify what follows the last '.' of the name
 * (JSON key paths; found only when the column is new). */
#define PII_CLS_LAST_DOT SIZE_MAX

/* The column named name[0,len), by its hash (pii_tr_column when its guess
 * was wrong; CSV and SQL columns directly). */
uint16_t pii_tr_column_find(pii_tracker *t, const char *name, size_t len, size_t cls, bool is_key);
/* The column named name[0,len) from the hash alone, added when add and
 * new (cls as for pii_tr_column); PII_COL_NONE when not there or it could
 * not be added.  The guess links are left alone. */
uint16_t pii_tr_lookup(pii_tracker *t, const char *name, size_t len, size_t cls, bool is_key, bool add);

static inline bool pii_tr_named(const pii_tracker *t, uint16_t c, const char *name, size_t len, bool is_key)
{
    const pii_colrd *r = pii_tr_rd(t, c);
    return r->len == len && r->is_key == is_key && memcmp(r->name, name, len) == 0;
}

/* a[0,n) == b[0,n), a word at a time.  Both must be readable up to n
 * rounded up to 8 (column names are padded so; the JSON path buffer has 8
 * spare bytes): a JSON value's column is checked this way for every value,
 * where a call to memcmp cost more than the comparison. */
static inline bool pii_name_eq_padded(const char *a, const char *b, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t x, y;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            return false;
    }
    if (i == n)
        return true;
    memcpy(&x, a + i, 8);
    memcpy(&y, b + i, 8);
    return ((x ^ y) << (8 * (8 - (n - i)))) == 0;   /* only the n - i low bytes */
#else
    return memcmp(a, b, n) == 0;
#endif
}

/* The column named name[0,len); display is the full name (key path),
 * classify its last part [cls, len).  Columns are shared by name.
 * PII_COL_NONE when the table is full or out of memory.  The column looked
 * up right after the previous one is tried first: JSON Lines records
 * repeat their keys in order, so that guess answers nearly every value.
 * name must be readable up to len rounded up to 8 (pii_name_eq_padded; the
 * JSON path buffer is).  CSV headers and SQL column lists, looked up once
 * per header, call pii_tr_column_find. */
static inline uint16_t pii_tr_column(pii_tracker *t, const char *name, size_t len, size_t cls, bool is_key)
{
    uint16_t c = t->last_col < t->ncols ? pii_tr_rd(t, t->last_col)->next : PII_COL_NONE;
    if (c != PII_COL_NONE) {
        const pii_colrd *r = pii_tr_rd(t, c);
        if (r->len == len && r->is_key == is_key && pii_name_eq_padded(r->name, name, len)) {
            t->last_col = c;
            return c;
        }
    }
    return pii_tr_column_find(t, name, len, cls, is_key);
}

/* struct_detect.c: the format of a stream from its first window; hint is
 * the PII_SF_* its name suggests (PII_SF_UNKNOWN: none), which relaxes the
 * content tests of that format. */
int pii_struct_detect(const uint8_t *p, size_t len, int hint, uint8_t *csv_delim, bool *sql_pg);
/* Would pii_struct_detect give p[0,len) the verdict it gives any longer
 * head of the same stream?  false when more bytes might change it (a CSV
 * header without its records, the first line of a JSON value, the comments
 * before a dump's first statement): a live input's first window must not
 * be cut there (window.h), or a CSV read as text would leak its columns. */
bool pii_struct_settled(const uint8_t *p, size_t len, int hint);
/* The PII_SF_* a stream name's extension suggests: .csv .tsv, .json .jsonl
 * .ndjson, .sql (of the last archive member "!/" component, a compression
 * suffix such as .gz looked through); PII_SF_UNKNOWN otherwise. */
int pii_struct_hint(const char *name);

/* Per format: set up, feed bytes p[lo,hi) of a window (offsets are window
 * offsets), free. */
void pii_csv_init(pii_tracker *t, uint8_t delim);
void pii_csv_feed(pii_tracker *t, const uint8_t *p, size_t lo, size_t hi);
void pii_csv_free(pii_tracker *t);
void pii_json_init(pii_tracker *t);
/* Returns false on a syntax error when strict (detection), else recovers. */
bool pii_json_feed(pii_tracker *t, const uint8_t *p, size_t lo, size_t hi, bool strict);
/* JSON's insignificant whitespace. */
static inline bool pii_json_blank(uint8_t b) { return b == ' ' || b == '\t' || b == '\r' || b == '\n'; }
/* Is the parser between two records (outside any value, at depth 0), the
 * state pii_json_init leaves it in as far as the next byte is concerned? */
bool pii_json_between_records(const pii_tracker *t);
void pii_sql_init(pii_tracker *t, bool pg);
void pii_sql_feed(pii_tracker *t, const uint8_t *p, size_t lo, size_t hi);
void pii_sql_free(pii_tracker *t);

/* Index of the first byte in p[i,end) that is a or b, or end.  Inline and
 * 16 bytes at a time: it finds the end of every JSON key and value, and for
 * such short distances a call to memchr costs more than the search. */
static inline size_t pii_find2(const uint8_t *p, size_t i, size_t end, uint8_t a, uint8_t b)
{
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
    for (; i + 16 <= end; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)));
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i < end && p[i] != a && p[i] != b)
        i++;
    return i;
}

/* Index of the first byte in p[i,end) whose class bit is set in cls[], or end. */
static inline size_t pii_scan_to(const uint8_t *p, size_t i, size_t end, const uint8_t cls[256])
{
    while (i + 4 <= end && !(cls[p[i]] | cls[p[i + 1]] | cls[p[i + 2]] | cls[p[i + 3]]))
        i += 4;
    while (i < end && !cls[p[i]])
        i++;
    return i;
}

#endif
