/*
 * report_summary.c -- human-readable table, written at the end.
 *
 *   TYPE            FINDINGS  FILES  EXAMPLE      CONTEXT
 *   CN_MOBILE             12      3  138****5678  key:phone
 *   ...
 *   files 10  bytes 12345 (12.1 KiB)  findings 14  errors 0  seconds 0.012
 *
 * Contexts and previews of names/addresses can be CJK, which a terminal
 * draws two columns wide, so padding counts display columns, not bytes.
 * Text from the scanned data is also made safe for a terminal: control
 * characters and broken UTF-8 are shown as '?', so a crafted log line
 * cannot inject escape sequences into the user's terminal.
 */
#include <string.h>

#include "report_int.h"

/* East Asian Wide and Fullwidth ranges (UAX #11), enough for CJK text. */
static int is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
           (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
           (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* Writes s sanitized (fp may be NULL to only measure); returns its width. */
static size_t put_text(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), width = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = pii_utf8_seq(p + i, n - i, &cp);
        int bad = len == 0 || cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
        if (bad) {
            if (fp)
                putc('?', fp);
            width++;
            i += len ? len : 1;
            continue;
        }
        if (fp)
            fwrite(p + i, 1, len, fp);
        width += is_wide(cp) ? 2 : 1;
        i += len;
    }
    return width;
}

static void pad(FILE *fp, size_t n)
{
    while (n-- > 0)
        putc(' ', fp);
}

static size_t digits(uint64_t v)
{
    size_t d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

typedef struct widths {
    size_t type, findings, files, example;
} widths;

static widths measure(const piiscan_report *r)
{
    widths w = {strlen("TYPE"), strlen("FINDINGS"), strlen("FILES"), strlen("EXAMPLE")};
    for (int t = 0; t < PIISCAN_TYPE_COUNT; t++) {
        if (!r->type_findings[t])
            continue;
        size_t k = strlen(piiscan_type_name((piiscan_type)t));
        w.type = k > w.type ? k : w.type;
        k = digits(r->type_findings[t]);
        w.findings = k > w.findings ? k : w.findings;
        k = digits(r->type_files[t]);
        w.files = k > w.files ? k : w.files;
        k = put_text(NULL, r->type_example[t]);
        w.example = k > w.example ? k : w.example;
    }
    return w;
}

static void put_row(FILE *fp, const widths *w, const char *type, const char *findings,
                    const char *files, const char *example, const char *context)
{
    pad(fp, w->type - put_text(fp, type));
    fputs("  ", fp);
    pad(fp, w->findings - strlen(findings));
    fputs(findings, fp);
    fputs("  ", fp);
    pad(fp, w->files - strlen(files));
    fputs(files, fp);
    fputs("  ", fp);
    if (context[0]) {
        pad(fp, w->example - put_text(fp, example));
        fputs("  ", fp);
        put_text(fp, context);
    } else {
        put_text(fp, example);
    }
    putc('\n', fp);
}

static void put_bytes(FILE *fp, uint64_t bytes)
{
    static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    fprintf(fp, "bytes %llu", (unsigned long long)bytes);
    if (bytes < 1024)
        return;
    double v = (double)bytes / 1024;
    size_t u = 0;
    while (v >= 1024 && u + 1 < sizeof unit / sizeof unit[0]) {
        v /= 1024;
        u++;
    }
    fputs(" (", fp);
    pii_put_fixed(fp, v, 1);
    fprintf(fp, " %s)", unit[u]);
}

static void summary_end(piiscan_report *r, double seconds)
{
    FILE *fp = r->fp;
    if (r->findings == 0) {
        fputs("No personal data found.\n", fp);
    } else {
        widths w = measure(r);
        put_row(fp, &w, "TYPE", "FINDINGS", "FILES", "EXAMPLE", "CONTEXT");
        for (int t = 0; t < PIISCAN_TYPE_COUNT; t++) {
            if (!r->type_findings[t])
                continue;
            char nf[24], nfiles[24];
            snprintf(nf, sizeof nf, "%llu", (unsigned long long)r->type_findings[t]);
            snprintf(nfiles, sizeof nfiles, "%llu", (unsigned long long)r->type_files[t]);
            put_row(fp, &w, piiscan_type_name((piiscan_type)t), nf, nfiles,
                    r->type_example[t], r->type_context[t]);
        }
    }
    fprintf(fp, "\nfiles %llu  ", (unsigned long long)r->files);
    put_bytes(fp, r->bytes);
    fprintf(fp, "  findings %llu  errors %llu  seconds ", (unsigned long long)r->findings,
            (unsigned long long)r->errors);
    pii_put_fixed(fp, seconds, 3);
    putc('\n', fp);
}

const pii_sink pii_sink_summary = {
    .begin = NULL,
    .finding = NULL,
    .error = NULL,
    .end = summary_end,
};
