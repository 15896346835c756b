#include "sniff.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at p (1-4), 0 if invalid, -1 if cut. */
static int utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char b = p[0];
    int len;
    unsigned min;
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF) { len = 2; min = 0x80; }
    else if (b >= 0xE0 && b <= 0xEF) { len = 3; min = 0x800; }
    else if (b >= 0xF0 && b <= 0xF4) { len = 4; min = 0x10000; }
    else
        return 0;
    if ((size_t)len > n) {
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        return -1;
    }
    unsigned cp = b & (0xFF >> (len + 1));
    for (int i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

void sniff_block(sniff *s, const unsigned char *buf, size_t n)
{
    const unsigned char *z = memchr(buf, 0, n);
    if (z && !s->has_nul) {
        s->has_nul = true;
        s->nul_at = (size_t)(z - buf);
    }
    for (size_t i = 0; i < n && !s->bad_utf8;) {
        int k = utf8_seq(buf + i, n - i);
        if (k < 0)
            break;
        if (k == 0) {
            s->bad_utf8 = true;
            s->bad_at = i;
            break;
        }
        i += (size_t)k;
    }
}
