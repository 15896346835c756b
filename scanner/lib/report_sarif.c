/*
 * report_sarif.c -- SARIF 2.1.0 log, for code-scanning dashboards.
 *
 * Results are streamed into the open "results" array; the rules array is
 * written up front with every type (ruleIndex = enum value), so nothing has
 * to be known in advance.  Errors become tool execution notifications in
 * the invocation, which follows the results, so they are held back.
 *
 * Columns: SARIF counts columns in UTF-16 code units by default and has no
 * byte-column kind; the scanner gives byte columns, which differ from them
 * on any line with non-ASCII text before the value.  So no startColumn is
 * written: startLine for viewers, byteOffset/byteLength for the exact spot.
 */
#include <string.h>

#include "report_int.h"

static const char *const rule_text[PIISCAN_TYPE_COUNT] = {
    [PIISCAN_CN_RESIDENT_ID] = "Mainland China resident identity card number",
    [PIISCAN_CN_MOBILE] = "Mainland China mobile phone number",
    [PIISCAN_CN_LANDLINE] = "Mainland China landline phone number",
    [PIISCAN_EMAIL] = "E-mail address",
    [PIISCAN_IPV4] = "IPv4 address",
    [PIISCAN_IPV6] = "IPv6 address",
    [PIISCAN_MAC] = "MAC / Bluetooth hardware address",
    [PIISCAN_IMEI] = "IMEI mobile device identifier",
    [PIISCAN_MEID] = "MEID mobile device identifier",
    [PIISCAN_IMSI] = "IMSI mobile subscriber identity",
    [PIISCAN_ICCID] = "ICCID SIM card number",
    [PIISCAN_ANDROID_ID] = "Android ID (SSAID)",
    [PIISCAN_IDFA] = "Apple advertising identifier (IDFA)",
    [PIISCAN_IDFV] = "Apple identifier for vendor (IDFV)",
    [PIISCAN_GAID] = "Google advertising ID (GAID)",
    [PIISCAN_OAID] = "Open anonymous device identifier (OAID)",
    [PIISCAN_BANK_CARD] = "Bank / payment card number",
    [PIISCAN_CN_PASSPORT] = "PRC passport number",
    [PIISCAN_HK_MACAU_PERMIT] = "Hong Kong / Macau travel permit number",
    [PIISCAN_HKID] = "Hong Kong identity card number",
    [PIISCAN_TW_ID] = "Taiwan identity card number",
    [PIISCAN_GPS] = "GPS coordinates",
    [PIISCAN_BIRTH_DATE] = "Date of birth",
    [PIISCAN_CN_ADDRESS] = "Chinese postal address",
    [PIISCAN_PERSON_NAME] = "Personal name",
};

/* Writes path as a JSON string holding a URI reference.  Unreserved bytes,
 * '/' and '!' (archive members, "a.tar.gz!/b.log") stay literal, all else
 * is percent-encoded (so ':' in "C:x" cannot read as a scheme).  An
 * absolute path becomes a file: URI; anything else stays relative. */
static void ob_uri(pii_outbuf *o, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    pii_ob_byte(o, '"');
    if (path[0] == '/')
        pii_ob_lit(o, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned c = *p;
        int plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                    c == '~' || c == '/' || c == '!';
        if (plain) {
            pii_ob_byte(o, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            pii_ob_mem(o, e, sizeof e);
        }
    }
    pii_ob_byte(o, '"');
}

static void put_uri(FILE *fp, const char *path)
{
    pii_outbuf o;
    pii_ob_init(&o, fp);
    ob_uri(&o, path);
    pii_ob_flush(&o);
}

static void sarif_begin(piiscan_report *r)
{
    FILE *fp = r->fp;
    fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
          "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{"
          "\"name\":\"piiscan\",\"version\":\"" PIISCAN_VERSION "\","
          "\"semanticVersion\":\"" PIISCAN_VERSION "\","
          "\"informationUri\":\"https://example.invalid/piiscan\",\"rules\":[",
          fp);
    for (int t = 0; t < PIISCAN_TYPE_COUNT; t++) {
        const char *name = piiscan_type_name((piiscan_type)t);
        fprintf(fp,
                "%s\n{\"id\":\"%s\",\"name\":\"%s\",\"shortDescription\":{\"text\":",
                t ? "," : "", name, name);
        pii_json_cstr(fp, rule_text[t]);
        fputs("},\"defaultConfiguration\":{\"level\":\"warning\"}}", fp);
    }
    fputs("]}},\"results\":[", fp);
}

/* Appends s[0,n) to m[0,*len), keeping at most cap - 1 bytes in all (what
 * snprintf would keep). */
static void msg_put(char *m, size_t cap, size_t *len, const char *s, size_t n)
{
    if (n > cap - 1 - *len)
        n = cap - 1 - *len;
    memcpy(m + *len, s, n);
    *len += n;
}

static void sarif_message(pii_outbuf *o, const pii_report_item *it)
{
    /* The message is built in a small buffer and escaped as a whole: the
     * context comes from the scanned data.  Its text is
     * "%s %s (confidence %u.%02u, %s)" cut to 255 bytes, put together
     * piece by piece because snprintf cost more than the rest of the
     * result; the confidence is the one pii_fmt_fixed gives (same clamp,
     * same rounding). */
    char msg[256], conf[PII_FIXED_MAX];
    size_t n = 0;
    const char *ctx = it->f->context && it->f->context[0] ? it->f->context : "no context";
    double c = it->f->confidence > 1 ? 1 : it->f->confidence > 0 ? it->f->confidence : 0;
    msg_put(msg, sizeof msg, &n, it->type_name, strlen(it->type_name));
    msg_put(msg, sizeof msg, &n, " ", 1);
    msg_put(msg, sizeof msg, &n, it->preview, strlen(it->preview));
    msg_put(msg, sizeof msg, &n, " (confidence ", 13);
    msg_put(msg, sizeof msg, &n, conf, pii_fmt_fixed(conf, c, 2));
    msg_put(msg, sizeof msg, &n, ", ", 2);
    msg_put(msg, sizeof msg, &n, ctx, strlen(ctx));
    msg_put(msg, sizeof msg, &n, ")", 1);
    pii_ob_lit(o, "\"message\":{\"text\":");
    pii_ob_json_str(o, msg, n);
    pii_ob_byte(o, '}');
}

/* Built in a buffer and written at once (report_buf.c says why). */
static void sarif_finding(piiscan_report *r, const pii_report_item *it)
{
    pii_outbuf ob, *o = &ob;
    const piiscan_finding *f = it->f;
    pii_ob_init(o, r->fp);
    if (r->nresults++)
        pii_ob_byte(o, ',');
    pii_ob_lit(o, "\n{\"ruleId\":\"");
    pii_ob_mem(o, it->type_name, strlen(it->type_name));
    pii_ob_lit(o, "\",\"ruleIndex\":");
    pii_ob_u64(o, (uint64_t)f->type);
    pii_ob_lit(o, ",\"level\":\"warning\",");
    sarif_message(o, it);
    pii_ob_lit(o, ",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
    ob_uri(o, it->path);
    pii_ob_lit(o, "},\"region\":{");
    /* SARIF counts columns in UTF-16 units (or code points) and has no
     * byte columns; our columns are bytes, so the exact position is given
     * by byteOffset/byteLength and only the line is added for viewers. */
    if (f->line >= 1) {
        pii_ob_lit(o, "\"startLine\":");
        pii_ob_u64(o, f->line);
        pii_ob_byte(o, ',');
    }
    pii_ob_lit(o, "\"byteOffset\":");
    pii_ob_u64(o, f->start);
    pii_ob_lit(o, ",\"byteLength\":");
    pii_ob_u64(o, f->end > f->start ? f->end - f->start : 0);
    pii_ob_lit(o, "}}}],\"partialFingerprints\":{\"piiscanValue/v1\":\"");
    pii_ob_mem(o, it->fingerprint, strlen(it->fingerprint));
    pii_ob_lit(o, "\"},\"properties\":{\"confidence\":");
    pii_ob_fixed(o, f->confidence > 1 ? 1 : f->confidence, 2);
    pii_ob_lit(o, ",\"context\":");
    pii_ob_json_cstr(o, f->context);
    pii_ob_lit(o, ",\"preview\":");
    pii_ob_json_cstr(o, it->preview);
    if (r->opt.show_values) {
        pii_ob_lit(o, ",\"value\":");
        pii_ob_json_str(o, f->value, f->value ? f->value_len : 0);
    }
    pii_ob_lit(o, "}}");
    pii_ob_flush(o);
}

static void sarif_error(piiscan_report *r, const char *path, const char *msg)
{
    FILE *d = pii_report_deferred(r);
    if (!d)
        return;
    fputs(r->errors > 1 ? ",\n{" : "\n{", d);
    fputs("\"level\":\"error\",\"message\":{\"text\":", d);
    pii_json_cstr(d, msg[0] ? msg : "error");
    fputs("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":", d);
    put_uri(d, path);
    fputs("}}}]}", d);
}

static void sarif_end(piiscan_report *r, double seconds)
{
    FILE *fp = r->fp;
    size_t n;
    const char *notes = pii_report_take_deferred(r, &n);
    fprintf(fp, "%s],\"invocations\":[{\"executionSuccessful\":%s,"
                "\"toolExecutionNotifications\":[",
            r->nresults ? "\n" : "", r->errors ? "false" : "true");
    fwrite(notes, 1, n, fp);
    fputs("]}],\"properties\":{", fp);
    pii_json_summary_fields(r, seconds);
    fputs("}}]}\n", fp);
}

const pii_sink pii_sink_sarif = {
    .begin = sarif_begin,
    .finding = sarif_finding,
    .fingerprints = true,
    .error = sarif_error,
    .end = sarif_end,
};
