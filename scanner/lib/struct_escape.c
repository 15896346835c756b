/*
 * struct_escape.c -- a replacement written into a CSV cell, a JSON string
 * or number, an SQL literal or pg_dump COPY data must leave the file as
 * parseable as it was, with the same fields.  What can be escaped is; what
 * cannot (a delimiter in an unquoted CSV cell, letters where SQL expects a
 * number) fails, so that redaction reports an error instead of writing a
 * broken file.
 */
#include <string.h>
#include <sys/types.h>

#include "struct.h"

typedef struct obuf {
    unsigned char *p;
    size_t n, cap;
    bool full;
} obuf;

static void put(obuf *o, const void *s, size_t n)
{
    if (o->n + n > o->cap) {
        o->full = true;
        return;
    }
    memcpy(o->p + o->n, s, n);
    o->n += n;
}

static void put1(obuf *o, unsigned char c) { put(o, &c, 1); }

/* A JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool json_number(const unsigned char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n || s[i] < '0' || s[i] > '9')
        return false;
    if (s[i] == '0')
        i++;
    else
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    if (i < n && s[i] == '.') {
        size_t d = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
    }
    return i == n;
}

static void json_string_body(obuf *o, const unsigned char *in, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = in[i];
        if (c == '"' || c == '\\') {
            put1(o, '\\');
            put1(o, c);
        } else if (c == '\n') {
            put(o, "\\n", 2);
        } else if (c == '\t') {
            put(o, "\\t", 2);
        } else if (c == '\r') {
            put(o, "\\r", 2);
        } else if (c < 0x20) {
            unsigned char u[6] = { '\\', 'u', '0', '0', (unsigned char)hex[c >> 4], (unsigned char)hex[c & 15] };
            put(o, u, 6);
        } else {
            put1(o, c);
        }
    }
}

/* Unquoted SQL literal: only something that still reads as a number. */
static bool sql_number(const unsigned char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '-' || s[i] == '+' || s[i] == 'e' ||
              s[i] == 'E'))
            return false;
    return true;
}

static void escape(int quote, const unsigned char *in, size_t n, obuf *o)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = in[i];
        switch (quote) {
        case PII_Q_CSV:
            if (c == '"')
                put1(o, '"');
            put1(o, c);
            break;
        case PII_Q_SQL:
            if (c == '\'' || c == '\\')
                put1(o, c == '\'' ? '\'' : '\\');
            if (c == 0)
                put(o, "\\0", 2);
            else
                put1(o, c);
            break;
        case PII_Q_SQL_STD:
            if (c == '\'')
                put1(o, '\'');
            put1(o, c);
            break;
        case PII_Q_COPY:
            if (c == '\\')
                put(o, "\\\\", 2);
            else if (c == '\t')
                put(o, "\\t", 2);
            else if (c == '\n')
                put(o, "\\n", 2);
            else if (c == '\r')
                put(o, "\\r", 2);
            else
                put1(o, c);
            break;
        default:
            put1(o, c);
        }
    }
}

ssize_t pii_escape_replacement(int quote, const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
    obuf o = { .p = out, .cap = cap };
    switch (quote) {
    case PII_Q_CSV_COMMA:
    case PII_Q_CSV_SEMI:
    case PII_Q_CSV_TAB:
        if (memchr(in, quote, n) || memchr(in, '"', n) || memchr(in, '\n', n) || memchr(in, '\r', n))
            return -1;   /* would need quoting the whole cell: not in place */
        put(&o, in, n);
        break;
    case PII_Q_JSON:
        json_string_body(&o, in, n);
        break;
    case PII_Q_JSON_BARE:
        if (json_number(in, n)) {
            put(&o, in, n);
        } else {   /* a masked number becomes a string: still valid JSON */
            put1(&o, '"');
            json_string_body(&o, in, n);
            put1(&o, '"');
        }
        break;
    case PII_Q_SQL_BARE:
        if (!sql_number(in, n))
            return -1;
        put(&o, in, n);
        break;
    default:
        escape(quote, in, n, &o);
    }
    return o.full ? -1 : (ssize_t)o.n;
}

/* ---- the other way: a value as its field means it ---- */

static int hex4(const unsigned char *s)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        unsigned char c = s[k];
        int h = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

size_t pii_utf8_put(uint32_t cp, unsigned char *o)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

long pii_json_u(const unsigned char *s, size_t i, size_t n, size_t *used)
{
    if (i + 5 > n)
        return -1;
    int hi = hex4(s + i + 1);
    *used = 5;
    if (hi < 0xD800 || hi > 0xDFFF)
        return hi;
    if (hi > 0xDBFF || i + 11 > n || s[i + 5] != '\\' || s[i + 6] != 'u')
        return -1;
    int lo = hex4(s + i + 7);
    if (lo < 0xDC00 || lo > 0xDFFF)
        return -1;
    *used = 11;
    return 0x10000 + ((long)(hi - 0xD800) << 10) + (lo - 0xDC00);
}

static bool json_unescape(const unsigned char *s, size_t n, obuf *o)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            put1(o, s[i]);
            continue;
        }
        if (++i == n)
            return false;
        const char *k = s[i] ? strchr(from, s[i]) : NULL;
        if (k) {
            put1(o, (unsigned char)to[k - from]);
        } else if (s[i] == 'u') {
            size_t used;
            long cp = pii_json_u(s, i, n, &used);
            if (cp < 0)
                return false;
            unsigned char b[4];
            put(o, b, pii_utf8_put((uint32_t)cp, b));
            i += used - 1;
        } else {
            return false;
        }
    }
    return true;
}

ssize_t pii_unescape_field(int quote, const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
    obuf o = { out, 0, cap, false };
    if (quote != PII_Q_JSON || !json_unescape(in, n, &o) || o.full)
        return -1;
    return (ssize_t)o.n;
}
