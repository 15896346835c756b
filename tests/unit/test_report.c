/*
 * test_report.c -- report sinks (report*.c, json_escape.c).
 *
 * Every format is written to a memory stream from a few synthetic
 * findings.  JSON output is checked by a small strict JSON parser below
 * (RFC 8259 grammar, UTF-8 checked), then by expected substrings.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "piiscan.h"
#include "report_int.h"

/* ---- a strict JSON checker --------------------------------------------- */

typedef struct jp {
    const char *s;
    size_t i, n;
} jp;

static int j_value(jp *p, int depth);

static void j_ws(jp *p)
{
    while (p->i < p->n && strchr(" \t\r\n", p->s[p->i]) && p->s[p->i])
        p->i++;
}

static int j_lit(jp *p, const char *lit)
{
    size_t k = strlen(lit);
    if (p->n - p->i < k || memcmp(p->s + p->i, lit, k) != 0)
        return -1;
    p->i += k;
    return 0;
}

static int j_utf8(jp *p)
{
    const unsigned char *u = (const unsigned char *)p->s + p->i;
    size_t left = p->n - p->i, k;
    if (u[0] >= 0xC2 && u[0] <= 0xDF)
        k = 2;
    else if (u[0] >= 0xE0 && u[0] <= 0xEF)
        k = 3;
    else if (u[0] >= 0xF0 && u[0] <= 0xF4)
        k = 4;
    else
        return -1;
    if (k > left)
        return -1;
    for (size_t i = 1; i < k; i++)
        if ((u[i] & 0xC0) != 0x80)
            return -1;
    if ((u[0] == 0xE0 && u[1] < 0xA0) || (u[0] == 0xED && u[1] >= 0xA0) ||
        (u[0] == 0xF0 && u[1] < 0x90) || (u[0] == 0xF4 && u[1] >= 0x90))
        return -1;
    p->i += k;
    return 0;
}

static int j_string(jp *p)
{
    if (p->i >= p->n || p->s[p->i] != '"')
        return -1;
    p->i++;
    while (p->i < p->n) {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"') {
            p->i++;
            return 0;
        }
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            p->i++;
            if (p->i >= p->n)
                return -1;
            char e = p->s[p->i++];
            if (e == 'u') {
                for (int k = 0; k < 4; k++, p->i++)
                    if (p->i >= p->n || !strchr("0123456789abcdefABCDEF", p->s[p->i]) ||
                        !p->s[p->i])
                        return -1;
            } else if (!strchr("\"\\/bfnrt", e) || !e) {
                return -1;
            }
        } else if (c >= 0x80) {
            if (j_utf8(p) != 0)
                return -1;
        } else {
            p->i++;
        }
    }
    return -1;
}

static int j_number(jp *p)
{
    size_t start = p->i;
    if (p->i < p->n && p->s[p->i] == '-')
        p->i++;
    if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
        return -1;
    if (p->s[p->i] == '0')
        p->i++;
    else
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        size_t d = p->i;
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
        if (p->i == d)
            return -1;
    }
    return p->i > start ? 0 : -1;
}

static int j_members(jp *p, int depth, char close, int object)
{
    p->i++;
    j_ws(p);
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        return 0;
    }
    for (;;) {
        if (object) {
            if (j_string(p) != 0)
                return -1;
            j_ws(p);
            if (j_lit(p, ":") != 0)
                return -1;
        }
        if (j_value(p, depth + 1) != 0)
            return -1;
        j_ws(p);
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            j_ws(p);
            continue;
        }
        if (p->i < p->n && p->s[p->i] == close) {
            p->i++;
            return 0;
        }
        return -1;
    }
}

static int j_value(jp *p, int depth)
{
    if (depth > 64)
        return -1;
    j_ws(p);
    if (p->i >= p->n)
        return -1;
    switch (p->s[p->i]) {
    case '{':
        return j_members(p, depth, '}', 1);
    case '[':
        return j_members(p, depth, ']', 0);
    case '"':
        return j_string(p);
    case 't':
        return j_lit(p, "true");
    case 'f':
        return j_lit(p, "false");
    case 'n':
        return j_lit(p, "null");
    default:
        return j_number(p);
    }
}

/* 1 if s[0,n) is exactly one JSON value (with surrounding white space). */
static int is_json(const char *s, size_t n)
{
    jp p = {s, 0, n};
    if (j_value(&p, 0) != 0)
        return 0;
    j_ws(&p);
    return p.i == n;
}

Test(jsoncheck, self_test)
{
    static const char *good[] = {"{\"a\":[1,2.5,-3,true,null,\"\\u00e9\"]}", "[]",
                                 " {\"k\":{}} ", "\"\xe6\x89\x8b\""};
    static const char *bad[] = {"{\"a\":1,}", "{\"a\":\"x\ny\"}", "{\"a\":\"\xff\"}",
                                "{\"a\":01}", "[1] [2]", "{\"a\"}", "[1.]",
                                "\"\xed\xa0\x80\"", "\"\\x\"", "{\"a\":tru}"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        cr_assert(is_json(good[i], strlen(good[i])), "%s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert(!is_json(bad[i], strlen(bad[i])), "%s", bad[i]);
}

/* ---- fixtures ---------------------------------------------------------- */

typedef struct out {
    char *buf;
    size_t len;
    FILE *fp;
} out;

static void out_open(out *o)
{
    o->buf = NULL;
    o->len = 0;
    o->fp = open_memstream(&o->buf, &o->len);
    cr_assert_not_null(o->fp);
}

static void out_close(out *o)
{
    cr_assert_eq(fclose(o->fp), 0);
}

static const unsigned char KEY[32] = "0123456789abcdef0123456789abcde";

static piiscan_finding mobile(void)
{
    piiscan_finding f = {
        .type = PIISCAN_CN_MOBILE,
        .start = 10,
        .end = 23,
        .line = 2,
        .col = 5,
        .confidence = 0.95,
        .context = "key:phone",
        .value = (const unsigned char *)"138-1234-5678",
        .value_len = 13,
        .norm = "13812345678",
        .norm_len = 11,
    };
    return f;
}

static piiscan_finding resident_id(void)
{
    piiscan_finding f = {
        .type = PIISCAN_CN_RESIDENT_ID,
        .start = 100,
        .end = 118,
        .line = 7,
        .col = 1,
        .confidence = 1.0,
        .context = "",
        .value = (const unsigned char *)"11010519491231002x",
        .value_len = 18,
        .norm = "11010519491231002X",
        .norm_len = 18,
    };
    return f;
}

/* Writes a standard small report in format fmt into o. */
static void write_report(out *o, piiscan_format fmt, int show_values)
{
    piiscan_report_options opt = {fmt, show_values, KEY, sizeof KEY};
    piiscan_report *r;
    out_open(o);
    cr_assert_eq(piiscan_report_open(&r, o->fp, &opt), 0);
    piiscan_finding a = mobile(), b = resident_id();
    cr_assert_eq(piiscan_report_finding(r, "logs/a.log", &a), 0);
    cr_assert_eq(piiscan_report_finding(r, "logs/b.log", &b), 0);
    piiscan_report_file(r, "logs/a.log", 100);
    piiscan_report_file(r, "logs/b.log", 50);
    piiscan_report_error(r, "logs/fifo", "special file skipped");
    cr_assert_eq(piiscan_report_close(r, 1.5), 0);
    out_close(o);
}

static size_t count(const char *hay, const char *needle)
{
    size_t c = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        c++;
    return c;
}

static char mobile_fp[17];

static void fp_init(void)
{
    piiscan_fingerprint(KEY, sizeof KEY, PIISCAN_CN_MOBILE, "13812345678", 11, mobile_fp);
}

/* ---- JSONL ------------------------------------------------------------- */

Test(jsonl, lines_and_fields, .init = fp_init)
{
    out o;
    write_report(&o, PIISCAN_FMT_JSONL, 0);
    cr_assert_eq(count(o.buf, "\n"), 4, "%s", o.buf);
    char *save = NULL, *line;
    int i = 0;
    char *copy = strdup(o.buf);
    for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++)
        cr_expect(is_json(line, strlen(line)), "line %d not JSON: %s", i, line);
    free(copy);
    char want[512];
    snprintf(want, sizeof want,
             "{\"kind\":\"finding\",\"path\":\"logs/a.log\",\"type\":\"CN_MOBILE\","
             "\"start\":10,\"end\":23,\"line\":2,\"col\":5,\"confidence\":0.95,"
             "\"context\":\"key:phone\",\"preview\":\"138****5678\","
             "\"fingerprint\":\"%s\"}\n",
             mobile_fp);
    cr_expect_eq(strncmp(o.buf, want, strlen(want)), 0, "got %s", o.buf);
    cr_expect(strstr(o.buf, "\"preview\":\"1****************X\"") != NULL);
    cr_expect(strstr(o.buf, "\"confidence\":1.00,") != NULL);
    cr_expect(strstr(o.buf, "{\"kind\":\"error\",\"path\":\"logs/fifo\","
                            "\"message\":\"special file skipped\"}\n") != NULL);
    const char *last = "{\"kind\":\"summary\",\"files\":2,\"bytes\":150,\"errors\":1,"
                       "\"findings\":2,\"seconds\":1.500,"
                       "\"counts\":{\"CN_RESIDENT_ID\":1,\"CN_MOBILE\":1}}\n";
    cr_expect(o.len >= strlen(last) &&
                  strcmp(o.buf + o.len - strlen(last), last) == 0,
              "summary line: %s", o.buf);
    free(o.buf);
}

Test(jsonl, no_raw_values_by_default)
{
    out o;
    write_report(&o, PIISCAN_FMT_JSONL, 0);
    cr_expect_null(strstr(o.buf, "13812345678"));
    cr_expect_null(strstr(o.buf, "1234-5678"));
    cr_expect_null(strstr(o.buf, "110105"));
    cr_expect_null(strstr(o.buf, "\"value\""));
    free(o.buf);
}

Test(jsonl, values_with_show_values)
{
    out o;
    write_report(&o, PIISCAN_FMT_JSONL, 1);
    cr_expect(strstr(o.buf, ",\"value\":\"138-1234-5678\"}\n") != NULL, "%s", o.buf);
    cr_expect(strstr(o.buf, ",\"value\":\"11010519491231002x\"}\n") != NULL);
    free(o.buf);
}

Test(jsonl, escapes_hostile_bytes)
{
    out o;
    piiscan_report_options opt = {PIISCAN_FMT_JSONL, 1, NULL, 0};
    piiscan_report *r;
    out_open(&o);
    cr_assert_eq(piiscan_report_open(&r, o.fp, &opt), 0);
    piiscan_finding f = mobile();
    f.context = "hotword:手机\x01";
    f.value = (const unsigned char *)"13\"8\\\n\xff\xc0\xaf\xed\xa0\x80";
    f.value_len = 12;
    cr_assert_eq(piiscan_report_finding(r, "dir/\"q\"\tx\r\n\xfe.log", &f), 0);
    piiscan_report_error(r, "bad\xe6\x89", "msg \"quoted\"");
    cr_assert_eq(piiscan_report_close(r, 0), 0);
    out_close(&o);
    cr_expect(strstr(o.buf, "\"path\":\"dir/\\\"q\\\"\\tx\\r\\n\\ufffd.log\"") != NULL, "%s",
              o.buf);
    cr_expect(strstr(o.buf, "\"context\":\"hotword:手机\\u0001\"") != NULL, "%s", o.buf);
    /* Overlong C0 AF and surrogate ED A0 80 are invalid UTF-8: one U+FFFD
     * per byte. */
    cr_expect(strstr(o.buf, "\"value\":\"13\\\"8\\\\\\n\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"") !=
                  NULL,
              "%s", o.buf);
    cr_expect(strstr(o.buf, "\"path\":\"bad\\ufffd\\ufffd\",\"path_base64\":\"YmFk5ok=\",\"message\":\"msg \\\"quoted\\\"\"") !=
                  NULL,
              "%s", o.buf);
    char *copy = strdup(o.buf), *save = NULL;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        cr_expect(is_json(l, strlen(l)), "not JSON: %s", l);
    free(copy);
    free(o.buf);
}

Test(jsonl, empty_report_has_summary)
{
    out o;
    piiscan_report_options opt = {PIISCAN_FMT_JSONL, 0, NULL, 0};
    piiscan_report *r;
    out_open(&o);
    cr_assert_eq(piiscan_report_open(&r, o.fp, &opt), 0);
    cr_assert_eq(piiscan_report_close(r, 0.0004), 0);
    out_close(&o);
    cr_expect_str_eq(o.buf, "{\"kind\":\"summary\",\"files\":0,\"bytes\":0,\"errors\":0,"
                            "\"findings\":0,\"seconds\":0.000,\"counts\":{}}\n");
    free(o.buf);
}

/* A JSONL report into o, keyed with KEY. */
static piiscan_report *open_jsonl(out *o, int show_values)
{
    piiscan_report_options opt = {PIISCAN_FMT_JSONL, show_values, KEY, sizeof KEY};
    piiscan_report *r;
    out_open(o);
    cr_assert_eq(piiscan_report_open(&r, o->fp, &opt), 0);
    return r;
}

/* Every byte value once: printable ASCII but '"' and '\\' as it is,
 * the rest escaped, and the line valid JSON. */
Test(jsonl, every_byte_value)
{
    out o;
    piiscan_report *r = open_jsonl(&o, 1);
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    piiscan_finding f = mobile();
    f.value = all;
    f.value_len = sizeof all;
    cr_assert_eq(piiscan_report_finding(r, "x", &f), 0);
    cr_assert_eq(piiscan_report_close(r, 0), 0);
    out_close(&o);
    char *nl = strchr(o.buf, '\n');
    cr_assert_not_null(nl);
    cr_expect(is_json(o.buf, (size_t)(nl - o.buf)), "not JSON: %s", o.buf);
    cr_expect(strstr(o.buf, "\\u001f !\\\"#$%") != NULL, "%s", o.buf);
    cr_expect(strstr(o.buf, "[\\\\]^_`") != NULL, "%s", o.buf);
    cr_expect(strstr(o.buf, "{|}~\\u007f\\ufffd") != NULL, "%s", o.buf);
    free(o.buf);
}

Test(jsonl, missing_norm_is_normalized_not_leaked)
{
    out o;
    piiscan_report *r = open_jsonl(&o, 0);
    piiscan_finding f = mobile();
    f.norm = NULL;
    f.norm_len = 0;
    cr_assert_eq(piiscan_report_finding(r, "x", &f), 0);
    cr_assert_eq(piiscan_report_close(r, 0), 0);
    out_close(&o);
    char want[64];
    fp_init();
    snprintf(want, sizeof want, "\"fingerprint\":\"%s\"", mobile_fp);
    cr_expect(strstr(o.buf, "\"preview\":\"138****5678\"") != NULL, "%s", o.buf);
    cr_expect(strstr(o.buf, want) != NULL, "%s", o.buf);
    cr_expect_null(strstr(o.buf, "1234-5678"));
    free(o.buf);
}

/* A fingerprint a pipeline's worker made (piiscan_report_options_prepare)
 * is written as it is when it was made under the report's key; under
 * another key, or none, the report makes its own. */
Test(jsonl, prepared_fingerprint, .init = fp_init)
{
    static const unsigned char OTHER[32] = "another key, another fingerprint";
    struct { const unsigned char *key; size_t len; bool taken; } cases[] = {
        { KEY, sizeof KEY, true }, { OTHER, sizeof OTHER, false }, { NULL, 0, false },
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        out o;
        piiscan_report *r = open_jsonl(&o, 0);
        piiscan_finding f = mobile();
        f.fingerprint = "0123456789abcdef";
        f.fingerprint_key = cases[k].key;
        f.fingerprint_key_len = cases[k].len;
        cr_assert_eq(piiscan_report_finding(r, "x", &f), 0);
        cr_assert_eq(piiscan_report_close(r, 0), 0);
        out_close(&o);
        char want[64];
        snprintf(want, sizeof want, "\"fingerprint\":\"%s\"", cases[k].taken ? "0123456789abcdef" : mobile_fp);
        cr_expect(strstr(o.buf, want) != NULL, "case %zu: %s", k, o.buf);
        cr_expect(strstr(o.buf, "\"preview\":\"138****5678\"") != NULL, "%s", o.buf);
        free(o.buf);
    }
}

Test(api, report_options_prepare)
{
    const struct { piiscan_format fmt; bool fingerprints; } want[] = {
        { PIISCAN_FMT_JSONL, true }, { PIISCAN_FMT_JSON, true },     { PIISCAN_FMT_SARIF, true },
        { PIISCAN_FMT_CSV, true },   { PIISCAN_FMT_SUMMARY, false }, { PIISCAN_FMT_COLUMNS, false },
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        piiscan_report_options ro = { want[i].fmt, 0, KEY, sizeof KEY };
        piiscan_scan_options so;
        piiscan_scan_options_init(&so);
        piiscan_report_options_prepare(&ro, &so);
        cr_expect_eq(so.fingerprints, want[i].fingerprints, "format %d", (int)want[i].fmt);
        cr_expect(so.fingerprints ? so.fingerprint_key == KEY && so.fingerprint_key_len == sizeof KEY
                                  : so.fingerprint_key == NULL && so.fingerprint_key_len == 0);
    }
}

/* Findings are assembled in a fixed buffer (report_buf.c); fields longer
 * than it must come out whole, escaped, and in order. */
Test(jsonl, fields_longer_than_the_line_buffer)
{
    enum { PATHLEN = 5000, VALLEN = 3000 };
    char *path = malloc(PATHLEN + 1);
    unsigned char *val = malloc(VALLEN);
    cr_assert(path && val);
    for (size_t i = 0; i < PATHLEN; i++)
        path[i] = i < 1000 && i % 7 == 0 ? '"' : (char)('a' + i % 26); /* then a long plain run */
    path[PATHLEN] = '\0';
    for (size_t i = 0; i < VALLEN; i++)
        val[i] = i % 5 == 0 ? '\n' : (unsigned char)('A' + i % 26);
    out o;
    piiscan_report *r = open_jsonl(&o, 1);
    piiscan_finding f = mobile();
    f.value = val;
    f.value_len = VALLEN;
    for (int k = 0; k < 3; k++)
        cr_assert_eq(piiscan_report_finding(r, path, &f), 0);
    cr_assert_eq(piiscan_report_close(r, 0), 0);
    out_close(&o);
    /* The expected escapes, built independently of the report code. */
    char *want_path = malloc(2 * PATHLEN + 1), *want_val = malloc(2 * VALLEN + 1);
    cr_assert(want_path && want_val);
    size_t n = 0;
    for (size_t i = 0; i < PATHLEN; i++) {
        if (path[i] == '"')
            want_path[n++] = '\\';
        want_path[n++] = path[i];
    }
    want_path[n] = '\0';
    n = 0;
    for (size_t i = 0; i < VALLEN; i++) {
        if (val[i] == '\n') {
            want_val[n++] = '\\';
            want_val[n++] = 'n';
        } else {
            want_val[n++] = (char)val[i];
        }
    }
    want_val[n] = '\0';
    cr_expect_eq(count(o.buf, want_path), 3);
    cr_expect_eq(count(o.buf, want_val), 3);
    cr_expect_eq(count(o.buf, "\n"), 4);
    char *copy = strdup(o.buf), *save = NULL;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        cr_expect(is_json(l, strlen(l)), "not JSON: %.200s", l);
    free(copy);
    free(want_path);
    free(want_val);
    free(path);
    free(val);
    free(o.buf);
}

/* The report remembers the last finding's path (report.c, path_facts):
 * paths that change from finding to finding -- same length, one to
 * escape, one not UTF-8, one Chinese, back to the first -- must each
 * come out as their own, with the path_base64 only on the non-UTF-8
 * one.  (The summary test counts files per type across path changes.) */
Test(jsonl, each_finding_its_own_path)
{
    static const struct {
        const char *path, *json, *b64;
    } cases[] = {
        { "a.log", "\"path\":\"a.log\",", NULL },
        { "b.log", "\"path\":\"b.log\",", NULL },
        { "q\"1.log", "\"path\":\"q\\\"1.log\",", NULL },
        { "\xff.log", "\"path\":\"\\ufffd.log\",", "\"path_base64\":\"/y5sb2c=\"" },
        { "日志.log", "\"path\":\"日志.log\",", NULL },
        { "a.log", "\"path\":\"a.log\",", NULL },
        { "\xff.log", "\"path\":\"\\ufffd.log\",", "\"path_base64\":\"/y5sb2c=\"" },
    };
    enum { N = sizeof cases / sizeof cases[0] };
    out o;
    piiscan_report *r = open_jsonl(&o, 0);
    piiscan_finding f = mobile();
    for (size_t i = 0; i < N; i++)
        cr_assert_eq(piiscan_report_finding(r, cases[i].path, &f), 0);
    cr_assert_eq(piiscan_report_close(r, 0), 0);
    out_close(&o);
    char *copy = strdup(o.buf), *save = NULL, *line = strtok_r(copy, "\n", &save);
    for (size_t i = 0; i < N; i++, line = strtok_r(NULL, "\n", &save)) {
        cr_assert(line, "line %zu missing in %s", i, o.buf);
        cr_expect(strstr(line, cases[i].json) != NULL, "line %zu: want %s in %s", i, cases[i].json, line);
        if (cases[i].b64)
            cr_expect(strstr(line, cases[i].b64) != NULL, "line %zu: want %s in %s", i, cases[i].b64, line);
        else
            cr_expect(strstr(line, "path_base64") == NULL, "line %zu: %s", i, line);
    }
    cr_assert(line && strstr(line, "\"kind\":\"summary\"") && strstr(line, "\"findings\":7,"),
              "the summary after the findings: %s", line ? line : "(none)");
    free(copy);
    free(o.buf);
}

/* Numbers are formatted by hand (report_buf.c): they must read exactly as
 * printf's "%llu" and "%llu.%02llu" (after the clamp and rounding of
 * pii_put_fixed) would have written them. */
Test(jsonl, numbers_as_printf_writes_them)
{
    static const unsigned long long nums[] = {0, 1, 9, 10, 99, 100, 4294967295ull,
                                              4294967296ull, 18446744073709551615ull};
    static const double confs[] = {0, 0.004, 0.005, 0.015, 0.1, 0.125, 0.5, 0.949, 0.95,
                                   0.994999, 0.995, 0.999, 1, 1.5, -0.3};
    out o;
    piiscan_report_options opt = {PIISCAN_FMT_JSONL, 0, NULL, 0};
    piiscan_report *r;
    out_open(&o);
    cr_assert_eq(piiscan_report_open(&r, o.fp, &opt), 0);
    size_t nn = sizeof nums / sizeof nums[0], nc = sizeof confs / sizeof confs[0];
    for (size_t i = 0; i < nn; i++) {
        piiscan_finding f = mobile();
        f.start = nums[i];
        f.end = nums[nn - 1 - i];
        f.line = nums[(i + 1) % nn];
        f.col = nums[(i + 2) % nn];
        f.confidence = confs[i % nc];
        cr_assert_eq(piiscan_report_finding(r, "n", &f), 0);
    }
    for (size_t i = 0; i < nc; i++) {
        piiscan_finding f = mobile();
        f.confidence = confs[i];
        cr_assert_eq(piiscan_report_finding(r, "c", &f), 0);
    }
    cr_assert_eq(piiscan_report_close(r, 0), 0);
    out_close(&o);
    char want[256];
    for (size_t i = 0; i < nn; i++) {
        snprintf(want, sizeof want, "\"start\":%llu,\"end\":%llu,\"line\":%llu,\"col\":%llu,",
                 nums[i], nums[nn - 1 - i], nums[(i + 1) % nn], nums[(i + 2) % nn]);
        cr_expect(strstr(o.buf, want) != NULL, "missing %s in %s", want, o.buf);
    }
    for (size_t i = 0; i < nc; i++) {
        double v = confs[i] > 1 ? 1 : confs[i] > 0 ? confs[i] : 0;
        unsigned long long x = (unsigned long long)(v * 100.0 + 0.5);
        snprintf(want, sizeof want, "\"path\":\"c\",\"type\":\"CN_MOBILE\",\"start\":10,"
                 "\"end\":23,\"line\":2,\"col\":5,\"confidence\":%llu.%02llu,", x / 100, x % 100);
        cr_expect(strstr(o.buf, want) != NULL, "missing %s in %s", want, o.buf);
    }
    free(o.buf);
}

/* Pieces of every length from 0 to 40 appended to a line buffer (short
 * ones take the overlapping-move path of pii_ob_mem), across several
 * flushes: the stream holds exactly their concatenation.  Each source is
 * a heap block of exactly its length, so the ASan build catches a move
 * that reads past it. */
Test(outbuf, pieces_of_every_length_in_order)
{
    char *got = NULL, *want = malloc(64 * 1024);
    size_t got_len = 0, want_len = 0;
    FILE *fp = open_memstream(&got, &got_len);
    cr_assert(fp && want);
    pii_outbuf o;
    pii_ob_init(&o, fp);
    unsigned seed = 1;
    for (int round = 0; round < 12; round++) {
        for (size_t n = 0; n <= 40; n++) {
            unsigned char *piece = malloc(n ? n : 1);
            cr_assert(piece);
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                piece[i] = (unsigned char)(seed >> 16);
            }
            pii_ob_mem(&o, piece, n);
            memcpy(want + want_len, piece, n);
            want_len += n;
            free(piece);
        }
    }
    pii_ob_flush(&o);
    cr_assert_eq(fclose(fp), 0);
    cr_assert_gt(want_len, 4 * PII_OUTBUF_CAP, "the pieces must cross several flushes");
    cr_assert_eq(got_len, want_len);
    cr_expect(memcmp(got, want, want_len) == 0);
    free(got);
    free(want);
}

/* ---- JSON -------------------------------------------------------------- */

Test(json, document, .init = fp_init)
{
    out o;
    write_report(&o, PIISCAN_FMT_JSON, 0);
    cr_assert(is_json(o.buf, o.len), "not JSON: %s", o.buf);
    char want[64];
    snprintf(want, sizeof want, "\"fingerprint\":\"%s\"", mobile_fp);
    cr_expect(strstr(o.buf, want) != NULL, "the keyed fingerprint: %s", o.buf);
    cr_expect_eq(strncmp(o.buf, "{\"version\":\"0.1.0\",\"findings\":[", 31), 0, "%s", o.buf);
    cr_expect(strstr(o.buf, "{\"path\":\"logs/a.log\",\"type\":\"CN_MOBILE\",") != NULL);
    cr_expect_null(strstr(o.buf, "\"kind\""));
    cr_expect(strstr(o.buf, "\"errors\":[\n{\"path\":\"logs/fifo\",\"message\":"
                            "\"special file skipped\"}\n]") != NULL,
              "%s", o.buf);
    cr_expect(strstr(o.buf, "\"summary\":{\"files\":2,\"bytes\":150,\"errors\":1,"
                            "\"findings\":2,\"seconds\":1.500,\"counts\":"
                            "{\"CN_RESIDENT_ID\":1,\"CN_MOBILE\":1}}}\n") != NULL,
              "%s", o.buf);
    cr_expect_null(strstr(o.buf, "13812345678"));
    free(o.buf);
}

Test(json, empty_and_many_errors)
{
    out o;
    piiscan_report_options opt = {PIISCAN_FMT_JSON, 0, NULL, 0};
    piiscan_report *r;
    out_open(&o);
    cr_assert_eq(piiscan_report_open(&r, o.fp, &opt), 0);
    cr_assert_eq(piiscan_report_close(r, 0), 0);
    out_close(&o);
    cr_assert(is_json(o.buf, o.len), "%s", o.buf);
    cr_expect(strstr(o.buf, "\"findings\":[],\"errors\":[],") != NULL, "%s", o.buf);
    free(o.buf);

    out_open(&o);
    cr_assert_eq(piiscan_report_open(&r, o.fp, &opt), 0);
    piiscan_finding f = mobile();
    piiscan_report_error(r, "e1", "one");
    cr_assert_eq(piiscan_report_finding(r, "a", &f), 0);
    piiscan_report_error(r, "e2", "two");
    cr_assert_eq(piiscan_report_finding(r, "a", &f), 0);
    cr_assert_eq(piiscan_report_close(r, 0), 0);
    out_close(&o);
    cr_assert(is_json(o.buf, o.len), "%s", o.buf);
    cr_expect_eq(count(o.buf, "\"message\""), 2);
    cr_expect_eq(count(o.buf, "\"fingerprint\""), 2);
    free(o.buf);
}

/* ---- SARIF ------------------------------------------------------------- */

Test(sarif, structure, .init = fp_init)
{
    out o;
    write_report(&o, PIISCAN_FMT_SARIF, 0);
    cr_assert(is_json(o.buf, o.len), "not JSON: %s", o.buf);
    cr_expect(strstr(o.buf, "\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                            "\"version\":\"2.1.0\"") != NULL);
    cr_expect_eq(count(o.buf, "\"shortDescription\""), PIISCAN_TYPE_COUNT);
    cr_expect(strstr(o.buf, "{\"ruleId\":\"CN_MOBILE\",\"ruleIndex\":1,\"level\":\"warning\","
                            "\"message\":{\"text\":\"CN_MOBILE 138****5678 (confidence 0.95, "
                            "key:phone)\"}") != NULL,
              "%s", o.buf);
    cr_expect(strstr(o.buf, "\"artifactLocation\":{\"uri\":\"logs/a.log\"},\"region\":"
                            "{\"startLine\":2,\"byteOffset\":10,"
                            "\"byteLength\":13}") != NULL,
              "%s", o.buf);
    char want[96];
    snprintf(want, sizeof want, "\"partialFingerprints\":{\"piiscanValue/v1\":\"%s\"}",
             mobile_fp);
    cr_expect(strstr(o.buf, want) != NULL);
    cr_expect(strstr(o.buf, "\"executionSuccessful\":false,\"toolExecutionNotifications\":"
                            "[\n{\"level\":\"error\",\"message\":{\"text\":\"special file "
                            "skipped\"}") != NULL,
              "%s", o.buf);
    cr_expect_null(strstr(o.buf, "13812345678"));
    free(o.buf);
}

Test(sarif, uri_encoding_and_success)
{
    out o;
    piiscan_report_options opt = {PIISCAN_FMT_SARIF, 1, NULL, 0};
    piiscan_report *r;
    out_open(&o);
    cr_assert_eq(piiscan_report_open(&r, o.fp, &opt), 0);
    piiscan_finding f = mobile();
    f.line = 0; /* unknown: must not produce startLine 0 */
    cr_assert_eq(piiscan_report_finding(r, "dir with space/ä#1.tar.gz!/in:x.log", &f), 0);
    cr_assert_eq(piiscan_report_finding(r, "/var/log/a%b.log", &f), 0);
    cr_assert_eq(piiscan_report_close(r, 0), 0);
    out_close(&o);
    cr_assert(is_json(o.buf, o.len), "%s", o.buf);
    cr_expect(strstr(o.buf, "\"uri\":\"dir%20with%20space/%C3%A4%231.tar.gz!/in%3Ax.log\"") !=
                  NULL,
              "%s", o.buf);
    cr_expect(strstr(o.buf, "\"uri\":\"file:///var/log/a%25b.log\"") != NULL, "%s", o.buf);
    cr_expect_null(strstr(o.buf, "startLine"));
    cr_expect(strstr(o.buf, "\"executionSuccessful\":true,\"toolExecutionNotifications\":[]") !=
              NULL);
    cr_expect(strstr(o.buf, "\"value\":\"138-1234-5678\"") != NULL);
    free(o.buf);
}

/* ---- CSV --------------------------------------------------------------- */

Test(csv, header_rows_and_quoting, .init = fp_init)
{
    out o;
    write_report(&o, PIISCAN_FMT_CSV, 0);
    char want[512];
    snprintf(want, sizeof want,
             "path,type,start,end,line,col,confidence,context,preview,fingerprint\n"
             "logs/a.log,CN_MOBILE,10,23,2,5,0.95,key:phone,138****5678,%s\n",
             mobile_fp);
    cr_expect_eq(strncmp(o.buf, want, strlen(want)), 0, "%s", o.buf);
    cr_expect_eq(count(o.buf, "\n"), 3, "errors get no row: %s", o.buf);
    cr_expect_null(strstr(o.buf, "13812345678"));
    free(o.buf);

    piiscan_report_options opt = {PIISCAN_FMT_CSV, 1, KEY, sizeof KEY};
    piiscan_report *r;
    out_open(&o);
    cr_assert_eq(piiscan_report_open(&r, o.fp, &opt), 0);
    piiscan_finding f = mobile();
    f.context = "key:\"a,b\"\nc";
    f.value = (const unsigned char *)"138,1234\"5678";
    cr_assert_eq(piiscan_report_finding(r, "a,\"b\".csv", &f), 0);
    cr_assert_eq(piiscan_report_close(r, 0), 0);
    out_close(&o);
    snprintf(want, sizeof want,
             "path,type,start,end,line,col,confidence,context,preview,fingerprint,value\n"
             "\"a,\"\"b\"\".csv\",CN_MOBILE,10,23,2,5,0.95,\"key:\"\"a,b\"\"\nc\","
             "138****5678,%s,\"138,1234\"\"5678\"\n",
             mobile_fp);
    cr_expect_str_eq(o.buf, want);
    free(o.buf);
}

/* ---- summary ----------------------------------------------------------- */

/* Display column where needle starts in line (CJK counted as 2). */
static size_t display_col(const char *line, const char *needle)
{
    const char *end = strstr(line, needle);
    cr_assert_not_null(end, "%s not in %s", needle, line);
    size_t col = 0;
    for (const unsigned char *p = (const unsigned char *)line; p < (const unsigned char *)end;) {
        if (*p >= 0xE0) {
            col += 2;
            p += 3;
        } else {
            col += 1;
            p += 1;
        }
    }
    return col;
}

Test(summary, table)
{
    out o;
    piiscan_report_options opt = {PIISCAN_FMT_SUMMARY, 0, NULL, 0};
    piiscan_report *r;
    out_open(&o);
    cr_assert_eq(piiscan_report_open(&r, o.fp, &opt), 0);
    piiscan_finding m = mobile(), n = mobile();
    n.type = PIISCAN_PERSON_NAME;
    n.norm = "张三丰";
    n.norm_len = strlen("张三丰");
    n.context = "key:收货人";
    m.context = "hotword:手机\x1b[31m";
    cr_assert_eq(piiscan_report_finding(r, "a.log", &m), 0);
    cr_assert_eq(piiscan_report_finding(r, "a.log", &m), 0);
    cr_assert_eq(piiscan_report_finding(r, "b.log", &m), 0);
    cr_assert_eq(piiscan_report_finding(r, "a.log", &n), 0);
    piiscan_report_file(r, "a.log", 2048);
    piiscan_report_file(r, "b.log", 1024);
    piiscan_report_error(r, "c.log", "unreadable");
    cr_assert_eq(piiscan_report_close(r, 0.25), 0);
    out_close(&o);

    char *copy = strdup(o.buf), *save = NULL;
    char *hdr = strtok_r(copy, "\n", &save);
    char *row1 = strtok_r(NULL, "\n", &save);
    char *row2 = strtok_r(NULL, "\n", &save);
    char *total = strtok_r(NULL, "\n", &save);
    cr_assert(hdr && row1 && row2 && total, "%s", o.buf);
    cr_expect_eq(strncmp(hdr, "TYPE", 4), 0, "%s", hdr);
    cr_expect_eq(strncmp(row1, "CN_MOBILE", 9), 0, "%s", row1);
    cr_expect_eq(strncmp(row2, "PERSON_NAME", 11), 0, "%s", row2);
    /* findings 3 in 2 files; 1 in 1 file */
    cr_expect(strstr(row1, " 3  ") && strstr(row1, " 2  "), "%s", row1);
    cr_expect(strstr(row1, "138****5678") != NULL);
    cr_expect(strstr(row2, "张**") != NULL, "%s", row2);
    /* The escape sequence from the data is neutralised. */
    cr_expect_null(strchr(o.buf, '\x1b'));
    cr_expect(strstr(row1, "hotword:手机?[31m") != NULL, "%s", row1);
    /* Columns line up in display cells, CJK preview or not. */
    cr_expect_eq(display_col(hdr, "CONTEXT"), display_col(row1, "hotword"), "%s\n%s", hdr, row1);
    cr_expect_eq(display_col(hdr, "CONTEXT"), display_col(row2, "key:"), "%s\n%s", hdr, row2);
    cr_expect_eq(display_col(hdr, "FILES") + 4, display_col(row1, "2  138"), "%s\n%s", hdr,
                 row1);
    cr_expect_str_eq(total, "files 2  bytes 3072 (3.0 KiB)  findings 4  errors 1  "
                            "seconds 0.250");
    cr_expect_null(strstr(o.buf, "13812345678"));
    free(copy);
    free(o.buf);
}

Test(summary, nothing_found)
{
    out o;
    piiscan_report_options opt = {PIISCAN_FMT_SUMMARY, 0, NULL, 0};
    piiscan_report *r;
    out_open(&o);
    cr_assert_eq(piiscan_report_open(&r, o.fp, &opt), 0);
    piiscan_report_file(r, "a", 10);
    cr_assert_eq(piiscan_report_close(r, 0), 0);
    out_close(&o);
    cr_expect_str_eq(o.buf, "No personal data found.\n\nfiles 1  bytes 10  findings 0  "
                            "errors 0  seconds 0.000\n");
    free(o.buf);
}

/* ---- API edges --------------------------------------------------------- */

Test(api, format_names)
{
    cr_expect_eq(piiscan_format_from_name("summary"), PIISCAN_FMT_SUMMARY);
    cr_expect_eq(piiscan_format_from_name("jsonl"), PIISCAN_FMT_JSONL);
    cr_expect_eq(piiscan_format_from_name("JSON"), PIISCAN_FMT_JSON);
    cr_expect_eq(piiscan_format_from_name("sarif"), PIISCAN_FMT_SARIF);
    cr_expect_eq(piiscan_format_from_name("csv"), PIISCAN_FMT_CSV);
    cr_expect_eq(piiscan_format_from_name("xml"), -1);
    cr_expect_eq(piiscan_format_from_name("json "), -1);
    cr_expect_eq(piiscan_format_from_name(""), -1);
    cr_expect_eq(piiscan_format_from_name(NULL), -1);
}

/* The JSON sinks write type names without running them through the
 * escaper (report_jsonl.c): a name must never need it. */
Test(api, type_names_need_no_json_escape)
{
    for (int t = 0; t < PIISCAN_TYPE_COUNT; t++) {
        const char *name = piiscan_type_name((piiscan_type)t);
        cr_assert_not_null(name);
        cr_expect_gt(strlen(name), 0);
        for (const char *p = name; *p; p++)
            cr_expect((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_',
                      "type %d name '%s'", t, name);
    }
}

Test(api, bad_arguments)
{
    piiscan_report *r = (piiscan_report *)1;
    piiscan_report_options opt = {(piiscan_format)42, 0, NULL, 0};
    cr_expect_eq(piiscan_report_open(&r, stdout, &opt), -1);
    cr_expect_null(r);
    opt.format = PIISCAN_FMT_JSONL;
    cr_expect_eq(piiscan_report_open(&r, NULL, &opt), -1);

    out o;
    out_open(&o);
    cr_assert_eq(piiscan_report_open(&r, o.fp, &opt), 0);
    piiscan_finding f = mobile();
    f.type = PIISCAN_TYPE_COUNT;
    cr_expect_eq(piiscan_report_finding(r, "a", &f), -1);
    cr_expect_eq(piiscan_report_finding(r, "a", NULL), -1);
    cr_assert_eq(piiscan_report_close(r, 0), 0);
    out_close(&o);
    cr_expect(strstr(o.buf, "\"findings\":0") != NULL, "%s", o.buf);
    free(o.buf);
}

Test(api, write_error_reported)
{
    FILE *full = fopen("/dev/full", "w");
    cr_assert_not_null(full);
    piiscan_report_options opt = {PIISCAN_FMT_JSONL, 0, NULL, 0};
    piiscan_report *r;
    piiscan_report_open(&r, full, &opt);
    cr_assert_not_null(r);
    piiscan_finding f = mobile();
    piiscan_report_finding(r, "a", &f);
    cr_expect_eq(piiscan_report_close(r, 0), -1);
    fclose(full);
}

Test(api, key_is_copied)
{
    unsigned char key[32];
    memcpy(key, KEY, sizeof key);
    piiscan_report_options opt = {PIISCAN_FMT_JSONL, 0, key, sizeof key};
    piiscan_report *r;
    out o;
    out_open(&o);
    cr_assert_eq(piiscan_report_open(&r, o.fp, &opt), 0);
    memset(key, 0, sizeof key); /* caller wipes its buffer */
    piiscan_finding f = mobile();
    cr_assert_eq(piiscan_report_finding(r, "a", &f), 0);
    cr_assert_eq(piiscan_report_close(r, 0), 0);
    out_close(&o);
    fp_init();
    cr_expect(strstr(o.buf, mobile_fp) != NULL, "%s", o.buf);
    free(o.buf);
}

/* A path that is not UTF-8 shows U+FFFD in JSON; path_base64 carries its
 * bytes, in findings and errors, and only for such paths. */
Test(api, json_path_base64_for_non_utf8_paths)
{
    static const piiscan_format fmts[] = { PIISCAN_FMT_JSONL, PIISCAN_FMT_JSON };
    for (size_t k = 0; k < sizeof fmts / sizeof fmts[0]; k++) {
        out o;
        piiscan_report_options opt = {fmts[k], 0, KEY, sizeof KEY};
        piiscan_report *r;
        out_open(&o);
        cr_assert_eq(piiscan_report_open(&r, o.fp, &opt), 0);
        piiscan_finding a = mobile();
        cr_assert_eq(piiscan_report_finding(r, "./\xca\xd6\xbb\xfa.log", &a), 0);   /* 手机.log in GBK */
        cr_assert_eq(piiscan_report_finding(r, "./手机.log", &a), 0);
        piiscan_report_error(r, "missing\xca.log", "No such file or directory");
        cr_assert_eq(piiscan_report_close(r, 0.1), 0);
        out_close(&o);
        cr_expect(strstr(o.buf, "\"path\":\"./\\ufffd\\ufffd\\ufffd\\ufffd.log\"") ||
                      strstr(o.buf, "\"path\":\"./\\ufffd"), "%s", o.buf);
        cr_expect(strstr(o.buf, "\"path_base64\":\"Li/K1rv6LmxvZw==\""), "%s", o.buf);
        cr_expect(strstr(o.buf, "\"path_base64\":\"bWlzc2luZ8oubG9n\""), "%s", o.buf);
        /* The UTF-8 name has none. */
        const char *u = strstr(o.buf, "\"path\":\"./手机.log\"");
        cr_assert_not_null(u, "%s", o.buf);
        const char *eol = strchr(u, '}');
        cr_expect(!memmem(u, (size_t)(eol - u), "path_base64", 11), "%s", o.buf);
        free(o.buf);
    }
}
