/*
 * src_prefetch.c -- walk containers (.gz, .tar.gz, .zip, ...) in background
 * threads, ahead of the thread that scans them.
 *
 * Inflating is the slowest part of reading a compressed file (ISA-L does
 * about 650 MB/s on one core) and one deflate stream cannot be split.  The
 * walk that inflates used to run in the thread that also feeds the scan
 * pipeline, so a directory of .gz files was inflated one file at a time
 * however many threads were scanning.  Here every container given to
 * pii_prefetch_add is walked by one of a few threads into a queue of
 * events -- member start, data, read error, member end, message, and the
 * records of a walk that has more to say (archive_rewrite.c's) -- and
 * pii_prefetch_replay hands them to the caller's callbacks in the calling
 * thread, in the same order and with the same bytes as pii_source_walk, so
 * reports keep the order of the inputs.
 *
 * Memory is bounded: a walker blocks once PF_BUFS buffers of PF_BUF bytes
 * of one container, or PF_EVENTS events (an archive of many empty members
 * is all headers), wait to be replayed.  Wake-ups are batched: a walker
 * wakes a waiting replay for data or for PF_WAKE events, a replay wakes a
 * walker waiting on the event bound once half of it is free, so that a
 * run of small events costs no handover each.  Items are started in the order
 * they were added, so the oldest one, the one the replaying thread waits
 * for, always has a thread: no deadlock, whatever the later items do.
 * The price is one more copy of the inflated bytes (queue buffer to the
 * caller's window), small next to inflating them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src_prefetch.h"

/* 1 MiB ahead per walk keeps a walker ahead of its reader (it inflates
 * faster than one thread scans or redacts), and every byte held ahead
 * costs page faults once per run: with 4 MiB per walk, scan and redact of
 * 8 x 12 MiB .gz files took 4-12% more CPU time, nearly all of it in
 * faults (bench/README.md). */
#define PF_BUF (256u << 10)
#define PF_BUFS 4
#define PF_EVENTS 1024
#define PF_WAKE 16

enum { EV_MEMBER, EV_DATA, EV_ERROR, EV_MEND, EV_MSG, EV_RECORD };

typedef struct pf_event {
    struct pf_event *next;
    int kind;
    int err;              /* EV_ERROR: errno; EV_MSG: is_error */
    uint8_t *data;        /* EV_DATA: a buffer of PF_BUF bytes; EV_RECORD: the record */
    size_t len, off;      /* EV_DATA: bytes held, bytes replayed; EV_RECORD: len */
    char *vpath;          /* EV_MEMBER, EV_MSG */
    char *msg;            /* EV_MSG */
    void *obj;            /* EV_RECORD: its object, freed with drop unless taken */
    pii_drop_fn drop;
} pf_event;

struct pii_pf_item {
    pii_prefetch *pf;
    pii_pf_item *next;        /* pf's list of live items, in add order */
    char *path;
    int fd;
    pii_walk_fn walk;
    bool started;             /* a thread has taken it */
    bool done;                /* the walk is over (or was never run) */
    bool stop;                /* the replay or the pool wants no more */
    bool oom;
    int rc;                   /* the walk's answer */
    pf_event *head, *tail;    /* events not yet replayed */
    unsigned nev, ndata;      /* how many, and EV_DATA among them */
    bool rwait;               /* the replay waits for an event */
    bool wdata, wev;          /* the walker waits for a buffer, for room for an event */
    pf_event *cur;            /* the event pii_prefetch_next gave last */
    pthread_cond_t cv;        /* signalled on the changes the above wait for */
};

struct pii_prefetch {
    pthread_mutex_t mu;
    pthread_cond_t work;      /* an item to start, or quit */
    pii_pf_item *items;       /* live items, oldest first */
    bool quit;
    const pii_src_limits *lim;
    /* Replayed buffers, kept for the next containers: fresh ones for each
     * cost page faults, and all walks together hold at most
     * nthreads x PF_BUFS. */
    uint8_t *spare[64 * PF_BUFS];
    unsigned nspare;
    unsigned nthreads;
    pthread_t th[];
};

/* ---- items and events (pf->mu held where shared) ---- */

static void free_event(pf_event *e)
{
    free(e->vpath);
    free(e->msg);
    free(e->data);
    if (e->obj && e->drop)
        e->drop(e->obj);
    free(e);
}

static void free_item(pii_pf_item *it)
{
    if (it->cur)
        free_event(it->cur);
    for (pf_event *e = it->head, *n; e; e = n) {
        n = e->next;
        free_event(e);
    }
    if (it->fd >= 0)
        close(it->fd);
    pthread_cond_destroy(&it->cv);
    free(it->path);
    free(it);
}

static void unlink_item(pii_prefetch *pf, pii_pf_item *it)
{
    for (pii_pf_item **pp = &pf->items; *pp; pp = &(*pp)->next)
        if (*pp == it) {
            *pp = it->next;
            return;
        }
}

/* ---- the walker side ---- */

/* Queue e, once there is room for it; returns whether the walk is to
 * stop.  A waiting replay is woken for something to read or for a batch
 * of events, not for each. */
static bool push(pii_pf_item *it, pf_event *e)
{
    pthread_mutex_lock(&it->pf->mu);
    while (it->nev >= PF_EVENTS && !it->stop) {
        it->wev = true;
        pthread_cond_wait(&it->cv, &it->pf->mu);
    }
    if (it->tail)
        it->tail->next = e;
    else
        it->head = e;
    it->tail = e;
    it->nev++;
    it->ndata += e->kind == EV_DATA;
    bool stop = it->stop;
    if (it->rwait && (e->kind == EV_DATA || e->kind == EV_ERROR || it->nev >= PF_WAKE)) {
        it->rwait = false;
        pthread_cond_broadcast(&it->cv);
    }
    pthread_mutex_unlock(&it->pf->mu);
    return stop;
}

static pf_event *new_event(pii_pf_item *it, int kind, const char *vpath, const char *msg)
{
    pf_event *e = calloc(1, sizeof *e);
    if (e && ((vpath && !(e->vpath = strdup(vpath))) || (msg && !(e->msg = strdup(msg))))) {
        free_event(e);
        e = NULL;
    }
    if (!e)
        it->oom = true;
    else
        e->kind = kind;
    return e;
}

/* Wait for room for one more buffer; a spare one or a new one, NULL when
 * the walk is to stop (or out of memory). */
static uint8_t *take_buffer(pii_pf_item *it)
{
    pthread_mutex_lock(&it->pf->mu);
    while (it->ndata >= PF_BUFS && !it->stop) {
        it->wdata = true;
        pthread_cond_wait(&it->cv, &it->pf->mu);
    }
    uint8_t *b = NULL;
    bool stop = it->stop;
    if (!stop && it->pf->nspare)
        b = it->pf->spare[--it->pf->nspare];
    pthread_mutex_unlock(&it->pf->mu);
    if (!stop && !b && !(b = malloc(PF_BUF)))
        it->oom = true;
    return b;
}

/* Fill one buffer from rd: 0 at the member's end, -1 on a read error
 * (errno), 1 when there is more. */
static int fill(piiscan_read_fn rd, void *rud, uint8_t *b, size_t *len)
{
    *len = 0;
    while (*len < PF_BUF) {
        ssize_t n = rd(rud, b + *len, PF_BUF - *len);
        if (n <= 0)
            return (int)n;
        *len += (size_t)n;
    }
    return 1;
}

static int on_member(void *ud, const char *vpath, piiscan_read_fn rd, void *rud)
{
    pii_pf_item *it = ud;
    pf_event *e = new_event(it, EV_MEMBER, vpath, NULL);
    if (!e)
        return 1;
    push(it, e);
    for (;;) {
        uint8_t *b = take_buffer(it);
        if (!b)
            return 1;   /* stopped: the replay drops whatever follows */
        size_t len;
        int more = fill(rd, rud, b, &len);
        int err = errno;
        if (len && (e = new_event(it, EV_DATA, NULL, NULL)) != NULL) {
            e->data = b;
            e->len = len;
            push(it, e);
        } else {
            free(b);
            if (len)
                return 1;
        }
        if (more < 0) {
            if (!(e = new_event(it, EV_ERROR, NULL, NULL)))
                return 1;
            e->err = err;
            push(it, e);
        }
        if (more <= 0)
            break;
    }
    if (!(e = new_event(it, EV_MEND, NULL, NULL)))
        return 1;
    push(it, e);
    return 0;
}

static void on_msg(void *ud, const char *vpath, const char *msg, int is_error)
{
    pii_pf_item *it = ud;
    pf_event *e = new_event(it, EV_MSG, vpath, msg);
    if (e) {
        e->err = is_error;
        push(it, e);
    }
}

static int on_record(void *ud, const void *rec, size_t len, void *obj, pii_drop_fn drop)
{
    pii_pf_item *it = ud;
    pf_event *e = new_event(it, EV_RECORD, NULL, NULL);
    if (e && !(e->data = malloc(len + 1))) {   /* an empty record too has an address */
        it->oom = true;
        free_event(e);
        e = NULL;
    }
    if (!e) {
        if (obj && drop)
            drop(obj);
        return 1;
    }
    e->obj = obj;
    e->drop = drop;
    if (len)
        memcpy(e->data, rec, len);
    e->len = len;
    return push(it, e);
}

static pii_pf_item *next_to_start(pii_prefetch *pf)
{
    for (pii_pf_item *it = pf->items; it; it = it->next)
        if (!it->started)
            return it;
    return NULL;
}

static void *walker(void *arg)
{
    pii_prefetch *pf = arg;
    pthread_mutex_lock(&pf->mu);
    for (;;) {
        pii_pf_item *it;
        while (!(it = next_to_start(pf)) && !pf->quit)
            pthread_cond_wait(&pf->work, &pf->mu);
        if (!it)
            break;
        it->started = true;
        bool run = !it->stop && !pf->quit;
        pthread_mutex_unlock(&pf->mu);
        int rc = run ? it->walk(it->path, it->fd, pf->lim, on_member, on_msg, on_record, it) : 0;
        pthread_mutex_lock(&pf->mu);
        close(it->fd);
        it->fd = -1;
        it->rc = rc;
        it->done = true;
        pthread_cond_broadcast(&it->cv);
    }
    pthread_mutex_unlock(&pf->mu);
    return NULL;
}

/* ---- the pool ---- */

unsigned pii_prefetch_walkers(int threads)
{
    long n = threads > 0 ? threads : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 2 ? 0 : n < 4 ? (unsigned)n : 4;
}

pii_prefetch *pii_prefetch_new(unsigned nthreads, const pii_src_limits *lim)
{
    if (nthreads < 1 || nthreads > 64)
        return NULL;
    pii_prefetch *pf = calloc(1, sizeof *pf + nthreads * sizeof pf->th[0]);
    if (!pf)
        return NULL;
    pf->lim = lim;
    if (pthread_mutex_init(&pf->mu, NULL) != 0) {
        free(pf);
        return NULL;
    }
    if (pthread_cond_init(&pf->work, NULL) != 0) {
        pthread_mutex_destroy(&pf->mu);
        free(pf);
        return NULL;
    }
    for (; pf->nthreads < nthreads; pf->nthreads++)
        if (pthread_create(&pf->th[pf->nthreads], NULL, walker, pf) != 0)
            break;
    if (!pf->nthreads) {
        pii_prefetch_free(pf);
        return NULL;
    }
    return pf;
}

void pii_prefetch_free(pii_prefetch *pf)
{
    if (!pf)
        return;
    pthread_mutex_lock(&pf->mu);
    pf->quit = true;
    for (pii_pf_item *it = pf->items; it; it = it->next) {
        it->stop = true;
        pthread_cond_broadcast(&it->cv);
    }
    pthread_cond_broadcast(&pf->work);
    pthread_mutex_unlock(&pf->mu);
    for (unsigned i = 0; i < pf->nthreads; i++)
        pthread_join(pf->th[i], NULL);
    while (pf->items) {
        pii_pf_item *it = pf->items;
        pf->items = it->next;
        free_item(it);
    }
    while (pf->nspare)
        free(pf->spare[--pf->nspare]);
    pthread_cond_destroy(&pf->work);
    pthread_mutex_destroy(&pf->mu);
    free(pf);
}

static int source_walk(const char *path, int fd, const pii_src_limits *lim, pii_member_fn fn, pii_member_msg msg,
                       pii_record_fn rec, void *ud)
{
    (void)rec;
    return pii_source_walk(path, fd, lim, fn, msg, ud);
}

pii_pf_item *pii_prefetch_add(pii_prefetch *pf, const char *path, int fd)
{
    return pii_prefetch_add_walk(pf, path, fd, source_walk);
}

pii_pf_item *pii_prefetch_add_walk(pii_prefetch *pf, const char *path, int fd, pii_walk_fn walk)
{
    pii_pf_item *it = calloc(1, sizeof *it);
    if (!it || !(it->path = strdup(path)) || pthread_cond_init(&it->cv, NULL) != 0) {
        if (it)
            free(it->path);
        free(it);
        close(fd);
        return NULL;
    }
    it->pf = pf;
    it->fd = fd;
    it->walk = walk;
    pthread_mutex_lock(&pf->mu);
    pii_pf_item **pp = &pf->items;
    while (*pp)
        pp = &(*pp)->next;
    *pp = it;
    pthread_cond_signal(&pf->work);
    pthread_mutex_unlock(&pf->mu);
    return it;
}

/* ---- the replaying side ---- */

/* The next event, waiting for the walker; NULL once the walk is over and
 * everything was replayed. */
static pf_event *peek(pii_pf_item *it)
{
    pthread_mutex_lock(&it->pf->mu);
    while (!it->head && !it->done) {
        it->rwait = true;
        pthread_cond_wait(&it->cv, &it->pf->mu);
    }
    it->rwait = false;
    pf_event *e = it->head;
    pthread_mutex_unlock(&it->pf->mu);
    return e;
}

/* Take the oldest event off the queue (the caller frees it), waking a
 * walker that waits for what this frees. */
static pf_event *unqueue(pii_pf_item *it)
{
    pthread_mutex_lock(&it->pf->mu);
    pf_event *e = it->head;
    it->head = e->next;
    if (!it->head)
        it->tail = NULL;
    it->nev--;
    bool wake = it->wev && it->nev <= PF_EVENTS / 2;
    if (e->kind == EV_DATA) {
        it->ndata--;
        if (it->pf->nspare < it->pf->nthreads * PF_BUFS) {
            it->pf->spare[it->pf->nspare++] = e->data;
            e->data = NULL;
        }
        wake = wake || it->wdata;
    }
    if (wake) {
        it->wev = it->wdata = false;
        pthread_cond_broadcast(&it->cv);
    }
    pthread_mutex_unlock(&it->pf->mu);
    e->next = NULL;
    return e;
}

static void pop(pii_pf_item *it)
{
    free_event(unqueue(it));
}

/* The member's bytes, as the walker's rd gave them. */
static ssize_t replay_read(void *ud, void *buf, size_t cap)
{
    pii_pf_item *it = ud;
    pf_event *e = peek(it);
    if (!e || (e->kind != EV_DATA && e->kind != EV_ERROR))
        return 0;   /* the member's end stays queued for the replay loop */
    if (e->kind == EV_ERROR) {
        int err = e->err;
        pop(it);
        errno = err;
        return -1;
    }
    size_t n = e->len - e->off < cap ? e->len - e->off : cap;
    memcpy(buf, e->data + e->off, n);
    e->off += n;
    if (e->off == e->len)
        pop(it);
    return (ssize_t)n;
}

/* Drop the rest of the current member (what its reader did not take). */
static void skip_member(pii_pf_item *it)
{
    pf_event *e;
    while ((e = peek(it)) != NULL && (e->kind == EV_DATA || e->kind == EV_ERROR))
        pop(it);
    if (e && e->kind == EV_MEND)
        pop(it);
}

static void stop_walk(pii_pf_item *it)
{
    pthread_mutex_lock(&it->pf->mu);
    it->stop = true;
    pthread_cond_broadcast(&it->cv);
    pthread_mutex_unlock(&it->pf->mu);
    while (peek(it))
        pop(it);
}

/* Unlink and free a replayed item. */
static void retire(pii_pf_item *it)
{
    pii_prefetch *pf = it->pf;
    pthread_mutex_lock(&pf->mu);
    unlink_item(pf, it);
    pthread_mutex_unlock(&pf->mu);
    free_item(it);
}

int pii_prefetch_replay(pii_pf_item *it, pii_member_fn fn, pii_member_msg msg, void *ud)
{
    return pii_prefetch_replay_records(it, fn, msg, NULL, ud);
}

int pii_prefetch_next(pii_pf_item *it, pii_pf_ev *ev)
{
    pf_event *e = it->cur;
    it->cur = NULL;
    if (e && e->kind == EV_MEMBER)
        skip_member(it);
    if (e)
        free_event(e);
    memset(ev, 0, sizeof *ev);
    if (!peek(it))
        return ev->kind = PII_PF_END;
    e = it->cur = unqueue(it);
    ev->vpath = e->vpath;
    switch (e->kind) {
    case EV_MEMBER:
        ev->rd = replay_read;
        ev->rud = it;
        return ev->kind = PII_PF_MEMBER;
    case EV_MSG:
        ev->msg = e->msg;
        ev->is_error = e->err;
        return ev->kind = PII_PF_MSG;
    case EV_RECORD:
        ev->rec = e->data;
        ev->len = e->len;
        ev->obj = e->obj;
        e->obj = NULL;   /* the caller's now */
        return ev->kind = PII_PF_RECORD;
    default:   /* data, errors and ends outside a member: not a walk's */
        return pii_prefetch_next(it, ev);
    }
}

int pii_prefetch_finish(pii_pf_item *it, int stopped, pii_member_msg msg, void *ud)
{
    if (it->cur) {
        free_event(it->cur);
        it->cur = NULL;
    }
    if (stopped)
        stop_walk(it);
    int rc = stopped ? stopped : it->rc;
    if (!stopped && it->oom) {
        msg(ud, it->path, "out of memory while reading ahead; the rest was not scanned", 1);
        rc = -1;
    }
    retire(it);
    return rc;
}

int pii_prefetch_replay_records(pii_pf_item *it, pii_member_fn fn, pii_member_msg msg, pii_record_fn rec, void *ud)
{
    int stopped = 0;
    pii_pf_ev ev;
    while (!stopped && pii_prefetch_next(it, &ev) != PII_PF_END) {
        if (ev.kind == PII_PF_MEMBER) {
            stopped = fn(ud, ev.vpath, ev.rd, ev.rud);
        } else if (ev.kind == PII_PF_MSG) {
            msg(ud, ev.vpath, ev.msg, ev.is_error);
        } else if (rec) {
            stopped = rec(ud, ev.rec, ev.len, ev.obj, it->cur->drop);
        } else if (ev.obj) {
            it->cur->drop(ev.obj);
        }
    }
    return pii_prefetch_finish(it, stopped, msg, ud);
}

void pii_prefetch_cancel(pii_pf_item *it)
{
    stop_walk(it);
    retire(it);
}
