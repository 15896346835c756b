/*
 * inputs.c -- a command's inputs in order, containers opened and read
 * ahead (piiscan.h, "inputs").
 *
 * Each input is an entry of the ordered queue (prefetch_order.h): a
 * container given to a walker thread (src_prefetch.h) and replayed in its
 * turn, a file opened and read by a reader thread (read_ahead.h), a plain
 * file with the first bytes that told its kind, or a message.  Nothing is copied unless it has to wait: a path or message
 * lasts only for the caller's call, the first bytes only until the next
 * file is read into the same buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "piiscan.h"
#include "prefetch_order.h"
#include "read_ahead.h"
#include "src_container.h"
#include "src_prefetch.h"

/* A file's first read: enough for the container check and, as the
 * pipeline's small windows are this size too, all of a small file (with
 * many small files every system call per file counts). */
#define HEAD_READ (64u << 10)

/* Files opened and read ahead of their turn when there are walkers, and
 * so how many inputs may wait in line: enough that the reader thread stays
 * ahead of the thread that feeds the pipeline (which takes a turn for
 * every file it adds once the line is full) although it is woken only
 * once for every 32 of them and then waits for a CPU among busy workers.
 * A file of up to RA_HEAD bytes is read whole ahead; a larger one's first
 * RA_HEAD bytes are, and the rest in its turn.  128 x 16 KiB = 2 MiB. */
#define FILES_AHEAD 128u
#define RA_HEAD (16u << 10)
struct piiscan_inputs {
    piiscan_input_ops ops;
    void *ud;
    pii_src_limits lim;
    pii_prefetch *pf;            /* walker threads (two threads or more), else NULL */
    pii_order *q;                /* inputs waiting for their turn behind those read ahead */
    pii_ra *ra;                  /* reader threads for files (with walkers), else NULL */
    unsigned fd_depth;           /* inputs that may wait before one given open (2 x walkers) */
    unsigned char head[HEAD_READ];
};

typedef struct entry {
    pii_pf_item *item;           /* a container read ahead */
    pii_ra_file *file;           /* a file opened by a reader thread */
    const char *path;            /* a plain file, or what a message is about */
    const char *msg;             /* a message, else NULL */
    int is_error;
    int fd;                      /* a plain file's descriptor, else -1 */
    const unsigned char *head;   /* a plain file's first bytes */
    size_t nhead;
    int head_err;                /* its first read failed: errno */
    char *own_path, *own_msg;    /* copies while it waits */
    unsigned char *own_head;
} entry;

/* A plain stream: the first bytes, read to tell its kind, and then the
 * rest of fd (or the first read's error, every time). */
typedef struct plain {
    pii_fdin in;
    int err;
} plain;

static ssize_t plain_read(void *ud, void *buf, size_t cap)
{
    plain *p = ud;
    if (p->err) {
        errno = p->err;
        return -1;
    }
    if (p->in.fd < 0 && p->in.used == p->in.npre)
        return 0;   /* read whole ahead (read_ahead.h) */
    return pii_fdin_read(&p->in, buf, cap);
}

static int stopped(const piiscan_inputs *in) { return in->ops.stopped && in->ops.stopped(in->ud) ? 1 : 0; }

/* What an input's turn returns: what stopped it, else whether the caller
 * wants no more. */
static int after(const piiscan_inputs *in, int rc) { return rc > 0 ? rc : stopped(in); }

static int read_plain(piiscan_inputs *in, const char *name, int fd, const void *head, size_t n, int err,
                      bool live)
{
    plain p = { { .fd = fd, .pre = head, .npre = n, .live = live }, err };
    return in->ops.stream(in->ud, name, plain_read, &p);
}

/* An entry after its turn, or dropped without one. */
static void release(void *ud, void *entry_)
{
    piiscan_inputs *in = ud;
    entry *e = entry_;
    if (e->file)
        pii_ra_drop(in->ra, e->file);   /* released as is after a turn (pii_ra_take) */
    if (e->fd >= 0)
        close(e->fd);
    free(e->own_path);
    free(e->own_msg);
    free(e->own_head);
}

/* A container met in a turn: walked now (by a walker thread when there
 * are some, so that its inflation runs beside the replay).  Owns fd. */
static int container_now(piiscan_inputs *in, const char *path, int fd)
{
    if (lseek(fd, 0, SEEK_SET) < 0) {
        in->ops.message(in->ud, path, strerror(errno), 1);
        close(fd);
        return 0;
    }
    if (in->pf) {
        pii_pf_item *item = pii_prefetch_add(in->pf, path, fd);
        return item ? pii_prefetch_replay(item, in->ops.stream, in->ops.message, in->ud) : -1;
    }
    int rc = pii_source_walk(path, fd, &in->lim, in->ops.stream, in->ops.message, in->ud);
    close(fd);
    return rc;
}

/* A file the reader left to its turn (not a regular file): read as
 * piiscan_inputs_file does, but in this turn, into the file's own head. */
static int unread_turn(piiscan_inputs *in, pii_ra_file *f)
{
    ssize_t n;
    do
        n = read(f->fd, f->head, f->cap);
    while (n < 0 && errno == EINTR);
    int err = n < 0 ? errno : 0;
    size_t got = n > 0 ? (size_t)n : 0;
    if (got && pii_container_kind(f->head, got < PII_HEAD_BYTES ? got : PII_HEAD_BYTES, f->path) != PII_KIND_PLAIN) {
        int fd = f->fd;
        f->fd = -1;
        return container_now(in, f->path, fd);
    }
    return read_plain(in, f->path, f->fd, f->head, got, err, false);
}

/* A file's turn: it is read (or found missing) by now, or read here. */
static int file_turn(piiscan_inputs *in, pii_ra_file *f)
{
    pii_ra_take(in->ra, f);
    if (f->item)
        return pii_prefetch_replay(f->item, in->ops.stream, in->ops.message, in->ud);
    if (f->open_err) {
        in->ops.message(in->ud, f->path, strerror(f->open_err), 1);
        return 0;
    }
    if (f->unread)
        return unread_turn(in, f);
    if (f->kind != PII_KIND_PLAIN) {
        int fd = f->fd;
        f->fd = -1;
        return container_now(in, f->path, fd);
    }
    return read_plain(in, f->path, f->complete ? -1 : f->fd, f->head, f->n, f->read_err, false);
}

static int take_turn(void *ud, void *entry_)
{
    piiscan_inputs *in = ud;
    entry *e = entry_;
    int rc = 0;
    if (e->item)
        rc = pii_prefetch_replay(e->item, in->ops.stream, in->ops.message, in->ud);
    else if (e->file)
        rc = file_turn(in, e->file);
    else if (e->msg)
        in->ops.message(in->ud, e->path, e->msg, e->is_error);
    else
        rc = read_plain(in, e->path, e->fd, e->head, e->nhead, e->head_err, false);
    release(ud, e);
    return after(in, rc);
}

static char *copy(const char *s, char **own)
{
    return s ? (*own = strdup(s)) : NULL;
}

/* An entry that waits: its strings are copied, and its first bytes if
 * they are in in->head, which the next file's first read overwrites. */
static int keep(void *ud, void *entry_)
{
    piiscan_inputs *in = ud;
    entry *e = entry_;
    if ((e->path && !copy(e->path, &e->own_path)) || (e->msg && !copy(e->msg, &e->own_msg)))
        goto fail;
    if (e->nhead && e->head == in->head) {
        if (!(e->own_head = malloc(e->nhead)))
            goto fail;
        memcpy(e->own_head, e->head, e->nhead);
        e->head = e->own_head;
    }
    e->path = e->own_path ? e->own_path : e->path;
    e->msg = e->own_msg ? e->own_msg : e->msg;
    return 0;
fail:
    free(e->own_path);
    free(e->own_msg);
    e->own_path = e->own_msg = NULL;
    return -1;
}

/* After a stop, an input that waited is dropped unread (a container is
 * freed with the walker pool). */
static const pii_order_ops ORDER_OPS = { take_turn, keep, release };

/* Files are opened and read ahead by a thread of their own only where the
 * feeding thread would be the cap without it.  With two threads it is one
 * of the two that detect (pipeline.c), and a third busy thread on two CPUs
 * cost more than it saved (context switches, the bytes read crossing
 * cores): without it 22,107 small files took 3% less CPU time and 4% less
 * wall time (bench/RESULTS.md, stop 21).  k walkers (pii_prefetch_walkers:
 * min(threads, 4) from two threads on) mean 3 threads or more from k = 3. */
static bool read_ahead_wanted(unsigned k) { return k >= 3; }

int piiscan_inputs_new(piiscan_inputs **out, int threads, const piiscan_limits *lim, const piiscan_input_ops *ops,
                       void *ud)
{
    piiscan_inputs *in = calloc(1, sizeof *in);
    unsigned k = pii_prefetch_walkers(threads);
    *out = NULL;
    if (!in)
        return -1;
    in->ops = *ops;
    in->ud = ud;
    in->fd_depth = 2 * k;
    pii_src_limits_from(&in->lim, lim);
    if (!(in->q = pii_order_new_depth(k ? FILES_AHEAD : 0, sizeof(entry), &ORDER_OPS, in)) ||
        (k && !(in->pf = pii_prefetch_new(k, &in->lim))) ||
        (read_ahead_wanted(k) && !(in->ra = pii_ra_new(1, FILES_AHEAD, RA_HEAD)))) {
        piiscan_inputs_free(in);
        return -1;
    }
    *out = in;
    return 0;
}

void piiscan_inputs_free(piiscan_inputs *in)
{
    if (!in)
        return;
    pii_order_free(in->q);
    pii_ra_free(in->ra);
    pii_prefetch_free(in->pf);
    free(in);
}

int piiscan_inputs_message(piiscan_inputs *in, const char *path, const char *msg, int is_error)
{
    entry e = { .path = path, .msg = msg, .is_error = is_error, .fd = -1 };
    return pii_order_put(in->q, &e, false);
}

/* A container is walked from its start by the archive reader, which seeks
 * in a file (zip reads its central directory at the end): by a walker
 * thread when there are some (it then owns fd), else here. */
static int container(piiscan_inputs *in, const char *path, int fd)
{
    if (lseek(fd, 0, SEEK_SET) < 0) {
        int rc = piiscan_inputs_message(in, path, strerror(errno), 1);
        close(fd);
        return rc;
    }
    if (in->pf) {
        entry e = { .item = pii_prefetch_add(in->pf, path, fd), .fd = -1 };
        return e.item ? pii_order_put(in->q, &e, true) : -1;
    }
    int rc = pii_source_walk(path, fd, &in->lim, in->ops.stream, in->ops.message, in->ud);
    close(fd);
    return after(in, rc);
}

static ssize_t read_once(int fd, unsigned char *buf, size_t cap)
{
    ssize_t n;
    do
        n = read(fd, buf, cap);
    while (n < 0 && errno == EINTR);
    return n;
}

/* An input given open (piiscan_inputs_file) waits behind at most as many
 * as before files were read ahead: its head is copied while it waits
 * (64 KiB), which the line of small files read ahead must not multiply. */
static int make_room(piiscan_inputs *in)
{
    int rc = 0;
    while (!rc && in->fd_depth && pii_order_waiting(in->q) >= in->fd_depth - 1)
        rc = pii_order_take(in->q);   /* a turn's value, stopped() asked */
    return rc;
}

int piiscan_inputs_file(piiscan_inputs *in, const char *path, int fd)
{
    int rc = make_room(in);
    if (rc) {
        close(fd);
        return rc;
    }
    ssize_t n = read_once(fd, in->head, sizeof in->head);
    int err = n < 0 ? errno : 0;
    size_t got = n > 0 ? (size_t)n : 0;
    if (got && pii_container_kind(in->head, got < PII_HEAD_BYTES ? got : PII_HEAD_BYTES, path) != PII_KIND_PLAIN)
        return container(in, path, fd);
    entry e = { .path = path, .fd = fd, .head = in->head, .nhead = got, .head_err = err };
    return pii_order_put(in->q, &e, false);
}

int piiscan_inputs_pipe(piiscan_inputs *in, const char *name, int fd, const void *head, size_t n)
{
    bool live = pii_pipe_setup(fd);
    int rc = pii_order_drain(in->q);
    if (rc)
        return rc;
    if (n && pii_container_kind(head, n, NULL) != PII_KIND_PLAIN)
        return after(in, pii_source_walk_head(name, fd, head, n, &in->lim, in->ops.stream, in->ops.message, in->ud));
    return after(in, read_plain(in, name, fd, head, n, 0, live && in->ops.pauses));
}

int piiscan_inputs_finish(piiscan_inputs *in) { return pii_order_drain(in->q); }

/* Containers the readers found, given to the walker threads as soon as
 * they are seen rather than in their turn, so that several are inflated
 * ahead as when the caller opened them.  A container found only in its
 * turn is walked then (container_now). */
static void start_containers(piiscan_inputs *in)
{
    pii_ra_file *f;
    while ((f = pii_ra_ready(in->ra)) != NULL) {
        if (f->open_err || f->unread || f->kind == PII_KIND_PLAIN || f->fd < 0)
            continue;
        if (lseek(f->fd, 0, SEEK_SET) < 0) {
            f->open_err = errno;   /* said in its turn, as container() would */
            close(f->fd);
            f->fd = -1;
            continue;
        }
        f->item = pii_prefetch_add(in->pf, f->path, f->fd);
        f->fd = -1;   /* the item's, even when it could not be made */
        if (!f->item)
            f->open_err = ENOMEM;
    }
}

int piiscan_inputs_open(piiscan_inputs *in, const char *path, int flags)
{
    if (in->ra && pii_ra_can_add(in->ra, path)) {
        start_containers(in);
        entry e = { .file = pii_ra_add(in->ra, path, flags), .fd = -1 };
        return pii_order_put(in->q, &e, true);
    }
    int fd = open(path, flags);
    if (fd < 0)
        return piiscan_inputs_message(in, path, strerror(errno), 1);
    return piiscan_inputs_file(in, path, fd);
}
