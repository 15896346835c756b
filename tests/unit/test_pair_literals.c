/*
 * test_pair_literals.c -- literals of two ASCII letters ("ip") are matched
 * by detect_window.c instead of Hyperscan (engine_int.h says why).  The
 * hits must be Hyperscan's: every occurrence in any case, ending at the
 * same byte, and detection must give the same candidates, spans, scores
 * and contexts as a ruleset that leaves the pairs in Hyperscan -- on every
 * corpus file and on generated text dense in them, up to both ends of
 * the window.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "corpus_files.h"
#include "same_cand.h"

static piiscan_ruleset *rs_pairs, *rs_hs;
static pii_worker wk_pairs, wk_hs;
static pii_vec_cand c_pairs, c_hs;

static void setup(void)
{
    char err[512];
    cr_assert_eq(piiscan_ruleset_new(&rs_pairs, err, sizeof err), 0, "%s", err);
    pii_pairs_in_hyperscan = true;
    int rc = piiscan_ruleset_new(&rs_hs, err, sizeof err);
    pii_pairs_in_hyperscan = false;
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_eq(pii_worker_init(&wk_pairs, rs_pairs), 0);
    cr_assert_eq(pii_worker_init(&wk_hs, rs_hs), 0);
}

static void teardown(void)
{
    pii_worker_free(&wk_pairs);
    pii_worker_free(&wk_hs);
    free(c_pairs.v);
    free(c_hs.v);
    piiscan_ruleset_free(rs_pairs);
    piiscan_ruleset_free(rs_hs);
}

TestSuite(pairs, .init = setup, .fini = teardown);

static int by_end_id(const void *a, const void *b)
{
    const pii_hit *x = a, *y = b;
    return x->end != y->end ? (x->end < y->end ? -1 : 1) : (x->id < y->id ? -1 : x->id > y->id);
}

/* The hits of the last window, as a sorted copy (the order among hits
 * ending at the same byte is Hyperscan's own and nothing depends on it). */
static pii_hit *sorted_hits(const pii_worker *wk, size_t *n)
{
    *n = wk->hits.n;
    pii_hit *h = malloc((*n ? *n : 1) * sizeof *h);
    cr_assert_not_null(h);
    memcpy(h, wk->hits.v, *n * sizeof *h);
    qsort(h, *n, sizeof *h, by_end_id);
    return h;
}

/* One window both ways: the same hits and the same candidates. */
static size_t same_both_ways(const char *what, const uint8_t *p, size_t len)
{
    pii_window w = { .data = p, .len = len, .acc_lo = 0, .acc_hi = len, .at_start = true, .at_eof = true };
    size_t np = 0, nh = 0;
    cr_assert_eq(pii_detect_window(rs_pairs, 0.0, &wk_pairs, &w, NULL, NULL, &c_pairs, &np), 0);
    cr_assert_eq(pii_detect_window(rs_hs, 0.0, &wk_hs, &w, NULL, NULL, &c_hs, &nh), 0);
    size_t ha, hb;
    pii_hit *a = sorted_hits(&wk_pairs, &ha), *b = sorted_hits(&wk_hs, &hb);
    cr_assert_eq(ha, hb, "%s: %zu literal and pattern hits, %zu with the pairs in Hyperscan", what, ha, hb);
    for (size_t i = 0; i < ha; i++)
        cr_assert(a[i].end == b[i].end && a[i].id == b[i].id, "%s: hit %zu: %u ending at %u, Hyperscan %u at %u",
                  what, i, a[i].id, a[i].end, b[i].id, b[i].end);
    free(a);
    free(b);
    cr_assert_eq(np, nh, "%s: %zu findings, %zu with the pairs in Hyperscan", what, np, nh);
    for (size_t i = 0; i < np; i++)
        expect_same_cand(what, i, &c_pairs.v[i], &c_hs.v[i], p);
    return np;
}

Test(pairs, ip_is_matched_outside_hyperscan)
{
    cr_assert_geq(rs_pairs->npairs, 1, "the two-letter literals are taken out of Hyperscan");
    cr_assert_eq(rs_hs->npairs, 0);
    int found = 0;
    for (size_t k = 0; k < rs_pairs->npairs; k++)
        found |= strcmp(rs_pairs->expr[rs_pairs->pair_id[k]].text, "ip") == 0;
    cr_assert(found, "ip is one of them");
}

static size_t corpus_findings;

static void check_file(const char *path, const uint8_t *p, size_t n)
{
    corpus_findings += same_both_ways(path, p, n);
}

Test(pairs, every_corpus_file)
{
    corpus_each(check_file);
    cr_assert_gt(corpus_findings, 500, "the corpora hold findings (%zu)", corpus_findings);
}

/* Text dense in the pair in every case, as keys, hotwords and inside
 * words, next to values, at every length (so that an occurrence ends at
 * the window's last byte and straddles every 16-byte step). */
Test(pairs, generated_text_at_every_length)
{
    static const char *const tokens[] = {
        "ip", "IP", "Ip", "iP", "ip=", "\"ip\":\"", "client_ip=", "IP: ", "ip地址", "zip", "skip", "ipv6 ",
        "192.168.10.23", "10.0.0.1", "2001:db8::8a2e:370:7334", " ", ",", "\n", "i", "p", "pi", "iip", "ipp",
        "13812345678", "x",
    };
    const size_t ntok = sizeof tokens / sizeof tokens[0];
    static uint8_t buf[4096];
    uint64_t r = 0x9E3779B97F4A7C15ull;
    size_t total = 0;
    for (int round = 0; round < 60; round++) {
        size_t len = 0;
        while (len < sizeof buf - 32) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            const char *t = tokens[r % ntok];
            size_t n = strlen(t);
            memcpy(buf + len, t, n);
            len += n;
        }
        for (size_t cut = len > 40 ? len - 40 : 0; cut <= len; cut++) {
            char what[48];
            snprintf(what, sizeof what, "round %d, %zu bytes", round, cut);
            total += same_both_ways(what, buf, cut);
        }
    }
    cr_assert_gt(total, 1000, "the text holds findings (%zu)", total);
}
