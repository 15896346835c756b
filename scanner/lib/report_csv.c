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

static void csv_cfield(pii_outbuf *o, const char *s)
{
    csv_field(o, s, s ? strlen(s) : 0);
}

static void csv_begin(piiscan_report *r)
{
    fputs("path,type,start,end,line,col,confidence,context,preview,fingerprint", r->fp);
    fputs(r->opt.show_values ? ",value\n" : "\n", r->fp);
}

/* Built in a buffer and written at once (report_buf.c says why). */
static void csv_finding(piiscan_report *r, const pii_report_item *it)
{
    pii_outbuf ob, *o = &ob;
    const piiscan_finding *f = it->f;
    pii_ob_init(o, r->fp);
    csv_cfield(o, it->path);
    pii_ob_byte(o, ',');
    pii_ob_mem(o, it->type_name, strlen(it->type_name));
    pii_ob_byte(o, ',');
    pii_ob_u64(o, f->start);
    pii_ob_byte(o, ',');
    pii_ob_u64(o, f->end);
    pii_ob_byte(o, ',');
    pii_ob_u64(o, f->line);
    pii_ob_byte(o, ',');
    pii_ob_u64(o, f->col);
    pii_ob_byte(o, ',');
    pii_ob_fixed(o, f->confidence > 1 ? 1 : f->confidence, 2);
    pii_ob_byte(o, ',');
    csv_cfield(o, f->context);
    pii_ob_byte(o, ',');
    csv_cfield(o, it->preview);
    pii_ob_byte(o, ',');
    csv_cfield(o, it->fingerprint);
    if (r->opt.show_values) {
        pii_ob_byte(o, ',');
        csv_field(o, f->value, f->value ? f->value_len : 0);
    }
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
