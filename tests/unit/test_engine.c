/*
 * test_engine.c -- boundaries on the real neighbouring bytes, context rules,
 * placeholders, line/column, and window independence of the findings.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "piiscan.h"
#include "ruleset_suite.h"

RULESET_SUITE(engine);

#define MAXF 4096
typedef struct finding {
    piiscan_type type;
    uint64_t start, end, line, col;
    double conf;
    char ctx[64];
} finding;
typedef struct list {
    finding f[MAXF];
    int n;
} list;

static int add(void *ud, const piiscan_finding *f)
{
    list *l = ud;
    cr_assert_lt(l->n, MAXF);
    finding *x = &l->f[l->n++];
    *x = (finding){ f->type, f->start, f->end, f->line, f->col, f->confidence, "" };
    snprintf(x->ctx, sizeof x->ctx, "%s", f->context);
    return 0;
}

static list *scan_opts(const char *s, size_t n, size_t window, double min_conf)
{
    static list l;
    l.n = 0;
    piiscan_scan_options o;
    piiscan_scan_options_init(&o);
    o.window_size = window;
    o.min_confidence = min_conf;
    piiscan_scanner *sc;
    cr_assert_eq(piiscan_scanner_new(&sc, rs, &o), 0);
    cr_assert_eq(piiscan_scan_buffer(sc, s, n, add, &l), 0);
    piiscan_scanner_free(sc);
    return &l;
}

static list *scan(const char *s) { return scan_opts(s, strlen(s), 1 << 20, 0.5); }

static int count_type(const list *l, piiscan_type t)
{
    int k = 0;
    for (int i = 0; i < l->n; i++)
        k += l->f[i].type == t;
    return k;
}

Test(engine, digits_glued_to_digits_are_not_boundaries)
{
    cr_expect_eq(scan("ts=1700000000000 ms")->n, 0, "phone inside an epoch-ms timestamp");
    cr_expect_eq(scan("id=1381234567800")->n, 0, "phone prefix of a longer number");
    cr_expect_eq(scan("snowflake 1101051949123100271")->n, 0, "ID inside a 19-digit id");
    cr_expect_eq(scan("x 9490154203237518 y")->n, 0, "IMEI inside a longer run");
    cr_expect_eq(scan("uid13812345678")->n, 0, "letters glued to a phone");
    cr_expect_eq(scan("13812345678.25")->n, 0, "decimal");
}

Test(engine, mac_inside_longer_hex_or_ipv6_is_not_a_mac)
{
    cr_expect_eq(count_type(scan("fe80::d0:50:99:84:a2:a0"), PIISCAN_MAC), 0);
    cr_expect_eq(count_type(scan("d0:50:99:84:a2:a0:11"), PIISCAN_MAC), 0);
    cr_expect_eq(count_type(scan("ab:d0:50:99:84:a2:a0"), PIISCAN_MAC), 0);
    cr_expect_eq(scan("mac=d0509984a2a0d0")->n, 0);
    cr_expect_eq(count_type(scan("at d0:50:99:84:a2:a0."), PIISCAN_MAC), 1);
}

Test(engine, cjk_and_punctuation_are_boundaries)
{
    list *l = scan("手机13812345678，“13912345678”【15012345678】");
    cr_expect_eq(count_type(l, PIISCAN_CN_MOBILE), 3);
}

Test(engine, placeholders_are_down_ranked)
{
    cr_expect_eq(scan("idfa=00000000-0000-0000-0000-000000000000")->n, 0);
    list *l = scan_opts("mac=02:00:00:00:00:00", 21, 1 << 20, 0.0);
    cr_assert_eq(l->n, 1);
    cr_expect_lt(l->f[0].conf, 0.5);
}

Test(engine, bare_uuid_trace_id_and_hashes_are_never_reported)
{
    cr_expect_eq(scan("trace_id=6655c2d7-b181-457b-a58a-bf8e9edf41d8")->n, 0);
    cr_expect_eq(scan("6655C2D7-B181-457B-A58A-BF8E9EDF41D8")->n, 0);
    cr_expect_eq(scan("sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")->n, 0);
    cr_expect_eq(scan("span=9774d56d682e549c android_id=")->n, 0);
}

Test(engine, own_key_wins_over_hotword_elsewhere_on_the_line)
{
    cr_expect_eq(scan("\"android_id\":\"\",\"span_id\":\"9774d56d682e549c\"")->n, 0);
}

Test(engine, key_forms)
{
    const char *forms[] = { "imsi=460001234567890", "imsi: 460001234567890", "IMSI：460001234567890",
                            "\"imsi\":\"460001234567890\"", "\"imsi\": \"460001234567890\"",
                            "'imsi': '460001234567890'", "sim_imsi=460001234567890", "simImsi=460001234567890" };
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        list *l = scan(forms[i]);
        cr_expect_eq(count_type(l, PIISCAN_IMSI), 1, "%s", forms[i]);
    }
    cr_expect_eq(scan("claimsid=460001234567890")->n, 0);
    cr_expect_eq(scan("zip=460001234567890")->n, 0);
}

Test(engine, short_keys_must_be_whole_components)
{
    cr_expect_eq(scan("latency=39.98415")->n, 0);
    cr_expect_eq(count_type(scan("user_lat=39.98415"), PIISCAN_GPS), 1);
    cr_expect_eq(count_type(scan("geoLat=39.98415"), PIISCAN_GPS), 1);
}

Test(engine, line_and_column)
{
    list *l = scan("first line\nsecond 13812345678\n\nx\t13912345678");
    cr_assert_eq(l->n, 2);
    cr_expect_eq(l->f[0].line, 2);
    cr_expect_eq(l->f[0].col, 8);
    cr_expect_eq(l->f[1].line, 4);
    cr_expect_eq(l->f[1].col, 3);
}

/* Line and column of every finding against a plain count of the bytes
 * before it: runs of newlines longer than the counter's 255-block batch
 * (4080 bytes), lines longer than that, and every line length in between,
 * so newlines fall on every offset of a 16-byte block. */
Test(engine, line_and_column_match_a_plain_count)
{
    size_t cap = 300000, n = 0;
    char *buf = malloc(cap);
    unsigned seed = 11;
    for (int k = 0; n + 6000 < cap; k++) {
        seed = seed * 1103515245u + 12345u;
        size_t len = k % 7 == 6 ? 4090 + (size_t)k % 40 : (size_t)(seed >> 8) % 300;
        memset(buf + n, k % 11 == 10 ? '\n' : 'q', len);   /* every 11th: a run of empty lines */
        n += len;
        n += (size_t)sprintf(buf + n, " 1391234%04u\n", (seed >> 4) % 10000);
    }
    list *l = scan_opts(buf, n, 1 << 16, 0.5);
    cr_assert_gt(l->n, 100);
    size_t at = 0;
    uint64_t line = 1, col_base = 0;
    for (int i = 0; i < l->n; i++) {
        for (; at < l->f[i].start; at++)
            if (buf[at] == '\n') {
                line++;
                col_base = at + 1;
            }
        cr_assert_eq(l->f[i].line, line, "finding %d at %llu", i, (unsigned long long)l->f[i].start);
        cr_assert_eq(l->f[i].col, l->f[i].start - col_base + 1, "finding %d", i);
    }
    free(buf);
}

Test(engine, fullwidth_digits_map_back_to_original_bytes)
{
    const char *s = "手机：１３８１２３４５６７８。";
    list *l = scan(s);
    cr_assert_eq(l->n, 1);
    cr_expect_eq(l->f[0].type, PIISCAN_CN_MOBILE);
    cr_expect_eq(l->f[0].start, strlen("手机："));
    cr_expect_eq(l->f[0].end, strlen("手机：１３８１２３４５６７８"));
}

/* Findings must not depend on where windows are cut. */
Test(engine, window_size_does_not_change_findings)
{
    static const char *vals[] = { "13812345678", "11010519491231002X", "zhang.san@example.com", "d0:50:99:84:a2:a0",
                                  "imei=490154203237518", "203.0.113.7", "2001:db8::8a2e:370:7334",
                                  "6200000000000005", "A123456(3)", "39.984154,116.307490" };
    size_t cap = 400000, n = 0;
    char *buf = malloc(cap);
    unsigned seed = 7;
    while (n + 200 < cap) {
        seed = seed * 1103515245u + 12345u;
        int r = (int)((seed >> 16) % 100);
        if (r < 10) {
            n += (size_t)sprintf(buf + n, "%s", vals[(seed >> 8) % 10]);
        } else if (r < 12) {
            buf[n++] = '\n';
        } else if (r < 40) {
            n += (size_t)sprintf(buf + n, "%u", seed % 100000);
        } else {
            buf[n++] = " abc,;=\"xyz"[(seed >> 4) % 11];
        }
        if (r == 99) {   /* a long line */
            memset(buf + n, 'q', 150);
            n += 150;
        }
    }
    list *a = malloc(sizeof *a);
    *a = *scan_opts(buf, n, 1 << 20, 0.5);
    cr_assert_gt(a->n, 100);
    size_t windows[] = { 4096, 4097, 5000, 8191, 65536 };
    for (size_t w = 0; w < sizeof windows / sizeof *windows; w++) {
        list *b = scan_opts(buf, n, windows[w], 0.5);
        cr_assert_eq(b->n, a->n, "window %zu: %d vs %d findings", windows[w], b->n, a->n);
        for (int i = 0; i < a->n; i++)
            cr_assert(a->f[i].start == b->f[i].start && a->f[i].end == b->f[i].end && a->f[i].type == b->f[i].type &&
                          a->f[i].line == b->f[i].line && a->f[i].col == b->f[i].col,
                      "window %zu finding %d differs", windows[w], i);
    }
    free(a);
    free(buf);
}

/* A value straddling a window edge at every offset is found exactly once. */
Test(engine, values_straddling_every_edge_position)
{
    const char *val = "11010519491231002X";
    size_t vl = strlen(val), W = 4096;
    char *buf = malloc(3 * W);
    for (size_t at = W - 1100; at < W + 40; at++) {
        memset(buf, 'x', 3 * W);
        for (size_t j = 63; j < 3 * W; j += 64)
            buf[j] = ' ';   /* one long line: windows cut mid-line */
        buf[at - 1] = ' ';
        memcpy(buf + at, val, vl);
        buf[at + vl] = ' ';
        list *l = scan_opts(buf, 3 * W, W, 0.5);
        cr_assert_eq(l->n, 1, "value at %zu: %d findings", at, l->n);
        cr_assert_eq(l->f[0].start, at);
    }
    free(buf);
}
