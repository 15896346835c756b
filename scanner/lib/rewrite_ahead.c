/*
 * rewrite_ahead.c -- the writing half of a single compressed stream's
 * rewrite (see archive_rewrite.h): the reading half ran in a walker
 * thread; here its record (how the copy is compressed), member (the
 * content) and messages are replayed into the copy.
 *
 * What is told and written must be what pii_archive_rewrite tells and
 * writes, in the same order.  The one place where the halves could part
 * is a member whose transform fails: the direct rewrite still tells what
 * cut the member short (a corrupt end, a limit) when its reader got that
 * far, and stops reading otherwise.  The walker read the member to its
 * end whatever happens here, and queues that message after it, so the
 * replay goes on to it exactly when the transform saw the member's end.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "archive_rewrite.h"

typedef struct half {
    const char *path;
    FILE *out;
    int threads;
    pii_rewrite_fn fn;
    pii_member_msg msg;
    void *ud;
    FILE *cz;        /* the copy's compressed stream, once the record came */
    int rc;          /* the first failure here (PII_RW_*) */
} half;

static void fail(half *h, const char *vpath, const char *msg, int rc)
{
    h->msg(h->ud, vpath, msg, 1);
    if (h->rc == PII_RW_OK)
        h->rc = rc;
}

static int on_spec(void *ud, const void *rec, size_t len)
{
    half *h = ud;
    if (len != sizeof(pii_stream_spec) || h->cz || h->rc != PII_RW_OK)
        return 1;   /* one stream, one record: anything else is not this walk */
    if (!(h->cz = pii_stream_writer(rec, h->out, h->threads))) {
        fail(h, h->path, PII_RW_NO_WRITER_MSG, PII_RW_UNWRITABLE);
        return 1;
    }
    return 0;
}

/* The member's reader, noting whether its end was reached. */
typedef struct seen {
    piiscan_read_fn rd;
    void *rud;
    bool end;
} seen;

static ssize_t seen_read(void *ud, void *buf, size_t cap)
{
    seen *s = ud;
    ssize_t n = s->rd(s->rud, buf, cap);
    if (n == 0)
        s->end = true;
    return n;
}

static int on_member(void *ud, const char *vpath, piiscan_read_fn rd, void *rud)
{
    half *h = ud;
    if (!h->cz)
        return 1;
    seen s = { rd, rud, false };
    if (h->fn(h->ud, vpath, seen_read, &s, h->cz) == 0)
        return 0;
    if (h->rc == PII_RW_OK)
        h->rc = PII_RW_FAILED;
    return s.end ? 0 : 1;
}

static void on_msg(void *ud, const char *vpath, const char *msg, int is_error)
{
    half *h = ud;
    h->msg(h->ud, vpath, msg, is_error);
}

int pii_archive_rewrite_ahead(pii_pf_item *item, const char *path, int fd, FILE *out, const pii_src_limits *lim,
                              int threads, pii_rewrite_fn fn, pii_member_msg msg, void *ud)
{
    half h = { .path = path, .out = out, .threads = threads, .fn = fn, .msg = msg, .ud = ud };
    int rc = pii_prefetch_replay_records(item, on_member, on_msg, on_spec, &h);
    if (rc == PII_RW_DEFER) {
        if (lseek(fd, 0, SEEK_SET) < 0) {
            fail(&h, path, strerror(errno), PII_RW_FAILED);
            return h.rc;
        }
        return pii_archive_rewrite(path, fd, out, lim, threads, fn, msg, ud);
    }
    if (rc > 0 || (rc < 0 && rc != PII_RW_UNWRITABLE))
        rc = PII_RW_FAILED;   /* stopped here, or an error the walk told */
    if (h.cz && fclose(h.cz) != 0 && h.rc == PII_RW_OK && rc == PII_RW_OK)
        fail(&h, path, PII_RW_CLOSE_MSG, PII_RW_FAILED);
    if (h.rc == PII_RW_OK && rc == PII_RW_OK && fflush(out) != 0)
        fail(&h, path, PII_RW_FLUSH_MSG, PII_RW_FAILED);
    return h.rc != PII_RW_OK ? h.rc : rc;
}
