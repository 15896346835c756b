/*
 * src_leaf.c -- one archive member as a bounded stream, and the archive
 * readers that produce members (see src_leaf.h).
 */
#include "src_leaf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Compressed bytes are read from the top-level file in blocks of this
 * size, so the count of consumed raw bytes is exact only to within one
 * block: the ratio check allows for it rather than trip on small members
 * that happened to arrive in a block already read. */
#define RAW_BLOCK (64u << 10)

/* Compressed bytes of the top-level file consumed so far. */
static int64_t top_raw(const pii_src_ctx *c)
{
    return c->top_gz ? (int64_t)pii_gz_in_bytes(c->top_gz) : archive_filter_bytes(c->top, -1);
}

void pii_leaf_start(pii_leaf *l, pii_src_ctx *c, struct archive *a)
{
    l->c = c;
    l->a = a;
    l->n = 0;
    l->raw0 = top_raw(c);
    l->why = PII_LEAF_OK;
    l->fatal = false;
    /* An empty compressed stream (see pii_archive_reader) has no header
     * and no data to read: its one member is empty. */
    l->eof = archive_format(a) == ARCHIVE_FORMAT_EMPTY;
    l->blk = NULL;
    l->blk_len = l->blk_pos = 0;
    l->blk_off = l->out = 0;
    l->err[0] = 0;
    l->hn = l->hpos = 0;
}

static bool over_ratio(const pii_leaf *l)
{
    double raw = (double)(top_raw(l->c) - l->raw0) + RAW_BLOCK;
    return (double)l->n > l->c->lim->max_ratio * raw;
}

/* Decompressed bytes of the member, limits applied. */
static ssize_t pull(pii_leaf *l, void *buf, size_t cap)
{
    if (l->eof || l->why != PII_LEAF_OK)
        return 0;
    uint64_t room = l->c->lim->max_total - l->c->total;
    if (room == 0) {
        l->why = PII_LEAF_TOTAL;
        l->fatal = true;
        return 0;
    }
    if (cap > room)
        cap = (size_t)room;
    /* Block by block rather than archive_read_data(), which fills the
     * caller's buffer from several blocks and throws all of them away when
     * a later one fails (a bad CRC at the end of a .gz would cost up to a
     * window of good data): here every byte before an error is handed out
     * before the error is seen. */
    while (l->blk_pos == l->blk_len && l->blk_off <= l->out) {   /* empty blocks too */
        const void *b;
        size_t len;
        la_int64_t off;
        int r = archive_read_data_block(l->a, &b, &len, &off);
        if (r == ARCHIVE_EOF) {
            l->eof = true;
            return 0;
        }
        if (r < ARCHIVE_WARN) {
            snprintf(l->err, sizeof l->err, "%s",
                     archive_error_string(l->a) ? archive_error_string(l->a) : "unknown error");
            l->why = PII_LEAF_ERROR;
            l->fatal = r == ARCHIVE_FATAL;
            return 0;
        }
        l->blk = b;
        l->blk_len = len;
        l->blk_pos = 0;
        l->blk_off = off > 0 ? (uint64_t)off : 0;
    }
    /* Fetching the block may have pulled the outer members of a nested
     * container (their bytes count too): the room is what is left now.
     * Measured before, a large read could pass the limit, and then the
     * room, unsigned, would never be 0 again. */
    if (l->c->total >= l->c->lim->max_total) {
        l->why = PII_LEAF_TOTAL;
        l->fatal = true;
        return 0;
    }
    room = l->c->lim->max_total - l->c->total;
    if (cap > room)
        cap = (size_t)room;
    size_t n;
    if (l->blk_off > l->out) {   /* a hole of a sparse member */
        n = l->blk_off - l->out < cap ? (size_t)(l->blk_off - l->out) : cap;
        memset(buf, 0, n);
    } else {
        n = l->blk_len - l->blk_pos < cap ? l->blk_len - l->blk_pos : cap;
        memcpy(buf, l->blk + l->blk_pos, n);
        l->blk_pos += n;
        l->blk_off += n;
    }
    l->out += n;
    l->n += (uint64_t)n;
    l->c->total += (uint64_t)n;
    if (over_ratio(l))
        l->why = PII_LEAF_RATIO;   /* this block is delivered; no more */
    return n;
}

int pii_leaf_peek(pii_leaf *l, const char *name)
{
    while (l->hn < sizeof l->head) {
        ssize_t n = pull(l, l->head + l->hn, sizeof l->head - l->hn);
        if (n <= 0)
            break;
        l->hn += (size_t)n;
    }
    return pii_container_kind(l->head, l->hn, name);
}

ssize_t pii_leaf_read(void *ud, void *buf, size_t cap)
{
    pii_leaf *l = ud;
    if (l->hpos < l->hn) {
        size_t k = l->hn - l->hpos < cap ? l->hn - l->hpos : cap;
        memcpy(buf, l->head + l->hpos, k);
        l->hpos += k;
        return (ssize_t)k;
    }
    return pull(l, buf, cap);
}

void pii_leaf_why(const pii_leaf *l, char *msg, size_t cap)
{
    switch (l->why) {
    case PII_LEAF_TOTAL:
        snprintf(msg, cap, "decompressed size limit of %llu bytes reached (--max-expansion); the rest of the "
                 "file is not scanned", (unsigned long long)l->c->lim->max_total);
        break;
    case PII_LEAF_RATIO:
        snprintf(msg, cap, "expands more than %g times (%llu bytes so far), a likely decompression bomb "
                 "(--max-ratio); the rest of this member is not scanned", l->c->lim->max_ratio,
                 (unsigned long long)l->n);
        break;
    case PII_LEAF_ERROR:
        snprintf(msg, cap, "corrupt or truncated data after %llu bytes: %s", (unsigned long long)l->n, l->err);
        break;
    default:
        msg[0] = 0;
    }
}

int pii_kind_is_stream(int kind)
{
    return kind >= PII_KIND_GZIP && kind <= PII_KIND_COMPRESS;
}

struct archive *pii_archive_reader(int kind)
{
    struct archive *a = archive_read_new();
    if (!a)
        return NULL;
    archive_read_support_filter_all(a);
    if (pii_kind_is_stream(kind)) {
        archive_read_support_format_raw(a);
        /* A compressed stream of nothing (gzip -c /dev/null, an empty log
         * that logrotate compressed) is valid, but the raw format bids
         * only on at least one byte; "empty" takes it (see stream_open). */
        archive_read_support_format_empty(a);
        return a;
    }
    archive_read_support_format_tar(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_rar(a);
    archive_read_support_format_rar5(a);
    return a;
}

/* ---- top level: a file descriptor ---- */

/* Can fd be read without waiting, or after waiting up to timeout_ms (-1:
 * as long as it takes)?  An error in poll counts as readable: the read
 * then says what it is. */
static bool readable(int fd, int timeout_ms)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    int k;
    while ((k = poll(&pfd, 1, timeout_ms)) < 0 && errno == EINTR)
        ;
    return k != 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Has a live input paused?  A pause is a quiet spell of PIISCAN_PAUSE_MS,
 * not a pipe momentarily empty: a writer only a little behind (zcat) must
 * not cut every window short.  But a steady trickle (a line every 5 ms)
 * never falls quiet that long, so once PIISCAN_HOLD_MS have passed since
 * the reads after the last pause began, the pipe running dry at all
 * counts: lines wait at most that long. */
static bool paused(pii_fdin *in)
{
    int64_t now = now_ms();
    if (!in->since_ms)
        in->since_ms = now;
    if (readable(in->fd, now - in->since_ms >= PIISCAN_HOLD_MS ? 0 : PIISCAN_PAUSE_MS))
        return false;
    in->since_ms = 0;
    return true;
}

ssize_t pii_fdin_read(pii_fdin *in, void *buf, size_t cap)
{
    if (in->used < in->npre) {
        size_t n = in->npre - in->used < cap ? in->npre - in->used : cap;
        memcpy(buf, in->pre + in->used, n);
        in->used += n;
        return (ssize_t)n;
    }
    if (in->live && !in->waited && paused(in)) {
        in->waited = true;   /* the next call waits */
        errno = EAGAIN;
        return -1;
    }
    in->waited = false;
    for (;;) {
        ssize_t n = read(in->fd, buf, cap);
        if (n >= 0)
            return n;
        if (errno == EINTR)
            continue;
        /* Standard input left non-blocking (by the shell or the writer)
         * waits for data as a blocking one would, rather than fail.  Not
         * other descriptors: the scan walk opens with O_NONBLOCK so that a
         * FIFO put in a file's place cannot hold the run up. */
        if (!in->live || (errno != EAGAIN && errno != EWOULDBLOCK) || !readable(in->fd, -1))
            return -1;
    }
}

ssize_t piiscan_read_head(int fd, void *buf, size_t cap)
{
    unsigned char *b = buf;
    size_t got = 0;
    while (got < cap) {
        if (got >= 6 && memchr(b, '\n', got) && !readable(fd, PIISCAN_PAUSE_MS))
            break;   /* text that paused after a line: not held back */
        ssize_t n = read(fd, b + got, cap - got);
        if (n < 0 && (errno == EINTR || ((errno == EAGAIN || errno == EWOULDBLOCK) && readable(fd, -1))))
            continue;   /* a non-blocking descriptor waits as a blocking one */
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* A pipe holds 64 KiB by default.  A producer that fills it sleeps until
 * the thread reading it runs again, and when the detection threads keep
 * every CPU busy that thread runs late: the producer waits, the windows
 * run out, and the detection threads wait in turn.  `gen | piiscan scan
 * --threads 2 -` on two CPUs used 1.3 of them and took 1.4 times as long
 * as with 1 MiB, the most an unprivileged process may set by default
 * (/proc/sys/fs/pipe-max-size; bench/RESULTS.md, stop 19).  Best effort:
 * anything but a pipe, a lower limit or another system, and the pipe stays
 * as it is. */
#define PIPE_WANT (1 << 20)

bool pii_pipe_setup(int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
        return false;
#ifdef F_SETPIPE_SZ
    int cur = S_ISFIFO(st.st_mode) ? fcntl(fd, F_GETPIPE_SZ) : -1;
    if (cur >= 0 && cur < PIPE_WANT)
        (void)fcntl(fd, F_SETPIPE_SZ, PIPE_WANT);
#endif
    return true;
}

typedef struct fd_src {
    pii_fdin in;
    unsigned char buf[RAW_BLOCK];
} fd_src;

static la_ssize_t fd_read_cb(struct archive *a, void *ud, const void **out)
{
    fd_src *s = ud;
    ssize_t n = pii_fdin_read(&s->in, s->buf, sizeof s->buf);
    if (n < 0)
        archive_set_error(a, errno, "read error: %s", strerror(errno));
    *out = s->buf;
    return n;
}

static la_int64_t fd_seek_cb(struct archive *a, void *ud, la_int64_t off, int whence)
{
    (void)a;
    off_t r = lseek(((fd_src *)ud)->in.fd, (off_t)off, whence);
    return r < 0 ? ARCHIVE_FATAL : (la_int64_t)r;
}

static int fd_close_cb(struct archive *a, void *ud)
{
    (void)a;
    free(ud);
    return ARCHIVE_OK;
}

int pii_archive_open_fd(struct archive *a, const pii_fdin *in)
{
    fd_src *s = malloc(sizeof *s);
    if (!s)
        return ARCHIVE_FATAL;
    s->in = *in;
    archive_read_set_read_callback(a, fd_read_cb);
    archive_read_set_close_callback(a, fd_close_cb);
    /* A seek callback on a pipe would make zip look seekable and fail. */
    if (in->npre == 0 && lseek(in->fd, 0, SEEK_CUR) >= 0)
        archive_read_set_seek_callback(a, fd_seek_cb);
    archive_read_set_callback_data(a, s);
    return archive_read_open1(a);
}

/* ---- nested: the member an outer archive is reading ---- */

static la_ssize_t leaf_read_cb(struct archive *a, void *ud, const void **out)
{
    pii_leaf *l = ud;
    ssize_t n = pii_leaf_read(l, l->buf, sizeof l->buf);
    if (n == 0 && l->why == PII_LEAF_ERROR) {
        archive_set_error(a, EIO, "%s", l->err);
        return ARCHIVE_FATAL;
    }
    *out = l->buf;
    return n;
}

int pii_archive_open_leaf(struct archive *a, pii_leaf *outer)
{
    archive_read_set_read_callback(a, leaf_read_cb);
    archive_read_set_callback_data(a, outer);
    return archive_read_open1(a);
}

/* ---- gzip through ISA-L (src_gzip.h) ---- */

static ssize_t gz_from_fd(void *ud, void *buf, size_t cap, char *err, size_t errlen)
{
    ssize_t n = pii_fdin_read(ud, buf, cap);
    if (n < 0)
        snprintf(err, errlen, "read error: %s", strerror(errno));
    return n;
}

static ssize_t gz_from_leaf(void *ud, void *buf, size_t cap, char *err, size_t errlen)
{
    pii_leaf *l = ud;
    ssize_t n = pii_leaf_read(l, buf, cap);
    if (n == 0 && l->why == PII_LEAF_ERROR) {
        snprintf(err, errlen, "%s", l->err);
        return -1;
    }
    return n;
}

/* The "empty" format bids whenever the decompressed stream yields no byte,
 * and libarchive does not tell a clean end from a failed read there: both
 * leave nothing to read ahead.  A failed read has set the archive's error
 * (a fresh open clears it), so an empty stream with an error is the
 * corrupt or truncated data it is, never a silently empty member. */
static int stream_open(struct archive *a, int r)
{
    if (r == ARCHIVE_OK && archive_format(a) == ARCHIVE_FORMAT_EMPTY &&
        (archive_errno(a) != 0 || archive_error_string(a) != NULL)) {
        if (!archive_error_string(a))
            archive_set_error(a, archive_errno(a), "read error");
        return ARCHIVE_FATAL;
    }
    return r;
}

int pii_archive_open(struct archive *a, int kind, pii_fdin *in, pii_leaf *outer, const uint8_t *head, size_t hn,
                     const pii_src_limits *lim, const pii_gz **gz)
{
    pii_gz *g = NULL;
    if (kind == PII_KIND_GZIP && !lim->zlib_gzip)
        g = outer ? pii_gz_new(head, hn, gz_from_leaf, outer) : pii_gz_new(head, hn, gz_from_fd, in);
    *gz = g;
    if (g)
        return stream_open(a, pii_gz_open(a, g));
    return stream_open(a, outer ? pii_archive_open_leaf(a, outer) : pii_archive_open_fd(a, in));
}
