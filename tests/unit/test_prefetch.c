/*
 * test_prefetch.c -- a container walked ahead by a walker thread and
 * replayed gives exactly what the direct walk gives: the same members in
 * the same order with the same bytes, the same messages between them, the
 * same return value; also when many containers are queued at once, when a
 * member is read only in part, when the reader stops the walk, and when
 * the pool is freed with walks unfinished.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src_prefetch.h"

#define HOSTILE PIISCAN_SOURCE_DIR "/corpora/hostile/"
#define ARCHIVES PIISCAN_SOURCE_DIR "/corpora/archives/"

/* What a walk delivered, as text: one line per member with its size and a
 * checksum of its bytes, one per message. */
typedef struct trace {
    char text[16384];
    size_t len;
    size_t read_limit;    /* read at most this much of each member (0: all) */
    int stop_at;          /* return 7 from the member callback of this ordinal (1-based) */
    bool no_digits;       /* messages without their numbers, members without sizes */
    int members;
} trace;

static void add(trace *t, const char *fmt, const char *a, unsigned long long x, unsigned long long y)
{
    int n = snprintf(t->text + t->len, sizeof t->text - t->len, fmt, a, x, y);
    cr_assert(n > 0 && (size_t)n < sizeof t->text - t->len, "trace overflow");
    t->len += (size_t)n;
}

static int on_member(void *ud, const char *vpath, piiscan_read_fn rd, void *rud)
{
    trace *t = ud;
    unsigned char buf[7000];   /* odd size: reads straddle the walker's buffers */
    unsigned long long total = 0, sum = 0;
    ssize_t n;
    size_t want = sizeof buf;
    while ((!t->read_limit || total < t->read_limit) &&
           (n = rd(rud, buf, t->read_limit && t->read_limit - total < want ? t->read_limit - total : want)) != 0) {
        if (n < 0) {
            add(t, "read error %s %llu %llu\n", vpath, total, (unsigned long long)errno);
            break;
        }
        for (ssize_t i = 0; i < n; i++)
            sum = sum * 31 + buf[i];
        total += (unsigned long long)n;
    }
    if (t->no_digits)
        add(t, "member %s %llu %llu\n", vpath, 0, 0);
    else
        add(t, "member %s %llu %llu\n", vpath, total, sum);
    return ++t->members == t->stop_at ? 7 : 0;
}

static void on_msg(void *ud, const char *vpath, const char *msg, int is_error)
{
    trace *t = ud;
    char m[512];
    snprintf(m, sizeof m, "%s", msg);
    if (t->no_digits)   /* where a limit cuts depends on read sizes */
        for (char *c = m; *c; c++)
            if (*c >= '0' && *c <= '9')
                *c = '#';
    int n = snprintf(t->text + t->len, sizeof t->text - t->len, "msg %s %d: %s\n", vpath, is_error, m);
    cr_assert(n > 0 && (size_t)n < sizeof t->text - t->len, "trace overflow");
    t->len += (size_t)n;
}

static int open_ro(const char *path)
{
    int fd = open(path, O_RDONLY);
    cr_assert(fd >= 0, "open %s", path);
    return fd;
}

static int direct(const char *path, const pii_src_limits *lim, trace *t)
{
    int fd = open_ro(path);
    int rc = pii_source_walk(path, fd, lim, on_member, on_msg, t);
    close(fd);
    return rc;
}

/* The replay of it gives what a direct walk of path gives: the same
 * members, bytes and messages, and the same return value. */
static void expect_replay_is_direct(pii_pf_item *it, const char *path, const pii_src_limits *lim)
{
    trace got = { 0 }, want = { 0 };
    cr_expect_eq(pii_prefetch_replay(it, on_member, on_msg, &got), direct(path, lim, &want), "%s", path);
    cr_expect_str_eq(got.text, want.text, "%s", path);
}
static const char *const FILES[] = {
    ARCHIVES "logs.tar.gz", ARCHIVES "access.log.gz", ARCHIVES "dumps.zip", HOSTILE "multi.log.gz",
    HOSTILE "deep.tar", HOSTILE "links.tar", HOSTILE "bomb.zip", HOSTILE "corrupt.zip", HOSTILE "encrypted.zip",
    HOSTILE "truncated.tar.gz",
};
#define NFILES (sizeof FILES / sizeof FILES[0])
/* The first of them hold no damage: a member read in part gives the same
 * trace.  (The walker reads every member to its end, so a damaged member
 * left unfinished by its reader is reported as the full read finds it.) */
#define NSOUND 6

/* The first n files queued at once on `threads` walkers, replayed in order. */
static void compare_all(unsigned threads, const pii_src_limits *lim, size_t n, trace proto)
{
    static trace want[NFILES], got[NFILES];
    int want_rc[NFILES];
    for (size_t i = 0; i < n; i++) {
        want[i] = proto;
        want_rc[i] = direct(FILES[i], lim, &want[i]);
    }
    pii_prefetch *pf = pii_prefetch_new(threads, lim);
    cr_assert_not_null(pf);
    pii_pf_item *it[NFILES];
    for (size_t i = 0; i < n; i++)
        cr_assert_not_null(it[i] = pii_prefetch_add(pf, FILES[i], open_ro(FILES[i])));
    for (size_t i = 0; i < n; i++) {
        got[i] = proto;
        int rc = pii_prefetch_replay(it[i], on_member, on_msg, &got[i]);
        cr_expect_eq(rc, want_rc[i], "%s: rc %d, direct walk %d", FILES[i], rc, want_rc[i]);
        cr_expect_str_eq(got[i].text, want[i].text, "%s replayed on %u threads:\n%s---\n%s", FILES[i], threads,
                         got[i].text, want[i].text);
        cr_expect_gt(got[i].len, 0);
    }
    pii_prefetch_free(pf);
}

Test(prefetch, same_as_direct_walk_one_thread)
{
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    compare_all(1, &lim, NFILES, (trace){ 0 });
}

Test(prefetch, same_as_direct_walk_three_threads)
{
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    compare_all(3, &lim, NFILES, (trace){ 0 });
}

/* Limits apply in the walker thread as in a direct walk: the same
 * members and messages (where a ratio limit cuts a member depends on the
 * read sizes, so the numbers are left out). */
Test(prefetch, limits_hit_in_the_walker)
{
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    lim.max_ratio = 50;
    lim.max_depth = 1;
    compare_all(2, &lim, NFILES, (trace){ .no_digits = true });
}

/* A reader that takes only the first bytes of each member: the rest is
 * skipped, the next member starts at its own first byte. */
Test(prefetch, members_read_in_part)
{
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    compare_all(2, &lim, NSOUND, (trace){ .read_limit = 10000 });
}

/* More data than the walker may hold (4 buffers of 256 KiB): the walker
 * waits for the replay, and every byte still arrives in order. */
Test(prefetch, large_member_through_bounded_queue)
{
    char path[] = "/tmp/piiscan-prefetch-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    unlink(path);
    size_t n = 9u << 20;
    unsigned char *plain = malloc(n);
    cr_assert_not_null(plain);
    for (size_t i = 0; i < n; i++)
        plain[i] = (unsigned char)(i * 2654435761u >> 13);
    FILE *gz = NULL;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "gzip -1 -c > /dev/fd/%d", fd);
    cr_assert_not_null(gz = popen(cmd, "w"));
    cr_assert_eq(fwrite(plain, 1, n, gz), n);
    cr_assert_eq(pclose(gz), 0);
    free(plain);
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    trace want = { 0 }, got = { 0 };
    cr_assert(lseek(fd, 0, SEEK_SET) == 0);
    int want_rc = pii_source_walk("big.gz", fd, &lim, on_member, on_msg, &want);
    cr_assert(lseek(fd, 0, SEEK_SET) == 0);
    pii_prefetch *pf = pii_prefetch_new(1, &lim);
    pii_pf_item *it = pii_prefetch_add(pf, "big.gz", dup(fd));
    usleep(100000);   /* let the walker fill its queue and wait */
    cr_expect_eq(pii_prefetch_replay(it, on_member, on_msg, &got), want_rc);
    cr_expect_str_eq(got.text, want.text);
    cr_expect(strstr(got.text, "member big.gz!/big 9437184 ") != NULL, "%s", got.text);
    pii_prefetch_free(pf);
    close(fd);
}

/* The reader stops the walk at the second member: replay returns its
 * value, no later member is delivered, and the next queued container is
 * replayed whole. */
Test(prefetch, reader_stops_the_walk)
{
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    pii_prefetch *pf = pii_prefetch_new(2, &lim);
    pii_pf_item *a = pii_prefetch_add(pf, ARCHIVES "logs.tar.gz", open_ro(ARCHIVES "logs.tar.gz"));
    pii_pf_item *b = pii_prefetch_add(pf, ARCHIVES "dumps.zip", open_ro(ARCHIVES "dumps.zip"));
    trace ta = { .stop_at = 2 };
    cr_expect_eq(pii_prefetch_replay(a, on_member, on_msg, &ta), 7);
    cr_expect_eq(ta.members, 2);
    expect_replay_is_direct(b, ARCHIVES "dumps.zip", &lim);
    pii_prefetch_free(pf);
}

/* Freed with walks queued and none replayed: no hang, no leak (ASan). */
/* A prefetcher of 2 threads with every file of FILES added, items in it[]. */
static pii_prefetch *prefetch_all(const pii_src_limits *lim, pii_pf_item *it[NFILES])
{
    pii_prefetch *pf = pii_prefetch_new(2, lim);
    for (size_t i = 0; i < NFILES; i++)
        cr_assert_not_null(it[i] = pii_prefetch_add(pf, FILES[i], open_ro(FILES[i])));
    return pf;
}

Test(prefetch, freed_with_walks_pending)
{
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    pii_pf_item *it[NFILES];
    pii_prefetch_free(prefetch_all(&lim, it));
}

/* ---- walks of another kind: records among the members ---- */

/* A walk that puts records around the members of the real walk, and says
 * it is not pii_source_walk by its return value. */
static int recording_walk(const char *path, int fd, const pii_src_limits *lim, pii_member_fn fn, pii_member_msg msg,
                          pii_record_fn rec, void *ud)
{
    if (rec(ud, "first", 5, NULL, NULL) || rec(ud, "", 0, NULL, NULL))
        return 40;
    int rc = pii_source_walk(path, fd, lim, fn, msg, ud);
    if (rec(ud, "last\0x", 6, strdup("an object"), free))
        return 41;
    return rc == 0 ? 42 : rc;
}

/* Records are traced in place; the one named in stop_rec stops the walk. */
typedef struct rtrace {
    trace t;
    const char *stop_rec;
} rtrace;

static int on_rec(void *ud, const void *rec, size_t len, void *obj, pii_drop_fn drop)
{
    rtrace *r = ud;
    if (obj)
        drop(obj);   /* ours now: ASan tells if it is freed twice or never */
    char s[64];
    snprintf(s, sizeof s, "%.*s", (int)len, (const char *)rec);
    add(&r->t, "record %s %llu %llu\n", s, (unsigned long long)len, 0);
    return r->stop_rec && !strcmp(s, r->stop_rec) ? 9 : 0;
}

static int on_member_r(void *ud, const char *vpath, piiscan_read_fn rd, void *rud)
{
    return on_member(&((rtrace *)ud)->t, vpath, rd, rud);
}

static void on_msg_r(void *ud, const char *vpath, const char *msg, int is_error)
{
    on_msg(&((rtrace *)ud)->t, vpath, msg, is_error);
}

static int direct_recording(const char *path, rtrace *r)
{
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    int fd = open_ro(path);
    int rc = recording_walk(path, fd, &lim, on_member_r, on_msg_r, on_rec, r);
    close(fd);
    return rc;
}

/* Every record in its place between the members and messages, with its
 * bytes (an empty one too), and the walk's own return value. */
Test(prefetch, records_replayed_in_walk_order)
{
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    pii_prefetch *pf = pii_prefetch_new(2, &lim);
    cr_assert_not_null(pf);
    pii_pf_item *it[NFILES];
    for (size_t i = 0; i < NFILES; i++)
        cr_assert_not_null(it[i] = pii_prefetch_add_walk(pf, FILES[i], open_ro(FILES[i]), recording_walk));
    for (size_t i = 0; i < NFILES; i++) {
        static rtrace want, got;
        memset(&want, 0, sizeof want);
        memset(&got, 0, sizeof got);
        int want_rc = direct_recording(FILES[i], &want);
        cr_expect_eq(pii_prefetch_replay_records(it[i], on_member_r, on_msg_r, on_rec, &got), want_rc, "%s", FILES[i]);
        cr_expect_str_eq(got.t.text, want.t.text, "%s:\n%s---\n%s", FILES[i], got.t.text, want.t.text);
        cr_expect(!strncmp(got.t.text, "record first 5 0\nrecord  0 0\n", 29), "%s", got.t.text);
        cr_expect(strstr(got.t.text, "record last 6 0\n") != NULL, "%s", got.t.text);
    }
    pii_prefetch_free(pf);
}

/* A record the replay refuses stops the walk like a member's reader does:
 * nothing after it is delivered, the replay returns the refusal. */
Test(prefetch, record_stops_the_walk)
{
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    pii_prefetch *pf = pii_prefetch_new(1, &lim);
    const char *f = ARCHIVES "logs.tar.gz";
    pii_pf_item *it = pii_prefetch_add_walk(pf, f, open_ro(f), recording_walk);
    rtrace got = { .stop_rec = "first" };
    cr_expect_eq(pii_prefetch_replay_records(it, on_member_r, on_msg_r, on_rec, &got), 9);
    cr_expect_str_eq(got.t.text, "record first 5 0\n");
    /* pii_prefetch_replay leaves records out and keeps the rest */
    rtrace want = { 0 };
    direct_recording(f, &want);
    trace plain = { 0 };
    it = pii_prefetch_add_walk(pf, f, open_ro(f), recording_walk);
    cr_expect_eq(pii_prefetch_replay(it, on_member, on_msg, &plain), 42);
    cr_expect_gt(plain.members, 1);
    cr_expect(strstr(plain.text, "record") == NULL, "%s", plain.text);
    pii_prefetch_free(pf);
}

/* ---- cancelled items ---- */

/* A walk of one member of 64 MiB of 'x' that counts what it handed out. */
static _Atomic size_t endless_given;

static ssize_t endless_read(void *ud, void *buf, size_t cap)
{
    (void)ud;
    if (endless_given >= (64u << 20))
        return 0;
    memset(buf, 'x', cap);
    endless_given += cap;
    return (ssize_t)cap;
}

static int endless_walk(const char *path, int fd, const pii_src_limits *lim, pii_member_fn fn, pii_member_msg msg,
                        pii_record_fn rec, void *ud)
{
    (void)fd, (void)lim, (void)msg, (void)rec;
    return fn(ud, path, endless_read, NULL);
}

/* Cancelled while its walker waits on a full queue: the walk is stopped
 * there, not read to its end, and the next item (queued behind it on the
 * one thread) is walked and replayed whole.  Leaks: ASan. */
Test(prefetch, cancel_stops_a_waiting_walk)
{
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    pii_prefetch *pf = pii_prefetch_new(1, &lim);
    endless_given = 0;
    pii_pf_item *a = pii_prefetch_add_walk(pf, "endless", open_ro(ARCHIVES "dumps.zip"), endless_walk);
    pii_pf_item *b = pii_prefetch_add(pf, ARCHIVES "logs.tar.gz", open_ro(ARCHIVES "logs.tar.gz"));
    usleep(100000);   /* a fills its queue and waits; b waits for the thread */
    pii_prefetch_cancel(a);
    cr_expect_lt(endless_given, 8u << 20, "%zu bytes read for a cancelled walk", (size_t)endless_given);
    expect_replay_is_direct(b, ARCHIVES "logs.tar.gz", &lim);
    pii_prefetch_free(pf);
}

/* Cancelled items among replayed ones, some never taken by a thread
 * before the cancel, some done: the rest come out as walked. */
Test(prefetch, cancel_among_replays)
{
    pii_src_limits lim;
    pii_src_limits_init(&lim);
    pii_pf_item *it[NFILES];
    pii_prefetch *pf = prefetch_all(&lim, it);
    for (size_t i = 0; i < NFILES; i++) {
        if (i % 3 != 1) {
            pii_prefetch_cancel(it[i]);
            continue;
        }
        expect_replay_is_direct(it[i], FILES[i], &lim);
    }
    pii_prefetch_free(pf);
}

/* ---- the bound on events, the pulled replay ---- */

/* A walk of 5000 records, each with an object, counting those queued. */
static _Atomic unsigned many_given;

static int many_records_walk(const char *path, int fd, const pii_src_limits *lim, pii_member_fn fn,
                             pii_member_msg msg, pii_record_fn rec, void *ud)
{
    (void)path, (void)fd, (void)lim, (void)fn, (void)msg;
    for (unsigned i = 0; i < 5000; i++) {
        if (rec(ud, &i, sizeof i, malloc(16), free))
            return 1;
        many_given++;
    }
    return 5;
}

/* A walk of many small events (an archive of empty members) is held to
 * 1024 queued events as a large member is to its buffers; pulled, every
 * record comes in order with its object, and the walk's answer after. */
static pii_src_limits many_lim;

/* A pool of one thread walking many_records_walk. */
static pii_prefetch *many_records(pii_pf_item **it)
{
    pii_src_limits_init(&many_lim);
    pii_prefetch *pf = pii_prefetch_new(1, &many_lim);
    cr_assert_not_null(pf);
    many_given = 0;
    *it = pii_prefetch_add_walk(pf, "many", open_ro(ARCHIVES "dumps.zip"), many_records_walk);
    return pf;
}

Test(prefetch, events_bounded_and_pulled_in_order)
{
    pii_pf_item *it;
    pii_prefetch *pf = many_records(&it);
    for (int i = 0; i < 50 && many_given < 1024; i++)
        usleep(10000);
    usleep(100000);   /* time to run past the bound, if there were none */
    cr_expect_leq(many_given, 1024u, "%u events queued ahead", (unsigned)many_given);
    pii_pf_ev ev;
    unsigned k = 0;
    while (pii_prefetch_next(it, &ev) != PII_PF_END) {
        cr_assert_eq(ev.kind, PII_PF_RECORD);
        cr_assert_eq(ev.len, sizeof k);
        unsigned got;
        memcpy(&got, ev.rec, sizeof got);
        cr_expect_eq(got, k, "record %u in place %u", got, k);
        cr_expect_not_null(ev.obj);
        free(ev.obj);
        k++;
    }
    cr_expect_eq(k, 5000u);
    cr_expect_eq(pii_prefetch_finish(it, 0, on_msg, NULL), 5);
    pii_prefetch_free(pf);
}

/* Stopped half way, the objects not pulled are freed with the walk
 * (ASan's leak check). */
Test(prefetch, pulled_replay_stopped_frees_the_rest)
{
    pii_pf_item *it;
    pii_prefetch *pf = many_records(&it);
    pii_pf_ev ev;
    for (int i = 0; i < 2000 && pii_prefetch_next(it, &ev) == PII_PF_RECORD; i++)
        free(ev.obj);
    cr_expect_eq(pii_prefetch_finish(it, 3, on_msg, NULL), 3);
    pii_prefetch_free(pf);
}
