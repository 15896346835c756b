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

/* A string that needs no escaping, quoted: the type name ([A-Z0-9_],
 * from types.c) and the fingerprint (hex digits, or empty).  Spares the
 * escaper's byte loop on two of the five strings of every finding. */
static void ob_plain_str(pii_outbuf *o, const char *s)
{
    pii_ob_byte(o, '"');
    pii_ob_mem(o, s, strlen(s));
    pii_ob_byte(o, '"');
}

void pii_json_finding_fields(pii_outbuf *o, const piiscan_report *r, const pii_report_item *it)
{
    const piiscan_finding *f = it->f;
    pii_ob_lit(o, "\"path\":");
    pii_ob_json_cstr(o, it->path);
    pii_ob_lit(o, ",\"type\":");
    ob_plain_str(o, it->type_name);
    pii_ob_lit(o, ",\"start\":");
    pii_ob_u64(o, f->start);
    pii_ob_lit(o, ",\"end\":");
    pii_ob_u64(o, f->end);
    pii_ob_lit(o, ",\"line\":");
    pii_ob_u64(o, f->line);
    pii_ob_lit(o, ",\"col\":");
    pii_ob_u64(o, f->col);
    pii_ob_lit(o, ",\"confidence\":");
    pii_ob_fixed(o, f->confidence > 1 ? 1 : f->confidence, 2);
    pii_ob_lit(o, ",\"context\":");
    pii_ob_json_cstr(o, f->context);
    pii_ob_lit(o, ",\"preview\":");
    pii_ob_json_cstr(o, it->preview);
    pii_ob_lit(o, ",\"fingerprint\":");
    ob_plain_str(o, it->fingerprint);
    if (r->opt.show_values) {
        pii_ob_lit(o, ",\"value\":");
        pii_ob_json_str(o, f->value, f->value ? f->value_len : 0);
    }
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
