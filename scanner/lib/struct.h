/*
 * struct.h -- structure of the stream: which CSV column, JSON key path or
 * SQL column each byte belongs to (DESIGN section 3).
 *
 * A tracker reads every stream in order (the accept range of each window,
 * from the reading thread) and records, per window, where the column
 * changes.  Detection (any thread) looks the column of a candidate up in
 * that map: a value under a telling column counts as being under a key
 * ("column:手机"), which enables key-only types and lifts confidence; the
 * quoting of the field tells redaction how to escape a replacement so that
 * the CSV, JSON or SQL stays valid.
 */
#ifndef PII_STRUCT_H
#define PII_STRUCT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "window.h"

struct piiscan_ruleset;

#define PII_COL_NONE 0xFFFFu

/* Quoting of the bytes in a field: how a replacement must be escaped.
 * Unquoted CSV cells carry their delimiter (a replacement holding it, a
 * quote or a line break cannot be written there); SQL strings are MySQL's
 * (backslash escapes) or standard ones (quotes doubled only); unquoted SQL
 * and JSON scalars are numbers; pg_dump COPY data has backslash escapes. */
enum {
    PII_Q_NONE = 0,
    PII_Q_CSV = 'c',          /* inside "..." of a CSV cell */
    PII_Q_CSV_COMMA = ',',    /* unquoted CSV cell, by delimiter */
    PII_Q_CSV_SEMI = ';',
    PII_Q_CSV_TAB = '\t',
    PII_Q_JSON = 'j',         /* inside a JSON string */
    PII_Q_JSON_BARE = 'J',    /* a JSON number */
    PII_Q_SQL = 's',          /* MySQL '...' */
    PII_Q_SQL_STD = 'S',      /* standard SQL '...' (PostgreSQL) */
    PII_Q_SQL_BARE = 'n',     /* unquoted SQL literal (a number) */
    PII_Q_COPY = 'p'          /* a field of pg_dump COPY text data */
};

typedef struct pii_field {
    uint32_t off;       /* window-relative: from here on ... */
    uint16_t col;       /* ... bytes belong to this column (PII_COL_NONE: none) */
    uint8_t quote;      /* PII_Q_* */
    uint8_t pad;
    /* Ordinal (1-based) of the value of col these bytes are in: how many
     * values the column had up to and including this one, saturating; 0
     * outside columns.  A property of the stream position, not of where
     * windows are cut, so that confidences drawn from it (emit.c) are the
     * same whatever the window size or thread count. */
    uint32_t row;
} pii_field;

typedef struct pii_fieldmap {
    pii_field *v;       /* sorted by off */
    size_t n, cap;
} pii_fieldmap;

typedef struct pii_colinfo {
    const char *name;   /* column or key path ("user.phone", "devices[].imei") */
    uint32_t keymask;   /* types for which the name is a telling key */
    uint32_t wholemask; /* ... named by a whole ASCII word (keyname.h) */
    bool is_key;        /* a JSON key path ("key:"), else a column ("column:") */
} pii_colinfo;

typedef struct pii_tracker pii_tracker;

/* NULL when out of memory; a tracker decides the format from the content
 * of the first window (plain text gets an empty map). */
pii_tracker *pii_tracker_new(const struct piiscan_ruleset *rs);
/* The stream's name (a path, or an archive member's virtual path "a.zip!/b.csv")
 * as a hint for the format decision; call before the first feed.  NULL: none. */
void pii_tracker_set_name(pii_tracker *t, const char *name);
/* For pii_wreader.head_ok: may a live input's first window end after
 * p[0,n) without changing the format t (a pii_tracker) would judge? */
bool pii_tracker_head_ok(const void *t, const uint8_t *p, size_t n);
void pii_tracker_free(pii_tracker *t);
/* Feed the next window (stream order); fills map for [acc_lo, acc_hi). */
void pii_tracker_feed(pii_tracker *t, const pii_window *w, pii_fieldmap *map);
/* Column info; the pointer stays valid until pii_tracker_free (columns are
 * only ever added), so other threads may read columns of maps they hold. */
const pii_colinfo *pii_tracker_col(const pii_tracker *t, uint16_t col);

/* Every column or key path that had values: its context ("column:手机",
 * "key:user.phone") and how many values (CSV records, JSON values, SQL
 * tuples) it had.  Call after the last window. */
void pii_tracker_columns(const pii_tracker *t, void (*fn)(void *ud, const char *context, uint64_t rows), void *ud);

/* Column and quoting at window offset off (binary search). */
const pii_field *pii_fieldmap_at(const pii_fieldmap *m, uint32_t off);
/* The same, searching on from *cur (0 at first; the index of the field
 * found is left there) when off is not before that field: offsets asked
 * in increasing order cost a step or a few, not a search each. */
const pii_field *pii_fieldmap_seek(const pii_fieldmap *m, size_t *cur, uint32_t off);
/* Does a span that starts in field f (pii_fieldmap_at of its start) and
 * ends at end run into another column (a GPS pair over the lat and lng
 * cells of a CSV)?  Such a span is no value of one cell, and replacing it
 * would merge the cells. */
bool pii_fieldmap_runs_on(const pii_fieldmap *m, const pii_field *f, uint32_t end);

/* Escape a replacement for the field's quoting (doubling quotes in CSV and
 * SQL strings, JSON string escapes).  Returns the new length, or -1 if it
 * does not fit in cap or cannot be written in such a field at all (a comma
 * in an unquoted CSV cell, letters in an SQL number): redaction then fails
 * rather than break the file.  A JSON number that is not replaced by a
 * number becomes a string. */
ssize_t pii_escape_replacement(int quote, const unsigned char *in, size_t n, unsigned char *out, size_t cap);
/* The other way: the text a value of the field stands for, when its bytes
 * are escaped (a JSON string: "\u674e\u5a1c" is 李娜), so that previews,
 * fingerprints and operators see the same value however it was written.
 * Returns the length, or -1 when the field kind has no escapes to undo,
 * an escape is cut or invalid, or it does not fit in cap. */
ssize_t pii_unescape_field(int quote, const unsigned char *in, size_t n, unsigned char *out, size_t cap);

/* The \u escape whose 'u' is s[i]: its code point, a surrogate pair taken
 * whole, with *used the bytes after the backslash; -1 for bad hex or a
 * lone surrogate.  Shared by the JSON key decoder (struct_json.c). */
long pii_json_u(const unsigned char *s, size_t i, size_t n, size_t *used);
/* cp in UTF-8 at o (up to 4 bytes); the length. */
size_t pii_utf8_put(uint32_t cp, unsigned char *o);

#endif
