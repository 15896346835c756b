/*
 * report_csv.c -- one row per finding, RFC 4180 quoting.
 *
 * A field is quoted only when it has to be (comma, quote, CR or LF), with
 * quotes doubled, so the common rows stay easy to cut/awk.  Rows end in LF
 * rather than RFC 4180's CRLF: every CSV reader accepts LF, and CR in a
 * Unix pipeline is a trap.  Errors have no row shape; they are counted and
 * the CLI reports them on stderr.
 */
#include <string.h>

#include "report_int.h"

static void csv_field(pii_outbuf *o, const void *sv, size_t n)
{
    const char *s = sv ? sv : "";
    if (!sv)
        n = 0;
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) {
        pii_ob_mem(o, s, n);
        return;
    }
    pii_ob_byte(o, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '"')
            continue;
        pii_ob_mem(o, s + run, i + 1 - run); /* includes this quote ... */
        run = i;                             /* ... which is written again */
    }
    pii_ob_mem(o, s + run, n - run);
    pii_ob_byte(o, '"');
}

static void csv_begin(piiscan_report *r)
{
    fputs("path,type,start,end,line,col,confidence,context,preview,fingerprint", r->fp);
    fputs(r->opt.show_values ? ",value\n" : "\n", r->fp);
}

static void csv_text(pii_outbuf *o, const char *s, size_t n, bool plain)
{
    if (plain)
        pii_ob_mem(o, s, n);
    else
        csv_field(o, s, n);
}

static void csv_sep(pii_outbuf *o, const char *json, size_t len, int i)
{
    (void)json;   /* the header row names the columns */
    (void)len;
    if (i)
        pii_ob_byte(o, ',');
}

/* Built in a buffer and written at once (report_buf.c says why). */
static void csv_finding(piiscan_report *r, const pii_report_item *it)
{
    static const pii_field_style csv = { csv_sep, csv_text, false };
    pii_outbuf ob, *o = &ob;
    pii_ob_init(o, r->fp);
    pii_finding_fields(o, r, it, &csv);
    pii_ob_byte(o, '\n');
    pii_ob_flush(o);
}

const pii_sink pii_sink_csv = {
    .begin = csv_begin,
    .finding = csv_finding,
    .fingerprints = true,
    .error = NULL,
    .end = NULL,
};
