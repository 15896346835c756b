/*
 * test_prefetch_order.c -- the ordered queue behind inputs read ahead
 * (prefetch_order.h): every entry takes its turn in the order it was put,
 * an entry not read ahead is taken at once only when nothing waits, no
 * more than 2 x walkers wait, a turn that returns non-zero stops the call
 * that took it (scan's report failure) and what waits is then dropped,
 * entries are kept (their strings copied, redact) only when they wait,
 * and read-ahead items from real walkers are replayed or cancelled in
 * order.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prefetch_order.h"
#include "src_prefetch.h"

#define ARCHIVES PIISCAN_SOURCE_DIR "/corpora/archives/"

/* An entry: its number in put order, and a name that, once kept, is a
 * copy of its own (as redact's walk paths are). */
typedef struct ent {
    int id;
    const char *name;
    char *own;
    pii_pf_item *item;
} ent;

/* What the callbacks saw, in the order they saw it. */
typedef struct qlog {
    char text[4096];
    size_t len;
    int stop_at;          /* the turn of this id returns 9 (0: none does) */
    int refuse_keep;      /* keep fails for this id (0: none) */
    unsigned max_waiting;
    pii_order *q;
} qlog;

static void say(qlog *l, const char *what, const ent *e)
{
    int n = snprintf(l->text + l->len, sizeof l->text - l->len, "%s%d%s ", what, e->id, e->own ? "*" : "");
    cr_assert(n > 0 && (size_t)n < sizeof l->text - l->len, "qlog overflow");
    l->len += (size_t)n;
}

static int turn(void *ud, void *entry)
{
    qlog *l = ud;
    ent *e = entry;
    say(l, "t", e);
    char want[32];
    snprintf(want, sizeof want, "e%d", e->id);
    cr_expect_str_eq(e->name, want, "entry %d's name outlived the put", e->id);
    free(e->own);
    return e->id == l->stop_at ? 9 : 0;
}

static int keep(void *ud, void *entry)
{
    qlog *l = ud;
    ent *e = entry;
    if (e->id == l->refuse_keep)
        return -1;
    cr_assert_not_null(e->own = strdup(e->name));
    e->name = e->own;
    return 0;
}

static void drop(void *ud, void *entry)
{
    ent *e = entry;
    say(ud, "d", e);
    free(e->own);
}

static const pii_order_ops OPS = { turn, keep, drop };

/* Put entry id (read ahead or not) with its name in a buffer that the
 * next put overwrites, as a walk's path is. */
static int put(qlog *l, int id, bool ahead)
{
    static char name[32];
    snprintf(name, sizeof name, "e%d", id);
    ent e = { .id = id, .name = name };
    int rc = pii_order_put(l->q, &e, ahead);
    snprintf(name, sizeof name, "gone");
    unsigned w = pii_order_waiting(l->q);
    if (w > l->max_waiting)
        l->max_waiting = w;
    return rc;
}

static pii_order *make(qlog *l, unsigned walkers)
{
    l->q = pii_order_new(walkers, sizeof(ent), &OPS, l);
    cr_assert_not_null(l->q);
    return l->q;
}

/* Nothing read ahead: every entry is taken at once, nothing kept. */
Test(prefetch_order, plain_entries_taken_at_once)
{
    qlog l = { 0 };
    make(&l, 2);
    for (int i = 1; i <= 4; i++) {
        cr_expect_eq(put(&l, i, false), 0);
        cr_expect_eq(pii_order_waiting(l.q), 0);
    }
    cr_expect_str_eq(l.text, "t1 t2 t3 t4 ");
    pii_order_free(l.q);
}

/* Entries behind one read ahead wait (kept) and come out in put order; at
 * most 2 x walkers - 1 wait between puts. */
Test(prefetch_order, turns_keep_put_order)
{
    qlog l = { 0 };
    make(&l, 2);
    bool ahead[] = { true, false, true, false, false, true, false, false, false, true, false };
    int n = (int)(sizeof ahead / sizeof ahead[0]);
    for (int i = 0; i < n; i++)
        cr_expect_eq(put(&l, i + 1, ahead[i]), 0);
    cr_expect_eq(pii_order_drain(l.q), 0);
    cr_expect_eq(pii_order_waiting(l.q), 0);
    cr_expect_str_eq(l.text, "t1* t2* t3* t4* t5* t6* t7* t8* t9* t10* t11* ");
    cr_expect_eq(l.max_waiting, 3, "at most %u waited", l.max_waiting);
    pii_order_free(l.q);
}

/* The turn of the oldest comes when the queue is full, before the puts
 * go on: interleaving of puts and turns. */
Test(prefetch_order, full_queue_takes_oldest_turn)
{
    qlog l = { 0 };
    make(&l, 1);   /* the queue is full at 2: an entry waits, the next put takes its turn */
    put(&l, 1, true);
    cr_expect_str_eq(l.text, "");
    put(&l, 2, false);
    cr_expect_str_eq(l.text, "t1* ");
    put(&l, 3, false);
    cr_expect_str_eq(l.text, "t1* t2* ");
    pii_order_drain(l.q);
    cr_expect_str_eq(l.text, "t1* t2* t3* ");
    pii_order_free(l.q);
}

/* No walkers: even an entry read ahead is taken before put returns. */
Test(prefetch_order, no_walkers_nothing_waits)
{
    qlog l = { 0 };
    make(&l, 0);
    put(&l, 1, true);
    put(&l, 2, false);
    put(&l, 3, true);
    cr_expect_eq(l.max_waiting, 0);
    cr_expect_str_eq(l.text, "t1* t2 t3* ");
    pii_order_free(l.q);
}

/* A turn that stops (scan's report failure): the call that took it
 * returns its value and takes no further turn; drain stops there too;
 * what is left is dropped in order, never taken. */
Test(prefetch_order, stop_ends_the_call_and_discard_drops)
{
    qlog l = { .stop_at = 2 };
    make(&l, 1);
    cr_expect_eq(put(&l, 1, true), 0);
    cr_expect_eq(put(&l, 2, false), 0);   /* full: 1's turn */
    cr_expect_eq(put(&l, 3, false), 9);   /* full: 2's turn, which stops */
    cr_expect_str_eq(l.text, "t1* t2* ");
    cr_expect_eq(pii_order_waiting(l.q), 1);
    pii_order_discard(l.q);
    cr_expect_str_eq(l.text, "t1* t2* d3* ");
    cr_expect_eq(pii_order_waiting(l.q), 0);
    pii_order_free(l.q);
}

Test(prefetch_order, drain_returns_the_stop)
{
    qlog l = { .stop_at = 2 };
    make(&l, 4);
    for (int i = 1; i <= 5; i++)
        put(&l, i, i == 1);
    cr_expect_eq(pii_order_drain(l.q), 9);
    cr_expect_str_eq(l.text, "t1* t2* ");
    cr_expect_eq(pii_order_waiting(l.q), 3);
    pii_order_free(l.q);   /* drops what waits */
    cr_expect_str_eq(l.text, "t1* t2* d3* d4* d5* ");
}

/* After a stop, puts go on as before (the caller's turns say whether to
 * stop again): no entry is overwritten or lost, each is taken or dropped
 * exactly once. */
Test(prefetch_order, puts_after_a_stop_lose_nothing)
{
    qlog l = { .stop_at = 1 };
    make(&l, 1);
    put(&l, 1, true);
    put(&l, 2, false);   /* 1's turn stops: 2 waits, the queue is full */
    l.stop_at = 3;
    cr_expect_eq(put(&l, 3, false), 0);   /* 2's turn */
    cr_expect_eq(put(&l, 4, false), 9);   /* 3's turn stops */
    pii_order_discard(l.q);
    cr_expect_str_eq(l.text, "t1* t2* t3* d4* ");
    pii_order_free(l.q);
}

/* keep fails (out of memory): what waits takes its turn, then the entry
 * its own, at once, with the caller's name still good. */
Test(prefetch_order, keep_failure_drains_then_runs_now)
{
    qlog l = { .refuse_keep = 3 };
    make(&l, 4);
    put(&l, 1, true);
    put(&l, 2, false);
    cr_expect_str_eq(l.text, "");
    put(&l, 3, false);
    cr_expect_str_eq(l.text, "t1* t2* t3 ");
    cr_expect_eq(pii_order_waiting(l.q), 0);
    pii_order_free(l.q);
}

/* keep fails and a turn before it stops: it is dropped, not taken. */
Test(prefetch_order, keep_failure_after_stop_drops)
{
    qlog l = { .refuse_keep = 3, .stop_at = 1 };
    make(&l, 4);
    put(&l, 1, true);
    put(&l, 2, false);
    cr_expect_eq(put(&l, 3, false), 9);
    cr_expect_str_eq(l.text, "t1* d3 ");
    pii_order_free(l.q);
    cr_expect_str_eq(l.text, "t1* d3 d2* ");
}

/* ---- with real walkers: items replayed in put order, or cancelled ---- */

typedef struct real {
    pii_order *q;
    char seen[8192];
    size_t len;
    bool cancel;
} real;

static void seen(real *r, const char *what, const char *vpath, unsigned long long size)
{
    int n = snprintf(r->seen + r->len, sizeof r->seen - r->len, "%s %s %llu\n", what, vpath, size);
    cr_assert(n > 0 && (size_t)n < sizeof r->seen - r->len, "trace overflow");
    r->len += (size_t)n;
}

static int member(void *ud, const char *vpath, piiscan_read_fn rd, void *rud)
{
    char buf[4096];
    unsigned long long total = 0;
    ssize_t n;
    while ((n = rd(rud, buf, sizeof buf)) > 0)
        total += (unsigned long long)n;
    seen(ud, "member", vpath, total);
    return 0;
}

static void member_msg(void *ud, const char *vpath, const char *msg, int is_error)
{
    seen(ud, msg, vpath, (unsigned long long)is_error);
}

static int real_turn(void *ud, void *entry)
{
    real *r = ud;
    ent *e = entry;
    if (r->cancel) {
        pii_prefetch_cancel(e->item);
        return 0;
    }
    return pii_prefetch_replay(e->item, member, member_msg, r);
}

static void real_drop(void *ud, void *entry)
{
    (void)ud;
    pii_prefetch_cancel(((ent *)entry)->item);
}

static const char *const FILES[] = { ARCHIVES "logs.tar.gz", ARCHIVES "access.log.gz", ARCHIVES "dumps.zip" };
#define NFILES 3

/* What walking every file directly gives, in order, `times` times over. */
static void direct_all(real *want, int times)
{
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    for (int k = 0; k < times; k++)
        for (int i = 0; i < NFILES; i++) {
            int fd = open(FILES[i], O_RDONLY);
            cr_assert(fd >= 0);
            pii_source_walk(FILES[i], fd, &lim, member, member_msg, want);
            close(fd);
        }
}

static void put_all(real *r, pii_prefetch *pf, int times)
{
    for (int k = 0; k < times; k++)
        for (int i = 0; i < NFILES; i++) {
            int fd = open(FILES[i], O_RDONLY);
            cr_assert(fd >= 0);
            ent e = { .id = k * NFILES + i, .item = pii_prefetch_add(pf, FILES[i], fd) };
            cr_assert_not_null(e.item);
            cr_assert_eq(pii_order_put(r->q, &e, true), 0);
        }
}

Test(prefetch_order, walkers_replayed_in_put_order)
{
    static const pii_order_ops ops = { real_turn, NULL, real_drop };
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    static real got, want;
    direct_all(&want, 4);
    pii_prefetch *pf = pii_prefetch_new(3, &lim);
    cr_assert_not_null(pf);
    got.q = pii_order_new(3, sizeof(ent), &ops, &got);
    cr_assert_not_null(got.q);
    put_all(&got, pf, 4);
    cr_expect_eq(pii_order_drain(got.q), 0);
    cr_expect_gt(got.len, 0);
    cr_expect_str_eq(got.seen, want.seen);
    pii_order_free(got.q);
    pii_prefetch_free(pf);
}

/* Items cancelled in their turn, or dropped with the queue: nothing is
 * replayed, every walk is stopped and freed (the sanitizer build checks
 * the leaks). */
Test(prefetch_order, walkers_cancelled_or_dropped)
{
    static const pii_order_ops ops = { real_turn, NULL, real_drop };
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    static real r = { .cancel = true };
    pii_prefetch *pf = pii_prefetch_new(2, &lim);
    cr_assert_not_null(pf);
    r.q = pii_order_new(2, sizeof(ent), &ops, &r);
    cr_assert_not_null(r.q);
    put_all(&r, pf, 3);   /* the first turns are cancelled as the queue fills */
    cr_expect_gt(pii_order_waiting(r.q), 0);
    pii_order_free(r.q);  /* the rest are dropped: cancelled too */
    cr_expect_eq(r.len, 0);
    pii_prefetch_free(pf);
}
