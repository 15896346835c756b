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

static void csv_field(FILE *fp, const void *sv, size_t n)
{
    const char *s = sv ? sv : "";
    if (!sv)
        n = 0;
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) {
        fwrite(s, 1, n, fp);
        return;
    }
    putc('"', fp);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '"')
            continue;
        fwrite(s + run, 1, i + 1 - run, fp); /* includes this quote ... */
        run = i;                              /* ... which is written again */
    }
    fwrite(s + run, 1, n - run, fp);
    putc('"', fp);
}

static void csv_cfield(FILE *fp, const char *s)
{
    csv_field(fp, s, s ? strlen(s) : 0);
}

static void csv_begin(piiscan_report *r)
{
    fputs("path,type,start,end,line,col,confidence,context,preview,fingerprint", r->fp);
    fputs(r->opt.show_values ? ",value\n" : "\n", r->fp);
}

static void csv_finding(piiscan_report *r, const pii_report_item *it)
{
    FILE *fp = r->fp;
    const piiscan_finding *f = it->f;
    csv_cfield(fp, it->path);
    fprintf(fp, ",%s,%llu,%llu,%llu,%llu,", it->type_name, (unsigned long long)f->start,
            (unsigned long long)f->end, (unsigned long long)f->line,
            (unsigned long long)f->col);
    pii_put_fixed(fp, f->confidence > 1 ? 1 : f->confidence, 2);
    putc(',', fp);
    csv_cfield(fp, f->context);
    putc(',', fp);
    csv_cfield(fp, it->preview);
    putc(',', fp);
    csv_cfield(fp, it->fingerprint);
    if (r->opt.show_values) {
        putc(',', fp);
        csv_field(fp, f->value, f->value ? f->value_len : 0);
    }
    putc('\n', fp);
}

const pii_sink pii_sink_csv = {
    .begin = csv_begin,
    .finding = csv_finding,
    .fingerprints = true,
    .error = NULL,
    .end = NULL,
};
