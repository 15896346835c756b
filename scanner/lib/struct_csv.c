/*
 * struct_csv.c -- CSV / TSV with a header record (RFC 4180): fields split
 * by the delimiter (, ; or tab), records by line breaks outside quotes, a
 * field in double quotes may hold delimiters, line breaks and doubled
 * quotes.  The header's fields name the columns; every later field is
 * marked with the column of its position.
 *
 * Lenient where real exports are sloppy: a quote inside an unquoted field is
 * data, text after a closing quote stays in the field, CR before LF is
 * ignored.  Field bodies are skipped by one search (pii_find2) for the
 * delimiter or a line break, or for the closing quote.
 */
#include <stdlib.h>
#include <string.h>

#include "struct_int.h"

enum { CSV_START, CSV_BARE, CSV_QUOTED, CSV_QUOTE_SEEN };

void pii_csv_init(pii_tracker *t, uint8_t delim)
{
    pii_csv *c = &t->csv;
    c->delim = delim;
    c->st = CSV_START;
    c->header = true;
    c->field = 0;
    c->hlen = 0;
    pii_tr_mark(t, 0, PII_COL_NONE, PII_Q_NONE);
}

void pii_csv_free(pii_tracker *t)
{
    free(t->csv.cols);
    t->csv.cols = NULL;
}

static uint16_t col_of(const pii_csv *c)
{
    return !c->header && c->field < c->ncols ? c->cols[c->field] : PII_COL_NONE;
}

static void header_byte(pii_csv *c, uint8_t b)
{
    if (c->hlen < PII_NAME_MAX)
        c->hname[c->hlen++] = (char)b;
}

/* End of a header field: it names the column at its position. */
static void header_field(pii_tracker *t)
{
    pii_csv *c = &t->csv;
    char *s = c->hname;
    size_t n = c->hlen;
    if (c->field == 0 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;   /* byte order mark */
        n -= 3;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
        n--;
    while (n && *s == ' ') {
        s++;
        n--;
    }
    uint16_t *nv = realloc(c->cols, (c->ncols + 1) * sizeof *nv);
    if (nv) {
        c->cols = nv;
        c->cols[c->ncols++] = n ? pii_tr_column_find(t, s, n, 0, false) : PII_COL_NONE;
    }
    c->hlen = 0;
}

static void end_field(pii_tracker *t)
{
    if (t->csv.header)
        header_field(t);
    else
        pii_tr_count(t, col_of(&t->csv));
    t->csv.field++;
}

static void end_record(pii_tracker *t)
{
    if (t->csv.header)
        header_field(t);
    else
        pii_tr_count(t, col_of(&t->csv));
    t->csv.header = false;
    t->csv.field = 0;
}

/* Bytes that end an unquoted field body, per delimiter. */
static const uint8_t STOP_COMMA[256] = { [','] = 1, ['\n'] = 1 };
static const uint8_t STOP_SEMI[256] = { [';'] = 1, ['\n'] = 1 };
static const uint8_t STOP_TAB[256] = { ['\t'] = 1, ['\n'] = 1 };

static const uint8_t *bare_stops(uint8_t delim)
{
    return delim == ',' ? STOP_COMMA : delim == ';' ? STOP_SEMI : STOP_TAB;
}

void pii_csv_feed(pii_tracker *t, const uint8_t *p, size_t lo, size_t hi)
{
    pii_csv *c = &t->csv;
    const uint8_t *stops = bare_stops(c->delim);
    size_t i = lo;
    while (i < hi) {
        uint8_t b = p[i];
        switch (c->st) {
        case CSV_START:
            if (b == '"') {
                pii_tr_mark(t, i + 1, col_of(c), PII_Q_CSV);
                c->st = CSV_QUOTED;
            } else if (b == c->delim) {
                end_field(t);
            } else if (b == '\n') {
                end_record(t);
            } else {
                pii_tr_mark(t, i, col_of(c), c->delim);
                c->st = CSV_BARE;
                continue;
            }
            i++;
            break;
        case CSV_BARE: {
            size_t j = c->header ? i : pii_find2(p, i, hi, c->delim, '\n');
            if (c->header)
                while (j < hi && !stops[p[j]])
                    header_byte(c, p[j++]);
            i = j;
            if (i == hi)
                break;
            if (p[i] == '\n')
                end_record(t);
            else
                end_field(t);
            c->st = CSV_START;
            i++;
            break;
        }
        case CSV_QUOTED: {
            size_t j = pii_find2(p, i, hi, '"', '"');
            if (c->header)
                for (size_t k = i; k < j; k++)
                    header_byte(c, p[k]);
            i = j;
            if (j < hi) {
                c->st = CSV_QUOTE_SEEN;
                i++;
            }
            break;
        }
        case CSV_QUOTE_SEEN:
            if (b == '"') {   /* a doubled quote is one quote of data */
                if (c->header)
                    header_byte(c, '"');
                c->st = CSV_QUOTED;
            } else if (b == c->delim || b == '\n') {
                b == '\n' ? end_record(t) : end_field(t);
                c->st = CSV_START;
            } else if (b != '\r') {
                pii_tr_mark(t, i, col_of(c), c->delim);
                c->st = CSV_BARE;
                continue;
            }
            i++;
            break;
        }
    }
}
