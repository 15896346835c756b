/*
 * read_ahead.c -- plain files opened and read by reader threads ahead of
 * their turn (read_ahead.h).
 *
 * The files live in a ring of `depth` slots, numbered by sequence: added,
 * claimed by a reader (or by the caller when its turn comes first), read,
 * handed on (pii_ra_ready), released.  Every counter only grows and each
 * file passes them in sequence order, so the ring needs no search.
 *
 * Wake-ups are system calls and context switches, which with thousands of
 * small files cost as much as the files: a sleeping reader is woken once
 * WAKE_FILES files wait (and, once awake, reads while any do); the caller
 * is woken only when it waits for a file.  A reader that was not woken in
 * time costs nothing but the read-ahead: the caller then reads the file
 * itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read_ahead.h"
#include "src_container.h"

#define WAKE_FILES 4u

enum { RA_FREE, RA_QUEUED, RA_BUSY, RA_READY };

struct pii_ra {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    uint64_t added, claimed, handed, released;
    unsigned depth, nthreads, idle;
    bool stop, caller_waits;
    pthread_t *th;
    pii_ra_file *slot;
    unsigned char *heads;     /* depth x PII_RA_HEAD */
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
    ssize_t n = read_once(f->fd, f->head, PII_RA_HEAD);
    if (n < 0) {
        f->read_err = errno;
        restore_flags(f);
        return;
    }
    f->n = (size_t)n;
    if (f->n)
        f->kind = pii_container_kind(f->head, f->n < PII_HEAD_BYTES ? f->n : PII_HEAD_BYTES, f->path);
    if (f->n < PII_RA_HEAD && (off_t)f->n == st->st_size && f->kind == PII_KIND_PLAIN) {
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

/* With the lock held: the next file to read, claimed, or NULL. */
static pii_ra_file *claim(pii_ra *ra)
{
    if (ra->claimed == ra->added)
        return NULL;
    pii_ra_file *f = at(ra, ra->claimed++);
    f->state = RA_BUSY;
    return f;
}

/* With the lock held: f is read. */
static void finish(pii_ra *ra, pii_ra_file *f)
{
    f->state = RA_READY;
    if (ra->caller_waits)
        pthread_cond_broadcast(&ra->done);
}

static void *reader(void *arg)
{
    pii_ra *ra = arg;
    pthread_mutex_lock(&ra->mu);
    while (!ra->stop) {
        pii_ra_file *f = claim(ra);
        if (!f) {
            ra->idle++;
            pthread_cond_wait(&ra->work, &ra->mu);
            ra->idle--;
            continue;
        }
        pthread_mutex_unlock(&ra->mu);
        read_file(f);
        pthread_mutex_lock(&ra->mu);
        finish(ra, f);
    }
    pthread_mutex_unlock(&ra->mu);
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

pii_ra *pii_ra_new(unsigned nthreads, unsigned depth)
{
    if (nthreads < 1 || nthreads > 16 || depth < 1 || depth > 1024)
        return NULL;
    pii_ra *ra = calloc(1, sizeof *ra);
    if (!ra)
        return NULL;
    ra->depth = depth;
    ra->th = calloc(nthreads, sizeof *ra->th);
    ra->slot = calloc(depth, sizeof *ra->slot);
    ra->heads = malloc((size_t)depth * PII_RA_HEAD);
    if (!ra->th || !ra->slot || !ra->heads || !init_sync(ra)) {
        free_mem(ra);
        return NULL;
    }
    for (unsigned i = 0; i < depth; i++)
        ra->slot[i] = (pii_ra_file){ .fd = -1, .head = ra->heads + (size_t)i * PII_RA_HEAD };
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
    ra->stop = true;
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
    return ra->added - ra->released < ra->depth && strlen(path) < sizeof ra->slot[0].path;
}

pii_ra_file *pii_ra_add(pii_ra *ra, const char *path, int flags)
{
    pthread_mutex_lock(&ra->mu);
    pii_ra_file *f = at(ra, ra->added);
    unsigned char *head = f->head;
    *f = (pii_ra_file){ .flags = flags, .fd = -1, .kind = PII_KIND_PLAIN, .state = RA_QUEUED, .head = head };
    strcpy(f->path, path);   /* fits: pii_ra_can_add */
    ra->added++;
    if (ra->idle && ra->added - ra->claimed >= WAKE_FILES)
        pthread_cond_signal(&ra->work);
    pthread_mutex_unlock(&ra->mu);
    return f;
}

pii_ra_file *pii_ra_ready(pii_ra *ra)
{
    pii_ra_file *f = NULL;
    pthread_mutex_lock(&ra->mu);
    if (ra->handed < ra->added && at(ra, ra->handed)->state == RA_READY)
        f = at(ra, ra->handed++);
    pthread_mutex_unlock(&ra->mu);
    return f;
}

void pii_ra_take(pii_ra *ra, pii_ra_file *f)
{
    pthread_mutex_lock(&ra->mu);
    if (f->state == RA_QUEUED) {
        /* No reader has started it; being the oldest, it is the next to
         * claim.  Reading it here beats waiting for a reader to wake. */
        (void)claim(ra);
        pthread_mutex_unlock(&ra->mu);
        read_file(f);
        pthread_mutex_lock(&ra->mu);
        f->state = RA_READY;
    }
    while (f->state != RA_READY) {
        ra->caller_waits = true;
        pthread_cond_wait(&ra->done, &ra->mu);
    }
    ra->caller_waits = false;
    pthread_mutex_unlock(&ra->mu);
}

void pii_ra_release(pii_ra *ra, pii_ra_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    pthread_mutex_lock(&ra->mu);
    f->state = RA_FREE;
    if (ra->handed == ra->released)
        ra->handed++;
    ra->released++;
    pthread_mutex_unlock(&ra->mu);
}
