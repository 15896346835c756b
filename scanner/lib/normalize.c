/*
 * normalize.c -- canonical form of a detected value (see normalize.h).
 *
 * Everything keyed on a value (fingerprints, hash/encrypt operators, the
 * "same person" grouping in reports) sees only this form, so two spellings
 * of one identifier must normalize identically, and two different
 * identifiers must never collapse into one.  That is why the filters below
 * drop only separators and never letters or digits that carry meaning.
 *
 * The value is first folded from full-width forms into the output buffer;
 * the per-type steps then rewrite that buffer in place (they only shrink
 * it) or, for the few that may grow it (dates, IPv6), go through a small
 * stack copy.  Nothing here allocates: it runs once per finding.
 */
#include <arpa/inet.h>
#include <string.h>

#include "normalize.h"

/* ---- full-width folding ------------------------------------------------ */

/* Full-width forms live in U+FF01..U+FF5E, i.e. EF BC 81..EF BD 9E, and map
 * to ASCII by subtracting 0xFEE0.  Only the characters that occur in
 * identifiers are folded: folding e.g. a full-width comma would let a value
 * swallow the punctuation around it. */
static int fullwidth_ascii(const uint8_t *p, size_t left)
{
    if (left < 3 || p[0] != 0xEF || (p[1] != 0xBC && p[1] != 0xBD) ||
        p[2] < 0x80 || p[2] > 0xBF)
        return -1;
    unsigned cp = 0xF000u | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3Fu);
    if (cp < 0xFF01 || cp > 0xFF5E)
        return -1;
    int c = (int)(cp - 0xFEE0);
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
        (c >= 'a' && c <= 'z') || c == ':' || c == '-' || c == '+' ||
        c == '(' || c == ')')
        return c;
    return -1;
}

size_t pii_fold_fullwidth(const uint8_t *v, size_t n, uint8_t *out, size_t cap,
                          uint32_t *map)
{
    size_t i = 0, o = 0;
    while (i < n && o < cap) {
        if (!map && v[i] != 0xEF) {   /* nearly every value: copied as it is */
            const uint8_t *ef = memchr(v + i, 0xEF, n - i);
            size_t run = (ef ? (size_t)(ef - v) : n) - i;
            if (run > cap - o)
                run = cap - o;
            memcpy(out + o, v + i, run);
            i += run;
            o += run;
            continue;
        }
        int c = fullwidth_ascii(v + i, n - i);
        if (map)
            map[o] = (uint32_t)i;
        if (c >= 0) {
            out[o++] = (uint8_t)c;
            i += 3;
        } else {
            out[o++] = v[i++];
        }
    }
    return o;
}

/* ---- small character helpers (ASCII only, locale-independent) ---------- */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static int is_alnum(int c) { return is_digit(c) || is_upper(c) || is_lower(c); }
static int to_lower(int c) { return is_upper(c) ? c + 32 : c; }
static int to_upper(int c) { return is_lower(c) ? c - 32 : c; }

enum {
    KEEP_DIGIT = 1,   /* keep 0-9 */
    KEEP_ALPHA = 2,   /* keep A-Z a-z */
    FOLD_UPPER = 4,   /* uppercase kept letters */
    FOLD_LOWER = 8,   /* lowercase kept letters */
    KEEP_OTHER = 16,  /* keep everything that is not a separator */
    DROP_SPACE = 32   /* with KEEP_OTHER: drop ASCII white space only */
};

/* Rewrites s[0,n) in place keeping the classes in flags; returns new n. */
static size_t filter(char *s, size_t n, unsigned flags)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        int keep;
        if (is_digit(c))
            keep = (flags & (KEEP_DIGIT | KEEP_OTHER)) != 0;
        else if (is_upper(c) || is_lower(c))
            keep = (flags & (KEEP_ALPHA | KEEP_OTHER)) != 0;
        else if (flags & DROP_SPACE)
            keep = !(c == ' ' || c == '\t' || c == '\r' || c == '\n');
        else
            keep = (flags & KEEP_OTHER) != 0;
        if (!keep)
            continue;
        if (flags & FOLD_UPPER)
            c = to_upper(c);
        else if (flags & FOLD_LOWER)
            c = to_lower(c);
        s[o++] = (char)c;
    }
    return o;
}

/* ---- per-type steps ---------------------------------------------------- */

static int has_prefix(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(s, p, k) == 0;
}

/* "+86 138 1234 5678", "0086-13812345678", "(+86)138..." -> 11 digits.
 * The country code is dropped only when what remains is exactly a mobile
 * number, so a longer digit string is never silently shortened. */
static size_t norm_mobile(char *s, size_t n)
{
    n = filter(s, n, KEEP_DIGIT);
    size_t drop = 0;
    if (n == 13 && has_prefix(s, n, "86"))
        drop = 2;
    else if (n == 15 && has_prefix(s, n, "0086"))
        drop = 4;
    memmove(s, s + drop, n - drop);
    return n - drop;
}

/* "(010) 1234-5678" -> "01012345678".  An international form
 * "+86 10 1234 5678" gets its trunk 0 back so both spellings agree. */
static size_t norm_landline(char *s, size_t n)
{
    int intl = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            intl = 1;
            break;
        }
        if (is_digit((unsigned char)s[i]))
            break;
    }
    n = filter(s, n, KEEP_DIGIT);
    size_t drop = 0;
    if (has_prefix(s, n, "0086"))
        drop = 4;
    else if (intl && has_prefix(s, n, "86"))
        drop = 2;
    if (drop == 0 || drop > n)   /* the second never (has_prefix checked n), for -Wstringop-overflow */
        return n;
    n -= drop;
    memmove(s, s + drop, n);
    if (n > 0 && s[0] != '0') {
        memmove(s + 1, s, n); /* fits: we just freed at least two bytes */
        s[0] = '0';
        n++;
    }
    return n;
}

/* UUIDs keep their dashes (8-4-4-4-12 is how every platform prints them);
 * other hex IDs lose separators. */
static int is_uuid_shape(const char *s, size_t n)
{
    if (n != 36)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int dash = (i == 8 || i == 13 || i == 18 || i == 23);
        if (dash ? s[i] != '-' : !is_alnum((unsigned char)s[i]))
            return 0;
    }
    return 1;
}

static size_t norm_hex_id(char *s, size_t n)
{
    n = filter(s, n, KEEP_OTHER | DROP_SPACE | FOLD_LOWER);
    if (is_uuid_shape(s, n))
        return n;
    return filter(s, n, KEEP_DIGIT | KEEP_ALPHA);
}

/* IPv6 has many spellings of one address; RFC 5952 form via inet_ntop.
 * A zone ("%eth0") is kept verbatim after the canonical address. */
static size_t norm_ipv6(char *s, size_t n, size_t cap)
{
    char addr[INET6_ADDRSTRLEN + 1];
    size_t alen = n;
    const char *pct = memchr(s, '%', n);
    if (pct)
        alen = (size_t)(pct - s);
    if (alen >= sizeof addr)
        return filter(s, n, KEEP_OTHER | FOLD_LOWER);
    memcpy(addr, s, alen);
    addr[alen] = '\0';
    unsigned char bin[16];
    char canon[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET6, addr, bin) != 1 ||
        !inet_ntop(AF_INET6, bin, canon, sizeof canon))
        return filter(s, n, KEEP_OTHER | FOLD_LOWER);
    size_t clen = strlen(canon), zlen = n - alen;
    if (clen + zlen > cap)
        return filter(s, n, KEEP_OTHER | FOLD_LOWER);
    memmove(s + clen, s + alen, zlen);
    memcpy(s, canon, clen);
    return clen + zlen;
}

/* ---- dates ------------------------------------------------------------- */

static const char NIAN[] = "\xE5\xB9\xB4"; /* 年 */
static const char YUE[] = "\xE6\x9C\x88";  /* 月 */
static const char RI[] = "\xE6\x97\xA5";   /* 日 */

/* Reads 1..maxd digits at *i; returns the number or -1. */
static int read_num(const char *s, size_t n, size_t *i, int mind, int maxd)
{
    int v = 0, d = 0;
    while (*i < n && d < maxd && is_digit((unsigned char)s[*i])) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        d++;
    }
    return d >= mind ? v : -1;
}

/* Consumes one date separator: - / . or the CJK marker given. */
static int read_sep(const char *s, size_t n, size_t *i, const char *cjk)
{
    if (*i < n && (s[*i] == '-' || s[*i] == '/' || s[*i] == '.')) {
        (*i)++;
        return 1;
    }
    if (n - *i >= 3 && memcmp(s + *i, cjk, 3) == 0) {
        *i += 3;
        return 1;
    }
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* 1990/3/7, 1990年3月7日, 1990.03.07, 1990-3-7, 19900307 -> y, m, d. */
static int parse_date(const char *s, size_t n, int *y, int *m, int *d)
{
    size_t i = 0, digits = 0;
    while (digits < n && is_digit((unsigned char)s[digits]))
        digits++;
    if (n == 8 && digits == 8) {
        *y = read_num(s, n, &i, 4, 4);
        *m = read_num(s, n, &i, 2, 2);
        *d = read_num(s, n, &i, 2, 2);
    } else {
        *y = read_num(s, n, &i, 4, 4);
        if (*y < 0 || !read_sep(s, n, &i, NIAN))
            return -1;
        *m = read_num(s, n, &i, 1, 2);
        if (*m < 0 || !read_sep(s, n, &i, YUE))
            return -1;
        *d = read_num(s, n, &i, 1, 2);
        if (n - i == 3 && memcmp(s + i, RI, 3) == 0)
            i += 3;
        if (i != n)
            return -1;
    }
    if (*y < 1 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
        return -1;
    return 0;
}

static size_t norm_birth_date(char *s, size_t n, size_t cap)
{
    int y, m, d;
    n = filter(s, n, KEEP_OTHER | DROP_SPACE);
    if (cap < 10 || parse_date(s, n, &y, &m, &d) != 0)
        return n;
    const int parts[3] = {y, m, d};
    const int widths[3] = {4, 2, 2};
    size_t o = 0;
    for (int k = 0; k < 3; k++) {
        if (k)
            s[o++] = '-';
        for (int w = widths[k] - 1, v = parts[k]; w >= 0; w--, v /= 10)
            s[o + (size_t)w] = (char)('0' + v % 10);
        o += (size_t)widths[k];
    }
    return o;
}

/* ---- dispatch ---------------------------------------------------------- */

static size_t norm_typed(piiscan_type t, char *s, size_t n, size_t cap)
{
    switch (t) {
    case PIISCAN_CN_MOBILE:
        return norm_mobile(s, n);
    case PIISCAN_CN_LANDLINE:
        return norm_landline(s, n);
    case PIISCAN_CN_RESIDENT_ID:
    case PIISCAN_HKID:
        /* Keep letters too: dropping an unexpected letter would merge two
         * different values into one. */
        return filter(s, n, KEEP_DIGIT | KEEP_ALPHA | FOLD_UPPER);
    case PIISCAN_BANK_CARD:
    case PIISCAN_IMEI:
    case PIISCAN_IMSI:
        return filter(s, n, KEEP_DIGIT);
    case PIISCAN_ICCID:
        /* China Mobile ICCIDs carry hex letters, some cards a vendor
         * letter in place of the check digit. */
        return filter(s, n, KEEP_DIGIT | KEEP_ALPHA | FOLD_UPPER);
    case PIISCAN_MAC:
        return filter(s, n, KEEP_DIGIT | KEEP_ALPHA | FOLD_LOWER);
    case PIISCAN_IDFA:
    case PIISCAN_IDFV:
    case PIISCAN_GAID:
    case PIISCAN_OAID:
    case PIISCAN_ANDROID_ID:
    case PIISCAN_MEID:
        return norm_hex_id(s, n);
    case PIISCAN_EMAIL:
        return filter(s, n, KEEP_OTHER | FOLD_LOWER);
    case PIISCAN_IPV6:
        return norm_ipv6(s, n, cap);
    case PIISCAN_GPS:
        return filter(s, n, KEEP_OTHER | DROP_SPACE);
    case PIISCAN_BIRTH_DATE:
        return norm_birth_date(s, n, cap);
    default:
        return n;
    }
}

size_t pii_normalize(piiscan_type t, const uint8_t *v, size_t n, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    size_t len = pii_fold_fullwidth(v, n, (uint8_t *)out, cap - 1, NULL);
    /* Never true (the fold stops at its cap), but said here so that a
     * compiler inlining the steps across files (-flto) sees every write
     * below bounded by cap, as -Wstringop-overflow wants. */
    if (len > cap - 1)
        len = cap - 1;
    len = norm_typed(t, out, len, cap - 1);
    out[len] = '\0';
    return len;
}
