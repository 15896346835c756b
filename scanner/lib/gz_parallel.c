/*
 * gz_parallel.c -- one gzip member deflated on several threads (see
 * gz_parallel.h).
 *
 * Blocks live in a ring of 2 * threads slots and are numbered in stream
 * order.  The caller fills slot `submitted`, hands it over, and the next
 * worker to look takes slot `taken`; the caller itself writes finished
 * blocks in order (slot `written`), so out is only ever touched by one
 * thread and the ring bounds memory.  When the caller would wait (the ring
 * is full, or the stream ends) it takes queued blocks itself: it is one of
 * the threads, so `threads` threads never run more than that many deflates,
 * and a caller that also detects is not left waiting while workers it
 * started queue for the same CPUs.  A slot's input buffer starts with a
 * dictionary area that holds the 32 KiB of the stream before the block,
 * copied from the previous slot when the block starts: a worker then needs
 * nothing but its own slot.  Buffers and workers' deflaters are made once
 * and reused, so the steady state allocates nothing.  Deflating and the
 * CRC-32 go through gz_deflate.c: ISA-L when built in, else zlib.
 */
#include "gz_parallel.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gz_deflate.h"

#define GZ_DICT 32768   /* deflate's window: a longer dictionary is never used */

typedef struct gz_slot {
    unsigned char *in;     /* GZ_DICT bytes (dictionary right-aligned), then the block */
    unsigned char *out;    /* the block deflated */
    size_t dictlen, n;     /* dictionary bytes before in + GZ_DICT; block bytes */
    size_t outcap, outlen;
    uint32_t crc;          /* CRC-32 of the block */
    bool last;             /* ends the stream (BFINAL) instead of a sync flush */
    bool done, err;        /* set by whichever thread deflated it, under the lock */
} gz_slot;

struct pii_gzpar {
    FILE *out;
    size_t block;
    int threads, nworkers, idle;
    pii_gz_level level;
    pthread_t *th;
    gz_slot *slot;
    size_t nslots;
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
    uint64_t submitted, taken, written;   /* block counts; taken is under the lock */
    bool quit;                            /* workers exit when the queue is empty */
    bool failed;
    gz_slot *cur;                         /* being filled (block number `submitted`) */
    pii_deflater *own;                    /* the writer's, made with the stream */
    uint64_t own_blocks;                  /* blocks the writer deflated (tests) */
    uint32_t crc;
    uint64_t total;
    unsigned char hdr[PII_GZ_HEADER_MAX];
    size_t hdrlen;
};

/* ---- one block ---- */

/* Output space for a block: zlib's bound for the data plus room for
 * block headers and the sync flush's empty stored block (ISA-L's stored
 * blocks cost about what zlib's do); deflate_block grows it if ever
 * short. */
static size_t out_bound(size_t n) { return compressBound((uLong)n) + 1024; }

/* Deflate slot s with d (any deflater, restarted here). */
static bool deflate_block(pii_deflater *d, gz_slot *s)
{
    s->crc = pii_gz_crc32(0, s->in + GZ_DICT, s->n);
    if (!pii_deflater_start(d, s->in + GZ_DICT - s->dictlen, s->dictlen))
        return false;
    pii_defl_buf b = { .in = s->in + GZ_DICT, .in_left = s->n, .out = s->out, .out_left = s->outcap };
    for (;;) {
        int r = pii_deflater_run(d, &b, s->last ? PII_DEFL_END : PII_DEFL_SYNC);
        if (r < 0)
            return false;
        if (r > 0)
            break;
        /* Past the bound: not expected, but only a reason to grow. */
        size_t used = s->outcap - b.out_left;
        unsigned char *p = realloc(s->out, 2 * s->outcap);
        if (!p)
            return false;
        s->out = p;
        s->outcap *= 2;
        b.out = p + used;
        b.out_left = s->outcap - used;
    }
    s->outlen = s->outcap - b.out_left;
    return true;
}

/* ---- workers ---- */

/* Take the oldest block no thread has taken and deflate it with d (skip:
 * mark it failed without deflating); called with the lock held, which is
 * dropped while deflating.  Workers and the writer alike. */
static void deflate_next(pii_gzpar *g, pii_deflater *d, bool skip)
{
    gz_slot *s = &g->slot[g->taken++ % g->nslots];
    pthread_mutex_unlock(&g->mu);
    bool ok = !skip && deflate_block(d, s);
    pthread_mutex_lock(&g->mu);
    s->err = !ok;
    s->done = true;
}

static void *worker_main(void *arg)
{
    pii_gzpar *g = arg;
    pii_deflater *d = pii_deflater_new(g->level);
    if (!d)   /* not started again (nworkers counts it): the writer does its share */
        return NULL;
    pthread_mutex_lock(&g->mu);
    for (;;) {
        while (g->taken == g->submitted && !g->quit) {
            g->idle++;
            pthread_cond_wait(&g->cv_work, &g->mu);
            g->idle--;
        }
        if (g->taken == g->submitted)
            break;
        deflate_next(g, d, false);
        pthread_cond_broadcast(&g->cv_done);
    }
    pthread_mutex_unlock(&g->mu);
    pii_deflater_free(d);
    return NULL;
}

/* Called with the lock held, after a block was queued: a worker is
 * started while there is more queued work than idle workers.  The writer
 * is the last of the threads: it deflates what no worker has taken
 * whenever it waits (help_deflate), so no worker, or one that failed to
 * start, only means it does more itself. */
static void maybe_spawn(pii_gzpar *g)
{
    if (g->nworkers >= g->threads - 1 || g->submitted - g->taken <= (uint64_t)g->idle)
        return;
    if (pthread_create(&g->th[g->nworkers], NULL, worker_main, g) == 0)
        g->nworkers++;
    else
        g->threads = g->nworkers + 1;   /* not tried again for every block */
}

/* ---- writing, in order, on the caller's thread ---- */

static void put(pii_gzpar *g, const void *buf, size_t n)
{
    if (!g->failed && n && fwrite(buf, 1, n, g->out) != n)
        g->failed = true;
}

/* Deflate the oldest block no worker has taken, on the writer's thread;
 * called with the lock held, which it drops while deflating.  false if
 * every queued block is taken already. */
static bool help_deflate(pii_gzpar *g)
{
    if (g->taken == g->submitted)
        return false;
    /* failed: nothing more is written.  No broadcast: the writer is the
     * only thread that waits for done. */
    deflate_next(g, g->own, g->failed);
    g->own_blocks++;
    return true;
}

/* Output block number `written` (waiting for it if wait, deflating queued
 * blocks meanwhile) and free its slot; false if it is not finished and
 * !wait. */
static bool write_next(pii_gzpar *g, bool wait)
{
    gz_slot *s = &g->slot[g->written % g->nslots];
    pthread_mutex_lock(&g->mu);
    while (wait && !s->done)
        if (!help_deflate(g))
            pthread_cond_wait(&g->cv_done, &g->mu);
    bool done = s->done;
    s->done = false;
    pthread_mutex_unlock(&g->mu);
    if (!done)
        return false;
    if (s->err)
        g->failed = true;
    if (g->written == 0)
        put(g, g->hdr, g->hdrlen);
    put(g, s->out, s->outlen);
    g->crc = pii_gz_crc32_combine(g->crc, s->crc, s->n);
    g->total += s->n;
    g->written++;
    return true;
}

/* ---- filling ---- */

static bool slot_alloc(pii_gzpar *g, gz_slot *s)
{
    if (s->in)
        return true;
    s->in = malloc(GZ_DICT + g->block);
    s->outcap = out_bound(g->block);
    s->out = malloc(s->outcap);
    return s->in && s->out;
}

/* Make the slot of block `submitted` current: wait until the ring has room
 * (writing finished blocks), then carry the dictionary over from the
 * previous block, whose buffer is not reused before this one is written. */
static bool next_slot(pii_gzpar *g)
{
    while (g->submitted - g->written >= g->nslots)
        write_next(g, true);
    gz_slot *s = &g->slot[g->submitted % g->nslots];
    if (!slot_alloc(g, s))
        return false;
    s->dictlen = 0;
    if (g->submitted > 0) {
        const gz_slot *p = &g->slot[(g->submitted - 1) % g->nslots];
        size_t have = p->dictlen + p->n;
        s->dictlen = have < GZ_DICT ? have : GZ_DICT;
        memcpy(s->in + GZ_DICT - s->dictlen, p->in + GZ_DICT + p->n - s->dictlen, s->dictlen);
    }
    s->n = 0;
    s->last = false;
    s->err = false;
    g->cur = s;
    return true;
}

static void submit(pii_gzpar *g, bool last)
{
    g->cur->last = last;
    g->cur = NULL;
    pthread_mutex_lock(&g->mu);
    g->submitted++;
    if (!last)   /* the writer waits for the last block: it deflates it */
        maybe_spawn(g);
    pthread_cond_signal(&g->cv_work);
    pthread_mutex_unlock(&g->mu);
    while (g->written < g->submitted && write_next(g, false))
        ;
}

int pii_gzpar_write(pii_gzpar *g, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n > 0 && !g->failed) {
        /* A full block goes only when more data comes: the last block
         * must be known to be last when it is deflated. */
        if (g->cur && g->cur->n == g->block)
            submit(g, false);
        if (!g->cur && !next_slot(g)) {
            g->failed = true;
            break;
        }
        size_t k = g->block - g->cur->n;
        if (k > n)
            k = n;
        memcpy(g->cur->in + GZ_DICT + g->cur->n, p, k);
        g->cur->n += k;
        p += k;
        n -= k;
    }
    return g->failed ? -1 : 0;
}

int pii_gzpar_close(pii_gzpar *g)
{
    if (!g->failed && !g->cur && !next_slot(g))   /* an empty stream still has a last block */
        g->failed = true;
    if (g->cur && !g->failed)
        submit(g, true);   /* a stream of one block starts no worker */
    /* Every queued block is waited for, even after a failure: a worker may
     * still be reading its slot. */
    while (g->written < g->submitted)
        write_next(g, true);
    unsigned char t[8];
    pii_gz_trailer(t, g->crc, g->total);
    put(g, t, sizeof t);
    pthread_mutex_lock(&g->mu);
    g->quit = true;
    pthread_cond_broadcast(&g->cv_work);
    pthread_mutex_unlock(&g->mu);
    for (int i = 0; i < g->nworkers; i++)
        pthread_join(g->th[i], NULL);
    pii_deflater_free(g->own);
    bool failed = g->failed;
    for (size_t i = 0; i < g->nslots; i++) {
        free(g->slot[i].in);
        free(g->slot[i].out);
    }
    pthread_mutex_destroy(&g->mu);
    pthread_cond_destroy(&g->cv_work);
    pthread_cond_destroy(&g->cv_done);
    free(g->slot);
    free(g->th);
    free(g);
    return failed ? -1 : 0;
}

void pii_gzpar_discard(pii_gzpar *g)
{
    g->failed = true;   /* close then only waits for the workers */
    (void)pii_gzpar_close(g);
}

pii_gzpar *pii_gzpar_new(FILE *out, const char *name, time_t mtime, int threads, size_t block,
                         pii_gz_level level)
{
    pii_gzpar *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->out = out;
    g->threads = threads > 0 ? threads : 1;
    g->block = block ? block : PII_GZPAR_BLOCK;
    g->nslots = 2 * (size_t)g->threads;
    g->slot = calloc(g->nslots, sizeof *g->slot);
    g->th = calloc((size_t)g->threads, sizeof *g->th);
    g->level = level;
    if (!g->slot || !g->th || !(g->own = pii_deflater_new(level))) {
        free(g->slot);
        free(g->th);
        free(g);
        return NULL;
    }
    g->hdrlen = pii_gz_header(g->hdr, name, mtime, level);
    g->crc = 0;   /* the CRC-32 of nothing */
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv_work, NULL);
    pthread_cond_init(&g->cv_done, NULL);
    return g;
}

uint64_t pii_gzpar_writer_blocks(const pii_gzpar *g) { return g->own_blocks; }
