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
#include "safe_text.h"

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
        k = pii_put_safe(NULL, r->type_example[t]);
        w.example = k > w.example ? k : w.example;
    }
    return w;
}

static void put_row(FILE *fp, const widths *w, const char *type, const char *findings,
                    const char *files, const char *example, const char *context)
{
    pad(fp, w->type - pii_put_safe(fp, type));
    fputs("  ", fp);
    pad(fp, w->findings - strlen(findings));
    fputs(findings, fp);
    fputs("  ", fp);
    pad(fp, w->files - strlen(files));
    fputs(files, fp);
    fputs("  ", fp);
    if (context[0]) {
        pad(fp, w->example - pii_put_safe(fp, example));
        fputs("  ", fp);
        pii_put_safe(fp, context);
    } else {
        pii_put_safe(fp, example);
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
