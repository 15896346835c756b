/*
 * read_ahead.h -- open and read plain files in reader threads, ahead of
 * their turn, so that with many small files the thread that feeds the
 * pipeline only hands buffers along.
 *
 * A file is added by path; a reader thread opens it, reads its first
 * bytes (the pool's `head` bytes at most) and, when that was all of it
 * (fstat says so), closes it.  Files are taken by the readers in the order they were added, and
 * the caller takes them back in that order too: pii_ra_take waits for the
 * oldest, or does its work itself if no reader has started it, so a caller
 * never waits on a reader that is stuck behind something else.  Memory is
 * fixed when the pool is made: `depth` files of `head` bytes each.
 */
#ifndef PII_READ_AHEAD_H
#define PII_READ_AHEAD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct pii_ra pii_ra;

/* One file, in the caller's hands between pii_ra_take and pii_ra_release. */
typedef struct pii_ra_file {
    char path[PATH_MAX];
    int flags;                /* open(2) flags the caller asked for */
    int open_err;             /* open failed: errno (nothing else is set) */
    int fd;                   /* still open (more to read, or not a regular file), else -1 */
    bool unread;              /* not a regular file: nothing was read (fd as flags opened it) */
    int read_err;             /* the first read failed: errno */
    size_t n;                 /* bytes in head (of cap) */
    size_t cap;
    bool complete;            /* head is the whole file: fd is closed */
    int kind;                 /* pii_container_kind of the head (PII_KIND_PLAIN when n == 0) */
    void *item;               /* the caller's, NULL until it sets it */
    _Atomic int state;        /* read_ahead.c's */
    unsigned char *head;      /* cap bytes, the pool's */
} pii_ra_file;

/* A pool of nthreads (1..16) reader threads and `depth` (1..1024) files
 * ahead, read into buffers of `head` bytes (PII_HEAD_BYTES or more, so
 * that a container can be told).  NULL when out of resources. */
pii_ra *pii_ra_new(unsigned nthreads, unsigned depth, size_t head);
/* Join the readers and close what the caller did not take back; ra may
 * be NULL. */
void pii_ra_free(pii_ra *ra);

/* Whether path (NUL-terminated) can be read ahead: it fits a slot and
 * one is free (at most `depth` files are in the caller's hands or
 * waiting). */
bool pii_ra_can_add(const pii_ra *ra, const char *path);
/* Queue path, to be opened with flags (O_NONBLOCK is added for the open,
 * so that a FIFO put in a regular file's place never blocks a reader, and
 * taken off again for what the caller reads).  Only after pii_ra_can_add
 * said yes. */
pii_ra_file *pii_ra_add(pii_ra *ra, const char *path, int flags);

/* The oldest file not yet handed on, if a reader has finished it, without
 * waiting; each file is handed on once (NULL: none ready). */
pii_ra_file *pii_ra_ready(pii_ra *ra);

/* f, which must be the oldest file not yet released, once read (waiting
 * for its reader -- and then for the files read ahead after it, up to a
 * batch, so that a slow reader wakes the caller once per batch -- or
 * reading it in this thread if no reader has started). */
void pii_ra_take(pii_ra *ra, pii_ra_file *f);
/* f, the oldest file not yet released, is not wanted after all (the
 * inputs were stopped): released unread, once no reader uses it. */
void pii_ra_drop(pii_ra *ra, pii_ra_file *f);
/* Done with f, the oldest: its descriptor (if still open and not -1) is
 * closed and its slot reused. */
void pii_ra_release(pii_ra *ra, pii_ra_file *f);

#endif
