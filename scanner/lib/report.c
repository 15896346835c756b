/*
 * report.c -- the part of reporting common to every format.
 *
 * Findings stream through: each one is masked, fingerprinted, counted and
 * handed to the sink, which writes it at once.  Only O(types + files with
 * findings) state is kept, so a report over a huge tree with millions of
 * findings uses no more memory than one with ten.
 *
 * A report is not thread-safe: scanning threads hand findings to one
 * writer (the CLI serializes calls), which also keeps output order stable.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <xxhash.h>

#include "normalize.h"
#include "report_int.h"

/* ---- formats ----------------------------------------------------------- */

int piiscan_format_from_name(const char *name)
{
    static const struct {
        const char *name;
        piiscan_format fmt;
    } names[] = {
        {"summary", PIISCAN_FMT_SUMMARY}, {"jsonl", PIISCAN_FMT_JSONL},
        {"ndjson", PIISCAN_FMT_JSONL},    {"json", PIISCAN_FMT_JSON},
        {"sarif", PIISCAN_FMT_SARIF},     {"csv", PIISCAN_FMT_CSV},
        {"columns", PIISCAN_FMT_COLUMNS},
    };
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0)
            return (int)names[i].fmt;
    return -1;
}

static const pii_sink *sink_for(piiscan_format f)
{
    switch (f) {
    case PIISCAN_FMT_SUMMARY:
        return &pii_sink_summary;
    case PIISCAN_FMT_JSONL:
        return &pii_sink_jsonl;
    case PIISCAN_FMT_JSON:
        return &pii_sink_json;
    case PIISCAN_FMT_SARIF:
        return &pii_sink_sarif;
    case PIISCAN_FMT_CSV:
        return &pii_sink_csv;
    case PIISCAN_FMT_COLUMNS:
        return &pii_sink_columns;
    }
    return NULL;
}

/* ---- set of paths, for "files with this type" -------------------------- */

/* Open addressing on a 64-bit hash of the path: storing hashes instead of
 * the paths keeps memory at 12 bytes per file, and a collision (about
 * n^2 / 2^65) could only make one count off by one. */
struct pii_path_set {
    uint64_t *hash;  /* 0 = empty slot */
    uint32_t *types; /* bit t set: the path had a finding of type t */
    size_t cap, count;
};

static int pathset_grow(pii_path_set *s)
{
    size_t ncap = s->cap ? s->cap * 2 : 64;
    uint64_t *nh = calloc(ncap, sizeof *nh);
    uint32_t *nt = calloc(ncap, sizeof *nt);
    if (!nh || !nt) {
        free(nh);
        free(nt);
        return -1;
    }
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->hash[i])
            continue;
        size_t j = (size_t)s->hash[i] & (ncap - 1);
        while (nh[j])
            j = (j + 1) & (ncap - 1);
        nh[j] = s->hash[i];
        nt[j] = s->types[i];
    }
    free(s->hash);
    free(s->types);
    s->hash = nh;
    s->types = nt;
    s->cap = ncap;
    return 0;
}

static uint64_t pathset_hash(const char *path, size_t len)
{
    uint64_t h = XXH3_64bits(path, len);
    return h ? h : 1;
}

/* Slot for the path of hash h (pathset_hash), inserted if new; NULL when
 * out of memory. */
static uint32_t *pathset_slot(pii_path_set *s, uint64_t h)
{
    if ((s->count + 1) * 4 > s->cap * 3 && pathset_grow(s) != 0)
        return NULL;
    size_t j = (size_t)h & (s->cap - 1);
    while (s->hash[j] && s->hash[j] != h)
        j = (j + 1) & (s->cap - 1);
    if (!s->hash[j]) {
        s->hash[j] = h;
        s->count++;
    }
    return &s->types[j];
}

static void pathset_free(pii_path_set *s)
{
    if (!s)
        return;
    free(s->hash);
    free(s->types);
    free(s);
}

/* ---- helpers for the sinks --------------------------------------------- */

void pii_put_fixed(FILE *fp, double v, int decimals)
{
    char s[PII_FIXED_MAX];
    fwrite(s, 1, pii_fmt_fixed(s, v, decimals), fp);
}

FILE *pii_report_deferred(piiscan_report *r)
{
    if (!r->deferred) {
        r->deferred = open_memstream(&r->deferred_buf, &r->deferred_len);
        if (!r->deferred)
            r->io_error = 1;
    }
    return r->deferred;
}

const char *pii_report_take_deferred(piiscan_report *r, size_t *len)
{
    if (r->deferred) {
        if (fclose(r->deferred) != 0)
            r->io_error = 1;
        r->deferred = NULL;
    }
    *len = r->deferred_buf ? r->deferred_len : 0;
    return r->deferred_buf ? r->deferred_buf : "";
}

/* ---- public API -------------------------------------------------------- */

void piiscan_report_options_prepare(const piiscan_report_options *ro, piiscan_scan_options *so)
{
    const pii_sink *sink = ro ? sink_for(ro->format) : NULL;
    so->fingerprints = sink && sink->fingerprints;
    so->fingerprint_key = so->fingerprints ? ro->key : NULL;
    so->fingerprint_key_len = so->fingerprints ? ro->key_len : 0;
}

/* Was f's fingerprint made under the report's key?  (Not a secret
 * comparison: both keys are the caller's own.) */
static bool same_key(const piiscan_report *r, const piiscan_finding *f)
{
    if (f->fingerprint_key_len != r->opt.key_len)
        return false;
    return r->opt.key_len == 0 || memcmp(f->fingerprint_key, r->opt.key, r->opt.key_len) == 0;
}

int piiscan_report_open(piiscan_report **out, FILE *fp, const piiscan_report_options *o)
{
    const pii_sink *sink = o ? sink_for(o->format) : NULL;
    *out = NULL;
    if (!fp || !sink) {
        errno = EINVAL;
        return -1;
    }
    piiscan_report *r = calloc(1, sizeof *r);
    pii_path_set *paths = calloc(1, sizeof *paths);
    unsigned char *key = o->key && o->key_len ? malloc(o->key_len) : NULL;
    if (!r || !paths || (o->key && o->key_len && !key)) {
        free(r);
        free(paths);
        free(key);
        return -1;
    }
    /* Copied because the caller may wipe its key buffer after opening. */
    if (key)
        memcpy(key, o->key, o->key_len);
    r->fp = fp;
    r->opt = *o;
    r->opt.key = key;
    r->opt.key_len = key ? o->key_len : 0;
    r->key_copy = key;
    r->sink = sink;
    r->paths = paths;
    if (sink->begin)
        sink->begin(r);
    *out = r;
    return r->io_error || ferror(fp) ? -1 : 0;
}

/* Copies at most cap-1 bytes of s, not cutting a UTF-8 sequence. */
static void copy_example(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* r->last_path made path's facts, len bytes.  Its copy is what tells the
 * next finding whether they still hold; out of memory there is none, and
 * the next finding works them out again. */
static void remember_path(piiscan_report *r, const char *path, size_t len)
{
    r->last_path.len = len;
    r->last_path.hash = pathset_hash(path, len);
    r->last_path.json_plain = pii_json_plain(path, len);
    r->last_path.utf8 = r->last_path.json_plain || pii_utf8_valid(path);   /* plain is valid UTF-8 */
    if (!r->last_path.s || len + 1 > r->last_path.cap) {
        char *s = realloc(r->last_path.s, len + 1);
        if (!s) {
            free(r->last_path.s);
            r->last_path.s = NULL;
            r->last_path.cap = 0;
            return;
        }
        r->last_path.s = s;
        r->last_path.cap = len + 1;
    }
    memcpy(r->last_path.s, path, len + 1);
}

/* What the sinks need to know of a finding's path, and its hash. */
static uint64_t path_facts(piiscan_report *r, pii_report_item *it)
{
    size_t len = strlen(it->path);
    if (!r->last_path.s || r->last_path.len != len || memcmp(r->last_path.s, it->path, len) != 0)
        remember_path(r, it->path, len);
    it->path_len = len;
    it->path_utf8 = r->last_path.utf8;
    it->path_json_plain = r->last_path.json_plain;
    return r->last_path.hash;
}

static void count_finding(piiscan_report *r, uint64_t path_hash, piiscan_type t,
                          const char *preview, const char *context)
{
    r->findings++;
    if (r->type_findings[t]++ == 0) {
        copy_example(r->type_example[t], PII_EXAMPLE_MAX, preview);
        copy_example(r->type_context[t], PII_EXAMPLE_MAX, context);
    }
    uint32_t *types = pathset_slot(r->paths, path_hash);
    if (types && !(*types & (1u << t))) {
        *types |= 1u << t;
        r->type_files[t]++;
    }
}

int piiscan_report_finding(piiscan_report *r, const char *path, const piiscan_finding *f)
{
    if (!r || !f || !piiscan_type_name(f->type)) {
        errno = EINVAL;
        return -1;
    }
    if (!path)
        path = "-";
    /* The scanner always supplies norm; normalizing here keeps a report fed
     * by other callers from ever falling back to the raw value. */
    char normbuf[512];
    const char *norm = f->norm;
    size_t norm_len = f->norm_len;
    if (!norm) {
        const unsigned char *t = f->text ? f->text : f->value;
        size_t tl = f->text ? f->text_len : f->value_len;
        norm_len = pii_normalize(f->type, t ? t : (const uint8_t *)"", t ? tl : 0, normbuf, sizeof normbuf);
        norm = normbuf;
    }
    char preview[128] = ""; /* all of it: the analyzer cannot pair the two first-of-type tests */
    char fpr[17] = "";
    const char *fp = fpr;
    /* A sink that writes no findings (the summary table, the default)
     * only shows the first preview of each type.  A fingerprint a
     * pipeline's worker made already (piiscan_report_options_prepare) is
     * taken as it is when it was made under this report's key. */
    if (r->sink->finding || r->type_findings[f->type] == 0)
        piiscan_preview(f->type, norm, norm_len, preview, sizeof preview);
    if (r->sink->fingerprints) {
        if (f->fingerprint && same_key(r, f))
            fp = f->fingerprint;
        else
            piiscan_fingerprint(r->opt.key, r->opt.key_len, f->type, norm, norm_len, fpr);
    }
    pii_report_item it = { .path = path, .f = f, .type_name = piiscan_type_name(f->type),
                           .preview = preview, .fingerprint = fp };
    count_finding(r, path_facts(r, &it), f->type, preview, f->context ? f->context : "");
    if (r->sink->finding)
        r->sink->finding(r, &it);
    return r->io_error || ferror(r->fp) ? -1 : 0;
}

void piiscan_report_column(piiscan_report *r, const char *path, const char *context, uint64_t rows)
{
    if (r && context && r->sink->column)
        r->sink->column(r, path ? path : "-", context, rows);
}

void piiscan_report_file(piiscan_report *r, const char *path, uint64_t bytes)
{
    (void)path;
    if (!r)
        return;
    r->files++;
    r->bytes += bytes;
}

int piiscan_report_flush(piiscan_report *r)
{
    if (!r)
        return -1;
    if (fflush(r->fp) != 0) {
        r->io_error = 1;
        return -1;
    }
    return 0;
}

void piiscan_report_error(piiscan_report *r, const char *path, const char *msg)
{
    if (!r)
        return;
    r->errors++;
    if (r->sink->error)
        r->sink->error(r, path ? path : "-", msg ? msg : "");
}

int piiscan_report_close(piiscan_report *r, double seconds)
{
    if (!r)
        return -1;
    if (r->sink->end)
        r->sink->end(r, seconds);
    int rc = (fflush(r->fp) != 0 || ferror(r->fp) || r->io_error) ? -1 : 0;
    if (r->deferred)
        fclose(r->deferred);
    free(r->deferred_buf);
    pathset_free(r->paths);
    free(r->last_path.s);
    if (r->key_copy) {
        /* Do not leave the key lying in freed heap memory. */
        OPENSSL_cleanse(r->key_copy, r->opt.key_len);
        free(r->key_copy);
    }
    free(r);
    return rc;
}
