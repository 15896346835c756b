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

/* Digits of v at the end of out[0,20); returns where they start. */
static size_t u64_digits(char out[20], uint64_t v)
{
    size_t i = 20;
    do {
        out[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
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
