/*
 * test_struct.c -- the structure trackers (CSV, JSON, SQL dumps): the
 * column and quoting of every byte of crafted inputs, the same answer
 * whatever the window cuts (inside quoted fields, escapes, keywords), format
 * detection, column-name classification, replacement escaping, and the
 * findings of the public API with column context.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine_int.h"
#include "keyname.h"
#include "piiscan.h"
#include "struct.h"
#include "struct_int.h"
#include "ruleset_suite.h"

RULESET_SUITE(structure);

/* ---- per-byte view of a tracker -------------------------------------- */

#define NAMELEN 48
typedef struct byteview {
    size_t n;
    char (*col)[NAMELEN];   /* "" = no column */
    int *q;
    uint32_t *row;          /* ordinal of the value in its column */
} byteview;

static void view_free(byteview *v)
{
    free(v->col);
    free(v->q);
    free(v->row);
}

/* Feed s through a tracker in windows whose accept ranges end at cuts[]
 * (the whole stream stays visible, as the overlap would make it). */
static byteview track_named(const char *name, const char *s, size_t n, const size_t *cuts, size_t ncuts)
{
    byteview v = { .n = n, .col = calloc(n + 1, NAMELEN), .q = calloc(n + 1, sizeof(int)),
                   .row = calloc(n + 1, sizeof(uint32_t)) };
    cr_assert(v.col && v.q && v.row);
    pii_tracker *t = pii_tracker_new(rs);
    cr_assert(t);
    pii_tracker_set_name(t, name);
    pii_fieldmap m = { 0 };
    size_t lo = 0;
    for (size_t k = 0; k <= ncuts; k++) {
        size_t hi = k < ncuts ? cuts[k] : n;
        if (hi <= lo && k < ncuts)
            continue;
        pii_window w = { .data = (const uint8_t *)s, .len = n, .acc_lo = lo, .acc_hi = hi, .at_start = true,
                         .at_eof = true };
        pii_tracker_feed(t, &w, &m);
        for (size_t i = lo; i < hi; i++) {
            const pii_field *f = pii_fieldmap_at(&m, (uint32_t)i);
            const pii_colinfo *ci = f && f->col != PII_COL_NONE ? pii_tracker_col(t, f->col) : NULL;
            snprintf(v.col[i], NAMELEN, "%s", ci ? ci->name : "");
            v.q[i] = f ? f->quote : 0;
            v.row[i] = f ? f->row : 0;
        }
        lo = hi;
    }
    free(m.v);
    pii_tracker_free(t);
    return v;
}

static byteview track(const char *s, size_t n, const size_t *cuts, size_t ncuts)
{
    return track_named(NULL, s, n, cuts, ncuts);
}

static byteview track1(const char *s) { return track(s, strlen(s), NULL, 0); }

/* Window cuts at every position, and in chunks of 1, 2, 3, 5, 7 bytes, give
 * the map of one big window. */
static void same_under_cuts(const char *s)
{
    size_t n = strlen(s);
    byteview ref = track1(s);
    for (size_t c = 1; c < n; c++) {
        byteview v = track(s, n, &c, 1);
        for (size_t i = 0; i < n; i++) {
            cr_assert_str_eq(v.col[i], ref.col[i], "cut at %zu: column at %zu", c, i);
            cr_assert_eq(v.q[i], ref.q[i], "cut at %zu: quoting at %zu", c, i);
            cr_assert_eq(v.row[i], ref.row[i], "cut at %zu: value ordinal at %zu", c, i);
        }
        view_free(&v);
    }
    static const size_t steps[] = { 1, 2, 3, 5, 7 };
    for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
        size_t nc = n / steps[k];
        size_t *cuts = calloc(nc + 1, sizeof *cuts);
        for (size_t j = 0; j < nc; j++)
            cuts[j] = (j + 1) * steps[k];
        byteview v = track(s, n, cuts, nc);
        for (size_t i = 0; i < n; i++) {
            cr_assert_str_eq(v.col[i], ref.col[i], "chunks of %zu: column at %zu", steps[k], i);
            cr_assert_eq(v.q[i], ref.q[i], "chunks of %zu: quoting at %zu", steps[k], i);
            cr_assert_eq(v.row[i], ref.row[i], "chunks of %zu: value ordinal at %zu", steps[k], i);
        }
        free(cuts);
        view_free(&v);
    }
    view_free(&ref);
}

/* An input written as segments: the bytes of a segment with col != NULL
 * must all be in that column ("" = none) with quoting q; structural bytes
 * (col == NULL) are not checked. */
typedef struct seg {
    const char *s;
    const char *col;
    int q;
} seg;

static char *join(const seg *sg, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(sg[i].s);
    char *s = malloc(len + 1), *w = s;
    for (size_t i = 0; i < n; i++)
        w = stpcpy(w, sg[i].s);
    return s;
}

static void check_segments(const seg *sg, size_t nseg)
{
    char *s = join(sg, nseg);
    byteview v = track1(s);
    size_t off = 0;
    for (size_t k = 0; k < nseg; k++) {
        size_t l = strlen(sg[k].s);
        for (size_t i = off; sg[k].col && i < off + l; i++) {
            cr_assert_str_eq(v.col[i], sg[k].col, "segment %zu (%s), offset %zu: column", k, sg[k].s, i);
            cr_assert_eq(v.q[i], sg[k].q, "segment %zu (%s), offset %zu: quoting '%c' not '%c'", k, sg[k].s, i,
                         v.q[i], sg[k].q);
        }
        off += l;
    }
    view_free(&v);
    same_under_cuts(s);
    free(s);
}

#define CHECK(...)                                                                                             \
    do {                                                                                                       \
        static const seg sg_[] = { __VA_ARGS__ };                                                              \
        check_segments(sg_, sizeof sg_ / sizeof *sg_);                                                         \
    } while (0)

/* ---- CSV ----------------------------------------------------------------- */

Test(structure, csv_rfc4180)
{
    CHECK({ "name,\"mobile\",note\r\n", NULL, 0 },
          { "Li Lei", "name", ',' }, { ",", NULL, 0 }, { "13800138000", "mobile", ',' }, { ",", NULL, 0 },
          { "plain", "note", ',' }, { "\r\n", NULL, 0 },
          { "\"", NULL, 0 }, { "Wang, \"\"Xiao\"\"\nWu", "name", 'c' }, { "\",", NULL, 0 },
          { "\"", NULL, 0 }, { "139,0013\n9000", "mobile", 'c' }, { "\",", NULL, 0 }, { "\n", NULL, 0 },
          { "x", "name", ',' }, { ",,", NULL, 0 }, { "last", "note", ',' });
}

Test(structure, csv_semicolon_tab_and_extra_fields)
{
    CHECK({ "id;手机号\n3;4\n5;6\n7;8\n", NULL, 0 }, { "1", "id", ';' }, { ";", NULL, 0 },
          { "13800138000", "手机号", ';' }, { ";", NULL, 0 }, { "extra", "", ';' }, { "\n", NULL, 0 }, { "2", "id", ';' },
          { ";\"", NULL, 0 }, { "a;b", "手机号", 'c' }, { "\"", NULL, 0 }, { "tail", "手机号", ';' }, { "\n", NULL, 0 });
    CHECK({ "id\tphone\n", NULL, 0 }, { "1", "id", '\t' }, { "\t", NULL, 0 }, { "a,b;c", "phone", '\t' },
          { "\n", NULL, 0 });
}

Test(structure, csv_header_is_no_column)
{
    byteview v = track1("phone,email\n13800138000,a@b.cn\n");
    for (size_t i = 0; i < 12; i++)
        cr_assert_str_eq(v.col[i], "", "header byte %zu", i);
    view_free(&v);
}

/* ---- JSON ---------------------------------------------------------------- */

Test(structure, json_paths)
{
    CHECK({ "{\"", NULL, 0 }, { "user", "", 'j' }, { "\":{\"", NULL, 0 }, { "phone", "", 'j' }, { "\":\"", NULL, 0 },
          { "13800138000", "user.phone", 'j' }, { "\",\"", NULL, 0 }, { "tags", "", 'j' }, { "\":[\"", NULL, 0 },
          { "a", "user.tags[]", 'j' }, { "\",", NULL, 0 }, { "12.5", "user.tags[]", 'J' }, { "]},\"", NULL, 0 },
          { "devices", "", 'j' }, { "\":[{\"", NULL, 0 }, { "imei", "", 'j' }, { "\":\"", NULL, 0 },
          { "861043441463997", "devices[].imei", 'j' }, { "\"},{\"", NULL, 0 }, { "imei", "", 'j' },
          { "\": ", NULL, 0 }, { "861043441463997", "devices[].imei", 'J' }, { "}],\"", NULL, 0 },
          { "esc\\\"k", "", 'j' }, { "\":\"", NULL, 0 }, { "a\\\"b\\\\\\u00e9 }", "esc\"k", 'j' },
          { "\"}\n", NULL, 0 },
          /* JSON Lines: the next record starts a fresh path */
          { "{\"", NULL, 0 }, { "phone", "", 'j' }, { "\":", NULL, 0 }, { "13800138000", "phone", 'J' },
          { "}\n", NULL, 0 });
}

Test(structure, json_top_level_array_and_escaped_keys)
{
    CHECK({ "[{\"", NULL, 0 }, { "\\u624b\\u673a", "", 'j' }, { "\":\"", NULL, 0 }, { "13800138000", "手机", 'j' },
          { "\"},\n {\"", NULL, 0 }, { "a", "", 'j' }, { "\":[[", NULL, 0 }, { "1", "a[][]", 'J' },
          { "]]}]\n", NULL, 0 });
}

Test(structure, json_bad_line_recovers)
{
    CHECK({ "{\"", NULL, 0 }, { "a", "", 'j' }, { "\":\"", NULL, 0 }, { "x", "a", 'j' }, { "\"}\n", NULL, 0 },
          { "not json at all 13800138000\n", "", 0 }, { "{\"", NULL, 0 }, { "b", "", 'j' }, { "\":", NULL, 0 },
          { "7", "b", 'J' }, { "}\n", NULL, 0 });
}

/* The tracker first tries the column that followed the previous one (JSON
 * Lines repeat their keys in order).  Every way the guess can be wrong --
 * another order, a key left out, a new key, a key that is a prefix of the
 * guess or the guess a prefix of it, the same key one level down -- must
 * still give each value its own column. */
Test(structure, json_lines_guessed_columns)
{
    CHECK(/* twice the same order: the second line is all guesses */
          { "{\"ph\":\"", NULL, 0 }, { "1", "ph", 'j' }, { "\",\"phone\":\"", NULL, 0 }, { "2", "phone", 'j' },
          { "\",\"phone2\":", NULL, 0 }, { "3", "phone2", 'J' }, { ",\"user\":{\"phone\":\"", NULL, 0 },
          { "4", "user.phone", 'j' }, { "\"}}\n", NULL, 0 },
          { "{\"ph\":\"", NULL, 0 }, { "1", "ph", 'j' }, { "\",\"phone\":\"", NULL, 0 }, { "2", "phone", 'j' },
          { "\",\"phone2\":", NULL, 0 }, { "3", "phone2", 'J' }, { ",\"user\":{\"phone\":\"", NULL, 0 },
          { "4", "user.phone", 'j' }, { "\"}}\n", NULL, 0 },
          /* another order; "phone" where "user.phone" was guessed */
          { "{\"user\":{\"phone\":\"", NULL, 0 }, { "4", "user.phone", 'j' }, { "\"},\"phone\":\"", NULL, 0 },
          { "2", "phone", 'j' }, { "\",\"ph\":\"", NULL, 0 }, { "1", "ph", 'j' }, { "\"}\n", NULL, 0 },
          /* "phone" left out: "phone2" where "phone" (a prefix of it) was guessed */
          { "{\"ph\":\"", NULL, 0 }, { "1", "ph", 'j' }, { "\",\"phone2\":\"", NULL, 0 }, { "3", "phone2", 'j' },
          { "\"}\n", NULL, 0 },
          /* ... and back: "phone" where "phone2" (which it is a prefix of) was guessed */
          { "{\"ph\":\"", NULL, 0 }, { "1", "ph", 'j' }, { "\",\"phone\":\"", NULL, 0 }, { "2", "phone", 'j' },
          { "\"}\n", NULL, 0 },
          /* a new key, a prefix of the guess, then the old ones */
          { "{\"ph\":\"", NULL, 0 }, { "1", "ph", 'j' }, { "\",\"pho\":\"", NULL, 0 }, { "5", "pho", 'j' },
          { "\",\"phone\":\"", NULL, 0 }, { "2", "phone", 'j' }, { "\",\"user\":{\"ph\":\"", NULL, 0 },
          { "6", "user.ph", 'j' }, { "\"}}\n", NULL, 0 },
          /* the same key under another parent, and an element path */
          { "{\"user\":{\"phone\":\"", NULL, 0 }, { "4", "user.phone", 'j' }, { "\"},\"ph\":[\"", NULL, 0 },
          { "7", "ph[]", 'j' }, { "\"],\"phone\":\"", NULL, 0 }, { "2", "phone", 'j' }, { "\"}\n", NULL, 0 });
}

/* The guess is what makes JSON Lines cheap: records that repeat their
 * keys in order look each key up by hash once -- on the first record, and
 * the first key of the second (nothing followed the last key yet) -- and
 * a record in another order costs a look-up per key out of place. */
Test(structure, json_lines_guess_spares_lookups)
{
    char s[4000];
    size_t n = 0;
    for (int i = 0; i < 40; i++)
        n += (size_t)sprintf(s + n, "{\"ts\":%d,\"uid\":\"u%d\",\"ev\":{\"kind\":\"x\",\"n\":1},\"ok\":true}\n", i, i);
    pii_tracker *t = pii_tracker_new(rs);
    pii_fieldmap m = { 0 };
    pii_window w = { .data = (const uint8_t *)s, .len = n, .acc_lo = 0, .acc_hi = n, .at_start = true,
                     .at_eof = true };
    pii_tracker_feed(t, &w, &m);
    cr_assert_eq(t->misses, 6, "5 key paths and the wrap to the first: %u", t->misses);
    const char *swapped = "{\"uid\":\"u\",\"ts\":1,\"ev\":{\"kind\":\"x\",\"n\":1},\"ok\":true}\n";
    pii_window w2 = { .data = (const uint8_t *)swapped, .len = strlen(swapped), .acc_lo = 0,
                      .acc_hi = strlen(swapped) };
    pii_tracker_feed(t, &w2, &m);
    cr_assert_eq(t->misses, 6 + 3, "uid, ts and ev.kind out of place: %u", t->misses - 6);
    free(m.v);
    pii_tracker_free(t);
}

/* The reader's column entries are one array that moves as it grows: a
 * record of 300 keys grows it from 64 while values are counted and guesses
 * linked, and the later records find every column by its guess, with its
 * count. */
Test(structure, json_lines_many_columns_survive_growth)
{
    enum { KEYS = 300, LINES = 3 };
    char *s = malloc(KEYS * 16 * LINES + 16);
    cr_assert(s);
    size_t n = 0;
    for (int l = 0; l < LINES; l++) {
        for (int k = 0; k < KEYS; k++)
            n += (size_t)sprintf(s + n, "%c\"k%d\":%d", k ? ',' : '{', k, l);
        n += (size_t)sprintf(s + n, "}\n");
    }
    pii_tracker *t = pii_tracker_new(rs);
    pii_fieldmap m = { 0 };
    pii_window w = { .data = (const uint8_t *)s, .len = n, .acc_lo = 0, .acc_hi = n, .at_start = true,
                     .at_eof = true };
    pii_tracker_feed(t, &w, &m);
    cr_assert_eq(t->ncols, KEYS);
    cr_assert_eq(t->misses, KEYS + 1, "the first record and the wrap to its first key: %u", t->misses);
    const pii_field *f = pii_fieldmap_at(&m, (uint32_t)(n - 3));   /* the last value */
    cr_assert(f && f->col != PII_COL_NONE);
    cr_assert_str_eq(pii_tracker_col(t, f->col)->name, "k299");
    cr_assert_eq(f->row, LINES);
    for (uint16_t c = 0; c < KEYS; c++)
        cr_assert_eq(pii_tr_rd(t, c)->rows, LINES, "column %u", c);
    free(m.v);
    pii_tracker_free(t);
    free(s);
}

/* The value ordinal of a column counts its values only: a wrong guess must
 * not count a value in the guessed column. */
Test(structure, json_lines_guess_counts_the_right_column)
{
    /* Four lines of 14 bytes; the value of the second key at 11. */
    const char *s = "{\"a\":1,\"b\":2}\n{\"a\":1,\"b\":2}\n{\"a\":1,\"c\":3}\n{\"a\":1,\"b\":2}\n";
    byteview v = track1(s);
    static const char *const col[] = { "b", "b", "c", "b" };
    static const uint32_t row[] = { 1, 2, 1, 3 };
    for (size_t k = 0; k < 4; k++) {
        cr_assert_str_eq(v.col[14 * k + 11], col[k], "line %zu", k);
        cr_assert_eq(v.row[14 * k + 11], row[k], "line %zu: value ordinal", k);
        cr_assert_eq(v.row[14 * k + 5], k + 1, "line %zu: a's value ordinal", k);
    }
    view_free(&v);
}

/* Strings end at an unescaped quote however the escapes before it fall on
 * window cuts (CHECK cuts everywhere): \" and \\ in keys and values,
 * a backslash run ending a string, escaped quotes at the start and end. */
Test(structure, json_escapes_under_cuts)
{
    CHECK({ "{\"", NULL, 0 }, { "k\\\"q", "", 'j' }, { "\":\"", NULL, 0 }, { "v\\\\", "k\"q", 'j' },
          { "\",\"", NULL, 0 }, { "b\\\\", "", 'j' }, { "\":\"", NULL, 0 }, { "\\\"", "b\\", 'j' },
          { "\",\"", NULL, 0 }, { "\\\\\\\\\\\"", "", 'j' }, { "\":\"", NULL, 0 }, { "x\\\\\\\"y\\\\\\\\", "\\\\\"", 'j' },
          { "\"}\n", NULL, 0 },
          /* the same keys again (guessed), with other escapes in the values */
          { "{\"", NULL, 0 }, { "k\\\"q", "", 'j' }, { "\":\"", NULL, 0 }, { "\\\\\\\\", "k\"q", 'j' },
          { "\",\"", NULL, 0 }, { "b\\\\", "", 'j' }, { "\":\"", NULL, 0 }, { "\\u0022\\/", "b\\", 'j' },
          { "\"}\n", NULL, 0 });
}

/* A key longer than a column name is cut to the same bytes whether it is
 * taken as written or goes through escape decoding (here for a "\n" past
 * the cut): 237 of them. */
Test(structure, json_long_key_plain_or_escaped)
{
    char s[1200];
    size_t n = 0;
    for (int k = 0; k < 2; k++) {
        n += (size_t)sprintf(s + n, "{\"");
        for (int i = 0; i < 300; i++)
            s[n++] = 'k';
        n += (size_t)sprintf(s + n, "%s\":\"%d\"}\n", k ? "\\n" : "", k + 1);
    }
    s[n] = 0;
    pii_tracker *t = pii_tracker_new(rs);
    pii_fieldmap m = { 0 };
    pii_window w = { .data = (const uint8_t *)s, .len = n, .acc_lo = 0, .acc_hi = n, .at_start = true,
                     .at_eof = true };
    pii_tracker_feed(t, &w, &m);
    const pii_field *f1 = pii_fieldmap_at(&m, (uint32_t)(strchr(s, '1') - s));
    const pii_field *f2 = pii_fieldmap_at(&m, (uint32_t)(strchr(s, '2') - s));
    cr_assert(f1 && f2 && f1->col != PII_COL_NONE);
    cr_assert_eq(strlen(pii_tracker_col(t, f1->col)->name), 237);
    cr_assert_eq(f1->col, f2->col, "the same 237 bytes, one column");
    free(m.v);
    pii_tracker_free(t);
}

/* The forward cursor finds what the binary search finds, for offsets in
 * order, repeated, backwards and at random, before the first field and
 * past the last. */
Test(structure, fieldmap_seek_equals_binary_search)
{
    pii_field v[300];
    for (uint32_t i = 0; i < 300; i++)
        v[i] = (pii_field){ .off = 10 + 7 * i + (i % 3), .col = (uint16_t)i };
    for (size_t n = 0; n <= 300; n += n < 20 ? 1 : 37) {
        pii_fieldmap m = { .v = v, .n = n, .cap = 300 };
        size_t cur = 0;
        uint32_t seed = 12345;
        for (int k = 0; k < 3000; k++) {
            uint32_t off;
            if (k < 2300)   /* ascending, with repeats and jumps of every size */
                off = (uint32_t)(k * (k % 7 ? 1 : 3)) % 2300;
            else            /* anywhere */
                off = (seed = seed * 1103515245u + 12345u) >> 20;
            const pii_field *a = pii_fieldmap_at(&m, off), *b = pii_fieldmap_seek(&m, &cur, off);
            cr_assert_eq(a, b, "n %zu, query %d at %u: field %ld, not %ld", n, k, off, a ? (long)(a - v) : -1L,
                         b ? (long)(b - v) : -1L);
        }
    }
}

/* A ':' or ',' out of place right after a string or a number is an error
 * as anywhere else: the rest of the line is text (after a good first line,
 * or the stream would not be taken for JSON). */
Test(structure, json_punctuation_out_of_place)
{
    CHECK({ "{\"ok\":1}\n{\"", NULL, 0 }, { "a", "", 'j' }, { "\":\"", NULL, 0 }, { "x", "a", 'j' }, { "\"", NULL, 0 },
          { ":\"13800138000\"}\n", "", 0 }, { "{\"", NULL, 0 }, { "b", "", 'j' }, { "\":", NULL, 0 }, { "7", "b", 'J' },
          { ":1}\n", "", 0 }, { "{\"", NULL, 0 }, { "c", "", 'j' }, { "\"", NULL, 0 }, { ",\"d\":1}\n", "", 0 },
          { "{\"", NULL, 0 }, { "e", "", 'j' }, { "\":[", NULL, 0 }, { "1", "e[]", 'J' }, { ",", NULL, 0 },
          { "2", "e[]", 'J' }, { "]}\n", NULL, 0 });
}

/* ---- SQL ----------------------------------------------------------------- */

Test(structure, mysqldump)
{
    CHECK({ "-- MySQL dump 10.13\n/*!40101 SET NAMES utf8mb4 */;\nCREATE TABLE `users` (\n  `id` bigint NOT NULL,\n"
            "  `mobile` varchar(20) DEFAULT NULL COMMENT 'a;b',\n  `amount` decimal(10,2),\n"
            "  PRIMARY KEY (`id`),\n  KEY `k` (`mobile`)\n) ENGINE=InnoDB;\n"
            "INSERT INTO `users` VALUES (",
            NULL, 0 },
          { "1", "users.id", 'n' }, { ",'", NULL, 0 }, { "13800138000", "users.mobile", 's' }, { "',", NULL, 0 },
          { "9.5", "users.amount", 'n' }, { "),(", NULL, 0 }, { "2", "users.id", 'n' }, { ",'", NULL, 0 },
          { "it''s \\' a \\\\", "users.mobile", 's' }, { "',", NULL, 0 }, { "NULL", "users.amount", 'n' },
          { ")", NULL, 0 }, { ";\n-- done; 'quote\n", "", 0 },
          { "INSERT INTO users (`amount`, mobile) VALUES (", NULL, 0 }, { "1", "users.amount", 'n' },
          { ", '", NULL, 0 }, { "x", "users.mobile", 's' }, { "');\n", NULL, 0 },
          { "SET TIME_ZONE='", NULL, 0 }, { "+00:00", "", 's' }, { "';\n", NULL, 0 });
}

Test(structure, pg_dump)
{
    CHECK({ "--\n-- PostgreSQL database dump\n--\nSET standard_conforming_strings = on;\n"
            "CREATE FUNCTION f() RETURNS int AS $fn$ select ';'; $ $fn $fn$ LANGUAGE sql;\n"
            "CREATE TABLE public.app_users (\n    id bigint NOT NULL,\n    phone character varying(20)\n);\n"
            "COPY public.app_users (id, phone) FROM stdin;\n",
            NULL, 0 },
          { "1", "app_users.id", 'p' }, { "\t", NULL, 0 }, { "13800138000", "app_users.phone", 'p' },
          { "\n", NULL, 0 }, { "2", "app_users.id", 'p' }, { "\t", NULL, 0 }, { "a\\tb\\\\", "app_users.phone", 'p' },
          { "\n", NULL, 0 }, { "\\N", "app_users.id", 'p' }, { "\t", NULL, 0 }, { "\\N", "app_users.phone", 'p' },
          { "\n\\.\n", NULL, 0 },
          { "INSERT INTO public.app_users VALUES (", NULL, 0 }, { "3", "app_users.id", 'n' }, { ", '", NULL, 0 },
          { "a\\", "app_users.phone", 'S' }, { "'), (4, E'", NULL, 0 }, { "x\\'y", "app_users.phone", 's' },
          { "');\n", NULL, 0 });
}

/* The values of INSERT tuples are read without the lexer's pass per byte;
 * signs, E'...' strings, doubled quotes, escapes, a lone e, nested calls and
 * blanks must come out as the lexer reads them, cut anywhere. */
Test(structure, sql_tuple_values)
{
    CHECK({ "CREATE TABLE t (a int, b varchar(9), c int);\nINSERT INTO t VALUES (-", NULL, 0 },
          { "1", "t.a", 'n' }, { ",'", NULL, 0 }, { "it''s", "t.b", 's' }, { "',\n '", NULL, 0 },
          { "x\\\\\\'", "t.c", 's' }, { "'),(", NULL, 0 }, { "e", "t.a", 'n' }, { ",'", NULL, 0 },
          { "\\'", "t.b", 's' }, { "',", NULL, 0 }, { "CONCAT", "t.c", 'n' }, { "('", NULL, 0 }, { "a", "t.c", 's' },
          { "', '", NULL, 0 }, { "b''", "t.c", 's' }, { "'))", NULL, 0 }, { ",\t( ", NULL, 0 },
          { "1.5e3", "t.a", 'n' }, { " , ", NULL, 0 }, { "NULL", "t.b", 'n' }, { " ,'", NULL, 0 },
          { "", "t.c", 's' }, { "',", NULL, 0 }, { "9", "", 'n' }, { ");\n", NULL, 0 });
    CHECK({ "--\n-- PostgreSQL database dump\n--\nSET standard_conforming_strings = on;\n"
            "CREATE TABLE t (a text, b text, c text);\nINSERT INTO t VALUES (E'",
            NULL, 0 },
          { "a\\'b", "t.a", 's' }, { "', e'", NULL, 0 }, { "x''", "t.b", 's' }, { "', '", NULL, 0 },
          { "a\\", "t.c", 'S' }, { "'), (", NULL, 0 }, { "e", "t.a", 'n' }, { ", '", NULL, 0 }, { "''", "t.b", 'S' },
          { "', ", NULL, 0 }, { "2", "t.c", 'n' }, { ");\n", NULL, 0 });
}

/* ---- detection ------------------------------------------------------------- */

static bool structured(const char *s)
{
    byteview v = track1(s);
    bool any = false;
    for (size_t i = 0; i < v.n; i++)
        any |= v.col[i][0] != 0 || v.q[i] != 0;
    view_free(&v);
    return any;
}

Test(structure, detection)
{
    cr_assert(!structured("[2024-03-01 12:00:00] INFO user 13800138000 logged in\n[2024-03-01] x\n"));
    cr_assert(!structured("2024-03-01 12:00:00,123 INFO a,b,c\n2024-03-01 12:00:01,456 INFO d,e,f\n"));
    cr_assert(!structured("just some text, with commas, here\nand more, text, here\n"));
    cr_assert(!structured("INSERT INTO is what the log says\nnothing else\n"));
    cr_assert(structured("{\"a\":\"b\"}\n"));
    cr_assert(structured("name,phone\nx,1\n"));
    cr_assert(structured("name,phone number\nx,1\ny,2\n"));
    cr_assert(!structured("one two three four,x\na,b\nc,d\n"), "a sentence is no column name");
    cr_assert(structured("\xEF\xBB\xBFname;phone\nx;1\n"));
    cr_assert(structured("INSERT INTO t VALUES ('a');\n"));
    cr_assert(!structured("name,phone\nx,1,2\n"), "records must match the header");
    cr_assert(structured("\"first\nname\",phone\nx,1\ny,2\n"),
              "a quoted header name may hold a line break, the delimiter after it");
    cr_assert(!structured("no delimiter on the first line\nname,phone\nx,1\n"));
}

/* ---- the file name as a hint ------------------------------------------------ */

static bool structured_as(const char *name, const char *s)
{
    byteview v = track_named(name, s, strlen(s), NULL, 0);
    bool any = false;
    for (size_t i = 0; i < v.n; i++)
        any |= v.col[i][0] != 0 || v.q[i] != 0;
    view_free(&v);
    return any;
}

/* The column of the first byte of the first occurrence of needle. */
static const char *col_named(const char *name, const char *s, const char *needle, char out[NAMELEN])
{
    byteview v = track_named(name, s, strlen(s), NULL, 0);
    const char *at = strstr(s, needle);
    cr_assert(at);
    snprintf(out, NAMELEN, "%s", v.col[at - s]);
    view_free(&v);
    return out;
}

Test(structure, file_name_hint)
{
    char c[NAMELEN];
    /* A header of numbers fails the names test; named .csv, consistent
     * delimiter counts make it a CSV all the same. */
    const char *num = "2023,2024\n13800138000,13912345678\n13700001111,13600002222\n";
    cr_assert(!structured_as(NULL, num));
    cr_assert(!structured_as("export.txt", num));
    cr_assert(structured_as("export.csv", num));
    cr_assert_str_eq(col_named("export.CSV", num, "139", c), "2024");
    cr_assert(structured_as("dump.tar.gz!/2024/export.csv.gz!/export.csv", num), "archive member name");
    cr_assert(structured_as("export.csv.gz", num), "compression suffix looked through");
    cr_assert(!structured_as("export.csv!/inner.txt", num), "the last member names the stream");
    /* ... but only when the counts agree, and a single record is not enough. */
    cr_assert(!structured_as("x.csv", "2023,2024\n1,2,3\n4\n5,6,7,8\n"));
    cr_assert(!structured_as("x.csv", "2023,2024\n1,2\n"));
    cr_assert(structured_as("x.tsv", "1\t2\n3\t4\n5\t6\n"));
    /* JSON Lines the strict probe rejects (Python writes NaN): named .jsonl
     * it is JSON anyway, and the tracker recovers after the bad token. */
    const char *jl = "{\"phone\":\"13800138000\",\"score\":NaN}\n{\"phone\":\"13912345678\"}\n";
    cr_assert(!structured_as(NULL, jl));
    cr_assert(structured_as("events.jsonl", jl));
    cr_assert(structured_as("a.zip!/events.ndjson", jl));
    cr_assert_str_eq(col_named("events.json", jl, "139", c), "phone");
    /* An SQL dump that starts with something else than a dump header or a
     * statement the content test knows (sqlite3's .dump). */
    const char *sql = "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE t (phone TEXT);\n"
                      "INSERT INTO t VALUES('13800138000');\nCOMMIT;\n";
    cr_assert(!structured_as(NULL, sql));
    cr_assert(structured_as("shop.sql", sql));
    cr_assert_str_eq(col_named("shop.sql", sql, "138", c), "t.phone");
    /* A hint never makes text structured by itself, nor hides another format. */
    cr_assert(!structured_as("notes.csv", "just some text, with commas, here\nand more\n"));
    cr_assert(!structured_as("notes.sql", "no statement here\n"));
    cr_assert(!structured_as("notes.json", "plain text\n"));
    cr_assert(structured_as("data.csv", "{\"a\":\"b\"}\n"), "a JSON export named .csv is still JSON");
}

/* ---- column names --------------------------------------------------------- */

static bool names(const char *n, piiscan_type t, bool whole)
{
    uint32_t km, wm;
    pii_key_classify(rs, (const uint8_t *)n, strlen(n), &km, &wm);
    return ((whole ? wm : km) >> t) & 1u;
}

Test(structure, column_names_classify)
{
    cr_assert(names("mobile", PIISCAN_CN_MOBILE, false));
    cr_assert(names("receiverMobile", PIISCAN_CN_MOBILE, false));
    cr_assert(names("IMEI", PIISCAN_IMEI, false));
    cr_assert(names("device_imei", PIISCAN_IMEI, false));
    cr_assert(names("身份证号", PIISCAN_CN_RESIDENT_ID, false));
    cr_assert(names("收货人", PIISCAN_PERSON_NAME, false));
    cr_assert(names("full_name", PIISCAN_PERSON_NAME, true));
    cr_assert(names("nickname", PIISCAN_PERSON_NAME, false));
    cr_assert(!names("nickname", PIISCAN_PERSON_NAME, true), "a suffix is not a whole word");
    cr_assert(names("birthday", PIISCAN_BIRTH_DATE, false));
    cr_assert(!names("zip", PIISCAN_IPV4, false), "short literals must be whole components");
    cr_assert(!names("latency", PIISCAN_GPS, false));
    cr_assert(!names("created_at", PIISCAN_BIRTH_DATE, false));
    cr_assert(!names("total_spent", PIISCAN_BANK_CARD, false));
}

/* The classification by first-byte index must equal trying every key
 * literal at every place, as the rule in keyname.h reads. */
static void classify_by_hand(const uint8_t *n, size_t len, uint32_t *km, uint32_t *wm)
{
    *km = *wm = 0;
    for (size_t k = 0; k < rs->nexpr; k++) {
        const pii_hs_expr *e = &rs->expr[k];
        if (e->kind != PII_HS_LITERAL || !e->keymask || e->len == 0)
            continue;
        for (size_t st = 0; st + e->len <= len; st++) {
            if (strncasecmp((const char *)n + st, e->text, e->len) != 0)
                continue;
            int fit = pii_key_literal_fit(e, n, 0, len, st, st + e->len);
            *km |= fit != PII_KEYFIT_NO ? e->keymask : 0;
            *wm |= fit == PII_KEYFIT_WHOLE ? e->keymask : 0;
        }
    }
}

Test(structure, column_names_index_equals_every_literal)
{
    static const char *const affix[] = { "", "user_", "x", "Receiver", "_2", "s", "[]", "号", "ID", "no" };
    size_t naffix = sizeof affix / sizeof affix[0], checked = 0, named = 0;
    uint64_t r = 88172645463325252ull;
    for (size_t k = 0; k < rs->nexpr; k++) {
        const pii_hs_expr *e = &rs->expr[k];
        if (e->kind != PII_HS_LITERAL || !e->keymask)
            continue;
        for (size_t a = 0; a < naffix; a++) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            char n[256];
            snprintf(n, sizeof n, "%s%s%s", affix[a], e->text, affix[r % naffix]);
            if (r & 64)   /* upper-case the first letter: camelCase components */
                for (char *q = n + strlen(affix[a]); *q; q++)
                    if (*q >= 'a' && *q <= 'z') {
                        *q = (char)(*q - 32);
                        break;
                    }
            uint32_t km, wm, hk, hw;
            pii_key_classify(rs, (const uint8_t *)n, strlen(n), &km, &wm);
            classify_by_hand((const uint8_t *)n, strlen(n), &hk, &hw);
            cr_assert_eq(km, hk, "keymask of \"%s\": %x, by hand %x", n, km, hk);
            cr_assert_eq(wm, hw, "wholemask of \"%s\": %x, by hand %x", n, wm, hw);
            checked++;
            named += km != 0;
        }
    }
    cr_assert_gt(checked, 500, "every key literal was tried (%zu names)", checked);
    cr_assert_gt(named, checked / 2, "most of them name a type (%zu of %zu)", named, checked);
}

/* ---- escaping ------------------------------------------------------------- */

static const char *esc(int q, const char *in)
{
    static char out[256];
    ssize_t k = pii_escape_replacement(q, (const unsigned char *)in, strlen(in), (unsigned char *)out, sizeof out - 1);
    if (k < 0)
        return NULL;
    out[k] = 0;
    return out;
}

Test(structure, escape_replacement)
{
    cr_assert_str_eq(esc(PII_Q_CSV, "a,\"b\"\n"), "a,\"\"b\"\"\n");
    cr_assert_str_eq(esc(PII_Q_CSV_COMMA, "a;b\tc"), "a;b\tc");
    cr_assert_null(esc(PII_Q_CSV_COMMA, "a,b"));
    cr_assert_null(esc(PII_Q_CSV_COMMA, "a\"b"));
    cr_assert_null(esc(PII_Q_CSV_SEMI, "a\nb"));
    cr_assert_null(esc(PII_Q_CSV_TAB, "a\tb"));
    cr_assert_str_eq(esc(PII_Q_CSV_SEMI, "a,b"), "a,b");
    cr_assert_str_eq(esc(PII_Q_JSON, "a\"b\\c\n\x01"), "a\\\"b\\\\c\\n\\u0001");
    cr_assert_str_eq(esc(PII_Q_JSON_BARE, "-12.5e3"), "-12.5e3");
    cr_assert_str_eq(esc(PII_Q_JSON_BARE, "27.2*****"), "\"27.2*****\"");
    cr_assert_str_eq(esc(PII_Q_JSON_BARE, "01"), "\"01\"");
    cr_assert_str_eq(esc(PII_Q_SQL, "it's a \\"), "it''s a \\\\");
    cr_assert_str_eq(esc(PII_Q_SQL_STD, "it's a \\"), "it''s a \\");
    cr_assert_str_eq(esc(PII_Q_SQL_BARE, "13800138000"), "13800138000");
    cr_assert_null(esc(PII_Q_SQL_BARE, "138****8000"));
    cr_assert_str_eq(esc(PII_Q_COPY, "a\tb\\c\n"), "a\\tb\\\\c\\n");
    cr_assert_str_eq(esc(PII_Q_NONE, "a,\"b\""), "a,\"b\"");
    unsigned char small[4];
    cr_assert_eq(pii_escape_replacement(PII_Q_CSV, (const unsigned char *)"\"\"\"", 3, small, sizeof small), -1,
                 "does not fit");
}

static const char *unesc(int q, const char *in, size_t cap)
{
    static char out[256];
    ssize_t k = pii_unescape_field(q, (const unsigned char *)in, strlen(in), (unsigned char *)out, cap);
    if (k < 0)
        return NULL;
    out[k] = 0;
    return out;
}

Test(structure, unescape_field)
{
    /* As Python's json.dumps writes 李娜 and 😀 (a surrogate pair). */
    cr_assert_str_eq(unesc(PII_Q_JSON, "\\u674e\\u5a1c", 255), "李娜");
    cr_assert_str_eq(unesc(PII_Q_JSON, "\\ud83d\\ude00", 255), "\xf0\x9f\x98\x80");
    cr_assert_str_eq(unesc(PII_Q_JSON, "a\\\"b\\\\c\\/d\\n\\t\\u0031", 255), "a\"b\\c/d\n\t1");
    cr_assert_str_eq(unesc(PII_Q_JSON, "plain 张伟", 255), "plain 张伟");
    /* The inverse of escape_replacement: a round trip gives the value. */
    cr_assert_str_eq(unesc(PII_Q_JSON, esc(PII_Q_JSON, "a\"b\\c\n\x01李"), 255), "a\"b\\c\n\x01李");
    cr_assert_null(unesc(PII_Q_JSON, "\\u674", 255), "cut short");
    cr_assert_null(unesc(PII_Q_JSON, "\\u67zz", 255), "bad hex");
    cr_assert_null(unesc(PII_Q_JSON, "\\ud83d", 255), "lone high surrogate");
    cr_assert_null(unesc(PII_Q_JSON, "\\ude00\\ud83d", 255), "pair in the wrong order");
    cr_assert_null(unesc(PII_Q_JSON, "\\x41", 255), "not a JSON escape");
    cr_assert_null(unesc(PII_Q_JSON, "abc\\", 255), "ends in a backslash");
    cr_assert_null(unesc(PII_Q_JSON, "\\u674e\\u5a1c", 5), "does not fit");
    cr_assert_null(unesc(PII_Q_CSV, "a\"\"b", 255), "only JSON is undone");
}

/* ---- findings through the public API -------------------------------------- */

#define MAXF 8192
typedef struct found {
    char s[MAXF][96];
    int n;
} found;

static int add(void *ud, const piiscan_finding *f)
{
    found *l = ud;
    cr_assert_lt(l->n, MAXF);
    snprintf(l->s[l->n++], 96, "%llu %s %.*s %s", (unsigned long long)f->line, piiscan_type_name(f->type),
             (int)f->value_len, (const char *)f->value, f->context);
    return 0;
}

static found *scan(const char *s, size_t n, size_t window)
{
    found *l = calloc(1, sizeof *l);
    piiscan_scan_options o;
    piiscan_scan_options_init(&o);
    o.window_size = window;
    piiscan_scanner *sc;
    cr_assert_eq(piiscan_scanner_new(&sc, rs, &o), 0);
    cr_assert_eq(piiscan_scan_buffer(sc, s, n, add, l), 0);
    piiscan_scanner_free(sc);
    return l;
}

static bool has(const found *l, const char *want)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->s[i], want) == 0)
            return true;
    return false;
}

Test(structure, column_context_findings)
{
    const char *csv = "id,收货人,birthday,passport_no,created_at,remark\n"
                      "1,张伟,1990-03-15,E12345678,2023-02-24 02:25:26,\"生日 1990-01-01\"\n"
                      "2,\"欧阳娜娜\",,,2023-02-24 02:25:26,\"a, \"\"b\"\"\"\n";
    found *l = scan(csv, strlen(csv), 1 << 20);
    cr_assert(has(l, "2 PERSON_NAME 张伟 column:收货人"));
    cr_assert(has(l, "2 BIRTH_DATE 1990-03-15 column:birthday"));
    cr_assert(has(l, "2 CN_PASSPORT E12345678 column:passport_no"));
    cr_assert(has(l, "2 BIRTH_DATE 1990-01-01 hotword:生日"), "a hotword inside the same quoted cell");
    cr_assert(has(l, "3 PERSON_NAME 欧阳娜娜 column:收货人"));
    for (int i = 0; i < l->n; i++)
        cr_assert(!strstr(l->s[i], "2023-02-24"), "created_at is no birth date: %s", l->s[i]);
    free(l);
    const char *json = "{\"user\":{\"name\":\"王芳\",\"android_id\":\"9774d56d682e549c\"},\"note\":\"生日\"}\n"
                       "{\"devices\":[{\"oaid\":\"4e6925818a4f606d067fc66b9a46bcd6a51690f791d8f7ba012a59cb7da5c886\"}]}\n";
    l = scan(json, strlen(json), 1 << 20);
    cr_assert(has(l, "1 PERSON_NAME 王芳 key:user.name"));
    cr_assert(has(l, "1 ANDROID_ID 9774d56d682e549c key:user.android_id"));
    cr_assert(has(l, "2 OAID 4e6925818a4f606d067fc66b9a46bcd6a51690f791d8f7ba012a59cb7da5c886 key:devices[].oaid"));
    free(l);
    /* A GPS pair over the lat and lng cells is two values, one per cell. */
    const char *geo = "id,lat,lng\n1,39.904200,116.407400\n";
    l = scan(geo, strlen(geo), 1 << 20);
    cr_assert_eq(l->n, 2);
    cr_assert(has(l, "2 GPS 39.904200 column:lat"));
    cr_assert(has(l, "2 GPS 116.407400 column:lng"));
    free(l);
    /* A neighbouring cell's hotword does not make a value a birth date. */
    const char *nb = "note,when\n生日,1990-01-01\n";
    l = scan(nb, strlen(nb), 1 << 20);
    for (int i = 0; i < l->n; i++)
        cr_assert(!strstr(l->s[i], "BIRTH_DATE"), "%s", l->s[i]);
    free(l);
}

/* Many windows: quoted cells with line breaks cut anywhere by the reader. */
Test(structure, windows_do_not_change_findings)
{
    size_t cap = 150000, n = 0;
    char *s = malloc(cap);
    n += (size_t)sprintf(s + n, "id,姓名,备注,birthday,phone\n");
    for (int i = 0; n + 300 < cap; i++)
        n += (size_t)sprintf(s + n, "%d,张%s,\"line one, \"\"q\"\"\nline two %d\",19%02d-0%d-1%d,1380013%04d\n", i,
                             i % 2 ? "伟" : "丽娜", i, 50 + i % 40, 1 + i % 9, i % 10, i % 10000);
    found *a = scan(s, n, 1 << 20), *b = scan(s, n, 4096), *c = scan(s, n, 5000);
    cr_assert_gt(a->n, 1000);
    cr_assert_eq(a->n, b->n);
    cr_assert_eq(a->n, c->n);
    for (int i = 0; i < a->n; i++) {
        cr_assert_str_eq(a->s[i], b->s[i]);
        cr_assert_str_eq(a->s[i], c->s[i]);
    }
    free(a);
    free(b);
    free(c);
    free(s);
}

/* ---- a live input's first window (pii_struct_settled) ---- */

static bool settled(const char *s, int hint) { return pii_struct_settled((const uint8_t *)s, strlen(s), hint); }

/* Whether a head may be cut where a live input paused: only when no longer
 * head could change the format verdict. */
Test(structure, head_settled_only_when_the_verdict_cannot_change)
{
    char csv[1024] = "id,name,phone\n";
    for (int i = 0; i < 9; i++)
        snprintf(csv + strlen(csv), sizeof csv - strlen(csv), "%d,Li Na,1381234567%d\n", i, i);
    static const struct {
        const char *head;
        int hint;
        bool settled;
    } cases[] = {
        /* A CSV header, or a header with too few records, may still become
         * CSV (or stop being it): wait.  Nine records decide (below). */
        { "id,name,phone\n", PII_SF_UNKNOWN, false },
        { "id,name,phone\n1,Li Na,13812345678\n", PII_SF_UNKNOWN, false },
        /* Log lines with no delimiter, quote, brace or SQL keyword: text;
         * a Java log's comma in the time could start a CSV: wait. */
        { "2024-03-15 08:00:00 INFO started\n", PII_SF_UNKNOWN, true },
        { "\n\nhello world\n", PII_SF_UNKNOWN, true },
        { "2024-03-15 08:00:00,123 INFO started\n", PII_SF_UNKNOWN, false },
        /* JSON: an unfinished first value waits, a whole one decides, a
         * brace that starts no JSON is text. */
        { "{\"a\":\n", PII_SF_UNKNOWN, false },
        { "{\"phone\":\"13812345678\"}\n", PII_SF_UNKNOWN, true },
        { "{not json at all\n", PII_SF_UNKNOWN, true },
        /* SQL: comments before the first statement, a dump's header or a
         * first statement without data wait; a first line that no dump
         * starts with, or a data statement, decides. */
        { "-- MySQL dump 10.13\n", PII_SF_UNKNOWN, false },
        { "-- a comment\n--\n", PII_SF_UNKNOWN, false },
        { "-- a comment\nSET NAMES utf8mb4;\n", PII_SF_UNKNOWN, false },
        { "-- a comment\nhello\n", PII_SF_UNKNOWN, true },
        { "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n", PII_SF_UNKNOWN, true },
        /* A named format's relaxed tests: wait for the whole probe. */
        { "hello\n", PII_SF_CSV, false },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        cr_expect_eq(settled(cases[k].head, cases[k].hint), cases[k].settled, "%s", cases[k].head);
    cr_expect(settled(csv, PII_SF_UNKNOWN), "a header and nine records");
    cr_expect_not(settled(csv, PII_SF_CSV), "... of a file named .csv");
}

Test(structure, head_of_a_whole_probe_is_settled)
{
    size_t n = 256u * 1024u;
    char *p = malloc(n + 1);
    cr_assert_not_null(p);
    for (size_t i = 0; i < n; i++)
        p[i] = (i % 50 == 49) ? '\n' : (i % 50 == 0 ? '"' : 'x');   /* a quote: could be CSV */
    p[n] = 0;
    cr_expect_not(pii_struct_settled((const uint8_t *)p, 1000, PII_SF_UNKNOWN) &&
                  pii_struct_settled((const uint8_t *)p, 1000, PII_SF_CSV));
    cr_expect(pii_struct_settled((const uint8_t *)p, n, PII_SF_CSV), "all a verdict looks at");
    free(p);
}
