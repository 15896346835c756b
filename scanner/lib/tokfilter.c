#include "tokfilter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tokfilter_init(tokfilter *t, const pii_keyring *kr, piiscan_write_fn wr, void *wud)
{
    memset(t, 0, sizeof *t);
    t->kr = kr;
    t->wr = wr;
    t->wud = wud;
}

void tokfilter_free(tokfilter *t)
{
    free(t->buf);
    t->buf = NULL;
}

static int out(tokfilter *t, const void *p, size_t n)
{
    if (n && t->wr(t->wud, p, n) < 0) {
        t->failed_write = true;
        snprintf(t->failmsg, sizeof t->failmsg, "write error");
        return -1;
    }
    return 0;
}

/* Emit buf[0..upto) with tokens decrypted.  Unless final, a token reaching
 * the end of the buffer may go on in the next write: stop before it.
 * Returns the bytes consumed (a token may end past upto). */
static ssize_t drain(tokfilter *t, size_t upto, size_t limit, bool final)
{
    size_t pos = 0, lo, hi;
    piiscan_type type;
    while (pos < upto && pii_token_next(t->buf, limit, pos, &lo, &hi, &type) && lo < upto) {
        if (hi >= limit && !final) {
            upto = lo;   /* may continue in data not seen yet */
            break;
        }
        /* Where the token really ends is confirmed by decrypting it (letters
         * may follow); a token that decrypts at no length means a wrong
         * key or a damaged token, which must not pass silently. */
        size_t klo, khi, k;
        piiscan_type kt;
        unsigned char plain[4096];
        if (!pii_token_next_keyed(t->kr, t->buf, limit, lo, &klo, &khi, &kt, plain, sizeof plain, &k) || klo != lo) {
            snprintf(t->failmsg, sizeof t->failmsg, "cannot decrypt token %.*s... (wrong key?)",
                     (int)(hi - lo > 24 ? 24 : hi - lo), (const char *)t->buf + lo);
            return -1;
        }
        hi = khi;
        if (out(t, t->buf + pos, lo - pos) < 0 || out(t, plain, k) < 0)
            return -1;
        pos = hi;
    }
    if (pos < upto && out(t, t->buf + pos, upto - pos) < 0)
        return -1;
    return (ssize_t)(pos > upto ? pos : upto);
}

int tokfilter_write(tokfilter *t, const void *data, size_t len)
{
    if (t->len + len > t->cap) {
        size_t ncap = t->cap ? t->cap : 1 << 16;
        while (ncap < t->len + len)
            ncap *= 2;
        uint8_t *nb = realloc(t->buf, ncap);
        if (!nb) {
            snprintf(t->failmsg, sizeof t->failmsg, "out of memory");
            return -1;
        }
        t->buf = nb;
        t->cap = ncap;
    }
    memcpy(t->buf + t->len, data, len);
    t->len += len;
    if (t->len < 2 * TOKFILTER_HOLD)
        return 0;
    ssize_t used = drain(t, t->len - TOKFILTER_HOLD, t->len, false);
    if (used < 0)
        return -1;
    memmove(t->buf, t->buf + used, t->len - (size_t)used);
    t->len -= (size_t)used;
    return 0;
}

int tokfilter_flush_lines(tokfilter *t)
{
    const uint8_t *nl = t->len ? memrchr(t->buf, '\n', t->len) : NULL;
    if (!nl)
        return 0;
    size_t upto = (size_t)(nl - t->buf) + 1;   /* no token holds a newline */
    ssize_t used = drain(t, upto, upto, true);
    if (used < 0)
        return -1;
    memmove(t->buf, t->buf + used, t->len - (size_t)used);
    t->len -= (size_t)used;
    return 0;
}

int tokfilter_finish(tokfilter *t)
{
    ssize_t used = drain(t, t->len, t->len, true);
    t->len = 0;
    return used < 0 ? -1 : 0;
}
