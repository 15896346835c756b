/*
 * pipeline.c -- window-level parallelism with an ordered writer.
 *
 * The calling thread reads each stream into line-aligned windows, one slot
 * buffer per window (the carried context is copied from the previous slot;
 * the data itself is read once, straight into its slot).  Worker threads
 * -- one fewer than the threads asked for: the calling thread detects
 * too, whenever it would otherwise wait -- detect windows in any order.
 * Whichever thread completes the next window
 * in sequence delivers it -- findings, or redacted bytes -- and any completed
 * windows after it, so callbacks are never concurrent and always in stream
 * order, streams in the order they were added.  Slots pass between the
 * threads in batches (see WAKE_BYTES), so that thousands of small files
 * cost few lock hand-overs and wake-ups.  Because the unit of work is
 * a window, one large file or a stdin stream is spread over all threads as
 * well as many small files.  The structure of a stream (struct.h) is read
 * in stream order by the calling thread, except JSON Lines: their windows
 * are tracked on their own by whichever thread has time and merged into
 * the stream's tracker at delivery (struct_local.h, track_later).
 *
 * Memory is bounded: 2 * threads + 2 slots of window_size bytes, and
 * SMALL_PER_THREAD * threads slots of SMALL_SLOT bytes for streams that
 * fit in one (see start_stream).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_int.h"
#include "struct_local.h"
#include "text_decode.h"

enum { S_FREE, S_FILLING, S_QUEUED, S_WORKING, S_DONE, S_EMITTED };

typedef struct pl_src {
    pii_out out;
    pii_tracker *tr;       /* fed by the reader, or at delivery (track_local); read by the workers */
    void (*columns)(void *ud, const char *context, uint64_t rows);   /* scans only */
    void (*note)(void *ud, const char *msg);
    void (*paused)(void *ud);
    piiscan_end_fn end;
    void *ud;
    int rc, err;           /* the emitting thread's alone */
    atomic_bool failed;    /* rc is set: workers skip the stream's windows */
    bool local;            /* the reader's: its next windows are tracked on their own (struct_local.h) */
    int calm, calm_need;   /* the reader's: windows in a row it fed that ended between records; needed */
    atomic_bool demoted;   /* set at delivery: tracking them so keeps failing, the reader tracks again */
    int misses;            /* the emitting thread's: windows in a row tracked again at delivery */
    bool redact;
    pii_out_filter filter;   /* reveal's token filter, else all NULL */
    pii_prep_op op;        /* the redactor's operator for the workers; fn NULL: none */
    pii_textin textin;     /* the stream as UTF-8 (text_decode.h) */
    pii_textout textout;   /* a redacted copy, encoded back */
} pl_src;

typedef struct pl_slot {
    uint8_t *buf;
    size_t cap;            /* window_size, or SMALL_SLOT */
    pii_window w;
    pl_src *src;
    uint64_t seq;
    int state;
    bool reader_holds;     /* the reader still copies context out of it */
    bool has_window;       /* w holds a window to detect and deliver */
    bool feed_in_worker;   /* the stream's only window: its structure is read by whoever detects it */
    bool track_local;      /* tracked on its own into lt (struct_local.h), merged at delivery */
    bool tracked;          /* ... already, by the reader; tracked_ok: from a record boundary */
    bool tracked_ok;
    pii_tracker *lt;       /* for track_local; the slot's, kept for its next window */
    bool is_end;           /* the stream ends with this slot (after its window, if any) */
    int end_rc, end_err;
    int det_rc, det_err;
    pii_fieldmap fields;
    pii_vec_cand cands;
    size_t n;
    pii_prep prep;         /* the report's work on the findings, done by whoever detects them */
} pl_slot;

/* Waking a sleeping thread is a system call and a context switch, and so
 * is a lock that another thread holds.  With thousands of small files,
 * handing each over alone made the hand-overs cost more than the files;
 * so every hand-over is of a batch.  The feeding thread takes up to
 * `batch` free small slots under one lock and queues up to `batch` filled
 * ones (each a whole stream) under one lock; a worker takes its share of
 * the queue, up to BATCH_MAX slots or WAKE_BYTES, and marks them done
 * under one lock; the delivering thread takes every done slot that is
 * next in line under one lock.  A worker is woken only if one waits and
 * WAKE_BYTES of windows are queued -- one large window, or a batch of
 * small ones -- and the feeding thread only if it waits and half of a
 * size's slots are free.  Nothing can stall: before the feeding thread
 * waits (for a slot, a delivery or the end) it queues what it holds and
 * detects queued windows itself until none is left (help), waking the
 * workers for what it leaves them however little that is; once the queue
 * drains every slot but those the feeding thread holds is free. */
#define WAKE_BYTES (64u << 10)   /* queued window bytes worth a wake-up */
#define SMALL_SLOT (64u << 10)
#define SMALL_PER_THREAD 32    /* 2 MiB per thread */
#define BATCH_MAX 16

struct piiscan_pipeline {
    const piiscan_ruleset *rs;
    piiscan_scan_options opt;
    int nthreads;          /* workers running: one fewer than asked for */
    /* The calling thread is one of the threads asked for: whenever it
     * would wait for a slot or a delivery, it detects queued windows
     * itself (help), and with one thread asked for (no worker) also right
     * after it queued them.  A reader beside as many workers as threads
     * made "one thread" use up to 1.5 CPUs, and two threads three busy
     * ones on two CPUs, the reader -- often an inflater -- starved. */
    pii_worker *own;       /* the calling thread's detector */
    size_t nshare;         /* threads asked for: each takes its share of the queue */
    pthread_t *th;
    pii_worker *wk;
    pl_slot *slot;
    size_t nslots;
    pthread_mutex_t mu;
    pthread_cond_t cv_free, cv_work, cv_idle;
    uint64_t next_seq, next_emit;
    size_t nbig, nsmall;   /* slots of window_size and of SMALL_SLOT bytes */
    size_t nfree_big, nfree_small;   /* of them in S_FREE */
    pl_slot **fifo;        /* the queued slots, oldest first: a ring of nslots from qhead */
    size_t qhead;
    size_t nqueued;        /* slots in S_QUEUED */
    size_t qbytes;         /* window bytes in them */
    /* The slot of each sequence number from next_emit to next_seq, at
     * seq % nslots: each holds a slot of its own until it is delivered,
     * so no two of them meet. */
    pl_slot **inflight;
    int idle_workers;      /* waiting on cv_work */
    int idle_waiters;      /* waiting on cv_idle */
    bool feeder_waits;     /* waiting on cv_free, and no one has woken it yet */
    bool wake_feeder;      /* to be woken once the lock is let go */
    bool emitting, stop;
    /* The feeding thread's alone (streams are added by one thread at a
     * time), without the lock: free small slots it took in one go, and
     * filled slots, each a whole stream, to be queued in one go. */
    size_t batch;          /* how many of each at most */
    pl_slot *stash[BATCH_MAX];
    size_t nstash;
    pl_slot *pend[BATCH_MAX];
    size_t npend, pend_bytes;
};

static bool is_small(const piiscan_pipeline *p, const pl_slot *s) { return s->cap < p->opt.window_size; }

/* The count of free slots of s's size, and how many slots that size has. */
static size_t *free_count(piiscan_pipeline *p, const pl_slot *s, size_t *total)
{
    bool small = is_small(p, s);
    *total = small ? p->nsmall : p->nbig;
    return small ? &p->nfree_small : &p->nfree_big;
}

/* With the lock held: s joins the queue, next in sequence. */
static void enqueue(piiscan_pipeline *p, pl_slot *s)
{
    s->seq = p->next_seq++;
    s->state = S_QUEUED;
    p->fifo[(p->qhead + p->nqueued) % p->nslots] = s;
    p->inflight[s->seq % p->nslots] = s;
    p->nqueued++;
    p->qbytes += s->has_window ? s->w.len : 0;
}

/* With the lock held: the filled slots the feeding thread held back join
 * the queue, in the order they were filled. */
static void publish(piiscan_pipeline *p)
{
    for (size_t i = 0; i < p->npend; i++)
        enqueue(p, p->pend[i]);
    p->npend = 0;
    p->pend_bytes = 0;
}

/* With the lock held: whether a waiting worker is to be woken -- if the
 * queue is worth it, or (all) if it holds anything: nothing more will
 * come soon. */
static bool worker_wanted(const piiscan_pipeline *p, bool all)
{
    return p->idle_workers && p->nqueued && (all || p->qbytes >= WAKE_BYTES);
}

/* Let go of the lock, then wake whom it was decided to wake: woken while
 * it is held, a thread would only wait for it again. */
static void unlock_and_wake(piiscan_pipeline *p, bool worker)
{
    bool feeder = p->wake_feeder;
    p->wake_feeder = false;
    pthread_mutex_unlock(&p->mu);
    if (feeder)
        pthread_cond_signal(&p->cv_free);
    if (worker)
        pthread_cond_signal(&p->cv_work);
}

/* With the lock held: the oldest queued slots for one worker -- its share
 * of the queue, so that the others get theirs, up to BATCH_MAX slots or
 * about WAKE_BYTES of windows (a large window goes alone). */
static size_t take_batch(piiscan_pipeline *p, pl_slot **batch)
{
    size_t share = (p->nqueued + p->nshare - 1) / p->nshare;
    size_t n = 0, bytes = 0;
    while (n < share && n < BATCH_MAX && bytes < WAKE_BYTES) {
        pl_slot *s = p->fifo[p->qhead];
        size_t len = s->has_window ? s->w.len : 0;
        p->qhead = (p->qhead + 1) % p->nslots;
        p->nqueued--;
        p->qbytes -= len;
        bytes += len;
        s->state = S_WORKING;
        batch[n++] = s;
    }
    return n;
}

/* With the lock held: the done slots next in line, without taking them
 * out of it (next_emit moves once they are delivered, which is what
 * piiscan_pipeline_wait waits for). */
static size_t done_run(piiscan_pipeline *p, pl_slot **run)
{
    size_t n = 0;
    for (uint64_t seq = p->next_emit; n < BATCH_MAX && seq < p->next_seq; seq++) {
        pl_slot *s = p->inflight[seq % p->nslots];
        if (s->state != S_DONE)
            break;
        run[n++] = s;
    }
    return n;
}

static void release(piiscan_pipeline *p, pl_slot *s)
{
    if (s->state == S_EMITTED && !s->reader_holds) {
        s->state = S_FREE;
        size_t total, *nfree = free_count(p, s, &total);
        if (++*nfree >= (total + 1) / 2 && p->feeder_waits) {
            p->feeder_waits = false;
            p->wake_feeder = true;
        }
    }
}

/* Windows in a row that a stream's tracker did not stand ready for, after
 * which the reader tracks it again: pretty-printed JSON never is (its
 * windows start inside a record), and each window it is not costs a
 * second tracking and detection on the emitting thread, where nothing
 * else can be delivered meanwhile.  The reader hands the stream to the
 * workers again after PROMOTE_CALM windows in a row that it saw end
 * between records (JSON Lines with a few records longer than a window). */
#define DEMOTE_MISSES 2
#define PROMOTE_CALM 4

/* A window tracked on its own goes into the stream's tracker now, in
 * stream order.  When the tracker did not stand where the window was
 * tracked from (a record across the window's start, a guess gone wrong),
 * the window is tracked and detected again here, as if the reader had
 * tracked it. */
static void merge_local(piiscan_pipeline *p, pii_worker *wk, pl_slot *s)
{
    pl_src *src = s->src;
    if (s->lt && pii_local_merge(src->tr, s->lt, s->cands.v, s->n)) {
        src->misses = 0;
        return;
    }
    pii_tracker_feed(src->tr, &s->w, &s->fields);
    s->det_rc = pii_detect_window(p->rs, p->opt.min_confidence, wk, &s->w, &s->fields, src->tr, &s->cands, &s->n);
    s->det_err = errno;
    s->prep.n = 0;   /* those made were another detection's: delivery makes them */
    if (++src->misses >= DEMOTE_MISSES)
        atomic_store_explicit(&src->demoted, true, memory_order_relaxed);
}

/* A live input waits (window.h): let the results delivered so far be
 * seen -- the filter's whole lines, then the stream's own flush.  By the
 * emitting thread, or by the reader once all it queued is delivered. */
static void flush_paused(pl_src *src)
{
    if (src->rc)
        return;
    if (src->filter.flush && src->filter.flush(src->filter.ud) != 0) {
        src->rc = -4;   /* as the filter's finish would fail (end_stream) */
        src->err = errno;
        atomic_store_explicit(&src->failed, true, memory_order_relaxed);
        return;
    }
    if (src->paused)
        src->paused(src->ud);
}

static void deliver_window(piiscan_pipeline *p, pii_worker *wk, pl_slot *s)
{
    pl_src *src = s->src;
    if (src->rc)
        return;   /* the stream already failed or was stopped */
    if (s->track_local && s->det_rc == 0)
        merge_local(p, wk, s);
    if (s->det_rc < 0) {
        src->rc = -1;
        src->err = s->det_err;
        atomic_store_explicit(&src->failed, true, memory_order_relaxed);
        return;
    }
    int rc = pii_out_window(&src->out, &s->w, s->cands.v, s->n, &s->prep);
    if (rc) {
        src->rc = rc;
        src->err = errno;
        atomic_store_explicit(&src->failed, true, memory_order_relaxed);
    } else if (s->w.paused) {
        flush_paused(src);
    }
}

/* A GBK or UTF-16 stream was read as UTF-8: say so, and check that its
 * copy is in its encoding again, byte for byte outside the replaced
 * values. */
static void end_decoded(pl_src *src, int *rc, int *err)
{
    const pii_textin *g = &src->textin;
    if (g->mode != PII_TEXT_DECODE)
        return;
    const char *name = !strcmp(g->charset, "GB18030") ? "GBK (GB18030)" : g->charset;
    char msg[200];
    if (src->redact && *rc == 0 && (g->clash || pii_textout_finish(&src->textout) < 0)) {
        *rc = -1;
        *err = EILSEQ;
        snprintf(msg, sizeof msg, "%s text with characters it cannot be written back with exactly (U+F700..U+F7FF, "
                 "or one of the six with two GB18030 forms); the copy fails", name);
    } else if (g->escaped) {
        snprintf(msg, sizeof msg, "read as %s text; %llu byte(s) that are not %s kept as they are", name,
                 (unsigned long long)g->escaped, name);
    } else {
        snprintf(msg, sizeof msg, "read as %s text%s", name, src->redact ? "; the copy is too" : "");
    }
    if (src->note)
        src->note(src->ud, msg);
}

static void end_stream(pl_slot *s)
{
    pl_src *src = s->src;
    int rc = src->rc ? src->rc : s->end_rc;
    int err = src->rc ? src->err : s->end_err;
    if (rc == 0 && src->columns)
        pii_tracker_columns(src->tr, src->columns, src->ud);
    if (rc == 0 && src->filter.finish && src->filter.finish(src->filter.ud) != 0) {
        rc = -4;
        err = errno;
    }
    end_decoded(src, &rc, &err);
    if (src->end)
        src->end(src->ud, rc, err);
    pii_out_free(&src->out);
    pii_tracker_free(src->tr);
    pii_textout_free(&src->textout);
    pii_textin_free(&src->textin);
    free(src);
    s->src = NULL;
}

/* Deliver one window and/or the end of a stream; called without the lock,
 * by exactly one thread at a time -- a worker, or the calling thread in
 * help -- whose wk is free. */
static void deliver(piiscan_pipeline *p, pii_worker *wk, pl_slot *s)
{
    if (s->has_window)
        deliver_window(p, wk, s);
    if (s->is_end)
        end_stream(s);
}

/* With the lock held: deliver every completed window that is next in
 * line, a run of them per turn of the lock. */
static void emit_ready(piiscan_pipeline *p, pii_worker *wk)
{
    if (p->emitting)
        return;
    p->emitting = true;
    pl_slot *run[BATCH_MAX];
    size_t n;
    while ((n = done_run(p, run)) > 0) {
        pthread_mutex_unlock(&p->mu);
        for (size_t i = 0; i < n; i++)
            deliver(p, wk, run[i]);
        pthread_mutex_lock(&p->mu);
        p->next_emit += n;
        for (size_t i = 0; i < n; i++) {
            run[i]->state = S_EMITTED;
            release(p, run[i]);
        }
    }
    p->emitting = false;
    if (p->idle_waiters)
        pthread_cond_broadcast(&p->cv_idle);
}

/* Track s on its own into the slot's tracker, by whichever thread holds
 * it; tracked_ok false when that cannot be done: the window is then
 * tracked and detected at delivery. */
static void track_apart(pl_slot *s)
{
    s->tracked = true;
    s->tracked_ok = s->lt && pii_local_feed(s->lt, &s->w, &s->fields);
}

/* The tracker whose map detection reads: the stream's, or for track_local
 * the slot's own, fed here unless the reader did.  NULL: the window is
 * left to delivery. */
static const pii_tracker *window_tracker(pl_slot *s)
{
    if (s->feed_in_worker)
        pii_tracker_feed(s->src->tr, &s->w, &s->fields);
    if (!s->track_local)
        return s->src->tr;
    if (!s->tracked)
        track_apart(s);
    return s->tracked_ok ? s->lt : NULL;
}

typedef struct worker_arg {
    piiscan_pipeline *p;
    pii_worker *wk;
} worker_arg;

/* Detect s's window, without the lock.  A JSON window tracked apart
 * that the tracker refused is left to delivery, which tracks and detects
 * it in order. */
static void detect(const piiscan_pipeline *p, pii_worker *wk, pl_slot *s)
{
    s->det_rc = 0;
    s->n = 0;
    s->prep.n = 0;
    /* Only a shortcut (delivery checks rc itself), so a relaxed read. */
    if (!s->has_window || atomic_load_explicit(&s->src->failed, memory_order_relaxed))
        return;
    const pii_tracker *tr = window_tracker(s);
    if (!tr)
        return;
    s->det_rc = pii_detect_window(p->rs, p->opt.min_confidence, wk, &s->w, &s->fields, tr, &s->cands, &s->n);
    s->det_err = errno;
    /* With one thread there is no one to share the work with: preparing
     * would only do part of it twice.  tr: the columns the candidates
     * name. */
    if (s->det_rc == 0 && p->nshare > 1)
        pii_prepare(&s->prep, &p->opt, s->src->op.fn ? &s->src->op : NULL, tr, &s->w, s->cands.v, s->n);
}

static void *worker_main(void *arg)
{
    piiscan_pipeline *p = ((worker_arg *)arg)->p;
    pii_worker *wk = ((worker_arg *)arg)->wk;
    free(arg);
    pl_slot *batch[BATCH_MAX];
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        size_t n = take_batch(p, batch);
        if (!n) {
            if (p->wake_feeder) {   /* it frees a slot before it waits */
                p->wake_feeder = false;
                pthread_cond_signal(&p->cv_free);
            }
            p->idle_workers++;
            pthread_cond_wait(&p->cv_work, &p->mu);
            p->idle_workers--;
            continue;
        }
        unlock_and_wake(p, false);
        for (size_t i = 0; i < n; i++)
            detect(p, wk, batch[i]);
        pthread_mutex_lock(&p->mu);
        for (size_t i = 0; i < n; i++)
            batch[i]->state = S_DONE;
        emit_ready(p, wk);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* With the lock held, by the calling thread: detect and deliver a worker's
 * share of the queue; false if it was empty. */
static bool help(piiscan_pipeline *p)
{
    pl_slot *batch[BATCH_MAX];
    size_t n = take_batch(p, batch);
    if (!n)
        return false;
    /* The rest is the workers': windows too few to be worth a wake-up
     * (WAKE_BYTES) would otherwise leave them asleep while this thread
     * works through thousands of tiny files alone. */
    bool wake = worker_wanted(p, true);
    pthread_mutex_unlock(&p->mu);
    if (wake)
        pthread_cond_broadcast(&p->cv_work);
    for (size_t i = 0; i < n; i++)
        detect(p, p->own, batch[i]);
    pthread_mutex_lock(&p->mu);
    for (size_t i = 0; i < n; i++)
        batch[i]->state = S_DONE;
    emit_ready(p, p->own);
    return true;
}

/* The calling thread's detector, then a worker for each other thread. */
static int start_workers(piiscan_pipeline *p, const piiscan_ruleset *rs, int threads)
{
    if (pii_worker_init(&p->wk[threads - 1], rs) < 0)
        return -1;
    p->own = &p->wk[threads - 1];
    for (int i = 0; i < threads - 1; i++) {
        worker_arg *a = malloc(sizeof *a);
        if (!a || pii_worker_init(&p->wk[i], rs) < 0) {
            free(a);
            return -1;
        }
        *a = (worker_arg){ p, &p->wk[i] };
        if (pthread_create(&p->th[i], NULL, worker_main, a) != 0) {
            free(a);
            pii_worker_free(&p->wk[i]);
            return -1;
        }
        p->nthreads++;
    }
    return 0;
}

int piiscan_pipeline_new(piiscan_pipeline **out, const piiscan_ruleset *rs, const piiscan_scan_options *o,
                         int threads)
{
    *out = NULL;
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)n : 1;
    }
    if (threads > 256)
        threads = 256;
    piiscan_pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    p->rs = rs;
    if (o)
        p->opt = *o;
    else
        piiscan_scan_options_init(&p->opt);
    if (p->opt.window_size < PII_WINDOW_MIN)
        p->opt.window_size = PII_WINDOW_MIN;
    p->nshare = (size_t)threads;
    p->nbig = 2 * (size_t)threads + 2;
    p->nsmall = p->opt.window_size > SMALL_SLOT ? SMALL_PER_THREAD * (size_t)threads : 0;
    p->nslots = p->nbig + p->nsmall;
    /* Small slots held by the feeding thread are not in the queue: a
     * quarter of them at most, so that the workers have work meanwhile. */
    p->batch = p->nsmall / 4 < BATCH_MAX ? p->nsmall / 4 : BATCH_MAX;
    p->slot = calloc(p->nslots, sizeof *p->slot);
    p->fifo = calloc(p->nslots, sizeof *p->fifo);
    p->inflight = calloc(p->nslots, sizeof *p->inflight);
    p->wk = calloc((size_t)threads, sizeof *p->wk);
    p->th = calloc((size_t)threads, sizeof *p->th);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv_free, NULL);
    pthread_cond_init(&p->cv_work, NULL);
    pthread_cond_init(&p->cv_idle, NULL);
    if (!p->slot || !p->fifo || !p->inflight || !p->wk || !p->th)
        goto fail;
    for (size_t i = 0; i < p->nslots; i++) {
        p->slot[i].cap = i < p->nbig ? p->opt.window_size : SMALL_SLOT;
        if (!(p->slot[i].buf = malloc(p->slot[i].cap)))
            goto fail;
    }
    p->nfree_big = p->nbig;
    p->nfree_small = p->nsmall;
    if (start_workers(p, rs, threads) < 0)
        goto fail;
    *out = p;
    return 0;
fail:
    piiscan_pipeline_free(p);
    errno = ENOMEM;
    return -1;
}

void piiscan_pipeline_wait(piiscan_pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    publish(p);
    p->idle_waiters++;
    while (p->next_emit < p->next_seq) {
        if (help(p))
            continue;
        pthread_cond_wait(&p->cv_idle, &p->mu);
    }
    p->idle_waiters--;
    pthread_mutex_unlock(&p->mu);
}

void piiscan_pipeline_free(piiscan_pipeline *p)
{
    if (!p)
        return;
    if (p->own)
        piiscan_pipeline_wait(p);
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->cv_work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads; i++) {
        pthread_join(p->th[i], NULL);
        pii_worker_free(&p->wk[i]);
    }
    if (p->own)
        pii_worker_free(p->own);
    for (size_t i = 0; p->slot && i < p->nslots; i++) {
        free(p->slot[i].buf);
        free(p->slot[i].cands.v);
        pii_prep_free(&p->slot[i].prep);
        free(p->slot[i].fields.v);
        pii_tracker_free(p->slot[i].lt);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv_free);
    pthread_cond_destroy(&p->cv_work);
    pthread_cond_destroy(&p->cv_idle);
    free(p->slot);
    free(p->fifo);
    free(p->inflight);
    free(p->wk);
    free(p->th);
    free(p);
}

static pl_slot *find_free(piiscan_pipeline *p, bool small)
{
    size_t from = small ? p->nbig : 0, to = small ? p->nslots : p->nbig;
    for (size_t i = from; i < to; i++)
        if (p->slot[i].state == S_FREE)
            return &p->slot[i];
    return NULL;
}

/* With the lock held: s is the feeding thread's. */
static void hold_free(piiscan_pipeline *p, pl_slot *s)
{
    size_t total;
    s->state = S_FILLING;
    --*free_count(p, s, &total);
}

/* With the lock held: the stash filled up with free small slots (in one
 * pass), one of them returned (NULL: none is free). */
static pl_slot *refill_stash(piiscan_pipeline *p)
{
    for (size_t i = p->nbig; i < p->nslots && p->nstash < p->batch; i++)
        if (p->slot[i].state == S_FREE) {
            hold_free(p, &p->slot[i]);
            p->stash[p->nstash++] = &p->slot[i];
        }
    return p->nstash ? p->stash[--p->nstash] : NULL;
}

/* A free slot: a small one first when small_ok and there is one.  The
 * lock, when it is needed, also queues what the feeding thread held back
 * and takes small slots for the streams to come. */
static pl_slot *take_free(piiscan_pipeline *p, bool small_ok)
{
    pl_slot *s = small_ok && p->nstash ? p->stash[--p->nstash] : NULL;
    if (!s) {
        pthread_mutex_lock(&p->mu);
        publish(p);
        for (;;) {
            if (small_ok && (s = refill_stash(p)) != NULL)
                break;
            if ((s = find_free(p, false)) != NULL) {
                hold_free(p, s);
                break;
            }
            if (help(p))
                continue;
            p->feeder_waits = true;
            pthread_cond_wait(&p->cv_free, &p->mu);
            p->feeder_waits = false;
        }
        pthread_mutex_unlock(&p->mu);
    }
    s->reader_holds = true;
    s->has_window = false;
    s->feed_in_worker = false;
    s->track_local = false;
    s->tracked = false;
    s->is_end = false;
    return s;
}

/* Hand a filled slot to the workers; drop the reader's hold on prev.  A
 * slot that is a whole stream waits with others of its kind to be queued
 * in one go (until take_free or piiscan_pipeline_wait, at the latest);
 * any other goes at once, behind them. */
static void queue(piiscan_pipeline *p, pl_slot *s, pl_slot *prev, bool hold)
{
    s->reader_holds = hold;
    if (!prev && !hold) {
        p->pend[p->npend++] = s;
        p->pend_bytes += s->has_window ? s->w.len : 0;
        if (p->npend < p->batch && p->pend_bytes < WAKE_BYTES)
            return;
    }
    pthread_mutex_lock(&p->mu);
    publish(p);
    if (prev || hold)
        enqueue(p, s);
    if (prev) {
        prev->reader_holds = false;
        release(p, prev);
    }
    while (p->nshare == 1 && help(p))
        ;   /* while the window is still in the cache */
    /* A live input paused after this window (window.h): it is all there
     * is for now, so a worker takes it however small. */
    unlock_and_wake(p, worker_wanted(p, s->has_window && s->w.paused));
}

/* A small slot the reader took but does not use: kept for the next stream. */
static void give_back(piiscan_pipeline *p, pl_slot *s)
{
    s->reader_holds = false;
    p->stash[p->nstash++] = s;
}

/* A stream starts in a small slot when one is free.  If it is all there
 * once that slot is full, it is one small window, and many small files
 * are in flight at once so the threads rarely wait for each other;
 * otherwise its bytes move to a full-size slot and it goes on there, so a
 * large stream's first window -- the one its format is judged by -- is
 * the same as ever.  0, or -1 on a read error (errno set). */
static int start_stream(piiscan_pipeline *p, pii_wreader *r, pl_slot **sp, piiscan_read_fn rd, void *rud,
                        const pii_tracker *tr)
{
    pl_slot *s = take_free(p, true);
    pii_wreader_init_on(r, s->buf, s->cap, rd, rud);
    r->head_ok = pii_tracker_head_ok;
    r->head_ud = tr;
    r->tell_pauses = true;
    *sp = s;
    if (!is_small(p, s))
        return 0;
    if (pii_wreader_prefill(r) < 0)
        return -1;
    if (r->eof)
        return 0;
    pl_slot *big = take_free(p, false);
    (void)pii_wreader_grow(r, big->buf, big->cap);
    give_back(p, s);
    *sp = big;
    return 0;
}

/* The reader takes the tracking of a stream back from the workers: once
 * every window it queued (prev the last) is delivered, the stream's tracker
 * stands where the reader is. */
static void wait_delivered(piiscan_pipeline *p, const pl_slot *prev)
{
    pthread_mutex_lock(&p->mu);
    publish(p);
    p->idle_waiters++;   /* delivery wakes cv_idle only when someone waits */
    while (p->next_emit <= prev->seq) {
        if (help(p))
            continue;
        pthread_cond_wait(&p->cv_idle, &p->mu);
    }
    p->idle_waiters--;
    pthread_mutex_unlock(&p->mu);
}

/* After the reader fed a window: are the next ones tracked on their own?
 * Yes once a JSON stream's windows end between records (struct_local.h),
 * the first at once, after a demotion PROMOTE_CALM in a row.  Not with one
 * thread: it does all the work anyway, in order (the tests' reference). */
static void reader_fed(const piiscan_pipeline *p, pl_src *src)
{
    if (p->nshare < 2)
        return;
    src->calm = pii_tracker_at_record_end(src->tr) ? src->calm + 1 : 0;
    if (src->calm >= src->calm_need) {
        src->local = true;
        src->misses = 0;
        atomic_store_explicit(&src->demoted, false, memory_order_relaxed);
    }
}

/* Are windows waiting for a worker?  Then the workers have enough to do
 * (any that sleeps is woken for them once the reader would wait: help),
 * and the reader would only wait for a free slot: it may as well track
 * the window it holds, on its own, before handing it over. */
static bool workers_busy(piiscan_pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    bool busy = p->nqueued > 0;
    pthread_mutex_unlock(&p->mu);
    return busy;
}

/* The field window s starts in is guessed by the reader, from the last
 * line of the window before (prev), which it still holds: the window's own
 * overlap is shorter than many JSON lines. */
static void guess_start(const piiscan_pipeline *p, pl_slot *s, const pl_slot *prev)
{
    if (s->lt || (s->lt = pii_tracker_new(p->rs)) != NULL)
        pii_local_guess(s->lt, prev->w.data, prev->w.acc_hi, prev->w.at_start);
}

/* Who tracks the structure of window s (not the stream's first: prev is
 * the window before): the reader in stream order, or -- once the stream
 * lets windows be tracked on their own -- whoever has time: the reader
 * while the workers are busy (one reader tracking every window capped JSON
 * Lines), else the thread that detects it. */
static void track_later(piiscan_pipeline *p, pl_src *src, pl_slot *s, const pl_slot *prev)
{
    if (src->local && atomic_load_explicit(&src->demoted, memory_order_relaxed)) {
        wait_delivered(p, prev);   /* the tracker is the reader's again */
        src->local = false;
        src->calm = 0;
        src->calm_need = PROMOTE_CALM;
    }
    if (src->local) {
        s->track_local = true;
        guess_start(p, s, prev);
        if (workers_busy(p))
            track_apart(s);
        return;
    }
    pii_tracker_feed(src->tr, &s->w, &s->fields);
    reader_fed(p, src);
}

/* The stream's live input paused after prev, the last window queued:
 * once prev is delivered, flush (when the pause came with no window of its
 * own to do it) and tell whether delivering failed -- a filter that cannot
 * go on says so now, not when the writer quits.  src's rc is the emitting
 * thread's; wait_delivered orders the read. */
static bool failed_at_pause(piiscan_pipeline *p, const pl_slot *prev, pl_src *src, bool flush)
{
    if (!prev)
        return false;
    wait_delivered(p, prev);
    if (flush)
        flush_paused(src);
    return atomic_load_explicit(&src->failed, memory_order_relaxed);
}

/* The reader fills slot after slot; the last window of a stream also
 * carries its end, so a small file takes one slot and one hand-over, not
 * two (with thousands of small files the hand-overs are what costs). */
static int add_stream(piiscan_pipeline *p, piiscan_read_fn rd, void *rud, pl_src *src)
{
    pii_wreader r;
    pl_slot *prev = NULL, *s;
    bool failed = start_stream(p, &r, &s, rd, rud, src->tr) < 0;
    for (;;) {
        s->src = src;
        int k = failed ? -1 : pii_wreader_next(&r, &s->w);
        if (k == 2) {
            /* The input paused with nothing new: what was queued may sit
             * in an output buffer (a full window that ended just there). */
            if (!failed_at_pause(p, prev, src, true))
                continue;
            k = 0;   /* failed: ended here rather than read on while the writer waits */
        }
        if (k == 1) {
            /* The stream's tracker reads windows in stream order, so the
             * first is tracked here (it decides the format) -- unless it
             * is the whole stream and there are threads to spare: then
             * whoever detects it does it (a worker, mostly), and the
             * reader, which many small files keep busy with opening and
             * reading, can go on to the next.  (With one thread there is
             * no one to give it to.)  The later ones: track_later. */
            s->has_window = true;
            if (prev) {
                track_later(p, src, s, prev);
            } else if (!r.done || p->nshare < 2) {
                pii_tracker_feed(src->tr, &s->w, &s->fields);
                reader_fed(p, src);
            } else {
                s->feed_in_worker = true;
            }
            if (!r.done) {
                bool paused = s->w.paused;
                queue(p, s, prev, true);
                prev = s;
                s = take_free(p, false);
                (void)pii_wreader_swap(&r, s->buf);   /* the old buffer is prev's */
                /* Before the next read waits for a paused writer (the
                 * window's delivery flushed already). */
                if (!paused || !failed_at_pause(p, prev, src, false))
                    continue;
                s->src = src;
                k = 0;   /* the end goes in the fresh slot, below */
            }
        }
        s->is_end = true;
        s->end_rc = k < 0 ? -1 : 0;
        s->end_err = k < 0 ? errno : 0;
        queue(p, s, prev, false);
        break;
    }
    return 0;
}

static pl_src *new_src(const piiscan_pipeline *p, const char *name, piiscan_read_fn rd, void *rud,
                       piiscan_end_fn end, void *ud)
{
    pl_src *src = malloc(sizeof *src);
    if (src) {
        src->end = end;
        src->ud = ud;
        src->rc = src->err = 0;
        atomic_init(&src->failed, false);
        src->local = false;
        src->calm = 0;
        src->calm_need = 1;
        atomic_init(&src->demoted, false);
        src->misses = 0;
        src->columns = NULL;
        src->note = p->opt.note;
        src->paused = p->opt.paused;
        src->redact = false;
        memset(&src->filter, 0, sizeof src->filter);
        src->op = (pii_prep_op){ 0 };
        pii_textin_init(&src->textin, rd, rud);
        pii_textout_init(&src->textout, NULL, NULL, NULL);
        if (!(src->tr = pii_tracker_new(p->rs))) {
            free(src);
            return NULL;
        }
        pii_tracker_set_name(src->tr, name);
    }
    return src;
}

int piiscan_pipeline_scan_named(piiscan_pipeline *p, const char *name, piiscan_read_fn rd, void *rud,
                                piiscan_finding_fn fn, piiscan_end_fn end, void *ud)
{
    pl_src *src = new_src(p, name, rd, rud, end, ud);
    if (!src)
        return -1;
    pii_out_init(&src->out, p->opt.min_confidence, fn, ud, NULL, NULL, NULL, NULL);
    src->out.tr = src->tr;
    src->columns = p->opt.columns;
    return add_stream(p, pii_textin_read, &src->textin, src);
}

int piiscan_pipeline_redact_named(piiscan_pipeline *p, const char *name, piiscan_read_fn rd, void *rud,
                                  piiscan_transform_fn tf, piiscan_write_fn wr, piiscan_end_fn end, void *ud)
{
    return pii_pipeline_redact_filtered(p, name, rd, rud, tf, NULL, wr, end, ud);
}
int piiscan_pipeline_scan(piiscan_pipeline *p, piiscan_read_fn rd, void *rud, piiscan_finding_fn fn,
                          piiscan_end_fn end, void *ud)
{
    return piiscan_pipeline_scan_named(p, NULL, rd, rud, fn, end, ud);
}

int pii_pipeline_redact_filtered(piiscan_pipeline *p, const char *name, piiscan_read_fn rd, void *rud,
                                 piiscan_transform_fn tf, const pii_out_filter *f, piiscan_write_fn wr,
                                 piiscan_end_fn end, void *ud)
{
    return pii_pipeline_redact_prepared(p, name, rd, rud, tf, NULL, f, wr, end, ud);
}

int pii_pipeline_redact_prepared(piiscan_pipeline *p, const char *name, piiscan_read_fn rd, void *rud,
                                 piiscan_transform_fn tf, const pii_prep_op *op, const pii_out_filter *f,
                                 piiscan_write_fn wr, piiscan_end_fn end, void *ud)
{
    pl_src *src = new_src(p, name, rd, rud, end, ud);
    if (!src)
        return -1;
    src->redact = true;
    if (op)
        src->op = *op;
    pii_textout_init(&src->textout, &src->textin, wr, ud);
    piiscan_write_fn out = pii_textout_write;
    void *out_ud = &src->textout;
    if (f) {   /* the filter writes on into the encoder */
        src->filter = *f;
        f->bind(f->ud, out, out_ud);
        out = f->write;
        out_ud = f->ud;
    }
    pii_out_init(&src->out, p->opt.min_confidence, NULL, NULL, tf, ud, out, out_ud);
    src->out.tr = src->tr;
    return add_stream(p, pii_textin_read, &src->textin, src);
}

int piiscan_pipeline_redact(piiscan_pipeline *p, piiscan_read_fn rd, void *rud, piiscan_transform_fn tf,
                            piiscan_write_fn wr, piiscan_end_fn end, void *ud)
{
    return piiscan_pipeline_redact_named(p, NULL, rd, rud, tf, wr, end, ud);
}
