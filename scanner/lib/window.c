/*
 * window.c -- line-aligned windows over a stream (see window.h).
 *
 * One buffer of window_size bytes is reused for every window, so memory is
 * constant however long the stream or its lines are.  Between windows only
 * the unaccepted bytes plus PII_WINDOW_OVERLAP bytes of left context move to
 * the front; the rest of the buffer is refilled from the reader.
 *
 * Progress is guaranteed: a full window that is not the last one accepts up
 * to a newline past its middle or up to len - PII_WINDOW_TAIL, and both lie
 * beyond the carried context because window_size >= PII_WINDOW_MIN
 * (= 2 * PII_WINDOW_OVERLAP + 2 * PII_WINDOW_TAIL).
 */
#include "window.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(PII_WINDOW_MIN / 2 > PII_WINDOW_OVERLAP,
               "a newline cut must lie beyond the carried context");
_Static_assert(PII_WINDOW_MIN - PII_WINDOW_TAIL > PII_WINDOW_OVERLAP,
               "a mid-line cut must lie beyond the carried context");

int pii_wreader_init(pii_wreader *r, size_t window_size, pii_read_fn rd, void *ud)
{
    memset(r, 0, sizeof *r);
    if (window_size < PII_WINDOW_MIN)
        window_size = PII_WINDOW_MIN;
    r->buf = malloc(window_size);
    if (!r->buf) {
        errno = ENOMEM;
        return -1;
    }
    r->cap = window_size;
    r->first = true;
    r->rd = rd;
    r->ud = ud;
    return 0;
}

void pii_wreader_init_on(pii_wreader *r, uint8_t *buf, size_t window_size, pii_read_fn rd, void *ud)
{
    memset(r, 0, sizeof *r);
    r->buf = buf;
    r->cap = window_size;
    r->first = true;
    r->rd = rd;
    r->ud = ud;
}

void pii_wreader_free(pii_wreader *r)
{
    free(r->buf);
    memset(r, 0, sizeof *r);
}

/* Drop what the previous window accepted, keeping PII_WINDOW_OVERLAP bytes
 * of it as left context for the next accept range.  Idempotent (consumed
 * ends <= PII_WINDOW_OVERLAP), so a call retried after a read error is safe. */
static void carry(pii_wreader *r)
{
    size_t keep_from = r->consumed > PII_WINDOW_OVERLAP ? r->consumed - PII_WINDOW_OVERLAP : 0;
    memmove(r->buf, r->buf + keep_from, r->fill - keep_from);
    r->fill -= keep_from;
    r->consumed -= keep_from;
    r->base += keep_from;
}

uint8_t *pii_wreader_swap(pii_wreader *r, uint8_t *buf)
{
    uint8_t *old = r->buf;
    if (!r->first) {
        size_t keep_from = r->consumed > PII_WINDOW_OVERLAP ? r->consumed - PII_WINDOW_OVERLAP : 0;
        memcpy(buf, old + keep_from, r->fill - keep_from);
        r->fill -= keep_from;
        r->consumed -= keep_from;
        r->base += keep_from;
    }
    r->buf = buf;
    return old;
}

/* Does the buffer hold a newline that no window accepted yet? */
static bool whole_line(const pii_wreader *r)
{
    return r->fill > r->consumed && memchr(r->buf + r->consumed, '\n', r->fill - r->consumed) != NULL;
}

/* Pipes and sockets return short counts: read until full or end of stream,
 * or until a live input pauses with a whole line to hand out.  0, -1 on a
 * read error, 2 for a pause told (tell_pauses). */
static int fill(pii_wreader *r)
{
    while (r->fill < r->cap && !r->eof) {
        ssize_t n = r->rd(r->ud, r->buf + r->fill, r->cap - r->fill);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                if (whole_line(r) && (!r->first || !r->head_ok || r->head_ok(r->head_ud, r->buf, r->fill))) {
                    r->paused = true;
                    return 0;
                }
                if (r->tell_pauses && !r->first)
                    return 2;
                continue;   /* nothing to hand out yet: the next call waits */
            }
            return -1;
        }
        if (n == 0)
            r->eof = true;
        else
            r->fill += (size_t)n;
    }
    return 0;
}

int pii_wreader_prefill(pii_wreader *r) { return r->paused ? 0 : fill(r); }

uint8_t *pii_wreader_grow(pii_wreader *r, uint8_t *buf, size_t cap)
{
    uint8_t *old = r->buf;
    memcpy(buf, old, r->fill);
    r->buf = buf;
    r->cap = cap;
    return old;
}

/* End of the accept range of a full window that is not the last. */
static size_t cut(const uint8_t *buf, size_t len)
{
    size_t half = len / 2;
    const uint8_t *nl = memrchr(buf + half, '\n', len - half);
    if (nl)
        return (size_t)(nl - buf) + 1;
    return len - PII_WINDOW_TAIL;
}

int pii_wreader_next(pii_wreader *r, pii_window *w)
{
    if (r->done)
        return 0;
    if (!r->first)
        carry(r);
    int f = r->paused ? 0 : fill(r);
    if (f != 0)
        return f < 0 ? -1 : f;
    if (r->eof && r->consumed == r->fill) {
        /* Nothing left to accept (empty stream, or the last window ended
         * exactly at a newline at the end of the buffer). */
        r->done = true;
        return 0;
    }
    r->first = false;
    w->data = r->buf;
    w->len = r->fill;
    w->base = r->base;
    w->acc_lo = r->consumed;
    w->paused = r->paused && !r->eof;
    if (w->paused) {   /* up to the last newline: whole_line found one */
        const uint8_t *nl = memrchr(r->buf + r->consumed, '\n', r->fill - r->consumed);
        w->acc_hi = (size_t)(nl - r->buf) + 1;
    } else {
        w->acc_hi = r->eof ? r->fill : cut(r->buf, r->fill);
    }
    r->paused = false;
    w->at_start = r->base == 0;
    w->at_eof = r->eof;
    r->consumed = w->acc_hi;
    if (r->eof)
        r->done = true;
    return 1;
}
