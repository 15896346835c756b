/*
 * fuzz_shortcuts.c -- the tokenizer's shortcuts (lone short numbers, shape
 * gates on matchers, context-only candidates dropped far from any literal)
 * never change a result: any bytes, detected as one window with and without
 * them, give identical candidates.  tests/unit/test_shortcuts.c checks the
 * corpora and generated token soup the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "violated: %s\n", #c); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static piiscan_ruleset *rs;
    static pii_worker fast, all;
    static pii_vec_cand cf, ca;
    if (!rs) {
        char err[512] = "";
        if (piiscan_ruleset_new(&rs, err, sizeof err) != 0) {
            fprintf(stderr, "piiscan_ruleset_new: %s\n", err);
            abort();
        }
        CHECK(pii_worker_init(&fast, rs) == 0 && pii_worker_init(&all, rs) == 0);
        all.exhaustive = true;
    }
    pii_window w = { .data = data, .len = size, .acc_lo = 0, .acc_hi = size, .at_start = true, .at_eof = true };
    for (int k = 0; k < 2; k++) {
        double min_conf = k ? 0.0 : 0.5;
        size_t nf = 0, na = 0;
        CHECK(pii_detect_window(rs, min_conf, &fast, &w, NULL, NULL, &cf, &nf) == 0);
        CHECK(pii_detect_window(rs, min_conf, &all, &w, NULL, NULL, &ca, &na) == 0);
        CHECK(nf == na);
        for (size_t i = 0; i < nf; i++) {
            const pii_cand *a = &cf.v[i], *b = &ca.v[i];
            CHECK(a->start == b->start && a->end == b->end && a->type == b->type);
            CHECK(a->score == b->score && a->ctx_kind == b->ctx_kind && a->ctx_lo == b->ctx_lo &&
                  a->ctx_hi == b->ctx_hi);
        }
    }
    return 0;
}
