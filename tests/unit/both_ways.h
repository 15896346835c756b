/*
 * both_ways.h -- detection of one window with every shortcut and without
 * any (the worker's exhaustive switch), compared candidate by candidate.
 * Shared by the tests of the tokenizer's and the matchers' shortcuts; each
 * includes it once and declares its suite with setup/teardown.
 */
#ifndef PIISCAN_TEST_BOTH_WAYS_H
#define PIISCAN_TEST_BOTH_WAYS_H

#include <criterion/criterion.h>
#include <stdlib.h>

#include "engine_int.h"
#include "same_cand.h"

static piiscan_ruleset *rs;
static pii_worker wk_fast, wk_all;
static pii_vec_cand c_fast, c_all;
static size_t seen[PIISCAN_TYPE_COUNT];   /* findings per type so far */

static void setup(void)
{
    char err[512];
    cr_assert_eq(piiscan_ruleset_new(&rs, err, sizeof err), 0, "%s", err);
    cr_assert_eq(pii_worker_init(&wk_fast, rs), 0);
    cr_assert_eq(pii_worker_init(&wk_all, rs), 0);
    wk_all.exhaustive = true;
}

static void teardown(void)
{
    pii_worker_free(&wk_fast);
    pii_worker_free(&wk_all);
    free(c_fast.v);
    free(c_all.v);
    piiscan_ruleset_free(rs);
}

/* Detect text as one window both ways; returns the number of findings. */
static size_t same_both_ways(const char *what, const uint8_t *p, size_t len, double min_conf)
{
    pii_window w = { .data = p, .len = len, .acc_lo = 0, .acc_hi = len, .at_start = true, .at_eof = true };
    size_t nf = 0, na = 0;
    cr_assert_eq(pii_detect_window(rs, min_conf, &wk_fast, &w, NULL, NULL, &c_fast, &nf), 0);
    cr_assert_eq(pii_detect_window(rs, min_conf, &wk_all, &w, NULL, NULL, &c_all, &na), 0);
    cr_assert_eq(nf, na, "%s: %zu findings with shortcuts, %zu without", what, nf, na);
    for (size_t i = 0; i < nf; i++) {
        expect_same_cand(what, i, &c_fast.v[i], &c_all.v[i], p);
        seen[c_fast.v[i].type]++;
    }
    return nf;
}

/* xorshift64: the soups are the same on every run. */
static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

#endif
