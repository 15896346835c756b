/*
 * test_text_decode.c -- GBK text read as UTF-8 and written back
 * (text_decode.c): which text is decoded, that a copy written back is the
 * same bytes whatever the read and write sizes, that undecodable bytes
 * survive the round trip, and that replacements come out in GBK.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_decode.h"

/* "姓名,手机号\n张伟,13812345678\n" in GBK and in UTF-8. */
static const char GBK_CSV[] = "\xd0\xd5\xc3\xfb,\xca\xd6\xbb\xfa\xba\xc5\n\xd5\xc5\xce\xb0,13812345678\n";
static const char UTF8_CSV[] = "姓名,手机号\n张伟,13812345678\n";

/* A source that gives at most `step` bytes per read. */
typedef struct src {
    const unsigned char *p;
    size_t n, at, step;
} src;

static ssize_t src_read(void *ud, void *buf, size_t cap)
{
    src *s = ud;
    size_t k = s->n - s->at;
    if (k > s->step)
        k = s->step;
    if (k > cap)
        k = cap;
    memcpy(buf, s->p + s->at, k);
    s->at += k;
    return (ssize_t)k;
}

typedef struct sink {
    unsigned char buf[1 << 16];
    size_t n;
} sink;

static int sink_write(void *ud, const void *p, size_t n)
{
    sink *k = ud;
    cr_assert_leq(k->n + n, sizeof k->buf);
    memcpy(k->buf + k->n, p, n);
    k->n += n;
    return 0;
}

/* Read all of text through the filter, `step` bytes per source read and
 * `cap` per filter read; the mode it chose in *mode. */
static size_t read_all(const void *text, size_t n, size_t step, size_t cap, unsigned char *out, size_t outcap,
                       int *mode, pii_textin *g)
{
    static src s;
    s = (src){ text, n, 0, step };
    pii_textin_init(g, src_read, &s);
    size_t got = 0;
    for (;;) {
        size_t c = cap < outcap - got ? cap : outcap - got;
        ssize_t k = pii_textin_read(g, out + got, c);
        cr_assert_geq(k, 0);
        if (k == 0)
            break;
        got += (size_t)k;
    }
    *mode = g->mode;
    return got;
}

/* Decode text and write it back through the output filter in pieces of
 * wstep bytes; the copy must be the input. */
static void round_trip(const void *text, size_t n, size_t step, size_t cap, size_t wstep, int want_mode)
{
    unsigned char *dec = malloc(4 * n + 64);
    pii_textin g;
    int mode;
    size_t m = read_all(text, n, step, cap, dec, 4 * n + 64, &mode, &g);
    cr_expect_eq(mode, want_mode, "mode %d, want %d (step %zu cap %zu)", mode, want_mode, step, cap);
    sink *k = calloc(1, sizeof *k);
    pii_textout o;
    pii_textout_init(&o, &g, sink_write, k);
    for (size_t i = 0; i < m; i += wstep)
        cr_assert_eq(pii_textout_write(&o, dec + i, m - i < wstep ? m - i : wstep), 0);
    cr_expect_eq(pii_textout_finish(&o), 0);
    cr_expect(k->n == n && !memcmp(k->buf, text, n), "copy differs (step %zu cap %zu wstep %zu)", step, cap,
              wstep);
    pii_textout_free(&o);
    pii_textin_free(&g);
    free(k);
    free(dec);
}

Test(text, gbk_csv_reads_as_utf8)
{
    unsigned char out[256];
    pii_textin g;
    int mode;
    size_t m = read_all(GBK_CSV, strlen(GBK_CSV), 4096, 4096, out, sizeof out, &mode, &g);
    cr_expect_eq(mode, PII_TEXT_DECODE);
    cr_expect(m == strlen(UTF8_CSV) && !memcmp(out, UTF8_CSV, m), "%.*s", (int)m, out);
    cr_expect_eq(g.escaped, 0);
    pii_textin_free(&g);
}

Test(text, utf8_ascii_and_binary_pass_through)
{
    unsigned char out[256];
    pii_textin g;
    int mode;
    size_t m = read_all(UTF8_CSV, strlen(UTF8_CSV), 4096, 4096, out, sizeof out, &mode, &g);
    cr_expect_eq(mode, PII_TEXT_UTF8);
    cr_expect(m == strlen(UTF8_CSV) && !memcmp(out, UTF8_CSV, m));
    pii_textin_free(&g);
    m = read_all("plain ascii 13812345678\n", 24, 4096, 4096, out, sizeof out, &mode, &g);
    cr_expect_eq(mode, PII_TEXT_UNDECIDED);
    cr_expect_eq(m, 24);
    pii_textin_free(&g);
    /* A byte-order mark counts at the start only; NUL bytes anywhere before
     * the first non-ASCII byte make it binary. */
    static const char elf[] = "\x7f" "ELF\x02\x00\x00 phone=13812345678 \xff\xfe\xd5\xc5 end";
    m = read_all(elf, sizeof elf - 1, 4096, 4096, out, sizeof out, &mode, &g);
    cr_expect_eq(mode, PII_TEXT_RAW);
    cr_expect(m == sizeof elf - 1 && !memcmp(out, elf, m));
    pii_textin_free(&g);
    static const char bin[] = "\xd5\xc5\x00\x01\xff";
    m = read_all(bin, 5, 4096, 4096, out, sizeof out, &mode, &g);
    cr_expect_eq(mode, PII_TEXT_RAW, "NUL bytes: binary, not text");
    cr_expect(m == 5 && !memcmp(out, bin, 5));
    pii_textin_free(&g);
}

/* Every way of cutting the reads and writes gives the file back. */
Test(text, round_trip_is_exact)
{
    static const size_t steps[] = { 1, 2, 3, 7, 4096 };
    static const size_t caps[] = { 1, 2, 3, 8, 9, 13, 4096 };   /* reads of 1-3 bytes: the end of a window */
    for (size_t a = 0; a < 5; a++)
        for (size_t b = 0; b < 7; b++)
            round_trip(GBK_CSV, strlen(GBK_CSV), steps[a], caps[b], 1 + a * 3, PII_TEXT_DECODE);
}

/* Bytes that are no GB18030 after a head that is (0x80, 0xFF, a lead
 * byte before a newline, a lead byte at the very end) go through as
 * private-use characters and come back as themselves. */
Test(text, undecodable_bytes_survive)
{
    char bad[512];
    size_t n = 0;
    for (int i = 0; i < 40; i++)   /* 张伟 forty times: a clean head */
        n += (size_t)sprintf(bad + n, "\xd5\xc5\xce\xb0");
    n += (size_t)sprintf(bad + n, " \x80 \xff x\xd5\n13812345678 \xd5");
    unsigned char out[1024];
    pii_textin g;
    int mode;
    size_t m = read_all(bad, n, 100, 4096, out, sizeof out, &mode, &g);
    cr_expect_eq(mode, PII_TEXT_DECODE);
    cr_expect_eq(g.escaped, 4);
    cr_expect(memmem(out, m, "张伟 ", 7) && memmem(out, m, "\n13812345678 ", 13), "%.*s", (int)m, out);
    pii_textin_free(&g);
    static const size_t steps[] = { 1, 5, 100 };
    for (size_t a = 0; a < 3; a++)
        round_trip(bad, n, steps[a], 4096, 2, PII_TEXT_DECODE);
    /* In the head itself they mean the text is not GBK: bytes as they are. */
    round_trip(bad + 150, n - 150, 4096, 4096, 7, PII_TEXT_RAW);
}

/* Read input through the filter, then write text through the output
 * filter: the bytes that come out must be want[0, wn). */
static void expect_written(const void *input, size_t n, const char *text, const void *want, size_t wn)
{
    unsigned char out[1100];
    pii_textin g;
    int mode;
    (void)read_all(input, n, 4096, 4096, out, sizeof out, &mode, &g);
    sink *k = calloc(1, sizeof *k);
    pii_textout o;
    pii_textout_init(&o, &g, sink_write, k);
    cr_assert_eq(pii_textout_write(&o, text, strlen(text)), 0);
    cr_assert_eq(pii_textout_finish(&o), 0);
    cr_expect(k->n == wn && !memcmp(k->buf, want, wn), "mode %d: %zu bytes out, want %zu", mode, k->n, wn);
    pii_textout_free(&o);
    pii_textin_free(&g);
    free(k);
}

/* A redaction's replacement, UTF-8 from the operators, comes out in GBK. */
Test(text, replacements_are_written_in_gbk)
{
    static const char want[] = "\xd5\xc5\xa3\xaa,138****5678\n";
    expect_written(GBK_CSV, strlen(GBK_CSV), "张＊,138****5678\n", want, strlen(want));
}

/* Until the input is found to be GB18030, writes pass as they are. */
Test(text, utf8_text_is_written_unchanged)
{
    expect_written(UTF8_CSV, strlen(UTF8_CSV), "张＊", "张＊", strlen("张＊"));
}

/* t is read as GBK and flagged: a copy of it would not be the same. */
static void expect_flagged(const char *t, size_t n)
{
    unsigned char out[256];
    pii_textin g;
    int mode;
    (void)read_all(t, n, 4096, 4096, out, sizeof out, &mode, &g);
    cr_expect_eq(mode, PII_TEXT_DECODE);
    cr_expect(g.clash);
    pii_textin_free(&g);
}

/* Text that holds U+F780 itself (a four-byte GB18030 sequence) would come
 * back as a byte: it is flagged, and a redaction refuses it. */
Test(text, private_use_clash_is_flagged)
{
    static const char clash[] = "\xd5\xc5 \x83\x39\xd8\x37 ok";
    expect_flagged(clash, sizeof clash - 1);
    unsigned char out[64];
    pii_textin g;
    int mode;
    (void)read_all(GBK_CSV, strlen(GBK_CSV), 4096, 4096, out, sizeof out, &mode, &g);
    cr_expect_not(g.clash);
    pii_textin_free(&g);
}

/* "\ufeff姓名,手机号\r\n张伟,13812345678\r\n" as Windows writes "Unicode
 * text": UTF-16 with its byte-order mark, little- and big-endian. */
static size_t utf16(const char *utf8, bool le, char *out)
{
    static const char le_mark[] = "\xff\xfe", be_mark[] = "\xfe\xff";
    iconv_t cd = iconv_open(le ? "UTF-16LE" : "UTF-16BE", "UTF-8");
    cr_assert_neq(cd, (iconv_t)-1);
    memcpy(out, le ? le_mark : be_mark, 2);
    char *in = (char *)utf8, *o = out + 2;
    size_t left = strlen(utf8), room = 1024;
    cr_assert_neq(iconv(cd, &in, &left, &o, &room), (size_t)-1);
    iconv_close(cd);
    return (size_t)(o - out);
}

Test(text, utf16_with_a_mark_reads_as_utf8)
{
    for (int le = 0; le <= 1; le++) {
        char u16[1100];
        size_t n = utf16(UTF8_CSV, le, u16);
        unsigned char out[256];
        pii_textin g;
        int mode;
        size_t m = read_all(u16, n, 1, 4096, out, sizeof out, &mode, &g);   /* a byte at a time */
        cr_expect_eq(mode, PII_TEXT_DECODE);
        cr_expect_str_eq(g.charset, le ? "UTF-16LE" : "UTF-16BE");
        cr_expect(m == 3 + strlen(UTF8_CSV) && !memcmp(out, "\xef\xbb\xbf", 3) && !memcmp(out + 3, UTF8_CSV, m - 3),
                  "%.*s", (int)m, out);
        pii_textin_free(&g);
        static const size_t steps[] = { 1, 3, 4096 };
        for (size_t a = 0; a < 3; a++)
            round_trip(u16, n, steps[a], 9, 5, PII_TEXT_DECODE);
    }
}

/* A lone surrogate and an odd byte at the end are not UTF-16: carried
 * through byte by byte, written back as they were. */
Test(text, bad_utf16_survives)
{
    char u16[1100];
    size_t n = utf16("ab", true, u16);
    memcpy(u16 + n, "\x00\xd8" "c\x00" "\x41", 5);   /* D800 alone, 'c', half a unit */
    n += 5;
    unsigned char out[256];
    pii_textin g;
    int mode;
    size_t m = read_all(u16, n, 4096, 4096, out, sizeof out, &mode, &g);
    cr_expect_eq(mode, PII_TEXT_DECODE);
    cr_expect_eq(g.escaped, 3);
    cr_expect(memmem(out, m, "ab", 2) && memmem(out, m, "c", 1));
    pii_textin_free(&g);
    round_trip(u16, n, 1, 4096, 1, PII_TEXT_DECODE);
    round_trip(u16, n, 4096, 4096, 3, PII_TEXT_DECODE);
}

/* A replacement comes out in UTF-16 too. */
Test(text, replacements_are_written_in_utf16)
{
    char u16[1100];
    size_t n = utf16(UTF8_CSV, true, u16);
    expect_written(u16, n, "张＊", "\x20\x5f\x0a\xff", 4);
}

/* UTF-8 cut mid-character at its start (tail -c) and with a broken
 * sequence early on is still UTF-8: read as GBK its Chinese would turn
 * into other characters. */
Test(text, damaged_utf8_stays_utf8)
{
    char t[4096];
    size_t n = 0;
    n += (size_t)sprintf(t + n, "\x99\xaf log start \xe7\x99 ok\n");   /* cut start, a broken sequence */
    for (int i = 0; i < 30; i++)
        n += (size_t)sprintf(t + n, "姓名 张三 地址 北京 电话 13800130%03d\n", i);
    unsigned char out[4096];
    pii_textin g;
    int mode;
    size_t m = read_all(t, n, 4096, 4096, out, sizeof out, &mode, &g);
    cr_expect_eq(mode, PII_TEXT_UTF8);
    cr_expect(m == n && !memcmp(out, t, n));
    pii_textin_free(&g);
}

/* glibc reads 95 32 90 31 and FE 51 as one character (U+20087) and writes
 * it back as FE 51: such text is flagged, so a copy is refused rather than
 * changed. */
Test(text, characters_with_two_forms_are_flagged)
{
    static const char t[] = "\xd0\xd5\xc3\xfb,\xd5\xc5\x95\x32\x90\x31,13812345678\n";
    expect_flagged(t, sizeof t - 1);
}

/* A live source that pauses (EAGAIN, window.h) before every read after
 * the first `at_once` bytes, and then gives `step` bytes. */
typedef struct live_src {
    src s;
    size_t at_once;
    bool waited;
    int pauses;
} live_src;

static ssize_t live_read(void *ud, void *buf, size_t cap)
{
    live_src *l = ud;
    if (l->s.at >= l->at_once && l->s.at < l->s.n && !l->waited) {
        l->waited = true;
        l->pauses++;
        errno = EAGAIN;
        return -1;
    }
    l->waited = false;
    return src_read(&l->s, buf, cap);
}

/* GBK from a live pipe: once judged, every pause is told to the reader
 * (so that the lines decoded so far are handed out), after the bytes
 * decoded before it, and nothing is lost or doubled. */
Test(text, gbk_pauses_are_told_after_what_was_decoded)
{
    char gbk[4096];
    size_t n = 0;
    for (int i = 0; i < 40; i++) {
        memcpy(gbk + n, GBK_CSV, sizeof GBK_CSV - 1);
        n += sizeof GBK_CSV - 1;
    }
    live_src l = { { (const unsigned char *)gbk, n, 0, 37 }, 200, false, 0 };
    pii_textin g;
    pii_textin_init(&g, live_read, &l);
    unsigned char out[8192];
    size_t got = 0;
    int told = 0;
    for (;;) {
        ssize_t k = pii_textin_read(&g, out + got, sizeof out - got);
        if (k < 0) {
            cr_assert_eq(errno, EAGAIN, "only pauses fail");
            told++;
            continue;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    cr_expect_eq(atomic_load(&g.mode), PII_TEXT_DECODE);
    cr_expect_gt(l.pauses, 10);
    cr_expect_gt(told, 10, "pauses told to the reader: %d of %d", told, l.pauses);
    size_t want = 40 * (sizeof UTF8_CSV - 1);
    cr_assert_eq(got, want);
    for (int i = 0; i < 40; i++)
        cr_assert_eq(memcmp(out + (size_t)i * (sizeof UTF8_CSV - 1), UTF8_CSV, sizeof UTF8_CSV - 1), 0, "copy %d", i);
    pii_textin_free(&g);
}
