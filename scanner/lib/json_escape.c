/*
 * json_escape.c -- JSON strings from arbitrary bytes.
 *
 * Paths, contexts and (with --show-values) values come straight from the
 * scanned data, which may be GBK, binary or truncated UTF-8.  JSON must be
 * UTF-8, and a consumer that rejects one line loses the whole report, so
 * every byte that is not part of a well-formed UTF-8 sequence (RFC 3629:
 * no overlongs, no surrogates, nothing above U+10FFFF) becomes U+FFFD.
 */
#include <string.h>

#include "report_int.h"

size_t pii_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

bool pii_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n) {
        if (*p < 0x80) {   /* asked of every finding's path: mostly ASCII */
            p++;
            n--;
            continue;
        }
        uint32_t cp;
        size_t k = pii_utf8_seq(p, n, &cp);
        if (!k)
            return false;
        p += k;
        n -= k;
    }
    return true;
}

/* Escape for c < 0x20, '"' and '\\'; NULL if c goes out as is. */
static const char *short_escape(unsigned char c)
{
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    case '\b':
        return "\\b";
    case '\f':
        return "\\f";
    default:
        return NULL;
    }
}

/* Bit c: byte c is printable ASCII other than '"' (0x22) and '\\' (0x5C),
 * which goes out as is. */
static const uint32_t PLAIN[8] = { 0, 0xFFFFFFFBu, 0xEFFFFFFFu, 0x7FFFFFFFu, 0, 0, 0, 0 };

static bool plain(unsigned char c) { return (PLAIN[c >> 5] >> (c & 31)) & 1; }

bool pii_json_plain(const char *sv, size_t n)
{
    const unsigned char *s = (const unsigned char *)sv;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = plain(s[i]) ? 1 : s[i] >= 0x80 ? pii_utf8_seq(s + i, n - i, &cp) : 0;
        if (!len)
            return false;
        i += len;
    }
    return true;
}

void pii_ob_json_str(pii_outbuf *o, const void *sv, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = sv ? sv : (const void *)"";
    if (!sv)
        n = 0;
    size_t run = 0; /* start of the pending run of bytes that need no escape */
    pii_ob_byte(o, '"');
    for (size_t i = 0; i < n;) {
        while (i < n && plain(s[i]))   /* paths, contexts, previews: several per finding */
            i++;
        if (i == n)
            break;
        unsigned char c = s[i];
        uint32_t cp;
        size_t len = c >= 0x80 ? pii_utf8_seq(s + i, n - i, &cp) : 1;
        if (c >= 0x80 && len > 0) {
            i += len;
            continue;
        }
        pii_ob_mem(o, s + run, i - run);
        const char *esc = short_escape(c);
        if (len == 0) {
            pii_ob_lit(o, "\\ufffd");
        } else if (esc) {
            pii_ob_mem(o, esc, 2);
        } else {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            pii_ob_mem(o, u, sizeof u);
        }
        i++;
        run = i;
    }
    pii_ob_mem(o, s + run, n - run);
    pii_ob_byte(o, '"');
}

void pii_ob_json_cstr(pii_outbuf *o, const char *s)
{
    pii_ob_json_str(o, s ? s : "", s ? strlen(s) : 0);
}

void pii_json_str(FILE *fp, const void *s, size_t n)
{
    pii_outbuf o;
    pii_ob_init(&o, fp);
    pii_ob_json_str(&o, s, n);
    pii_ob_flush(&o);
}

void pii_json_cstr(FILE *fp, const char *s)
{
    pii_json_str(fp, s ? s : "", s ? strlen(s) : 0);
}
