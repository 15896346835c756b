/*
 * test_shortcuts.c -- the tokenizer's shortcuts (lone short numbers decided
 * without building a compound, matchers skipped by compound shape,
 * context-only candidates dropped when no key or hotword literal is in
 * reach) are optimizations only: detection with them must give exactly the
 * candidates, spans, scores and contexts that exhaustive detection gives.
 *
 * Checked on every text file of corpora/ -- one window, and through the
 * whole scanner (CSV/JSON/SQL structure, column context, 4 KiB and 1 MiB
 * windows) -- and on generated text made of the
 * tokens the shortcuts decide on (numbers next to every separator, "::",
 * 1990年, log times, logcat line heads, values at every distance from
 * their keys and hotwords).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

#include "both_ways.h"
#include "corpus_files.h"

TestSuite(shortcuts, .init = setup, .fini = teardown);

/* ---- the whole scanner (structure tracking, column context, windows) ---- */

typedef struct flist {
    struct { int type; uint64_t start, end; double conf; char ctx[80]; } *v;
    size_t n, cap;
} flist;

static int add_finding(void *ud, const piiscan_finding *f)
{
    flist *l = ud;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        cr_assert_not_null(l->v);
    }
    l->v[l->n].type = (int)f->type;
    l->v[l->n].start = f->start;
    l->v[l->n].end = f->end;
    l->v[l->n].conf = f->confidence;
    snprintf(l->v[l->n].ctx, sizeof l->v[l->n].ctx, "%s", f->context);
    l->n++;
    return 0;
}

static void scan_with(const char *path, const uint8_t *p, size_t len, size_t window, bool exhaustive, flist *out)
{
    piiscan_scan_options o;
    piiscan_scan_options_init(&o);
    o.window_size = window;
    piiscan_scanner *sc;
    cr_assert_eq(piiscan_scanner_new(&sc, rs, &o), 0);
    pii_scanner_set_exhaustive(sc, exhaustive);
    out->n = 0;
    cr_assert_eq(piiscan_scan_buffer(sc, p, len, add_finding, out), 0, "%s", path);
    piiscan_scanner_free(sc);
}

/* A file through the scanner both ways, at two window sizes. */
static size_t same_scanner_both_ways(const char *path, const uint8_t *p, size_t len)
{
    static flist a, b;
    const size_t windows[] = { 4096, 1 << 20 };
    for (size_t k = 0; k < 2; k++) {
        scan_with(path, p, len, windows[k], false, &a);
        scan_with(path, p, len, windows[k], true, &b);
        cr_assert_eq(a.n, b.n, "%s (window %zu): %zu findings with shortcuts, %zu without", path, windows[k], a.n,
                     b.n);
        for (size_t i = 0; i < a.n; i++)
            cr_assert(a.v[i].type == b.v[i].type && a.v[i].start == b.v[i].start && a.v[i].end == b.v[i].end &&
                          a.v[i].conf == b.v[i].conf && strcmp(a.v[i].ctx, b.v[i].ctx) == 0,
                      "%s (window %zu): finding %zu differs: %s [%llu,%llu) %.2f '%s' vs %s [%llu,%llu) %.2f '%s'",
                      path, windows[k], i, piiscan_type_name(a.v[i].type), (unsigned long long)a.v[i].start,
                      (unsigned long long)a.v[i].end, a.v[i].conf, a.v[i].ctx, piiscan_type_name(b.v[i].type),
                      (unsigned long long)b.v[i].start, (unsigned long long)b.v[i].end, b.v[i].conf, b.v[i].ctx);
    }
    return a.n;
}

static size_t corpus_findings, scanner_findings;

static void check_file(const char *path, const uint8_t *p, size_t n)
{
    corpus_findings += same_both_ways(path, p, n, 0.5);
    same_both_ways(path, p, n, 0.0);   /* placeholders and weak ones too */
    scanner_findings += same_scanner_both_ways(path, p, n);
}

Test(shortcuts, every_corpus_file)
{
    corpus_each(check_file);
    cr_assert_gt(corpus_findings, 500, "the corpora hold findings (%zu)", corpus_findings);
    cr_assert_gt(scanner_findings, 500, "the scanner found them too (%zu)", scanner_findings);
}

/* Tokens around the shortcuts' edges; values whose type needs context, and
 * keys and hotwords for them, at varying distances. */
static const char *const TOKENS[] = {
    "8080", "42", "1990", "1990年", "年", "2024-03-15", "08:00:00", "::", "::1", "fe80::1", "::ffff",
    "2001:db8::8a2e:370:7334", "1234:", ":5678", "12.5", "3.14159", "v8", "8v", "408ms", "a1b2c3",
    "-", ".", "/", ":", " ", "  ", "=", "\"", ",", "\n", "(+86)", "(010)", "86", "0086",
    "13812345678", "138 1234 5678", "138-1234-5678", "62345678", "010-62345678",
    "460073135928555", "490154203237518", "35-209900-176148-1", "11010519491231002X", "110105491231002",
    "6222020012345678", "4111 1111 1111 1111", "89860312345678901234",
    "afa908dc58646a41", "4e6925818a4f606d067fc66b9a46bcd6", "6655C2D7-B181-4B3B-9A5B-C6E4F4B4E4A1",
    "d0:50:99:84:a2:a0", "286c072daa15", "A12345678", "E12345678", "H1234567890", "A123456(7)",
    "31.230416,121.473701", "39.9042", "19900307", "1990/3/7",
    "imsi=", "subscriberId=", "\"imei\":\"", "oaid:", "android_id=", "idfa=", "gaid ", "meid=",
    "birthday=", "出生日期：", "手机号", "tel=", "passport ", "护照号码", "card_no=", "银行卡",
    "lat=", "位置", "mac=", "trace_id=", "uid=",
    "abc", "x64", "ab12", "v2/", "/v1", "12ab34", "a1b2c3d4", "wx_", "1.1", "0.225", "8.13.2", "ab1990年",
    /* log times stepped over by skip_shapes.c, and their edges */
    "2024-03-15 08:00:00", "2024-03-15T08:00:00Z", "2024-03-15 08:00:00.123", "2024-03-15T08:00:00.1234",
    "2024-03-15T08:00:00.123+08:00", "2024-03-15T08:00:00-05:00", "1990-03-07 00:00:00", "1990-03-07T00:00:00Z",
    "2024-03-15 08:00:00.12345", "2024-03-15 08:00", "2024-03-15 08:00:00 138", "x2024-03-15 08:00:00",
    /* logcat line heads stepped over by skip_shapes.c, and their edges: ids
     * of 6 and 7 digits, a third id, ms and ids that spell a 3-4-4 mobile,
     * "86" and a mobile, four decimals, letters or 年 joined on either side */
    "03-15 08:28:34.424", "03-15 08:28:34.424 31862 22215 I ", "03-15 08:03:37.837 18691  8438 W ",
    "12-31 23:59:59.999  1234  1234 D ", "03-15 08:28:34.138 1234 5678", "03-15 08:28:34.424 86 13812345678",
    "03-15 08:28:34.424 123456 12", "03-15 08:28:34.424 1234567 1", "03-15 08:28:34.424 1 2 3",
    "03-15 08:28:34.4240", "x03-15 08:28:34.424", "03-15 08:28:34.424x", "03-15 08:28:34.424 12a",
    "1990-03-15 08:28:34.424", "03-15 08:28:34.424 0755 1234567", "03-15 08:28:34.424 1990年3月7日",
    "03-15 08:28:34.424 1234 1990年", "03-15 08:28:34.424 1234 1990年3月7日 生日",
    /* decimals stepped over by skip_shapes.c, and their edges */
    "2024.5", "5.2024", "12345.2024", "12345.1990年3月7日", "123.4567", "1234.56", "12345.678901", "0.5", "99999.99",
    "-122.08", "3.14.15", "123456.123456", "1234567.1",
    /* versions and colon times stepped over by skip_shapes.c, and their edges */
    "8.2.6", "122.0.0.0", "Chrome/122.0.0.0", "Version/17.1.2.3", "x/8.8.8.8", "/8.8.8.8", "1/8.8.8.8", "1.22.333", "1.2.3.4.5", "1.2.3:4", "10:30", "08:00:00", "2024:08:00:00",
    "1:2:3:4:5", "1:2:3:4:5:6", "12:34::56", "12:345678", "10:30am", "1:2:3:4:5:6:7", "10:30:13812345678",
    "1:13812345678",
    /* long numbers stepped over by skip_shapes.c, and the lengths it leaves */
    "1710460800273", "1754372553715128232", "20240315000012345678", "1709876543", "123456789", "8613812345678",
    "4111111111111111", "17104608002731", "12345678901234567890123456789012", "123456789012", "0755123456",
    "99999999999", "10000000000000000000000000", "621700123456789", "1234567890123456",
    "oaid=12345678901234567890123456789012", "meid=17104608002731", "android_id=1234567890123456",
    "mac=123456789012", "oaid=1234567890123456789012345678901234567890123456789012345678901234",
    /* 12-character words joined by each separator (bare MACs: engine_int.h
     * pii_bare_mac_possible) */
    "7 286c072daa15", "286c072daa15 7", "a-286c072daa15", "286c072daa15.a", "1/286c072daa15", "x:286c072daa15",
    /* separator counts at the edge of match_net's forms (detect.c net_possible) */
    "192.168.1.23", "10.0.0", "0011.2233.4455", "0011.2233", "00-1A-2B-3C-4D-5E", "00-1A-2B-3C-4D",
    "d0:50:99:84:a2", "1:2:3:4:5:6:7:8", "2001:db8:0:0:0:0:2:1",
};
#define NTOK (sizeof TOKENS / sizeof TOKENS[0])

static uint64_t rng = 0x243F6A8885A308D3ull;
static uint64_t next(void) { return xorshift(&rng); }

Test(shortcuts, generated_token_soup)
{
    static uint8_t buf[8192];
    size_t total = 0;
    for (int round = 0; round < 400; round++) {
        size_t len = 0;
        while (len < sizeof buf - 256) {   /* a token and a filler always fit */
            const char *t = TOKENS[next() % NTOK];
            size_t n = strlen(t);
            memcpy(buf + len, t, n);
            len += n;
            if (next() % 4 == 0) {   /* filler pushes keys out of reach */
                size_t k = next() % 140;
                memset(buf + len, (int)"x _-"[next() % 4], k);
                len += k;
            }
        }
        char what[32];
        snprintf(what, sizeof what, "soup round %d", round);
        total += same_both_ways(what, buf, len, 0.5);
        same_both_ways(what, buf, len, 0.0);
    }
    cr_assert_gt(total, 1000, "the soup holds findings (%zu)", total);
}

/* Lines at a shortcut's or a gate's edge, each with the context that makes
 * its value a finding (the soup may not bring the two together). */
Test(shortcuts, fixed_lines)
{
    static const char *const LINES[] = {
        /* logcat head with a year and 年 after an id: a birth date */
        "生日 03-15 08:28:34.424 1990年3月7日\n",
        "生日 03-15 08:28:34.424 1234 1990年3月7日\n",
        "birthday=03-15 08:28:34.424 31862 1990年3月7日\n",
        /* bare MACs joined by '/' and ' ' (pii_bare_mac_possible) */
        "mac: 1/286c072daa15\n",
        "mac: 7 286c072daa15\n",
    };
    for (size_t i = 0; i < sizeof LINES / sizeof *LINES; i++) {
        size_t n = same_both_ways(LINES[i], (const uint8_t *)LINES[i], strlen(LINES[i]), 0.5);
        cr_expect_gt(n, 0, "%s: a finding", LINES[i]);
        same_scanner_both_ways(LINES[i], (const uint8_t *)LINES[i], strlen(LINES[i]));
    }
}
