/*
 * op_generalize.c -- the generalize operator: coarser but still true.
 *
 *   GPS             every decimal number rounded to N decimals (default 2,
 *                   about 1.1 km), half away from zero; numbers with N or
 *                   fewer decimals and all other bytes ("lat=", ", ") kept
 *   IPV4            a.b.c.0 (the /24)
 *   IPV6            the /48 in RFC 5952 form, e.g. 2001:db8:85a3:: (a zone
 *                   such as %eth0 is dropped)
 *   BIRTH_DATE      the year: 1990
 *   CN_RESIDENT_ID  region code + birth year: 110105-1949
 *
 * Every other type is refused: there is no coarser version of a phone or
 * card number that is still a phone or card number.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "op_int.h"

static bool dig(uint8_t c) { return c >= '0' && c <= '9'; }

static int put(uint8_t *out, size_t cap, size_t *o, const void *s, size_t n)
{
    if (n > cap - *o)
        return -1;
    memcpy(out + *o, s, n);
    *o += n;
    return 0;
}

/* Rounds the decimal number s[0,n) ("-39.984154", at least one decimal) to
 * dec decimals on its digits, so the result is exact and locale-free. */
static int round_number(const uint8_t *s, size_t n, int dec, uint8_t *out, size_t cap,
                        size_t *o)
{
    char d[64];
    size_t nd = 0, i = s[0] == '-', point = 0;
    for (; i < n; i++) {
        if (s[i] == '.')
            point = nd;
        else if (nd < sizeof d)
            d[nd++] = (char)s[i];
    }
    size_t keep = point + (size_t)dec;
    if (nd >= sizeof d)
        return -1;
    if (nd <= keep) /* nothing to round */
        return put(out, cap, o, s, n);
    bool up = d[keep] >= '5';
    for (size_t k = keep; up && k-- > 0;) {
        d[k] = d[k] == '9' ? '0' : (char)(d[k] + 1);
        up = d[k] == '0';
    }
    /* The caller guarantees digits before the point, so point >= 1. */
    char buf[80];
    size_t b = 0;
    bool nonzero = up;
    for (size_t k = 0; k < keep; k++)
        nonzero = nonzero || d[k] != '0';
    if (s[0] == '-' && nonzero) /* no "-0.00" */
        buf[b++] = '-';
    if (up)
        buf[b++] = '1';
    memcpy(buf + b, d, point);
    b += point;
    if (dec > 0) {
        buf[b++] = '.';
        memcpy(buf + b, d + point, (size_t)dec);
        b += (size_t)dec;
    }
    return put(out, cap, o, buf, b);
}

static ssize_t gen_gps(const uint8_t *raw, size_t n, int dec, uint8_t *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + (raw[i] == '-'), k = j;
        while (k < n && dig(raw[k]))
            k++;
        bool number = k > j && k + 1 < n && raw[k] == '.' && dig(raw[k + 1]);
        if (!number) {
            size_t next = k > j ? k : i + 1;
            if (put(out, cap, &o, raw + i, next - i) != 0)
                return -1;
            i = next;
            continue;
        }
        for (k++; k < n && dig(raw[k]);)
            k++;
        if (round_number(raw + i, k - i, dec, out, cap, &o) != 0)
            return -1;
        i = k;
    }
    return (ssize_t)o;
}

static ssize_t gen_ipv4(const uint8_t *raw, size_t n, uint8_t *out, size_t cap)
{
    char a[16], s[20];
    struct in_addr ip;
    if (n >= sizeof a)
        return -1;
    memcpy(a, raw, n);
    a[n] = '\0';
    if (inet_pton(AF_INET, a, &ip) != 1)
        return -1;
    const uint8_t *b = (const uint8_t *)&ip.s_addr;
    int len = snprintf(s, sizeof s, "%u.%u.%u.0", b[0], b[1], b[2]);
    size_t o = 0;
    return put(out, cap, &o, s, (size_t)len) == 0 ? (ssize_t)o : -1;
}

static ssize_t gen_ipv6(const uint8_t *raw, size_t n, uint8_t *out, size_t cap)
{
    char a[INET6_ADDRSTRLEN + 1], s[INET6_ADDRSTRLEN];
    const uint8_t *pct = memchr(raw, '%', n);
    size_t al = pct ? (size_t)(pct - raw) : n;
    unsigned char bin[16];
    if (al >= sizeof a)
        return -1;
    memcpy(a, raw, al);
    a[al] = '\0';
    if (inet_pton(AF_INET6, a, bin) != 1)
        return -1;
    memset(bin + 6, 0, 10);
    if (!inet_ntop(AF_INET6, bin, s, sizeof s))
        return -1;
    size_t o = 0;
    return put(out, cap, &o, s, strlen(s)) == 0 ? (ssize_t)o : -1;
}

/* The year: the first four symbols, which every accepted date format
 * (1990-03-07, 1990年3月7日, 19900307, 1990/3/7) starts with. */
static ssize_t gen_birth_date(const uint8_t *raw, size_t n, uint8_t *out, size_t cap)
{
    pii_sym s[PII_SYM_MAX];
    size_t ns = pii_syms(raw, n, s, PII_SYM_MAX), o = 0;
    if (ns == (size_t)-1 || ns < 4)
        return -1;
    char y[4];
    for (int i = 0; i < 4; i++) {
        if (!dig((uint8_t)s[i].c))
            return -1;
        y[i] = s[i].c;
    }
    return put(out, cap, &o, y, 4) == 0 ? (ssize_t)o : -1;
}

static ssize_t gen_cn_id(const uint8_t *raw, size_t n, uint8_t *out, size_t cap)
{
    pii_sym s[PII_SYM_MAX];
    size_t ns = pii_syms(raw, n, s, PII_SYM_MAX), o = 0;
    if (ns != 18 && ns != 15)
        return -1;
    char g[11];
    for (int i = 0; i < 6; i++)
        g[i] = s[i].c;
    g[6] = '-';
    if (ns == 18) {
        for (int i = 0; i < 4; i++)
            g[7 + i] = s[6 + i].c;
    } else { /* 15-digit IDs carry YY of 19YY */
        g[7] = '1', g[8] = '9', g[9] = s[6].c, g[10] = s[7].c;
    }
    for (int i = 0; i < 11; i++)
        if (i != 6 && !dig((uint8_t)g[i]))
            return -1;
    return put(out, cap, &o, g, 11) == 0 ? (ssize_t)o : -1;
}

ssize_t pii_op_generalize(const pii_op *op, piiscan_type t, const uint8_t *raw, size_t n,
                          uint8_t *out, size_t cap, char *err, size_t errlen)
{
    ssize_t r;
    switch (t) {
    case PIISCAN_GPS:
        r = gen_gps(raw, n, op->decimals >= 0 ? op->decimals : 2, out, cap);
        break;
    case PIISCAN_IPV4:
        r = gen_ipv4(raw, n, out, cap);
        break;
    case PIISCAN_IPV6:
        r = gen_ipv6(raw, n, out, cap);
        break;
    case PIISCAN_BIRTH_DATE:
        r = gen_birth_date(raw, n, out, cap);
        break;
    case PIISCAN_CN_RESIDENT_ID:
        r = gen_cn_id(raw, n, out, cap);
        break;
    default:
        pii_op_err(err, errlen, "generalize is not defined for %s (only GPS, IPV4, IPV6, "
                   "BIRTH_DATE and CN_RESIDENT_ID); use mask or replace",
                   piiscan_type_name(t));
        return -1;
    }
    if (r < 0)
        pii_op_err(err, errlen, "cannot generalize this %s value", piiscan_type_name(t));
    return r;
}
