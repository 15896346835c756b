/*
 * report_json.c -- the whole report as one JSON document.
 *
 * Streamed like JSONL: the opening is written first and each finding as it
 * arrives, so memory does not grow with the number of findings.  Errors can
 * arrive between findings but belong to a later member, so they are held in
 * a memory stream (they are few) until the findings array is closed.
 */
#include "report_int.h"

static void json_begin(piiscan_report *r)
{
    fputs("{\"version\":\"" PIISCAN_VERSION "\",\"findings\":[", r->fp);
}

static void json_finding(piiscan_report *r, const pii_report_item *it)
{
    pii_outbuf o;
    pii_ob_init(&o, r->fp);
    if (r->nresults++)
        pii_ob_byte(&o, ',');
    pii_ob_lit(&o, "\n{");
    pii_json_finding_fields(&o, r, it);
    pii_ob_byte(&o, '}');
    pii_ob_flush(&o);
}

static void json_error(piiscan_report *r, const char *path, const char *msg)
{
    FILE *d = pii_report_deferred(r);
    if (!d)
        return;
    fputs(r->errors > 1 ? ",\n{" : "\n{", d);
    pii_json_error_fields(d, path, msg);
    putc('}', d);
}

static void json_end(piiscan_report *r, double seconds)
{
    size_t n;
    const char *errs = pii_report_take_deferred(r, &n);
    fputs(r->nresults ? "\n],\"errors\":[" : "],\"errors\":[", r->fp);
    fwrite(errs, 1, n, r->fp);
    fputs(n ? "\n],\"summary\":{" : "],\"summary\":{", r->fp);
    pii_json_summary_fields(r, seconds);
    fputs("}}\n", r->fp);
}

const pii_sink pii_sink_json = {
    .begin = json_begin,
    .finding = json_finding,
    .fingerprints = true,
    .error = json_error,
    .end = json_end,
};
