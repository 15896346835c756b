/*
 * report_jsonl.c -- JSON Lines report (DESIGN.md section 5), and the object
 * fields it shares with the single-document JSON report.
 *
 * One self-contained object per line, written as the finding arrives, so
 * `piiscan scan --format jsonl | jq` works on an endless stream and a
 * killed run still leaves every complete line usable.
 */
#include <string.h>

#include "report_int.h"

/* Strings that need no escaping (the type name, [A-Z0-9_] from types.c,
 * and the fingerprint, hex digits) spare the escaper's byte loop. */
static void json_text(pii_outbuf *o, const char *s, size_t n, bool plain)
{
    if (!plain) {
        pii_ob_json_str(o, s, n);
        return;
    }
    pii_ob_byte(o, '"');
    pii_ob_mem(o, s, n);
    pii_ob_byte(o, '"');
}

static void json_sep(pii_outbuf *o, const char *name, int i)
{
    if (i)
        pii_ob_byte(o, ',');
    pii_ob_byte(o, '"');
    pii_ob_mem(o, name, strlen(name));
    pii_ob_lit(o, "\":");
}

void pii_json_finding_fields(pii_outbuf *o, const piiscan_report *r, const pii_report_item *it)
{
    static const pii_field_style json = { json_sep, json_text };
    pii_finding_fields(o, r, it, &json);
}

void pii_json_error_fields(FILE *fp, const char *path, const char *msg)
{
    fputs("\"path\":", fp);
    pii_json_cstr(fp, path);
    fputs(",\"message\":", fp);
    pii_json_cstr(fp, msg);
}

void pii_json_summary_fields(piiscan_report *r, double seconds)
{
    FILE *fp = r->fp;
    fprintf(fp, "\"files\":%llu,\"bytes\":%llu,\"errors\":%llu,\"findings\":%llu,\"seconds\":",
            (unsigned long long)r->files, (unsigned long long)r->bytes,
            (unsigned long long)r->errors, (unsigned long long)r->findings);
    pii_put_fixed(fp, seconds, 3);
    fputs(",\"counts\":{", fp);
    int first = 1;
    for (int t = 0; t < PIISCAN_TYPE_COUNT; t++) {
        if (!r->type_findings[t])
            continue;
        fprintf(fp, "%s\"%s\":%llu", first ? "" : ",", piiscan_type_name((piiscan_type)t),
                (unsigned long long)r->type_findings[t]);
        first = 0;
    }
    putc('}', fp);
}

static void jsonl_finding(piiscan_report *r, const pii_report_item *it)
{
    pii_outbuf o;
    pii_ob_init(&o, r->fp);
    pii_ob_lit(&o, "{\"kind\":\"finding\",");
    pii_json_finding_fields(&o, r, it);
    pii_ob_lit(&o, "}\n");
    pii_ob_flush(&o);
}

static void jsonl_error(piiscan_report *r, const char *path, const char *msg)
{
    fputs("{\"kind\":\"error\",", r->fp);
    pii_json_error_fields(r->fp, path, msg);
    fputs("}\n", r->fp);
}

static void jsonl_end(piiscan_report *r, double seconds)
{
    fputs("{\"kind\":\"summary\",", r->fp);
    pii_json_summary_fields(r, seconds);
    fputs("}\n", r->fp);
}

const pii_sink pii_sink_jsonl = {
    .begin = NULL,
    .finding = jsonl_finding,
    .fingerprints = true,
    .error = jsonl_error,
    .end = jsonl_end,
};
