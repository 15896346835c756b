/*
 * report_int.h -- what report.c shares with the report sinks.
 *
 * report.c owns everything common to all formats: the options, the running
 * counters (per type, per file), the masked preview and fingerprint of each
 * finding.  A sink only turns that into bytes, one file per format.
 */
#ifndef PII_REPORT_INT_H
#define PII_REPORT_INT_H

#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "piiscan.h"

/* A finding as the sinks see it: never the raw value unless show_values. */
typedef struct pii_report_item {
    const char *path;
    size_t path_len;
    bool path_utf8;         /* valid UTF-8 (JSON needs no path_base64) */
    bool path_json_plain;   /* a JSON string as it is: nothing to escape */
    const piiscan_finding *f;
    const char *type_name;
    const char *preview;
    const char *fingerprint;   /* 16 hex digits */
} pii_report_item;

typedef struct pii_sink {
    /* Each hook may be NULL; a hook writes to r->fp and may set
     * r->io_error, which report.c also derives from ferror(). */
    void (*begin)(piiscan_report *r);
    void (*finding)(piiscan_report *r, const pii_report_item *it);
    void (*error)(piiscan_report *r, const char *path, const char *msg);
    void (*end)(piiscan_report *r, double seconds);
    /* A column / key path of path had rows values (structured data). */
    void (*column)(piiscan_report *r, const char *path, const char *context, uint64_t rows);
    /* The findings it writes carry a fingerprint (an HMAC per finding,
     * not computed for sinks that only count). */
    bool fingerprints;
} pii_sink;

/* Example shown for a type in the summary table. */
#define PII_EXAMPLE_MAX 64

typedef struct pii_path_set pii_path_set;

struct piiscan_report {
    FILE *fp;
    piiscan_report_options opt;   /* opt.key points at key_copy */
    unsigned char *key_copy;
    const pii_sink *sink;
    int io_error;

    uint64_t files, bytes, errors, findings;
    uint64_t type_findings[PIISCAN_TYPE_COUNT];
    uint64_t type_files[PIISCAN_TYPE_COUNT];   /* distinct paths per type */
    char type_example[PIISCAN_TYPE_COUNT][PII_EXAMPLE_MAX];
    char type_context[PIISCAN_TYPE_COUNT][PII_EXAMPLE_MAX];
    pii_path_set *paths;          /* which types each path has had */
    /* The path of the last finding and what every finding of it needs
     * (its hash in paths, whether JSON must escape it): findings come
     * path by path, and for a dense table these were worked out again
     * for each of millions of findings. */
    struct {
        char *s;                  /* NULL: none (or out of memory) */
        size_t len, cap;
        uint64_t hash;
        bool utf8, json_plain;
    } last_path;

    FILE *deferred;               /* errors held back by JSON/SARIF */
    char *deferred_buf;
    size_t deferred_len;
    uint64_t nresults;            /* items written into an open array */
    void *sink_state;             /* a sink's own (report_columns.c) */
};

/* Sinks, one per file. */
extern const pii_sink pii_sink_summary;
extern const pii_sink pii_sink_jsonl;
extern const pii_sink pii_sink_json;
extern const pii_sink pii_sink_sarif;
extern const pii_sink pii_sink_csv;
extern const pii_sink pii_sink_columns;

/* A memory stream for output that must come after the findings (errors in
 * the JSON document and in SARIF's invocation); NULL if out of memory,
 * with r->io_error set.  pii_report_take_deferred closes it and returns its
 * bytes (valid until the report is freed). */
FILE *pii_report_deferred(piiscan_report *r);
const char *pii_report_take_deferred(piiscan_report *r, size_t *len);

/* Locale-independent numbers: 0.95, 1.234 (value clamped to >= 0;
 * decimals 0..9). */
void pii_put_fixed(FILE *fp, double v, int decimals);

/* ---- report_buf.c ----------------------------------------------------- */

/* Output assembled in memory and written with one fwrite (report_buf.c
 * says why).  Lives on the stack for one finding; set up with
 * pii_ob_init (not an initializer, which would zero the whole buffer). */
#define PII_OUTBUF_CAP 2048

typedef struct pii_outbuf {
    FILE *fp;
    size_t n;
    char b[PII_OUTBUF_CAP];
} pii_outbuf;

static inline void pii_ob_init(pii_outbuf *o, FILE *fp)
{
    o->fp = fp;
    o->n = 0;
}

/* Writes out what is buffered (errors show in ferror(o->fp)). */
void pii_ob_flush(pii_outbuf *o);
void pii_ob_mem_slow(pii_outbuf *o, const void *s, size_t n);

/* Most pieces of a finding line are 1-16 bytes (keys, numbers, the type,
 * the fingerprint); a call to memcpy for each, with its size dispatch,
 * was a tenth of the report of a dense table.  Those go as two moves of
 * 8 or 4 bytes that overlap in the middle, or one to three bytes; both
 * stay inside s[0, n). */
static inline void pii_ob_small(char *d, const char *s, size_t n)
{
    uint64_t a8, b8;
    uint32_t a4, b4;
    if (n >= 8) {
        memcpy(&a8, s, 8);
        memcpy(&b8, s + n - 8, 8);
        memcpy(d, &a8, 8);
        memcpy(d + n - 8, &b8, 8);
    } else if (n >= 4) {
        memcpy(&a4, s, 4);
        memcpy(&b4, s + n - 4, 4);
        memcpy(d, &a4, 4);
        memcpy(d + n - 4, &b4, 4);
    } else if (n) {
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
}

static inline void pii_ob_mem(pii_outbuf *o, const void *s, size_t n)
{
    if (n <= sizeof o->b - o->n) {
        if (n <= 16)
            pii_ob_small(o->b + o->n, s, n);
        else
            memcpy(o->b + o->n, s, n);
        o->n += n;
    } else {
        pii_ob_mem_slow(o, s, n);
    }
}

static inline void pii_ob_byte(pii_outbuf *o, char c)
{
    if (o->n == sizeof o->b)
        pii_ob_flush(o);
    o->b[o->n++] = c;
}

/* A string literal, its length known at compile time. */
#define pii_ob_lit(o, lit) pii_ob_mem((o), (lit), sizeof(lit) - 1)

/* Same bytes as printf("%llu"). */
void pii_ob_u64(pii_outbuf *o, uint64_t v);

/* Same bytes as pii_put_fixed (decimals 0..9); pii_fmt_fixed writes them
 * to out, unterminated, and returns the length. */
#define PII_FIXED_MAX 32
size_t pii_fmt_fixed(char out[PII_FIXED_MAX], double v, int decimals);
void pii_ob_fixed(pii_outbuf *o, double v, int decimals);

/* ---- json_escape.c ---------------------------------------------------- */

/* pii_json_str / pii_json_cstr below, into a buffer. */
void pii_ob_json_str(pii_outbuf *o, const void *s, size_t n);
void pii_ob_json_cstr(pii_outbuf *o, const char *s);

/* Writes s[0,n) as a JSON string with its quotes.  Control characters are
 * escaped; each byte that is not part of valid UTF-8 becomes \ufffd, so the
 * output is always valid JSON and valid UTF-8. */
void pii_json_str(FILE *fp, const void *s, size_t n);
/* Same for a NUL-terminated string (NULL writes ""). */
void pii_json_cstr(FILE *fp, const char *s);
/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
size_t pii_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp);
/* Longest path given a "path_base64" in JSON reports (an archive member's
 * virtual path may be longer than PATH_MAX). */
#define PII_PATH_BYTES_MAX 16384

/* Is the string s valid UTF-8 (RFC 3629, as pii_utf8_seq)? */
bool pii_utf8_valid(const char *s);

/* Would pii_ob_json_str write s[0, n) unchanged between its quotes (valid
 * UTF-8 without a control character, '"' or '\\')? */
bool pii_json_plain(const char *s, size_t n);

/* How one format writes the fields of a finding (report_buf.c walks them
 * in the order every format shares): sep goes before field i (0 first),
 * given the field's name in its JSON form, ,"name": (len bytes); text
 * writes a string field (NULL: empty), plain when it needs no escaping
 * (type names, fingerprints).  Numbers read the same in every format and
 * are written by the walk itself. */
typedef struct pii_field_style {
    void (*sep)(pii_outbuf *o, const char *json, size_t len, int i);
    void (*text)(pii_outbuf *o, const char *s, size_t n, bool plain);
    bool json;   /* text escapes as JSON: a path_json_plain path is plain */
} pii_field_style;
void pii_finding_fields(pii_outbuf *o, const piiscan_report *r, const pii_report_item *it, const pii_field_style *st);

/* Common pieces of the JSON and JSONL finding / summary objects. */
void pii_json_finding_fields(pii_outbuf *o, const piiscan_report *r, const pii_report_item *it);
void pii_json_error_fields(FILE *fp, const char *path, const char *msg);
void pii_json_summary_fields(piiscan_report *r, double seconds);

#endif
