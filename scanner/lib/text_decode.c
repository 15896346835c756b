/*
 * text_decode.c -- GBK text read as UTF-8 and written back as it was
 * (text_decode.h).
 *
 * glibc's iconv does the decoding and encoding; this file decides when,
 * keeps sequences cut between reads and writes whole, and carries bytes
 * that do not decode through the round trip.
 */
#include "text_decode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "report_int.h"

/* Bytes looked at, from the first non-ASCII one, to tell what the text
 * is: at least (when the source has them), and at most. */
#define JUDGE_MIN 64
#define JUDGE_MAX 1024

/* The private-use character that stands for an undecodable byte b:
 * U+F700 + b, in UTF-8 EF 9C 80 .. EF 9F BF. */
#define ESC_LEAD 0xEF
static bool is_escape(const unsigned char *p) { return p[0] == ESC_LEAD && p[1] >= 0x9C && p[1] <= 0x9F; }

static void put_escape(unsigned char *o, unsigned char b)
{
    unsigned cp = 0xF700u + b;
    o[0] = ESC_LEAD;
    o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
}

/* Index of the first byte >= 0x80 in p[0, n), else n.  ASCII logs stay
 * undecided to their end, so this runs over all of them: 64 bytes at a
 * time. */
static size_t first_high(const unsigned char *p, size_t n)
{
    size_t i = 0;
#if defined(__SSE2__)
    for (; n - i >= 64; i += 64) {
        const __m128i *q = (const __m128i *)(const void *)(p + i);
        __m128i v = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(q), _mm_loadu_si128(q + 1)),
                                 _mm_or_si128(_mm_loadu_si128(q + 2), _mm_loadu_si128(q + 3)));
        if (_mm_movemask_epi8(v))
            break;
    }
#endif
    for (; n - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        if (w & 0x8080808080808080ull)
            break;
    }
    while (i < n && p[i] < 0x80)
        i++;
    return i;
}

/* Is p[0, n) valid UTF-8, a sequence cut by the end of the block allowed? */
static bool utf8_so_far(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        i += first_high(p + i, n - i);   /* runs of ASCII at vector speed */
        if (i == n)
            break;
        uint32_t cp;
        size_t k = pii_utf8_seq(p + i, n - i, &cp);
        if (k) {
            i += k;
            continue;
        }
        /* A lead byte and continuation bytes up to the end: cut, not bad. */
        size_t need = p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : 2;
        if (p[i] < 0xC2 || p[i] > 0xF4 || n - i >= need)
            return false;
        for (size_t j = i + 1; j < n; j++)
            if ((p[j] & 0xC0) != 0x80)
                return false;
        return true;
    }
    return true;
}

/* Does p[0, n) decode as GB18030 (a character cut by the end allowed)? */
static bool gb18030_so_far(iconv_t cd, const unsigned char *p, size_t n)
{
    unsigned char out[4096];
    char *in = (char *)p;   /* iconv's prototype is not const */
    size_t left = n;
    iconv(cd, NULL, NULL, NULL, NULL);
    while (left) {
        char *o = (char *)out;
        size_t room = sizeof out;
        if (iconv(cd, &in, &left, &o, &room) != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        return errno == EINVAL;   /* cut at the end */
    }
    return true;
}

void pii_textin_init(pii_textin *g, piiscan_read_fn rd, void *ud)
{
    memset(g, 0, sizeof *g);
    g->rd = rd;
    g->ud = ud;
    atomic_init(&g->mode, PII_TEXT_UNDECIDED);
    g->cd = (iconv_t)-1;
}

void pii_textin_free(pii_textin *g)
{
    if (g->cd != (iconv_t)-1)
        iconv_close(g->cd);
    free(g->in);
    g->in = NULL;
}

/* The non-ASCII bytes p[0, n) are the first: decide what the text is.
 * NUL bytes mean binary: no decoding. */
/* How much of p[0, n) reads as UTF-8: whole multi-byte sequences in
 * *good, bytes that fit none in *bad.  Continuation bytes at the start (a
 * file cut mid-character by tail -c or a rotation) and a sequence cut by
 * the end count as neither. */
static void utf8_score(const unsigned char *p, size_t n, size_t *good, size_t *bad)
{
    size_t i = 0;
    *good = *bad = 0;
    while (i < n && i < 3 && (p[i] & 0xC0) == 0x80)
        i++;
    while (i < n) {
        i += first_high(p + i, n - i);
        if (i == n)
            break;
        uint32_t cp;
        size_t k = pii_utf8_seq(p + i, n - i, &cp);
        if (k) {
            ++*good;
            i += k;
        } else if (utf8_so_far(p + i, n - i)) {
            break;   /* cut by the end */
        } else {
            ++*bad;
            i++;
        }
    }
}

static int judge(pii_textin *g, const unsigned char *p, size_t n)
{
    /* A sample is enough to tell the encoding, and the whole first read
     * (a megabyte window) would cost more than its scan. */
    if (n > JUDGE_MAX)
        n = JUDGE_MAX;
    /* UTF-8 with a broken sequence or two (a cut file, a field truncated
     * by bytes) is still UTF-8: read as GBK its Chinese would turn into
     * other characters.  GBK text forms a valid UTF-8 sequence only now
     * and then (伟 is CE B0), far less often than it breaks one. */
    size_t good, bad;
    utf8_score(p, n, &good, &bad);
    if (good >= 4 * bad)
        return PII_TEXT_UTF8;
    if (g->nul || memchr(p, 0, n))
        return PII_TEXT_RAW;
    g->charset = "GB18030";
    g->unit = 1;
    g->cd = iconv_open("UTF-8", g->charset);
    if (g->cd == (iconv_t)-1 || !gb18030_so_far(g->cd, p, n))
        return PII_TEXT_RAW;
    return PII_TEXT_DECODE;
}

/* Refill in[] from the source; -1 on a read error.  A live input's pause
 * (EAGAIN, window.h) is -2 when may_pause, else waited out. */
static int refill(pii_textin *g, bool may_pause)
{
    if (g->lo)
        memmove(g->in, g->in + g->lo, g->hi - g->lo);
    g->hi -= g->lo;
    g->lo = 0;
    if (g->eof || g->hi == g->cap)
        return 0;
    ssize_t k = g->rd(g->ud, g->in + g->hi, g->cap - g->hi);
    if (k < 0 && errno == EAGAIN) {
        if (may_pause)
            return -2;
        k = g->rd(g->ud, g->in + g->hi, g->cap - g->hi);   /* this one waits */
    }
    if (k < 0)
        return -1;
    if (k == 0)
        g->eof = true;
    g->hi += (size_t)k;
    return 0;
}

/* Did iconv write a private-use character of the escape range itself? */
/* Characters glibc decodes from two GB18030 forms (FE51 and 95329031 are
 * both U+20087) and encodes back to one: a copy could not keep the other
 * form's bytes.  U+20087, U+20089, U+200CC, U+215D7, U+2298F, U+241FE. */
static bool two_forms(const unsigned char *o)
{
    static const unsigned char cps[6][4] = {
        { 0xF0, 0xA0, 0x82, 0x87 }, { 0xF0, 0xA0, 0x82, 0x89 }, { 0xF0, 0xA0, 0x83, 0x8C },
        { 0xF0, 0xA1, 0x97, 0x97 }, { 0xF0, 0xA2, 0xA6, 0x8F }, { 0xF0, 0xA4, 0x87, 0xBE },
    };
    for (int k = 0; k < 6; k++)
        if (!memcmp(o, cps[k], 4))
            return true;
    return false;
}

static void note_clash(pii_textin *g, const unsigned char *o, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if (is_escape(o + i) || (o[i] == 0xF0 && i + 3 < n && two_forms(o + i)))
            g->clash = true;
}

/* Decode into out[0, cap): bytes written, 0 at the end, -1 on error.  A
 * live input's pause (window.h) is told once everything in[] holds is
 * decoded -- all but a character cut by the pause -- however many calls
 * that takes (a line's end must not wait behind a full out[]): on the
 * next read when this one decoded something, else now (EAGAIN). */
static ssize_t decode(pii_textin *g, unsigned char *out, size_t cap)
{
    size_t done = 0;
    bool drained = false;   /* the source paused, and in[] is decoded */
    while (done + 8 <= cap) {   /* room for a character, or for one escaped UTF-16 unit */
        if (!g->src_paused && g->hi - g->lo < 4 && !g->eof) {
            int rc = refill(g, true);
            if (rc == -1)
                return -1;
            g->src_paused = rc == -2;
        }
        if (g->lo == g->hi) {
            drained = g->src_paused;
            break;
        }
        char *in = (char *)g->in + g->lo, *o = (char *)out + done;
        size_t left = g->hi - g->lo, room = cap - done;
        size_t r = iconv(g->cd, &in, &left, &o, &room);
        int e = errno;
        note_clash(g, out + done, (size_t)((unsigned char *)o - (out + done)));
        done = (size_t)((unsigned char *)o - out);
        g->lo = (size_t)((unsigned char *)in - g->in);
        if (r != (size_t)-1 || e == E2BIG)
            continue;
        if (e == EINVAL && !g->eof) {   /* cut: read on, unless paused */
            int rc = g->src_paused ? -2 : refill(g, true);
            if (rc == -1)
                return -1;
            if (rc == -2) {
                g->src_paused = drained = true;
                break;
            }
            if (!g->eof || g->lo < g->hi)
                continue;
        }
        /* EILSEQ, or cut at the end: escape one code unit (two bytes of
         * UTF-16, so that what follows stays aligned), or what is left. */
        size_t unit = g->hi - g->lo < g->unit ? g->hi - g->lo : g->unit;
        if (done + 3 * unit > cap)
            break;
        for (size_t u = 0; u < unit; u++, done += 3)
            put_escape(out + done, g->in[g->lo++]);
        g->escaped += unit;
    }
    if (!drained)
        return (ssize_t)done;
    g->src_paused = false;   /* told: the next read waits for the source */
    if (!done) {
        errno = EAGAIN;
        return -1;
    }
    g->pause_next = true;
    return (ssize_t)done;
}

/* Hand out decoded bytes held back by a small read. */
static ssize_t serve_out(pii_textin *g, unsigned char *buf, size_t cap)
{
    size_t k = g->nout - g->outlo < cap ? g->nout - g->outlo : cap;
    memcpy(buf, g->out + g->outlo, k);
    g->outlo += k;
    if (g->outlo == g->nout)
        g->nout = g->outlo = 0;
    return (ssize_t)k;
}

/* Decode into buf[0, cap) for a reader that may ask for a few bytes only
 * (the rest of a window): a character does not fit in less than four, so
 * small reads are served from a decoded carry-over.  0 only at the end. */
static ssize_t decode_out(pii_textin *g, unsigned char *buf, size_t cap)
{
    if (cap >= sizeof g->out)
        return decode(g, buf, cap);
    ssize_t k = decode(g, g->out, sizeof g->out);
    if (k <= 0)
        return k;
    g->nout = (size_t)k;
    g->outlo = 0;
    return serve_out(g, buf, cap);
}

/* Source bytes held while the text was judged, as they are (UTF-8, raw). */
static ssize_t serve_raw(pii_textin *g, unsigned char *buf, size_t cap)
{
    size_t k = g->hi - g->lo < cap ? g->hi - g->lo : cap;
    memcpy(buf, g->in + g->lo, k);
    g->lo += k;
    return (ssize_t)k;
}

/* Keep p[first, n) in in[] and read on until JUDGE_MIN bytes are held or
 * the source ends: one byte of a pipe's trickle, or the last bytes of a
 * window's read, say nothing about the text. */
static int hold(pii_textin *g, const unsigned char *p, size_t first, size_t n)
{
    size_t tail = n - first;
    g->cap = tail > PII_TEXT_IN ? tail : PII_TEXT_IN;
    if (!(g->in = malloc(g->cap))) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(g->in, p + first, tail);
    g->lo = 0;
    g->hi = tail;
    while (g->hi < JUDGE_MIN && !g->eof)
        if (refill(g, false) < 0)
            return -1;
    return 0;
}


/* A UTF-16 byte-order mark at the start of the stream: the text is UTF-16
 * (Windows "Unicode text"), which cannot be read as bytes at all. */
static const char *utf16_bom(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
        return "UTF-16LE";
    if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
        return "UTF-16BE";
    return NULL;
}

/* The first reads, until a byte that is not ASCII tells what the text is
 * (ASCII reads the same in every encoding, so it passes as it is). */
/* What the text of q[0, n) is (a byte-order mark counts when bom_ok). */
static int decide(pii_textin *g, const unsigned char *q, size_t n, bool bom_ok)
{
    int mode;
    g->charset = bom_ok ? utf16_bom(q, n) : NULL;
    if (g->charset) {   /* the mark itself decodes to U+FEFF and is encoded back */
        g->unit = 2;
        g->cd = iconv_open("UTF-8", g->charset);
        mode = g->cd == (iconv_t)-1 ? PII_TEXT_RAW : PII_TEXT_DECODE;
    } else {
        mode = judge(g, q, n);
    }
    if (mode == PII_TEXT_DECODE)
        iconv(g->cd, NULL, NULL, NULL, NULL);
    return mode;
}

static ssize_t undecided(pii_textin *g, unsigned char *p, size_t cap)
{
    ssize_t n = g->rd(g->ud, p, cap);
    if (n <= 0)
        return n;
    bool start = !g->started;
    g->started = true;
    size_t first = start && p[0] >= 0xFE ? 0 : first_high(p, (size_t)n);
    /* Binary (NUL bytes just before the first non-ASCII byte): no text. */
    size_t back = first < JUDGE_MAX ? first : JUDGE_MAX;
    g->nul |= memchr(p + first - back, 0, back) != NULL;
    if (first == (size_t)n)
        return n;
    /* Judged where it lies when the read holds enough (a file's first read
     * nearly always does): most text is UTF-8, and holding costs a buffer
     * and a copy per file. */
    while ((size_t)n - first < JUDGE_MIN && (size_t)n < cap) {
        ssize_t k = g->rd(g->ud, p + n, cap - (size_t)n);
        if (k < 0 && errno == EAGAIN)
            continue;   /* a live input paused: the next read waits (window.h) */
        if (k < 0)
            return -1;
        if (k == 0) {
            g->eof = true;
            break;
        }
        n += k;
    }
    bool in_place = (size_t)n - first >= JUDGE_MIN || g->eof;
    if (!in_place && hold(g, p, first, (size_t)n) < 0)
        return -1;
    int mode = in_place ? decide(g, p + first, (size_t)n - first, start && first == 0)
                        : decide(g, g->in, g->hi, start && first == 0);
    if (mode == PII_TEXT_DECODE && in_place && hold(g, p, first, (size_t)n) < 0)
        return -1;
    /* The writer of a redacted copy reads the mode on the thread that
     * delivers windows: charset is set before, and published with it. */
    atomic_store_explicit(&g->mode, mode, memory_order_release);
    if (in_place && mode != PII_TEXT_DECODE)
        return n;
    if (first)
        return (ssize_t)first;
    return mode == PII_TEXT_DECODE ? decode_out(g, p, cap) : serve_raw(g, p, cap);
}

ssize_t pii_textin_read(void *ud, void *buf, size_t cap)
{
    pii_textin *g = ud;
    if (g->nout)
        return serve_out(g, buf, cap);
    if (g->pause_next) {   /* decode() met a pause after what it returned */
        g->pause_next = false;
        errno = EAGAIN;
        return -1;
    }
    int mode = atomic_load_explicit(&g->mode, memory_order_relaxed);   /* this thread's own */
    if (mode == PII_TEXT_DECODE)
        return decode_out(g, buf, cap);
    if (g->lo < g->hi)
        return serve_raw(g, buf, cap);
    if (mode != PII_TEXT_UNDECIDED)
        return g->rd(g->ud, buf, cap);
    if (cap >= sizeof g->out)
        return undecided(g, buf, cap);
    ssize_t k = undecided(g, g->out, sizeof g->out);   /* too small to judge in place */
    if (k <= 0)
        return k;
    g->nout = (size_t)k;
    g->outlo = 0;
    return serve_out(g, buf, cap);
}

/* ---- writing back ---- */

void pii_textout_init(pii_textout *g, const pii_textin *in, piiscan_write_fn wr, void *ud)
{
    memset(g, 0, sizeof *g);
    g->wr = wr;
    g->ud = ud;
    g->in = in;
    g->cd = (iconv_t)-1;
}

void pii_textout_free(pii_textout *g)
{
    if (g->cd != (iconv_t)-1)
        iconv_close(g->cd);
    g->cd = (iconv_t)-1;
}

/* Encode the UTF-8 p[0, n), which holds no escape and no cut sequence. */
static int encode(pii_textout *g, const unsigned char *p, size_t n)
{
    char out[16384];
    char *in = (char *)p;
    size_t left = n;
    while (left) {
        char *o = out;
        size_t room = sizeof out;
        size_t r = iconv(g->cd, &in, &left, &o, &room);
        if ((size_t)(o - out) && g->wr(g->ud, out, (size_t)(o - out)) < 0)
            return -1;
        if (r == (size_t)-1 && errno != E2BIG) {
            errno = EILSEQ;
            return -1;
        }
    }
    return 0;
}

/* Length of a UTF-8 sequence cut by the end of p[0, n), else 0. */
static size_t cut_tail(const unsigned char *p, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        unsigned char c = p[n - k];
        if ((c & 0xC0) == 0x80)
            continue;
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        return need > k ? k : 0;
    }
    return 0;
}

static int write_encoded(pii_textout *g, const unsigned char *p, size_t n)
{
    size_t i = 0, run = 0;
    while (i < n) {
        if (i + 2 < n && is_escape(p + i)) {
            if (encode(g, p + run, i - run) < 0)
                return -1;
            unsigned cp = (unsigned)(p[i] & 0x0F) << 12 | (unsigned)(p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3Fu);
            unsigned char b = (unsigned char)(cp - 0xF700u);
            if (g->wr(g->ud, &b, 1) < 0)
                return -1;
            i += 3;
            run = i;
        } else {
            i++;
        }
    }
    return encode(g, p + run, n - run);
}

int pii_textout_write(void *ud, const void *buf, size_t n)
{
    pii_textout *g = ud;
    if (!g->in || atomic_load_explicit(&g->in->mode, memory_order_acquire) != PII_TEXT_DECODE)
        return g->wr(g->ud, buf, n);
    if (g->cd == (iconv_t)-1 && (g->cd = iconv_open(g->in->charset, "UTF-8")) == (iconv_t)-1)
        return -1;
    const unsigned char *p = buf;
    if (g->npend) {   /* finish the sequence the last write cut */
        unsigned char seq[8];
        size_t k = g->npend, need = g->pend[0] >= 0xF0 ? 4 : g->pend[0] >= 0xE0 ? 3 : 2;
        memcpy(seq, g->pend, k);
        while (k < need && n) {
            seq[k++] = *p++;
            n--;
        }
        if (k < need) {
            memcpy(g->pend, seq, k);
            g->npend = k;
            return 0;
        }
        g->npend = 0;
        if (write_encoded(g, seq, k) < 0)
            return -1;
    }
    size_t cut = cut_tail(p, n);
    memcpy(g->pend, p + n - cut, cut);
    g->npend = cut;
    return write_encoded(g, p, n - cut);
}

int pii_textout_finish(pii_textout *g)
{
    if (g->npend) {
        errno = EILSEQ;
        return -1;
    }
    return 0;
}
