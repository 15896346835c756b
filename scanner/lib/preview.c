/*
 * preview.c -- masked preview of a normalized value for reports.
 *
 * A preview lets a person recognise what kind of value was found and tell
 * findings apart at a glance; it must never be enough to identify anyone.
 * Each style keeps only parts that are shared by very many people:
 *
 *   CN_MOBILE       138****5678       network prefix + last 4 (the common
 *                                     Chinese mask; the middle 4 select the
 *                                     HLR, i.e. the region)
 *   CN_LANDLINE     010****5678       area code + last 4
 *   CN_RESIDENT_ID  1****************X  first + last character only.  The
 *                                     usual 110105********002X style keeps
 *                                     the county code and the sequence;
 *                                     county, birth date and sex are
 *                                     quasi-identifiers that together single
 *                                     out most people, so we show none.
 *   BANK_CARD       620000******0005  first 6 + last 4 (PCI DSS display rule)
 *   IMEI/IMSI/ICCID 86***********70   2-3 leading digits (reporting body,
 *                                     MCC, industry code) + last 2
 *   EMAIL           z***@example.com  first character of the local part
 *   IPV4 / IPV6     192.168.*.* / 2001::*
 *   MAC             d0:50:99:**:**:** OUI (manufacturer) only
 *   device IDs      6655****          first 4 hex
 *   documents       A***3             first letter + last character
 *   GPS             40.0,116.3        1 decimal (about 11 km)
 *   BIRTH_DATE      1990-**-**        year only
 *   CN_ADDRESS      广东省深***          first 3 characters
 *   PERSON_NAME     张**              surname character only
 *
 * A value too short for its style gets "****": showing head and tail of a
 * short value would show all of it.
 */
#include <stdio.h>
#include <string.h>

#include "piiscan.h"

/* Bounded output buffer; always leaves room for the NUL. */
typedef struct pv_buf {
    char *p;
    size_t cap;
    size_t len;
} pv_buf;

static void put(pv_buf *b, const char *s, size_t n)
{
    if (b->cap == 0)
        return;
    size_t room = b->cap - 1 - b->len;
    if (n > room)
        n = room;
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void puts_(pv_buf *b, const char *s) { put(b, s, strlen(s)); }

static void stars(pv_buf *b, size_t n)
{
    while (n-- > 0)
        put(b, "*", 1);
}

/* Drops a UTF-8 sequence cut short by truncation at the end of the buffer,
 * so that a truncated preview is still valid UTF-8. */
static void trim_partial_utf8(pv_buf *b)
{
    size_t i = b->len, back = 0;
    while (i > 0 && back < 4 && ((unsigned char)b->p[i - 1] & 0xC0) == 0x80) {
        i--;
        back++;
    }
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)b->p[i - 1];
    size_t need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    if (lead >= 0xC0 && back < need)
        b->len = i - 1;
}

/* head chars + (n-head-tail) stars + tail chars; "****" if that would hide
 * fewer than min_hidden characters. */
static void keep_ends(pv_buf *b, const char *s, size_t n, size_t head, size_t tail,
                      size_t min_hidden)
{
    if (n < head + tail + min_hidden) {
        puts_(b, "****");
        return;
    }
    put(b, s, head);
    stars(b, n - head - tail);
    put(b, s + n - tail, tail);
}

static void pv_landline(pv_buf *b, const char *s, size_t n)
{
    /* Beijing/Tianjin/the big cities have 3-digit area codes 010, 02x. */
    size_t area = 0;
    if (n > 0 && s[0] == '0')
        area = (n > 1 && (s[1] == '1' || s[1] == '2')) ? 3 : 4;
    if (n < area + 4 + 4) {
        puts_(b, "****");
        return;
    }
    put(b, s, area);
    puts_(b, "****");
    put(b, s + n - 4, 4);
}

static void pv_email(pv_buf *b, const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    if (!at || at == s) {
        puts_(b, "****");
        return;
    }
    put(b, s, 1);
    puts_(b, "***");
    put(b, at, n - (size_t)(at - s));
}

static void pv_ipv4(pv_buf *b, const char *s, size_t n)
{
    const char *dot1 = memchr(s, '.', n);
    const char *dot2 = dot1 ? memchr(dot1 + 1, '.', n - (size_t)(dot1 + 1 - s)) : NULL;
    if (!dot2) {
        puts_(b, "****");
        return;
    }
    put(b, s, (size_t)(dot2 - s));
    puts_(b, ".*.*");
}

static void pv_ipv6(pv_buf *b, const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    if (!colon || colon == s) {
        puts_(b, "::*");
        return;
    }
    put(b, s, (size_t)(colon - s));
    puts_(b, "::*");
}

static void pv_mac(pv_buf *b, const char *s, size_t n)
{
    if (n != 12) {
        puts_(b, "****");
        return;
    }
    for (size_t i = 0; i < 6; i += 2) {
        put(b, s + i, 2);
        put(b, ":", 1);
    }
    puts_(b, "**:**:**");
}

/* Rounds a decimal number s[0,n) ("-39.9841") to one decimal, half away
 * from zero.  Done on the digits rather than with strtod/printf so that the
 * result does not depend on the locale's decimal point. */
static void round_tenth(pv_buf *b, const char *s, size_t n)
{
    size_t i = 0;
    int neg = s[0] == '-';
    i += (size_t)neg;
    unsigned long long tenths = 0;
    size_t int_digits = 0;
    while (i < n && s[i] != '.') {
        tenths = tenths * 10 + (unsigned)(s[i++] - '0');
        int_digits++;
    }
    if (int_digits > 15) {
        puts_(b, "*");
        return;
    }
    i++; /* the '.'; the caller guarantees a digit follows */
    tenths = tenths * 10 + (unsigned)(s[i++] - '0');
    if (i < n && s[i] >= '5')
        tenths++;
    char out[40];
    int len = snprintf(out, sizeof out, "%s%llu.%llu", neg && tenths ? "-" : "",
                       tenths / 10, tenths % 10);
    put(b, out, (size_t)len);
}

/* Rounds every decimal number; other bytes are copied so that "lat=39.98"
 * keeps its key and a pair keeps its comma. */
static void pv_gps(pv_buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i + (s[i] == '-');
        size_t k = j;
        while (k < n && s[k] >= '0' && s[k] <= '9')
            k++;
        int has_frac = k > j && k + 1 < n && s[k] == '.' && s[k + 1] >= '0' &&
                       s[k + 1] <= '9';
        if (!has_frac) {
            size_t next = k > j ? k : i + 1;
            put(b, s + i, next - i);
            i = next;
            continue;
        }
        k++;
        while (k < n && s[k] >= '0' && s[k] <= '9')
            k++;
        round_tenth(b, s + i, k - i);
        i = k;
    }
}

static void pv_birth_date(pv_buf *b, const char *s, size_t n)
{
    if (n < 4 || !(s[0] >= '0' && s[0] <= '9') || !(s[3] >= '0' && s[3] <= '9')) {
        puts_(b, "****");
        return;
    }
    put(b, s, 4);
    puts_(b, "-**-**");
}

/* Length of the UTF-8 sequence starting at s (1 for an invalid byte). */
static size_t u8len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (k > n)
        return 1;
    for (size_t i = 1; i < k; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return k;
}

static size_t count_chars(const char *s, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < n; i += u8len(s + i, n - i))
        chars++;
    return chars;
}

/* First `keep` characters, then one star per hidden character (names) or
 * a fixed "***" (addresses, whose length says nothing useful). */
static void pv_text(pv_buf *b, const char *s, size_t n, size_t keep, int star_each)
{
    size_t chars = count_chars(s, n);
    if (chars <= keep) {
        puts_(b, chars <= 1 ? "*" : "***");
        return;
    }
    size_t i = 0;
    for (size_t c = 0; c < keep; c++)
        i += u8len(s + i, n - i);
    put(b, s, i);
    if (star_each)
        stars(b, chars - keep > 8 ? 8 : chars - keep);
    else
        puts_(b, "***");
}

static void pv_document(pv_buf *b, const char *s, size_t n)
{
    if (n < 5) {
        puts_(b, "****");
        return;
    }
    put(b, s, 1);
    puts_(b, "***");
    put(b, s + n - 1, 1);
}

static void pv_device_id(pv_buf *b, const char *s, size_t n)
{
    if (n < 12) {
        puts_(b, "****");
        return;
    }
    put(b, s, 4);
    puts_(b, "****");
}

static void pv_dispatch(pv_buf *b, piiscan_type t, const char *s, size_t n)
{
    switch (t) {
    case PIISCAN_CN_MOBILE:
        keep_ends(b, s, n, 3, 4, 4);
        break;
    case PIISCAN_CN_LANDLINE:
        pv_landline(b, s, n);
        break;
    case PIISCAN_CN_RESIDENT_ID:
        keep_ends(b, s, n, 1, 1, 8);
        break;
    case PIISCAN_BANK_CARD:
        keep_ends(b, s, n, 6, 4, 3);
        break;
    case PIISCAN_IMEI:
    case PIISCAN_ICCID:
        keep_ends(b, s, n, 2, 2, 8);
        break;
    case PIISCAN_IMSI:
        keep_ends(b, s, n, 3, 2, 8);
        break;
    case PIISCAN_EMAIL:
        pv_email(b, s, n);
        break;
    case PIISCAN_IPV4:
        pv_ipv4(b, s, n);
        break;
    case PIISCAN_IPV6:
        pv_ipv6(b, s, n);
        break;
    case PIISCAN_MAC:
        pv_mac(b, s, n);
        break;
    case PIISCAN_MEID:
    case PIISCAN_ANDROID_ID:
    case PIISCAN_IDFA:
    case PIISCAN_IDFV:
    case PIISCAN_GAID:
    case PIISCAN_OAID:
        pv_device_id(b, s, n);
        break;
    case PIISCAN_CN_PASSPORT:
    case PIISCAN_HK_MACAU_PERMIT:
    case PIISCAN_HKID:
    case PIISCAN_TW_ID:
        pv_document(b, s, n);
        break;
    case PIISCAN_GPS:
        pv_gps(b, s, n);
        break;
    case PIISCAN_BIRTH_DATE:
        pv_birth_date(b, s, n);
        break;
    case PIISCAN_CN_ADDRESS:
        pv_text(b, s, n, 3, 0);
        break;
    case PIISCAN_PERSON_NAME:
        pv_text(b, s, n, 1, 1);
        break;
    default:
        puts_(b, "****");
        break;
    }
}

size_t piiscan_preview(piiscan_type t, const char *norm, size_t len, char *out,
                       size_t cap)
{
    if (cap == 0)
        return 0;
    pv_buf b = {out, cap, 0};
    pv_dispatch(&b, t, norm ? norm : "", norm ? len : 0);
    trim_partial_utf8(&b);
    out[b.len] = '\0';
    return b.len;
}
