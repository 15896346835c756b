/*
 * test_colshare.c -- confidence of findings under a telling column from the
 * share of the column's values that validate (emit.c): a column where every
 * value is a mobile number vs. one where one value in ten is, the minimum
 * confidence applied after the adjustment, and the same findings and
 * confidences whatever the window size or the number of threads.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "piiscan.h"
#include "ruleset_suite.h"

RULESET_SUITE(colshare);

#define MAXF 4096
typedef struct found {
    char s[MAXF][96];
    unsigned long long line[MAXF];
    double conf[MAXF];
    char ctx[MAXF][32];
    int n;
    int ended;
} found;

static int add(void *ud, const piiscan_finding *f)
{
    found *l = ud;
    cr_assert_lt(l->n, MAXF);
    snprintf(l->s[l->n], 96, "%llu %s %.*s %s %.2f", (unsigned long long)f->line, piiscan_type_name(f->type),
             (int)f->value_len, (const char *)f->value, f->context, f->confidence);
    l->line[l->n] = f->line;
    l->conf[l->n] = f->confidence;
    snprintf(l->ctx[l->n], 32, "%s", f->context);
    l->n++;
    return 0;
}

static found *scan(const char *s, size_t n, size_t window, double min_conf)
{
    found *l = calloc(1, sizeof *l);
    cr_assert(l);
    piiscan_scan_options o;
    piiscan_scan_options_init(&o);
    o.window_size = window;
    if (min_conf >= 0)
        o.min_confidence = min_conf;
    piiscan_scanner *sc;
    cr_assert_eq(piiscan_scanner_new(&sc, rs, &o), 0);
    cr_assert_eq(piiscan_scan_buffer(sc, s, n, add, l), 0);
    piiscan_scanner_free(sc);
    return l;
}

typedef struct membuf {
    const char *p;
    size_t len, off;
} membuf;

static ssize_t mem_read(void *ud, void *buf, size_t cap)
{
    membuf *m = ud;
    size_t k = m->len - m->off < cap ? m->len - m->off : cap;
    memcpy(buf, m->p + m->off, k);
    m->off += k;
    return (ssize_t)k;
}

static void on_end(void *ud, int rc, int err)
{
    (void)err;
    cr_assert_eq(rc, 0);
    ((found *)ud)->ended++;
}

static found *scan_pipeline(const char *s, size_t n, size_t window, int threads)
{
    found *l = calloc(1, sizeof *l);
    cr_assert(l);
    piiscan_scan_options o;
    piiscan_scan_options_init(&o);
    o.window_size = window;
    piiscan_pipeline *p;
    cr_assert_eq(piiscan_pipeline_new(&p, rs, &o, threads), 0);
    membuf m = { s, n, 0 };
    cr_assert_eq(piiscan_pipeline_scan_named(p, "users.csv", mem_read, &m, add, on_end, l), 0);
    piiscan_pipeline_free(p);
    cr_assert_eq(l->ended, 1);
    return l;
}

/* id,phone,tel: every phone cell holds a mobile number, one tel cell in ten
 * does (the others hold an extension).  About 2000 records, so that 4 KiB
 * windows cut the file many times. */
static char *make_csv(size_t *len)
{
    size_t cap = 60000, n = 0;
    char *s = malloc(cap);
    cr_assert(s);
    n += (size_t)sprintf(s + n, "id,phone,tel\n");
    for (int i = 1; n + 100 < cap; i++) {
        n += (size_t)sprintf(s + n, "%d,1380013%04d,", i, i % 10000);
        if (i % 10 == 0)
            n += (size_t)sprintf(s + n, "1391234%04d\n", i % 10000);
        else
            n += (size_t)sprintf(s + n, "ext %d\n", 100 + i % 800);
    }
    *len = n;
    return s;
}

static bool near(double a, double b) { return fabs(a - b) < 0.011; }

Test(colshare, dense_column_up_sparse_column_down)
{
    size_t n;
    char *s = make_csv(&n);
    found *l = scan(s, n, 1 << 20, -1);
    int dense = 0, sparse = 0;
    double first = -1;
    for (int i = 0; i < l->n; i++) {
        unsigned long long row = l->line[i] - 1;   /* line 1 is the header */
        if (!strcmp(l->ctx[i], "column:phone")) {
            if (row == 1)
                first = l->conf[i];
            /* Fewer than five values: no share yet. */
            if (row < 5)
                cr_assert(near(l->conf[i], first), "row %llu: %.2f", row, l->conf[i]);
            else
                cr_assert(near(l->conf[i], fmin(0.99, first + 0.05)), "dense row %llu: %.2f", row, l->conf[i]);
            dense++;
        } else if (!strcmp(l->ctx[i], "column:tel")) {
            cr_assert_eq(row % 10, 0, "tel row %llu", row);
            sparse++;
        }
    }
    cr_assert_gt(first, 0.5);
    cr_assert_gt(dense, 1000);
    cr_assert_eq(sparse * 10, dense / 10 * 10, "%d sparse vs %d dense", sparse, dense);
    /* The sparse column: a share of 1/10 takes 0.15 off the same base. */
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->ctx[i], "column:tel"))
            cr_assert(near(l->conf[i], first - 0.15), "sparse row %llu: %.2f (dense starts at %.2f)",
                      l->line[i] - 1, l->conf[i], first);
    free(l);
    free(s);
}

/* The minimum confidence applies after the adjustment: a threshold between
 * the sparse and the dense confidence keeps only the dense column. */
Test(colshare, min_confidence_after_adjustment)
{
    size_t n;
    char *s = make_csv(&n);
    found *all = scan(s, n, 1 << 20, -1);
    double lo = 1, hi = 0;
    for (int i = 0; i < all->n; i++) {
        if (!strcmp(all->ctx[i], "column:tel"))
            lo = fmin(lo, all->conf[i]);
        else if (!strcmp(all->ctx[i], "column:phone"))
            hi = fmax(hi, all->conf[i]);
    }
    cr_assert_lt(lo + 0.05, hi);
    found *l = scan(s, n, 1 << 20, lo + 0.02);
    int dense = 0;
    for (int i = 0; i < l->n; i++) {
        cr_assert(strcmp(l->ctx[i], "column:tel") != 0, "kept: %s", l->s[i]);
        dense += !strcmp(l->ctx[i], "column:phone");
    }
    cr_assert_gt(dense, 1000);
    free(l);
    free(all);
    free(s);
}

static void same(const found *a, const found *b, const char *what)
{
    cr_assert_eq(a->n, b->n, "%s: %d vs %d findings", what, a->n, b->n);
    for (int i = 0; i < a->n; i++)
        cr_assert_str_eq(a->s[i], b->s[i], "%s: finding %d", what, i);
}

Test(colshare, same_whatever_windows_and_threads)
{
    size_t n;
    char *s = make_csv(&n);
    found *big = scan(s, n, 1 << 20, -1);
    found *small = scan(s, n, 4096, -1);
    found *odd = scan(s, n, 5003, -1);
    found *p1 = scan_pipeline(s, n, 4096, 1);
    found *p3 = scan_pipeline(s, n, 4096, 3);
    found *p3big = scan_pipeline(s, n, 1 << 20, 3);
    cr_assert_gt(big->n, 1000);
    same(big, small, "window 4096");
    same(big, odd, "window 5003");
    same(big, p1, "pipeline, 1 thread");
    same(big, p3, "pipeline, 3 threads");
    same(big, p3big, "pipeline, 3 threads, 1 MiB");
    free(big);
    free(small);
    free(odd);
    free(p1);
    free(p3);
    free(p3big);
    free(s);
}

/* A JSON key path counts its values the same way. */
Test(colshare, json_keys)
{
    size_t cap = 60000, n = 0;
    char *s = malloc(cap);
    cr_assert(s);
    for (int i = 1; n + 100 < cap; i++) {
        if (i % 10 == 0)
            n += (size_t)sprintf(s + n, "{\"tel\":\"1391234%04d\"}\n", i % 10000);
        else
            n += (size_t)sprintf(s + n, "{\"tel\":\"ext %d\"}\n", i);
    }
    found *a = scan(s, n, 1 << 20, -1), *b = scan(s, n, 4096, -1);
    same(a, b, "json, window 4096");
    cr_assert_gt(a->n, 100);
    for (int i = 1; i < a->n; i++)
        cr_assert(near(a->conf[i], a->conf[0]), "%s", a->s[i]);
    found *one = scan("{\"tel\":\"13912340000\"}\n", 22, 1 << 20, -1);
    cr_assert_eq(one->n, 1);
    cr_assert(near(a->conf[0], one->conf[0] - 0.15), "%.2f vs %.2f", a->conf[0], one->conf[0]);
    free(one);
    free(a);
    free(b);
    free(s);
}
