/*
 * op_syms.c -- the symbol view of a raw value, shared by mask and FPE.
 *
 * Operators must leave a value's shape alone: "+86 138-1234-5678" stays
 * "+86 138-****-5678", and a full-width "１３８…" stays full-width.  So the
 * value is seen as its letters and digits (each remembering where it sits
 * and how wide it is) with everything else copied through as is.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "op_int.h"

static bool ascii_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* ASCII letter or digit for a full-width form at p, or 0. */
static char fullwidth_alnum(const uint8_t *p, size_t left)
{
    if (left < 3 || p[0] != 0xEF || (p[1] != 0xBC && p[1] != 0xBD) || (p[2] & 0xC0) != 0x80)
        return 0;
    unsigned cp = 0xF000u | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3Fu);
    if (cp < 0xFF01 || cp > 0xFF5E)
        return 0;
    int c = (int)(cp - 0xFEE0);
    return ascii_alnum(c) ? (char)c : 0;
}

size_t pii_syms(const uint8_t *raw, size_t n, pii_sym *s, size_t cap)
{
    size_t ns = 0;
    for (size_t i = 0; i < n;) {
        char fw = raw[i] == 0xEF ? fullwidth_alnum(raw + i, n - i) : 0;
        if (!fw && !ascii_alnum(raw[i])) {
            i++;
            continue;
        }
        if (ns == cap)
            return (size_t)-1;
        s[ns].off = (uint32_t)i;
        s[ns].width = fw ? 3 : 1;
        s[ns].c = fw ? fw : (char)raw[i];
        i += s[ns].width;
        ns++;
    }
    return ns;
}

void pii_fullwidth(char c, uint8_t out[3])
{
    unsigned cp = 0xFF01u + (unsigned)((unsigned char)c - 0x21);
    out[0] = 0xEF;
    out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (uint8_t)(0x80 | (cp & 0x3F));
}

ssize_t pii_syms_write(const uint8_t *raw, size_t n, const pii_sym *s, size_t ns,
                       const char *newc, uint8_t *out, size_t cap)
{
    size_t o = 0, i = 0;
    for (size_t k = 0; k <= ns; k++) {
        size_t upto = k < ns ? s[k].off : n;
        if (upto - i > cap - o)
            return -1;
        if (upto > i) {   /* most symbols follow each other: no call for nothing */
            memcpy(out + o, raw + i, upto - i);
            o += upto - i;
        }
        if (k == ns)
            break;
        char c = newc[k];
        bool wide = s[k].width == 3 && c > 0x20 && c < 0x7F;
        if ((wide ? 3u : 1u) > cap - o)
            return -1;
        if (wide)
            pii_fullwidth(c, out + o);
        else
            out[o] = (uint8_t)c;
        o += wide ? 3 : 1;
        i = upto + s[k].width;
    }
    return (ssize_t)o;
}

void pii_op_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen > 0)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}
