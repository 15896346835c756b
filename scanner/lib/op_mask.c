/*
 * op_mask.c -- the mask operator.
 *
 * Masking replaces letters and digits in place with the mask character:
 * separators, "+86", parentheses and the value's length stay, and a
 * full-width digit becomes a full-width mask (＊), so columns still line up
 * and the byte length of the value does not change.  E-mail is the one
 * exception (z***@example.com): the length of a local part says too much.
 *
 * Default styles (keep_first / keep_last count letters and digits of the
 * value proper, after any +86/0086):
 *
 *   CN_MOBILE       138****5678     first 3 + last 4   10^4 left
 *   CN_LANDLINE     010-****5678 -> area code + last 2 (010-******78)
 *   CN_RESIDENT_ID  1****************X   first + last only
 *   BANK_CARD       first 6 + last 4 when >= 6 digits stay hidden, else
 *                   fewer trailing digits
 *   IMEI / MEID     the 8-character TAC / manufacturer code
 *   IMSI            MCC + MNC (5)      ICCID  8986 + issuer (6)
 *   MAC             OUI (3 octets)     device IDs  first 4 hex
 *   documents       first letter       BIRTH_DATE  the year (4 digits)
 *   IPV4            last two octets    IPV6  everything after the /48
 *   GPS             decimals past the 2nd
 *   PERSON_NAME     surname (first character)
 *   CN_ADDRESS      through the first 市 in the first 10 characters, else 3
 *
 * A value too short for its style is masked completely: keeping head and
 * tail of a short value would keep most of it.  The entropy left by each
 * style is tabulated in docs/operators.md.
 */
#include <string.h>

#include "op_int.h"
#include "validate.h"

typedef struct mask_style {
    size_t prefix;     /* symbols always kept (country code) */
    size_t first, last;
    size_t min_hidden; /* mask everything if fewer would be hidden */
} mask_style;

/* Symbols of a leading 86 / 0086 country code of a phone number. */
static size_t country_code(piiscan_type t, const pii_sym *s, size_t ns, const uint8_t *raw)
{
    char d[5] = {0};
    for (size_t i = 0; i < ns && i < 4; i++)
        d[i] = s[i].c;
    if (ns >= 4 && memcmp(d, "0086", 4) == 0)
        return 4;
    if (t == PIISCAN_CN_MOBILE && ns == 13 && memcmp(d, "86", 2) == 0)
        return 2;
    /* A landline "86 10 ..." is only international when written with '+'. */
    if (t == PIISCAN_CN_LANDLINE && ns >= 2 && memcmp(d, "86", 2) == 0
        && memchr(raw, '+', s[0].off) != NULL)
        return 2;
    return 0;
}

static size_t area_code_len(const pii_sym *s, size_t ns, size_t cc)
{
    char d[8];
    size_t k = 0, trunk = 0;
    if (cc > 0 && ns > cc && s[cc].c != '0') {
        d[k++] = '0'; /* the international form drops the trunk 0 */
        trunk = 1;
    }
    for (size_t i = cc; i < ns && k < sizeof d; i++)
        d[k++] = s[i].c;
    int a = pii_cn_area_code_len(d, k);
    return a > 0 ? (size_t)a - trunk : 0;
}

static mask_style default_style(piiscan_type t, const pii_sym *s, size_t ns, const uint8_t *raw)
{
    mask_style m = {0, 0, 0, 4};
    size_t core;
    switch (t) {
    case PIISCAN_CN_MOBILE:
        m.prefix = country_code(t, s, ns, raw);
        m.first = 3, m.last = 4;
        break;
    case PIISCAN_CN_LANDLINE:
        m.prefix = country_code(t, s, ns, raw);
        m.first = area_code_len(s, ns, m.prefix), m.last = 2;
        break;
    case PIISCAN_CN_RESIDENT_ID:
        m.first = 1, m.last = 1, m.min_hidden = 8;
        break;
    case PIISCAN_BANK_CARD:
        core = ns;
        m.first = 6, m.min_hidden = 6;
        m.last = core >= 16 ? 4 : core > 12 ? core - 12 : 0;
        break;
    case PIISCAN_IMEI:
    case PIISCAN_MEID:
        m.first = 8, m.min_hidden = 6;
        break;
    case PIISCAN_IMSI:
        m.first = 5, m.min_hidden = 6;
        break;
    case PIISCAN_ICCID:
        m.first = 6, m.min_hidden = 6;
        break;
    case PIISCAN_MAC:
        m.first = 6, m.min_hidden = 6;
        break;
    case PIISCAN_ANDROID_ID:
    case PIISCAN_IDFA:
    case PIISCAN_IDFV:
    case PIISCAN_GAID:
    case PIISCAN_OAID:
        m.first = 4, m.min_hidden = 8;
        break;
    case PIISCAN_CN_PASSPORT:
    case PIISCAN_HK_MACAU_PERMIT:
    case PIISCAN_HKID:
    case PIISCAN_TW_ID:
        m.first = 1, m.min_hidden = 5;
        break;
    case PIISCAN_BIRTH_DATE:
        m.first = 4, m.min_hidden = 2;
        break;
    default:
        m.min_hidden = 1;
        break;
    }
    return m;
}

/* pii_syms_write for a mask: where every symbol is one byte (no
 * full-width form: nearly every value), the value is copied once and the
 * symbols set over it, instead of a copy step per symbol -- in a table
 * where every cell is masked, that was a tenth of the redaction. */
static ssize_t put_masked(const uint8_t *raw, size_t n, const pii_sym *s, size_t ns, const char *c, uint8_t *out,
                          size_t cap)
{
    for (size_t i = 0; i < ns; i++)
        if (s[i].width != 1)
            return pii_syms_write(raw, n, s, ns, c, out, cap);
    if (n > cap)
        return -1;
    memcpy(out, raw, n);
    for (size_t i = 0; i < ns; i++)
        out[s[i].off] = (uint8_t)c[i];
    return (ssize_t)n;
}

/* Keeps prefix + first + last symbols, masks the rest. */
static ssize_t mask_syms(const pii_op *op, piiscan_type t, const uint8_t *raw, size_t n,
                         char mc, uint8_t *out, size_t cap)
{
    pii_sym s[PII_SYM_MAX];
    size_t ns = pii_syms(raw, n, s, PII_SYM_MAX);
    if (ns == (size_t)-1)
        return -1;
    mask_style m = default_style(t, s, ns, raw);
    if (op->keep_first >= 0 || op->keep_last >= 0)
        m.min_hidden = 1; /* the user chose; we only refuse to show it all */
    if (op->keep_first >= 0)
        m.first = (size_t)op->keep_first;
    if (op->keep_last >= 0)
        m.last = (size_t)op->keep_last;
    size_t core = ns - m.prefix;
    if (core < m.first + m.last + m.min_hidden)
        m.first = m.last = 0;
    char c[PII_SYM_MAX];
    for (size_t i = 0; i < ns; i++) {
        size_t k = i - (i >= m.prefix ? m.prefix : i);
        bool keep = i < m.prefix || k < m.first || k >= core - m.last;
        c[i] = keep ? s[i].c : mc;
    }
    return put_masked(raw, n, s, ns, c, out, cap);
}

/* Masks the symbols at or after byte offset cut (and before stop). */
static ssize_t mask_from(const uint8_t *raw, size_t n, size_t cut, size_t stop, char mc,
                         uint8_t *out, size_t cap)
{
    pii_sym s[PII_SYM_MAX];
    size_t ns = pii_syms(raw, n, s, PII_SYM_MAX);
    if (ns == (size_t)-1)
        return -1;
    char c[PII_SYM_MAX];
    for (size_t i = 0; i < ns; i++)
        c[i] = s[i].off >= cut && s[i].off < stop ? mc : s[i].c;
    return put_masked(raw, n, s, ns, c, out, cap);
}

/* 192.168.1.20 -> 192.168.*.**: the /16 says which network, not who. */
static ssize_t mask_ipv4(const uint8_t *raw, size_t n, char mc, uint8_t *out, size_t cap)
{
    size_t dots = 0, cut = 0;
    for (size_t i = 0; i < n && dots < 2; i++)
        if (raw[i] == '.' && ++dots == 2)
            cut = i;
    return mask_from(raw, n, dots == 2 ? cut : 0, n, mc, out, cap);
}

/* Keeps the first three groups (/48, the site) unless "::" comes earlier;
 * a zone ("%eth0") names a local interface and stays. */
static ssize_t mask_ipv6(const uint8_t *raw, size_t n, char mc, uint8_t *out, size_t cap)
{
    const uint8_t *pct = memchr(raw, '%', n);
    size_t stop = pct ? (size_t)(pct - raw) : n, colons = 0, cut = stop;
    for (size_t i = 0; i < stop; i++) {
        if (raw[i] != ':')
            continue;
        if ((i + 1 < stop && raw[i + 1] == ':') || ++colons == 3) {
            cut = i;
            break;
        }
    }
    return mask_from(raw, n, cut, stop, mc, out, cap);
}

/* Masks decimals past the keep-th in every decimal number. */
static ssize_t mask_gps(const uint8_t *raw, size_t n, int keep, char mc, uint8_t *out,
                        size_t cap)
{
    if (n > cap)
        return -1;
    memcpy(out, raw, n);
    for (size_t i = 0; i < n; i++) {
        if (raw[i] != '.' || i == 0 || raw[i - 1] < '0' || raw[i - 1] > '9')
            continue;
        size_t j = i + 1;
        for (int k = 0; j < n && raw[j] >= '0' && raw[j] <= '9'; j++, k++)
            if (k >= keep)
                out[j] = (uint8_t)mc;
        i = j - 1;
    }
    return (ssize_t)n;
}

static ssize_t mask_email(const uint8_t *raw, size_t n, uint8_t *out, size_t cap)
{
    const uint8_t *at = memchr(raw, '@', n);
    size_t dl = at ? n - (size_t)(at - raw) : 0, head = at && at > raw ? 1 : 0;
    if (!at || head + 3 + dl > cap)
        return -1;
    memcpy(out, raw, head);
    memcpy(out + head, "***", 3);
    memcpy(out + head + 3, at, dl);
    return (ssize_t)(head + 3 + dl);
}

static size_t u8len(const uint8_t *s, size_t n)
{
    size_t k = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1;
    return k <= n ? k : n;
}

/* Characters to keep of an address: through the first 市 (city) within the
 * first 10 characters, which keeps "province + city" and nothing finer. */
static size_t address_keep(const uint8_t *raw, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < n && chars < 10; chars++) {
        if (n - i >= 3 && memcmp(raw + i, "\xE5\xB8\x82", 3) == 0)
            return chars + 1;
        i += u8len(raw + i, n - i);
    }
    return 3;
}

/* Names and addresses: one mask per hidden character (a CJK character gets
 * a full-width mask, so the byte length stays), white space kept. */
static ssize_t mask_text(const pii_op *op, piiscan_type t, const uint8_t *raw, size_t n,
                         char mc, uint8_t *out, size_t cap)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i += u8len(raw + i, n - i))
        total++;
    size_t first = t == PIISCAN_PERSON_NAME ? 1 : address_keep(raw, n), last = 0;
    if (op->keep_first >= 0)
        first = (size_t)op->keep_first;
    if (op->keep_last >= 0)
        last = (size_t)op->keep_last;
    if (total <= first + last)
        first = last = 0;
    size_t o = 0, ci = 0;
    for (size_t i = 0; i < n; ci++) {
        size_t k = u8len(raw + i, n - i);
        bool keep = ci < first || ci >= total - last || raw[i] == ' ' || raw[i] == '\t';
        size_t w = keep ? k : k == 3 ? 3 : 1;
        if (w > cap - o)
            return -1;
        if (keep)
            memcpy(out + o, raw + i, k);
        else if (k == 3)
            pii_fullwidth(mc, out + o);
        else
            out[o] = (uint8_t)mc;
        o += w;
        i += k;
    }
    return (ssize_t)o;
}

ssize_t pii_op_mask(const pii_op *op, piiscan_type t, const uint8_t *raw, size_t n,
                    uint8_t *out, size_t cap, char *err, size_t errlen)
{
    char mc = op->mask_char ? op->mask_char : '*';
    ssize_t r;
    switch (t) {
    case PIISCAN_EMAIL:
        r = mask_email(raw, n, out, cap);
        if (r < 0 && memchr(raw, '@', n) == NULL)
            r = mask_syms(op, t, raw, n, mc, out, cap);
        break;
    case PIISCAN_IPV4:
        r = mask_ipv4(raw, n, mc, out, cap);
        break;
    case PIISCAN_IPV6:
        r = mask_ipv6(raw, n, mc, out, cap);
        break;
    case PIISCAN_GPS:
        r = mask_gps(raw, n, op->keep_first >= 0 ? op->keep_first : 2, mc, out, cap);
        break;
    case PIISCAN_PERSON_NAME:
    case PIISCAN_CN_ADDRESS:
        r = mask_text(op, t, raw, n, mc, out, cap);
        break;
    default:
        r = mask_syms(op, t, raw, n, mc, out, cap);
        break;
    }
    if (r < 0)
        pii_op_err(err, errlen, "cannot mask this %s value (too long for the output buffer)",
                   piiscan_type_name(t));
    return r;
}
