/*
 * report_buf.c -- a finding's output assembled in memory, then written
 * with one fwrite.
 *
 * A finding line is a dozen small pieces (keys, numbers, escaped strings).
 * Written through stdio one piece at a time, each fputs/putc takes the
 * stream lock and each number goes through vfprintf's format parser: that
 * cost more than building the line.  Here the pieces are appended to a
 * stack buffer and numbers are formatted by hand, which gives the same
 * bytes as the "%llu" and "%llu.%0*llu" they replace (C locale digits,
 * no grouping).  A piece that does not fit flushes the buffer first, so
 * any length works and output order never changes.
 */
#include <string.h>

#include "report_int.h"

void pii_ob_flush(pii_outbuf *o)
{
    if (o->n)
        fwrite(o->b, 1, o->n, o->fp);
    o->n = 0;
}

void pii_ob_mem_slow(pii_outbuf *o, const void *s, size_t n)
{
    pii_ob_flush(o);
    if (n > sizeof o->b) {
        fwrite(s, 1, n, o->fp);
        return;
    }
    memcpy(o->b, s, n);
    o->n = n;
}

/* Digits of v at the end of out[0,20); returns where they start.  Two
 * at a time from a table: a division by 100 instead of two by 10 (the
 * report of a dense table writes four numbers per finding). */
static const char DIGIT_PAIRS[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static size_t u64_digits(char out[20], uint64_t v)
{
    size_t i = 20;
    while (v >= 100) {
        const char *d = DIGIT_PAIRS + 2 * (v % 100);
        v /= 100;
        out[--i] = d[1];
        out[--i] = d[0];
    }
    if (v >= 10) {
        out[--i] = DIGIT_PAIRS[2 * v + 1];
        out[--i] = DIGIT_PAIRS[2 * v];
    } else {
        out[--i] = (char)('0' + v);
    }
    return i;
}

void pii_ob_u64(pii_outbuf *o, uint64_t v)
{
    char d[20];
    size_t i = u64_digits(d, v);
    pii_ob_mem(o, d + i, sizeof d - i);
}

size_t pii_fmt_fixed(char out[PII_FIXED_MAX], double v, int decimals)
{
    unsigned long long scale = 1;
    if (decimals > 9) /* only 2 and 3 are used; keeps the scale in range */
        decimals = 9;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    if (!(v > 0)) /* also NaN */
        v = 0;
    if (v > 1e15)
        v = 1e15;
    unsigned long long x = (unsigned long long)(v * (double)scale + 0.5);
    char d[20];
    size_t i = u64_digits(d, decimals > 0 ? x / scale : x);
    size_t n = sizeof d - i;
    memcpy(out, d + i, n);
    if (decimals > 0) {
        /* The fraction, zero-padded to exactly `decimals` digits. */
        unsigned long long frac = x % scale;
        out[n++] = '.';
        for (int k = decimals - 1; k >= 0; k--) {
            out[n + (size_t)k] = (char)('0' + frac % 10);
            frac /= 10;
        }
        n += (size_t)decimals;
    }
    return n;
}

void pii_ob_fixed(pii_outbuf *o, double v, int decimals)
{
    char s[PII_FIXED_MAX];
    pii_ob_mem(o, s, pii_fmt_fixed(s, v, decimals));
}

static size_t cs_len(const char *s) { return s ? strlen(s) : 0; }

/* A field's separator: the JSON form of its name, ,"name": (the styles
 * take what they need of it), its length known at compile time. */
#define FIELD(name) ",\"" name "\":"
#define SEP(st, o, name, i) (st)->sep((o), FIELD(name), sizeof(FIELD(name)) - 1, (i))

void pii_finding_fields(pii_outbuf *o, const piiscan_report *r, const pii_report_item *it, const pii_field_style *st)
{
    const piiscan_finding *f = it->f;
    const uint64_t nums[] = { f->start, f->end, f->line, f->col };
    static const struct {
        const char *s;
        size_t n;
    } num_names[] = { { FIELD("start"), sizeof FIELD("start") - 1 }, { FIELD("end"), sizeof FIELD("end") - 1 },
                      { FIELD("line"), sizeof FIELD("line") - 1 }, { FIELD("col"), sizeof FIELD("col") - 1 } };
    SEP(st, o, "path", 0);
    st->text(o, it->path, it->path_len, st->json && it->path_json_plain);
    SEP(st, o, "type", 1);
    st->text(o, it->type_name, strlen(it->type_name), true);
    for (int k = 0; k < 4; k++) {
        st->sep(o, num_names[k].s, num_names[k].n, 2 + k);
        pii_ob_u64(o, nums[k]);
    }
    SEP(st, o, "confidence", 6);
    pii_ob_fixed(o, f->confidence > 1 ? 1 : f->confidence, 2);
    SEP(st, o, "context", 7);
    st->text(o, f->context, cs_len(f->context), false);
    SEP(st, o, "preview", 8);
    st->text(o, it->preview, cs_len(it->preview), false);
    SEP(st, o, "fingerprint", 9);
    st->text(o, it->fingerprint, strlen(it->fingerprint), true);
    if (r->opt.show_values) {
        SEP(st, o, "value", 10);
        st->text(o, (const char *)f->value, f->value ? f->value_len : 0, false);
    }
}
