/*
 * read_ahead.c -- plain files opened and read by reader threads ahead of
 * their turn (read_ahead.h).
 *
 * The files live in a ring of `depth` slots, numbered by sequence: added,
 * claimed by a reader (or by the caller when its turn comes first), read,
 * handed on (pii_ra_ready), released.  Every counter only grows and each
 * file passes them in sequence order, so the ring needs no search.
 *
 * Locks and wake-ups are system calls and context switches as soon as two
 * threads meet, which with thousands of small files cost as much as the
 * files.  So a file passes between the threads through atomics alone (its
 * state, and the counters), and the mutex is taken only to sleep or to
 * wake a sleeper: a sleeping reader is woken once a quarter of the ring waits
 * (and, once awake, reads while any do); the caller sleeps only when the
 * file whose turn it is is being read, and then until the files after it
 * are read too, up to RA_BATCH (a reader slower than the caller -- a cold
 * cache, a slow disk -- would otherwise wake it for every file, as a
 * reader under strace did: some 4 futex calls per file).  A reader that
 * was not woken in time costs nothing but the read-ahead: the caller then
 * reads the file itself.  Each sleeper announces itself (idle, wait_end) before it
 * looks at what it waits for, and each waker looks at the announcement
 * after it changed that (all sequentially consistent), so one of them
 * always sees the other.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read_ahead.h"
#include "src_container.h"

enum { RA_FREE, RA_QUEUED, RA_BUSY, RA_READY };

#define RA_BATCH 32  /* files a waiting caller waits for at once: a quarter of the usual ring */

struct pii_ra {
    pthread_mutex_t mu;       /* only to sleep and wake */
    pthread_cond_t work, done;
    _Atomic uint64_t added, claimed;
    uint64_t handed, released; /* the caller's alone */
    unsigned depth, nthreads;
    _Atomic unsigned idle;    /* readers asleep, or about to be */
    _Atomic bool stop;
    /* The caller waits until the files from wait_from to wait_end are
     * read (wait_end 0: it does not wait). */
    _Atomic uint64_t wait_from, wait_end;
    pthread_t *th;
    pii_ra_file *slot;
    unsigned char *heads;     /* depth x head bytes */
};

static pii_ra_file *at(const pii_ra *ra, uint64_t seq) { return &ra->slot[seq % ra->depth]; }

static ssize_t read_once(int fd, unsigned char *buf, size_t cap)
{
    ssize_t n;
    do
        n = read(fd, buf, cap);
    while (n < 0 && errno == EINTR);
    return n;
}

/* The descriptor as the caller's flags would have opened it: without
 * the O_NONBLOCK the open added (a FIFO is then read as it always was). */
static void restore_flags(const pii_ra_file *f)
{
    int fl;
    if (!(f->flags & O_NONBLOCK) && (fl = fcntl(f->fd, F_GETFL)) >= 0)
        (void)fcntl(f->fd, F_SETFL, fl & ~O_NONBLOCK);
}

/* The first read of a regular file.  fstat's size tells that it was all
 * of the file, which saves the second read that would have seen the end;
 * a file that grew since is larger than the size and kept open, so its
 * reader goes on to what was added (as it would have). */
static void read_head(pii_ra_file *f, const struct stat *st)
{
    ssize_t n = read_once(f->fd, f->head, f->cap);
    if (n < 0) {
        f->read_err = errno;
        restore_flags(f);
        return;
    }
    f->n = (size_t)n;
    if (f->n)
        f->kind = pii_container_kind(f->head, f->n < PII_HEAD_BYTES ? f->n : PII_HEAD_BYTES, f->path);
    if (f->n < f->cap && (off_t)f->n == st->st_size && f->kind == PII_KIND_PLAIN) {
        close(f->fd);
        f->fd = -1;
        f->complete = true;
        return;
    }
    restore_flags(f);
}

/* A file's open and first read, in whichever thread claimed it.  Only a
 * regular file is read: anything else (a FIFO or device that replaced it
 * since the walk saw it) is left to its turn, read as it always was. */
static void read_file(pii_ra_file *f)
{
    struct stat st;
    f->fd = open(f->path, f->flags | O_NONBLOCK);
    if (f->fd < 0) {
        f->open_err = errno;
        return;
    }
    if (fstat(f->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        f->unread = true;
        restore_flags(f);
        return;
    }
    read_head(f, &st);
}

/* f from QUEUED to BUSY, unless another thread got there first. */
static bool own(pii_ra_file *f)
{
    int queued = RA_QUEUED;
    return atomic_compare_exchange_strong(&f->state, &queued, RA_BUSY);
}

/* A reader's next file to read, claimed, or NULL when none waits. */
static pii_ra_file *claim(pii_ra *ra)
{
    uint64_t c = atomic_load(&ra->claimed);
    while (c < atomic_load(&ra->added))
        if (atomic_compare_exchange_weak(&ra->claimed, &c, c + 1)) {
            pii_ra_file *f = at(ra, c);
            if (own(f))
                return f;
            c = atomic_load(&ra->claimed);   /* the caller read it: on to the next */
        }
    return NULL;
}

/* Whether the files from `from` to `end` are all read. */
static bool all_ready(const pii_ra *ra, uint64_t from, uint64_t end)
{
    for (uint64_t s = from; s < end; s++)
        if (atomic_load(&at(ra, s)->state) != RA_READY)
            return false;
    return true;
}

/* f is read: the caller is woken if it waits for a batch this completes
 * (whichever reader finishes a batch's last file sees all of it read). */
static void finish(pii_ra *ra, pii_ra_file *f)
{
    atomic_store(&f->state, RA_READY);
    uint64_t end = atomic_load(&ra->wait_end);
    if (end && all_ready(ra, atomic_load(&ra->wait_from), end)) {
        pthread_mutex_lock(&ra->mu);
        pthread_cond_broadcast(&ra->done);
        pthread_mutex_unlock(&ra->mu);
    }
}

/* Until stopped or woken, with nothing to read. */
static void sleep_reader(pii_ra *ra)
{
    pthread_mutex_lock(&ra->mu);
    atomic_fetch_add(&ra->idle, 1);
    while (!atomic_load(&ra->stop) && atomic_load(&ra->claimed) >= atomic_load(&ra->added))
        pthread_cond_wait(&ra->work, &ra->mu);
    atomic_fetch_sub(&ra->idle, 1);
    pthread_mutex_unlock(&ra->mu);
}

static void *reader(void *arg)
{
    pii_ra *ra = arg;
    while (!atomic_load(&ra->stop)) {
        pii_ra_file *f = claim(ra);
        if (!f) {
            sleep_reader(ra);
            continue;
        }
        read_file(f);
        finish(ra, f);
    }
    return NULL;
}

static bool init_sync(pii_ra *ra)
{
    if (pthread_mutex_init(&ra->mu, NULL) != 0)
        return false;
    if (pthread_cond_init(&ra->work, NULL) == 0) {
        if (pthread_cond_init(&ra->done, NULL) == 0)
            return true;
        pthread_cond_destroy(&ra->work);
    }
    pthread_mutex_destroy(&ra->mu);
    return false;
}

static void free_mem(pii_ra *ra)
{
    free(ra->th);
    free(ra->slot);
    free(ra->heads);
    free(ra);
}

pii_ra *pii_ra_new(unsigned nthreads, unsigned depth, size_t head)
{
    if (nthreads < 1 || nthreads > 16 || depth < 1 || depth > 1024 || head < PII_HEAD_BYTES || head > (64u << 20))
        return NULL;
    pii_ra *ra = calloc(1, sizeof *ra);
    if (!ra)
        return NULL;
    ra->depth = depth;
    ra->th = calloc(nthreads, sizeof *ra->th);
    ra->slot = calloc(depth, sizeof *ra->slot);
    ra->heads = malloc((size_t)depth * head);
    if (!ra->th || !ra->slot || !ra->heads || !init_sync(ra)) {
        free_mem(ra);
        return NULL;
    }
    for (unsigned i = 0; i < depth; i++) {
        ra->slot[i].fd = -1;
        ra->slot[i].head = ra->heads + (size_t)i * head;
        ra->slot[i].cap = head;
        atomic_init(&ra->slot[i].state, RA_FREE);
    }
    for (; ra->nthreads < nthreads; ra->nthreads++)
        if (pthread_create(&ra->th[ra->nthreads], NULL, reader, ra) != 0)
            break;
    if (ra->nthreads == 0) {
        pii_ra_free(ra);
        return NULL;
    }
    return ra;
}

void pii_ra_free(pii_ra *ra)
{
    if (!ra)
        return;
    pthread_mutex_lock(&ra->mu);
    atomic_store(&ra->stop, true);
    pthread_cond_broadcast(&ra->work);
    pthread_mutex_unlock(&ra->mu);
    for (unsigned i = 0; i < ra->nthreads; i++)
        pthread_join(ra->th[i], NULL);
    for (uint64_t s = ra->released; s < ra->added; s++)
        if (at(ra, s)->fd >= 0)
            close(at(ra, s)->fd);
    pthread_cond_destroy(&ra->done);
    pthread_cond_destroy(&ra->work);
    pthread_mutex_destroy(&ra->mu);
    free_mem(ra);
}

bool pii_ra_can_add(const pii_ra *ra, const char *path)
{
    return atomic_load(&ra->added) - ra->released < ra->depth && strlen(path) < sizeof ra->slot[0].path;
}

/* The slot is the caller's alone until `added` publishes it. */
pii_ra_file *pii_ra_add(pii_ra *ra, const char *path, int flags)
{
    uint64_t seq = atomic_load(&ra->added);
    pii_ra_file *f = at(ra, seq);
    size_t len = strlen(path);   /* < sizeof f->path: pii_ra_can_add */
    memcpy(f->path, path, len + 1);
    f->flags = flags;
    f->open_err = f->read_err = 0;
    f->fd = -1;
    f->unread = f->complete = false;
    f->n = 0;
    f->kind = PII_KIND_PLAIN;
    f->item = NULL;
    atomic_store(&f->state, RA_QUEUED);
    atomic_store(&ra->added, seq + 1);
    if (atomic_load(&ra->idle) && 4 * (seq + 1 - atomic_load(&ra->claimed)) >= ra->depth) {
        pthread_mutex_lock(&ra->mu);
        pthread_cond_signal(&ra->work);
        pthread_mutex_unlock(&ra->mu);
    }
    return f;
}

pii_ra_file *pii_ra_ready(pii_ra *ra)
{
    if (ra->handed < atomic_load(&ra->added) && atomic_load(&at(ra, ra->handed)->state) == RA_READY)
        return at(ra, ra->handed++);
    return NULL;
}

/* Until a reader has finished f, the oldest file not released, and the
 * files added after it, up to RA_BATCH in all.  A reader is at f, so one
 * reads on until every file added is claimed: none of them is left for
 * the caller, which waits. */
static void wait_ready(pii_ra *ra, pii_ra_file *f)
{
    if (atomic_load(&f->state) == RA_READY)
        return;
    uint64_t from = ra->released, added = atomic_load(&ra->added);
    uint64_t end = added - from < RA_BATCH ? added : from + RA_BATCH;
    pthread_mutex_lock(&ra->mu);
    atomic_store(&ra->wait_from, from);
    atomic_store(&ra->wait_end, end);
    while (!all_ready(ra, from, end))
        pthread_cond_wait(&ra->done, &ra->mu);
    atomic_store(&ra->wait_end, 0);
    pthread_mutex_unlock(&ra->mu);
}

void pii_ra_take(pii_ra *ra, pii_ra_file *f)
{
    if (own(f)) {
        /* No reader has started it: reading it here beats waiting for
         * one to wake.  A reader that comes to it later finds it taken. */
        read_file(f);
        atomic_store(&f->state, RA_READY);
        return;
    }
    wait_ready(ra, f);
}

void pii_ra_drop(pii_ra *ra, pii_ra_file *f)
{
    if (own(f))
        atomic_store(&f->state, RA_READY);   /* never opened */
    else
        wait_ready(ra, f);   /* a reader may be using it */
    pii_ra_release(ra, f);
}

void pii_ra_release(pii_ra *ra, pii_ra_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    atomic_store(&f->state, RA_FREE);
    if (ra->handed == ra->released)
        ra->handed++;
    ra->released++;
}
