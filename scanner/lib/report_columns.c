/*
 * report_columns.c -- the audit view of structured data, written at the
 * end: per file, per column or key path, which types were found there, how
 * often, in what share of the column's rows, and one masked example.
 *
 *   corpora/sample/exports/customers.csv
 *     column:姓名           PERSON_NAME      60  of 60 rows  100.0%  林*
 *     column:mobile         CN_MOBILE        44  of 60 rows   73.3%  158****2954
 *     (no column)           BANK_CARD         1                      4*** **** **** 1234
 *
 * Findings arrive per file with their context ("column:手机",
 * "key:user.phone"); the tracker's row count of each column comes when the
 * file is done.  Everything is kept until the end (one entry per file,
 * column and type, found through a hash), then sorted by file and column.
 * Text from the data is shown with control characters as '?', as in the
 * summary table.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "safe_text.h"

typedef struct col_entry {
    char *path, *ctx;
    int type;              /* -1: a rows record */
    uint64_t count;        /* findings, or rows */
    char example[PII_EXAMPLE_MAX];
} col_entry;

typedef struct col_state {
    col_entry *v;
    size_t n, cap;
    uint32_t *slot;        /* entry index + 1 */
    size_t nslot;
    int oom;
} col_state;

static uint32_t hash(const char *path, const char *ctx, int type)
{
    uint32_t h = 0x811C9DC5u ^ (uint32_t)(type + 1);
    for (const char *s = path; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x01000193u;
    h = (h ^ 0xFF) * 0x01000193u;
    for (const char *s = ctx; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x01000193u;
    return h;
}

static col_state *state(piiscan_report *r)
{
    if (!r->sink_state)
        r->sink_state = calloc(1, sizeof(col_state));
    if (!r->sink_state)
        r->io_error = 1;
    return r->sink_state;
}

static int grow(col_state *s)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 64;
        col_entry *nv = realloc(s->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        s->v = nv;
        s->cap = nc;
    }
    if ((s->n + 1) * 2 > s->nslot) {
        size_t ns = s->nslot ? s->nslot * 2 : 128;
        uint32_t *sl = calloc(ns, sizeof *sl);
        if (!sl)
            return -1;
        for (size_t i = 0; i < s->n; i++) {
            size_t h = hash(s->v[i].path, s->v[i].ctx, s->v[i].type) & (ns - 1);
            while (sl[h])
                h = (h + 1) & (ns - 1);
            sl[h] = (uint32_t)i + 1;
        }
        free(s->slot);
        s->slot = sl;
        s->nslot = ns;
    }
    return 0;
}

/* The entry for (path, ctx, type), made on first use; NULL when out of memory. */
static col_entry *entry(piiscan_report *r, const char *path, const char *ctx, int type)
{
    col_state *s = state(r);
    if (!s || s->oom || grow(s) < 0) {
        r->io_error = 1;
        if (s)
            s->oom = 1;
        return NULL;
    }
    size_t mask = s->nslot - 1, h = hash(path, ctx, type) & mask;
    for (; s->slot[h]; h = (h + 1) & mask) {
        col_entry *e = &s->v[s->slot[h] - 1];
        if (e->type == type && strcmp(e->path, path) == 0 && strcmp(e->ctx, ctx) == 0)
            return e;
    }
    col_entry *e = &s->v[s->n];
    *e = (col_entry){ .path = strdup(path), .ctx = strdup(ctx), .type = type };
    if (!e->path || !e->ctx) {
        free(e->path);
        free(e->ctx);
        r->io_error = 1;
        s->oom = 1;
        return NULL;
    }
    s->slot[h] = (uint32_t)++s->n;
    return e;
}

/* Only column and key contexts group; hotwords and bare values do not. */
static const char *group_of(const char *ctx)
{
    return strncmp(ctx, "column:", 7) == 0 || strncmp(ctx, "key:", 4) == 0 ? ctx : "";
}

static void on_finding(piiscan_report *r, const pii_report_item *it)
{
    col_entry *e = entry(r, it->path, group_of(it->f->context ? it->f->context : ""), (int)it->f->type);
    if (e && e->count++ == 0)
        snprintf(e->example, sizeof e->example, "%s", it->preview);
}

static void on_column(piiscan_report *r, const char *path, const char *context, uint64_t rows)
{
    col_entry *e = entry(r, path, context, -1);
    if (e)
        e->count += rows;
}

static int by_place(const void *a, const void *b)
{
    const col_entry *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (!c)
        c = strcmp(x->ctx, y->ctx);
    return c ? c : (x->type > y->type) - (x->type < y->type);
}

static void write_entry(FILE *fp, const col_entry *e, uint64_t rows)
{
    fputs("  ", fp);
    pii_put_safe(fp, e->ctx[0] ? e->ctx : "(no column)");
    fprintf(fp, "\t%s\t%llu", piiscan_type_name((piiscan_type)e->type), (unsigned long long)e->count);
    if (rows) {
        uint64_t hit = e->count < rows ? e->count : rows;
        fprintf(fp, " of %llu rows\t", (unsigned long long)rows);
        pii_put_fixed(fp, 100.0 * (double)hit / (double)rows, 1);
        fputs("%\t", fp);
    } else {
        fputs("\t-\t", fp);
    }
    pii_put_safe(fp, e->example);
    putc('\n', fp);
}

static void end(piiscan_report *r, double seconds)
{
    (void)seconds;
    col_state *s = r->sink_state;
    FILE *fp = r->fp;
    fputs("# per file, per column or key: context, type, findings of rows, share of rows, masked example\n", fp);
    if (s && s->n) {
        qsort(s->v, s->n, sizeof *s->v, by_place);
        const char *path = NULL;   /* the last path printed */
        uint64_t rows = 0;
        for (size_t i = 0; i < s->n; i++) {
            const col_entry *e = &s->v[i];
            if (i == 0 || strcmp(s->v[i - 1].ctx, e->ctx) != 0 || strcmp(s->v[i - 1].path, e->path) != 0)
                rows = 0;   /* a new column: its rows record, if any, sorts first (type -1) */
            if (e->type < 0) {
                rows = e->count;
                continue;
            }
            if (!path || strcmp(path, e->path) != 0) {
                path = e->path;
                pii_put_safe(fp, path);
                putc('\n', fp);
            }
            write_entry(fp, e, rows);
        }
    }
    fprintf(fp, "files %llu  findings %llu  errors %llu\n", (unsigned long long)r->files,
            (unsigned long long)r->findings, (unsigned long long)r->errors);
    for (size_t i = 0; s && i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].ctx);
    }
    if (s) {
        free(s->v);
        free(s->slot);
        free(s);
    }
    r->sink_state = NULL;
}

static void on_error(piiscan_report *r, const char *path, const char *msg)
{
    (void)r;
    (void)path;
    (void)msg;   /* errors go to stderr already (the CLI); counted in the footer */
}

const pii_sink pii_sink_columns = {
    .finding = on_finding,
    .error = on_error,
    .end = end,
    .column = on_column,
};
