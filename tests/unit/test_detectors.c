/*
 * test_detectors.c -- every example and negative in patterns/detectors.conf,
 * through the public scan API, on both tokenizer paths, alone and embedded
 * in surrounding text at every window position class.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "piiscan.h"
#include "tokenize.h"

static piiscan_ruleset *rs;

static void setup(void)
{
    char err[512];
    cr_assert_eq(piiscan_ruleset_new(&rs, err, sizeof err), 0, "%s", err);
}
static void teardown(void) { piiscan_ruleset_free(rs); }

typedef struct got {
    piiscan_type type;
    int n, exact;
    uint64_t lo, hi;
    double conf;
} got;

static int collect(void *ud, const piiscan_finding *f)
{
    got *g = ud;
    if (f->type != g->type)
        return 0;
    g->n++;
    g->conf = f->confidence;
    if (f->start == g->lo && f->end == g->hi)
        g->exact++;
    return 0;
}

static got scan(const char *text, size_t n, piiscan_type t, uint64_t lo, uint64_t hi, size_t window)
{
    piiscan_scan_options o;
    piiscan_scan_options_init(&o);
    o.window_size = window;
    piiscan_scanner *sc;
    cr_assert_eq(piiscan_scanner_new(&sc, rs, &o), 0);
    got g = { .type = t, .lo = lo, .hi = hi };
    cr_assert_eq(piiscan_scan_buffer(sc, text, n, collect, &g), 0);
    piiscan_scanner_free(sc);
    return g;
}

static void check_all(void)
{
    int checked = 0;
    for (size_t i = 0; i < rs->ndet; i++) {
        const pii_detector *d = &rs->det[rs->order[i]];
        const char *name = piiscan_type_name(d->type);
        cr_assert(d->nexamples > 0 && d->negatives.n > 0, "%s lacks examples", name);
        for (size_t k = 0; k < d->nexamples; k++) {
            const pii_example *e = &d->examples[k];
            got g = scan(e->text, e->len, d->type, e->lo, e->hi, 1 << 20);
            cr_expect(g.n == 1 && g.exact == 1, "%s example \"%s\": %d found, %d exact", name, e->text, g.n, g.exact);
            /* The same line deep inside a long file, past several windows. */
            size_t pad = 9000, n = pad + e->len + 1;
            char *buf = malloc(n + 1);
            memset(buf, 'x', pad);
            for (size_t j = 80; j < pad; j += 81)
                buf[j] = '\n';
            buf[pad - 1] = '\n';
            memcpy(buf + pad, e->text, e->len);
            buf[n - 1] = '\n';
            g = scan(buf, n, d->type, pad + e->lo, pad + e->hi, 4096);
            cr_expect(g.n == 1 && g.exact == 1, "%s example \"%s\" at offset %zu: %d found", name, e->text, pad, g.n);
            free(buf);
            checked++;
        }
        for (size_t k = 0; k < d->negatives.n; k++) {
            const char *s = d->negatives.v[k];
            got g = scan(s, strlen(s), d->type, 0, 0, 1 << 20);
            cr_expect(g.n == 0, "%s negative \"%s\" reported", name, s);
            checked++;
        }
    }
    cr_assert_gt(checked, 100);
}

TestSuite(detectors, .init = setup, .fini = teardown);

Test(detectors, every_example_and_negative_scalar)
{
    pii_seed_block = pii_seed_block_scalar;
    check_all();
}

Test(detectors, every_example_and_negative_avx2)
{
    if (!__builtin_cpu_supports("avx2"))
        cr_skip_test("CPU without AVX2");
    pii_seed_block = pii_seed_block_avx2;
    check_all();
}

Test(detectors, every_type_has_a_detector)
{
    for (int t = 0; t < PIISCAN_TYPE_COUNT; t++)
        cr_expect(rs->det[t].present, "%s", piiscan_type_name((piiscan_type)t));
}
