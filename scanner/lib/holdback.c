/* holdback.c -- see holdback.h. */
#include "holdback.h"

#include <stdlib.h>
#include <string.h>

struct holdback {
    FILE *out;
    bool complete;     /* set by holdback_close before fclose runs close_fn */
    bool failed;
    size_t keep, used;
    unsigned char *buf;   /* the last `used` bytes written, oldest first */
};

/* Pass on all but the last keep bytes of buf + p[0..n), oldest first.
 * 0 on failure, never -1 (see stream_writers.c's gz_write). */
static ssize_t write_fn(void *c, const char *p, size_t n)
{
    holdback *h = c;
    if (h->failed)
        return 0;   /* buf may hold bytes already passed on: never again */
    const unsigned char *q = (const unsigned char *)p;
    size_t total = h->used + n;
    if (total > h->keep) {
        size_t pass = total - h->keep;
        size_t from_buf = pass < h->used ? pass : h->used, from_p = pass - from_buf;
        if (fwrite(h->buf, 1, from_buf, h->out) != from_buf || fwrite(q, 1, from_p, h->out) != from_p) {
            h->failed = true;
            return 0;
        }
        memmove(h->buf, h->buf + from_buf, h->used - from_buf);
        h->used -= from_buf;
        memcpy(h->buf + h->used, q + from_p, n - from_p);
        h->used += n - from_p;
    } else {
        memcpy(h->buf + h->used, q, n);
        h->used += n;
    }
    return (ssize_t)n;
}

static int close_fn(void *c)
{
    holdback *h = c;
    bool ok = h->complete && !h->failed && fwrite(h->buf, 1, h->used, h->out) == h->used && fflush(h->out) == 0;
    free(h->buf);
    free(h);
    return ok ? 0 : EOF;
}

FILE *holdback_open(FILE *out, size_t keep, holdback **hb)
{
    holdback *h = calloc(1, sizeof *h);
    if (!h || !(h->buf = malloc(keep))) {
        free(h);
        return NULL;
    }
    h->out = out;
    h->keep = keep;
    cookie_io_functions_t io = { .write = write_fn, .close = close_fn };
    FILE *fp = fopencookie(h, "w", io);
    if (!fp) {
        free(h->buf);
        free(h);
        return NULL;
    }
    *hb = h;
    return fp;
}

int holdback_close(FILE *fp, holdback *hb, bool complete)
{
    if (complete && fflush(fp) != 0)
        complete = false;
    hb->complete = complete;
    return fclose(fp) == 0 && complete ? 0 : -1;
}
