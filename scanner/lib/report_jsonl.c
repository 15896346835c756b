/*
 * report_jsonl.c -- JSON Lines report (DESIGN.md section 5), and the object
 * fields it shares with the single-document JSON report.
 *
 * One self-contained object per line, written as the finding arrives, so
 * `piiscan scan --format jsonl | jq` works on an endless stream and a
 * killed run still leaves every complete line usable.
 */
#include <string.h>

#include <openssl/evp.h>

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

/* The field's ,"name": -- without the comma before the first. */
static void json_sep(pii_outbuf *o, const char *json, size_t len, int i)
{
    if (i)
        pii_ob_mem(o, json, len);
    else
        pii_ob_mem(o, json + 1, len - 1);
}

/* JSON strings are UTF-8, so a path that is not (a GBK file name from a
 * Windows share or an old zip) shows U+FFFD there, and two such names can
 * look alike.  "path_base64" then carries its bytes: `base64 -d` gives
 * the name to open.  Empty when the path needs none. */
static size_t path_base64(const char *path, char *out, size_t cap)
{
    if (!path || pii_utf8_valid(path))
        return 0;
    size_t n = strlen(path), k = 0;
    for (size_t i = 0; i < n; i += 48) {   /* whole groups of 3: no padding inside */
        size_t m = n - i < 48 ? n - i : 48;
        if (k + 4 * ((m + 2) / 3) + 1 > cap)
            return 0;   /* longer than any path: left out rather than cut */
        k += (size_t)EVP_EncodeBlock((unsigned char *)out + k, (const unsigned char *)path + i, (int)m);
    }
    return k;
}

#define PATH_B64_MAX (4 * (PII_PATH_BYTES_MAX / 3) + 8)

void pii_json_finding_fields(pii_outbuf *o, const piiscan_report *r, const pii_report_item *it)
{
    static const pii_field_style json = { json_sep, json_text, true };
    pii_finding_fields(o, r, it, &json);
    if (it->path_utf8)
        return;
    char b64[PATH_B64_MAX];
    size_t n = path_base64(it->path, b64, sizeof b64);
    if (n) {
        pii_ob_lit(o, ",\"path_base64\":");
        json_text(o, b64, n, true);
    }
}

void pii_json_error_fields(FILE *fp, const char *path, const char *msg)
{
    fputs("\"path\":", fp);
    pii_json_cstr(fp, path);
    char b64[PATH_B64_MAX];
    size_t n = path_base64(path, b64, sizeof b64);
    if (n)
        fprintf(fp, ",\"path_base64\":\"%.*s\"", (int)n, b64);
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
