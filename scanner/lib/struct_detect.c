/*
 * struct_detect.c -- which format is this stream?  Decided once, from the
 * content of its first window.  The file name is only a hint (a stream may
 * have none, and names lie): it relaxes the content test of the format it
 * names, never replaces it --
 *   .json .jsonl .ndjson: JSON when the first non-blank byte is { or [,
 *     even if the strict tokenizer stops (a first record longer than the
 *     probe, a record broken further on);
 *   .sql: an INSERT INTO, CREATE TABLE or COPY at the start of a line
 *     suffices, whatever comes first;
 *   .csv .tsv: the header need not look like names when the delimiter
 *     count is consistent over the records (headerless exports, numeric
 *     column names).
 *
 *   JSON / JSON Lines: the first non-blank byte is { or [ and the strict
 *     tokenizer gets through the window without a syntax error (so that
 *     "[2024-03-01 12:00] INFO" stays a log);
 *   SQL dump: the first statement-ish line is a dump header comment or an
 *     SQL keyword, and the window holds an INSERT INTO, CREATE TABLE or
 *     COPY ... FROM stdin at the start of a line;
 *   CSV / TSV: a header record whose fields look like names, and the next
 *     records (most of them) have as many fields, for one delimiter
 *     (, ; tab);
 *   plain text otherwise.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "struct_int.h"

#define PROBE_MAX (256u * 1024u)   /* bytes looked at */
#define CSV_RECORDS 8              /* records compared with the header */

static size_t skip_blank(const uint8_t *p, size_t i, size_t n)
{
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i;
}

/* Is p[i,n) JSON so far (*whole: its first value is complete)? */
static bool json_head(const uint8_t *p, size_t i, size_t n, bool *whole)
{
    pii_tracker *t = calloc(1, sizeof *t);
    if (!t)
        return false;
    t->probe = true;
    pii_json_init(t);
    bool ok = pii_json_feed(t, p, i, n, true);
    *whole = t->json.records > 0;
    free(t);
    return ok;
}

static bool looks_json(const uint8_t *p, size_t n, bool hinted)
{
    size_t i = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    i = skip_blank(p, i, n);
    if (i >= n || (p[i] != '{' && p[i] != '['))
        return false;
    bool whole;
    return hinted || json_head(p, i, n, &whole);
}

/* The first byte is compared before the library call: most lines of a
 * head that is not SQL start with none of the keywords, and this runs for
 * every line of every file's head. */
static bool starts_ci(const uint8_t *p, size_t i, size_t n, const char *k)
{
    if (i >= n || (p[i] | 0x20) != ((uint8_t)k[0] | 0x20))
        return false;
    size_t l = strlen(k);
    return i + l <= n && strncasecmp((const char *)p + i, k, l) == 0;
}

/* The line at i (blanks skipped) is a statement the tracker follows. */
static bool data_statement(const uint8_t *p, size_t i, size_t n)
{
    return starts_ci(p, i, n, "INSERT INTO") || starts_ci(p, i, n, "CREATE TABLE") ||
           starts_ci(p, i, n, "REPLACE INTO") || (starts_ci(p, i, n, "COPY ") && memchr(p + i, '\n', n - i));
}

/* What a dump's first statement starts with. */
static const char *const SQL_FIRST[] = { "SET ", "CREATE ", "INSERT ", "DROP ", "COPY ", "LOCK ", "BEGIN",
                                         "START ", "USE ", "ALTER ", "REPLACE ", "SELECT ", "/*", NULL };

static bool looks_sql(const uint8_t *p, size_t n, bool hinted, bool *pg)
{
    bool first_ok = false, seen_first = false, data = false;
    *pg = false;
    for (size_t i = 0; i < n;) {
        const uint8_t *nl = memchr(p + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - p) : n, k = i;
        while (k < e && (p[k] == ' ' || p[k] == '\t'))
            k++;
        if (starts_ci(p, k, e, "-- PostgreSQL database dump") || starts_ci(p, k, e, "SET standard_conforming_strings"))
            *pg = true;
        if (starts_ci(p, k, e, "-- MySQL dump") || starts_ci(p, k, e, "-- MariaDB dump") ||
            starts_ci(p, k, e, "-- PostgreSQL database dump"))
            first_ok = seen_first = true;
        if (!seen_first && k < e && !starts_ci(p, k, e, "--")) {
            seen_first = true;
            for (const char *const *f = SQL_FIRST; *f && !first_ok; f++)
                first_ok = starts_ci(p, k, e, *f);
        }
        if (data_statement(p, k, e)) {
            data = true;
            *pg |= starts_ci(p, k, e, "COPY ");
        }
        i = e + 1;
    }
    return (first_ok || hinted) && data;
}

/* Does p[fs,fe) look like a column name: short, not a number or a date,
 * at most three words?  *spaced: it has a blank inside. */
static bool name_like(const uint8_t *p, size_t fs, size_t fe, bool *spaced)
{
    while (fs < fe && (p[fs] == ' ' || p[fs] == '"'))
        fs++;
    while (fe > fs && (p[fe - 1] == ' ' || p[fe - 1] == '\r' || p[fe - 1] == '"'))
        fe--;
    if (fe == fs || fe - fs > 64 || pii_is_digit(p[fs]) || p[fs] == '-' || p[fs] == '.')
        return false;
    int blanks = 0;
    for (size_t k = fs; k < fe; k++)
        blanks += p[k] == ' ';
    *spaced |= blanks > 0;
    return blanks <= 2;
}

/* Fields of the record at *i for delimiter d (RFC 4180); *i moves past it.
 * -1 when the record is not complete in the window.  names: every field
 * looks like a column name (NULL: not asked); spaced: some name has a blank
 * inside.  With only_names, -1 as soon as a field does not look like a
 * name: the head is then no CSV, and most heads are none.  Fields are
 * stepped over 16 bytes at a time (pii_find2): this runs over the head of
 * every file for three delimiters. */
static int record(const uint8_t *p, size_t n, size_t *i, uint8_t d, bool *names, bool *spaced, bool only_names)
{
    size_t k = *i, fs = k;
    int fields = 1;
    bool name_ok = true, sp = false;
    for (;;) {
        if (k < n && p[k] == '"') {   /* a quoted field: "" is a quote inside */
            do
                k = pii_find2(p, k + 1, n, '"', '"') + 1;
            while (k < n && p[k] == '"');
            if (k > n)
                return -1;
        }
        k = pii_find2(p, k, n, d, '\n');
        if (k >= n)
            return -1;
        if (names && !name_like(p, fs, k, &sp)) {
            if (only_names)
                return -1;
            name_ok = false;
        }
        if (p[k] == '\n')
            break;
        fields++;
        fs = ++k;
    }
    *i = k + 1;
    if (names) {
        *names = name_ok;
        *spaced = sp;
    }
    return fields;
}

/* Number of header fields when p starts a CSV with delimiter d, else 0.
 * A ragged record is tolerated (one in four); a header of names with
 * blanks ("Phone Number") needs two records to tell it from prose, and so
 * does a header that does not look like names at all in a file named .csv
 * (hinted). */
static int csv_fields(const uint8_t *p, size_t n, uint8_t d, bool hinted)
{
    size_t i = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    /* Most heads are no CSV and their first line holds no delimiter: then,
     * unless a quote could carry the record over the line's end, it is one
     * field or incomplete, and the byte-wise record() (this runs for every
     * file, three times) need not tell so. */
    const uint8_t *nl = memchr(p + i, '\n', n - i);
    size_t e = nl ? (size_t)(nl - p) : n;
    if (!memchr(p + i, d, e - i) && !memchr(p + i, '"', e - i))
        return 0;
    bool names, spaced;
    int h = record(p, n, &i, d, &names, &spaced, !hinted);
    if (h < 2 || (!names && !hinted))
        return 0;
    spaced |= !names;
    int good = 0, bad = 0;
    while (good + bad < CSV_RECORDS && i < n) {
        int f = record(p, n, &i, d, NULL, NULL, false);
        if (f < 0)
            break;
        if (f == h)
            good++;
        else if (!(f == 1 && i >= n))   /* a last empty line is fine */
            bad++;
    }
    if (good == 0 || bad * 4 > good + bad || (spaced && good < 2))
        return 0;
    return h;
}

static int detect_csv(const uint8_t *p, size_t n, bool hinted, uint8_t *csv_delim)
{
    static const uint8_t D[] = { ',', '\t', ';' };
    int best = 0;
    for (size_t k = 0; k < sizeof D; k++) {
        int f = csv_fields(p, n, D[k], hinted);
        if (f > best) {
            best = f;
            *csv_delim = D[k];
        }
    }
    return best;
}

int pii_struct_detect(const uint8_t *p, size_t len, int hint, uint8_t *csv_delim, bool *sql_pg)
{
    size_t n = len < PROBE_MAX ? len : PROBE_MAX;
    if (n == 0)
        return PII_SF_PLAIN;
    /* The named format is tried first and relaxed; the others keep their
     * strict tests (a .csv holding a JSON export is still JSON). */
    if (hint == PII_SF_CSV && detect_csv(p, n, true, csv_delim))
        return PII_SF_CSV;
    if (looks_json(p, n, hint == PII_SF_JSON))
        return PII_SF_JSON;
    if (looks_sql(p, n, hint == PII_SF_SQL, sql_pg))
        return PII_SF_SQL;
    return detect_csv(p, n, false, csv_delim) ? PII_SF_CSV : PII_SF_PLAIN;
}

/* Could SQL still be told from a longer head?  Only while no line but
 * comments has come, or the first statement is one a dump starts with
 * (looks_sql then wants a data statement, which may come later). */
static bool sql_possible(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        const uint8_t *nl = memchr(p + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - p) : n, k = i;
        while (k < e && (p[k] == ' ' || p[k] == '\t'))
            k++;
        if (!nl || starts_ci(p, k, e, "-- MySQL dump") || starts_ci(p, k, e, "-- MariaDB dump") ||
            starts_ci(p, k, e, "-- PostgreSQL database dump"))
            return true;   /* an unfinished line, or a dump's own header */
        if (k < e && !starts_ci(p, k, e, "--")) {
            for (const char *const *f = SQL_FIRST; *f; f++)
                if (starts_ci(p, k, e, *f))
                    return true;
            return false;
        }
        i = e + 1;
    }
    return true;
}

/* Lines in p[0,n), up to max. */
static size_t lines_upto(const uint8_t *p, size_t n, size_t max)
{
    size_t k = 0;
    for (const uint8_t *q = p, *e = p + n; k < max && (q = memchr(q, '\n', (size_t)(e - q))) != NULL; q++)
        k++;
    return k;
}

bool pii_struct_settled(const uint8_t *p, size_t len, int hint)
{
    if (len >= PROBE_MAX)
        return true;   /* all a verdict ever looks at */
    uint8_t delim;
    bool pg;
    int fmt = pii_struct_detect(p, len, hint, &delim, &pg);
    if (hint != PII_SF_UNKNOWN)
        return false;  /* a named format's tests are relaxed: wait for the probe */
    if (fmt == PII_SF_SQL)
        return true;   /* a data statement is there */
    size_t i = len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t j = skip_blank(p, i, len);
    bool whole = false;
    if (j < len && (p[j] == '{' || p[j] == '[') && json_head(p, j, len, &whole))
        return whole;   /* JSON so far: decided once its first value is whole */
    if (sql_possible(p, len))
        return false;
    /* CSV: a header line with a delimiter or a quote is compared with the
     * records after it (csv_fields). */
    const uint8_t *nl = memchr(p + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - p) : len;
    bool maybe_csv = false;
    for (size_t k = i; k < e && !maybe_csv; k++)
        maybe_csv = p[k] == ',' || p[k] == '\t' || p[k] == ';' || p[k] == '"';
    return !maybe_csv || lines_upto(p, len, CSV_RECORDS + 2) >= CSV_RECORDS + 2;
}

/* Does name[0,n) end in ext (case-insensitive, ext with its dot)? */
static bool ends_with(const char *name, size_t n, const char *ext)
{
    size_t l = strlen(ext);
    return n > l && strncasecmp(name + n - l, ext, l) == 0;
}

int pii_struct_hint(const char *name)
{
    static const char *const PACKED[] = { ".gz", ".bz2", ".xz", ".zst", ".lz4", ".z", NULL };
    static const struct { const char *ext; int fmt; } EXT[] = {
        { ".csv", PII_SF_CSV }, { ".tsv", PII_SF_CSV }, { ".json", PII_SF_JSON }, { ".jsonl", PII_SF_JSON },
        { ".ndjson", PII_SF_JSON }, { ".sql", PII_SF_SQL },
    };
    /* An archive member is named by its last virtual path component. */
    for (const char *m; (m = strstr(name, "!/")) != NULL;)
        name = m + 2;
    size_t n = strlen(name);
    for (const char *const *z = PACKED; *z; z++)
        if (ends_with(name, n, *z)) {
            n -= strlen(*z);
            break;
        }
    for (size_t k = 0; k < sizeof EXT / sizeof EXT[0]; k++)
        if (ends_with(name, n, EXT[k].ext))
            return EXT[k].fmt;
    return PII_SF_UNKNOWN;
}
