#include "sniff.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/* Index of the first byte >= 0x80 in buf[i,n), or n: logs are mostly
 * ASCII, and every file's head goes through here, which for small files is
 * all of it. */
static size_t ascii_run(const unsigned char *buf, size_t i, size_t n)
{
#if defined(__SSE2__)
    for (; n - i >= 16; i += 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(buf + i)));
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    uint64_t w;
    while (n - i >= 8 && (memcpy(&w, buf + i, 8), (w & 0x8080808080808080ull) == 0))
        i += 8;
    while (i < n && buf[i] < 0x80)
        i++;
    return i;
}

static void mark_bad(sniff *s, size_t at)
{
    s->bad_utf8 = true;
    s->bad_at = at;
}

/* Finish a sequence cut by the previous block; returns how many bytes of
 * buf it used, or n when buf is still not enough to finish it. */
static size_t join_pending(sniff *s, const unsigned char *buf, size_t n)
{
    unsigned char tmp[8];
    size_t k = s->npend, take = n < 4 ? n : 4;
    memcpy(tmp, s->pend, k);
    memcpy(tmp + k, buf, take);
    int r = utf8_seq(tmp, k + take);
    if (r < 0 && k + n < sizeof s->pend) {
        memcpy(s->pend + k, buf, n);
        s->npend += n;
        return n;
    }
    s->npend = 0;
    if (r <= 0) {
        mark_bad(s, s->off - k);
        return 0;
    }
    return (size_t)r - k;
}

bool sniff_utf16_bom(const unsigned char *p, size_t n)
{
    return n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF));
}

void sniff_block(sniff *s, const unsigned char *buf, size_t n)
{
    for (size_t i = 0; s->off + i < 2 && i < n; i++)
        s->head[s->off + i] = buf[i];
    if (s->off < 2 && s->off + n >= 2)
        s->utf16 = sniff_utf16_bom(s->head, 2);
    const unsigned char *z = memchr(buf, 0, n);
    if (z && !s->has_nul) {
        s->has_nul = true;
        s->nul_at = s->off + (size_t)(z - buf);
    }
    size_t i = 0;
    /* A file cut out of a longer one (split -b, a log truncated from the
     * front) may start in the middle of a character: up to three
     * continuation bytes at its very start are no sign of another encoding. */
    while (!s->started && i < n && s->off + i < 3 && (buf[i] & 0xC0) == 0x80)
        i++;
    if (i < n)
        s->started = true;
    if (s->npend && !s->bad_utf8)
        i = join_pending(s, buf, n);
    while (i < n && !s->bad_utf8) {
        i = ascii_run(buf, i, n);
        if (i == n)
            break;
        /* CJK text is three-byte sequences, nearly all of lead E1..EC or
         * EE..EF, which are valid with any two continuation bytes (E0
         * and ED bound their second byte: utf8_seq); a run of them is
         * stepped here without going round the loop. */
        size_t c = i;
        while (n - i >= 3 && buf[i] >= 0xE1 && buf[i] <= 0xEF && buf[i] != 0xED &&
               (buf[i + 1] & 0xC0) == 0x80 && (buf[i + 2] & 0xC0) == 0x80)
            i += 3;
        if (i != c)
            continue;
        int k = utf8_seq(buf + i, n - i);
        if (k < 0) {
            s->npend = n - i;
            memcpy(s->pend, buf + i, s->npend);
            break;
        }
        if (k == 0) {
            mark_bad(s, s->off + i);
            break;
        }
        i += (size_t)k;
    }
    s->off += n;
}

void piiscan_sniff_block(piiscan_sniff *s, const void *buf, size_t n) { sniff_block(s, buf, n); }
