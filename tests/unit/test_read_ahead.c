/*
 * test_read_ahead.c -- files opened and read ahead of their turn by reader
 * threads (read_ahead.h, piiscan_inputs_open): the same streams and
 * messages, in the same order, as when each is opened in its turn
 * (small files read whole, sizes about the read-ahead buffer's, empty and
 * missing files, a directory, containers); no more files held than the
 * bound; a FIFO never blocks the readers; a caller that waits for a batch
 * of files gets each one whole.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "piiscan.h"
#include "read_ahead.h"

#define CORPORA PIISCAN_SOURCE_DIR "/corpora/"

typedef struct trace {
    char *text;
    size_t len, cap;
    int streams;
    int max_fds;      /* most descriptors open at a stream's turn */
    int stop_at;      /* the stream of this ordinal returns 5 (0: none) */
} trace;

static void add(trace *t, const char *what, const char *name, unsigned long long a, unsigned long long b)
{
    char line[1200];
    int n = snprintf(line, sizeof line, "%s %s %llu %llu\n", what, name, a, b);
    cr_assert(n > 0 && (size_t)n < sizeof line);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->cap + (size_t)n) * 2;
        t->text = realloc(t->text, t->cap);
        cr_assert_not_null(t->text);
    }
    memcpy(t->text + t->len, line, (size_t)n + 1);
    t->len += (size_t)n;
}

static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    cr_assert_not_null(d);
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

static int on_stream(void *ud, const char *name, piiscan_read_fn rd, void *rud)
{
    trace *t = ud;
    unsigned char buf[7000];
    unsigned long long total = 0, sum = 0;
    ssize_t n;
    int fds = open_fds();
    if (fds > t->max_fds)
        t->max_fds = fds;
    while ((n = rd(rud, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            sum = sum * 31 + buf[i];
        total += (unsigned long long)n;
    }
    add(t, n < 0 ? strerror(errno) : "stream", name, total, sum);
    return ++t->streams == t->stop_at ? 5 : 0;
}

static void on_message(void *ud, const char *name, const char *msg, int is_error)
{
    add(ud, msg, name, (unsigned long long)is_error, 0);
}

static const piiscan_input_ops OPS = { on_stream, on_message, NULL, false };

static char dir[] = "/tmp/piiscan-ra-XXXXXX";

/* A file of n bytes of varied text in the test's directory. */
static void make_file(const char *name, size_t n, unsigned seed)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    for (size_t i = 0; i < n; i++)
        fputc(i % 61 == 60 ? '\n' : 'a' + (int)((i * 7 + seed) % 26), fp);
    fclose(fp);
}

static void setup_dir(void)
{
    cr_assert_not_null(mkdtemp(dir));
    /* About the read-ahead buffer (16 KiB) and the head read (64 KiB). */
    static const size_t sizes[] = { 0, 1, 511, 512, 4999, 16383, 16384, 16385, 65535, 65536, 65537, 300000 };
    char name[64];
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        snprintf(name, sizeof name, "s%u", i);
        make_file(name, sizes[i], i);
    }
    for (unsigned i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "m%03u", i);
        make_file(name, 100 + (i * 37) % 5000, i);
    }
    snprintf(name, sizeof name, "%s/subdir", dir);
    cr_assert_eq(mkdir(name, 0700), 0);
}

static void teardown_dir(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static const char *const EXTRA[] = {
    CORPORA "archives/logs.tar.gz", "subdir", "missing", CORPORA "archives/access.log.gz",
    CORPORA "archives/dumps.zip", "s0", CORPORA "hostile/truncated.tar.gz", "s11",
};

/* path of the i-th input: the sized files, the containers and errors
 * among them, then 300 small ones (more than are read ahead at once, so
 * the ring of slots goes round), with a message after every seventh. */
static void input_path(unsigned i, char *path, size_t cap)
{
    const unsigned nextra = sizeof EXTRA / sizeof EXTRA[0];
    if (i < 12)
        snprintf(path, cap, "%s/s%u", dir, i);
    else if (i < 12 + nextra && EXTRA[i - 12][0] == '/')
        snprintf(path, cap, "%s", EXTRA[i - 12]);
    else if (i < 12 + nextra)
        snprintf(path, cap, "%s/%s", dir, EXTRA[i - 12]);
    else
        snprintf(path, cap, "%s/m%03u", dir, i - 12 - nextra);
}

#define NINPUTS (12u + sizeof EXTRA / sizeof EXTRA[0] + 300u)

/* Inputs on `threads` threads with the default limits, traced into t. */
static piiscan_inputs *inputs_for(trace *t, int threads)
{
    piiscan_limits lim;
    piiscan_limits_init(&lim);
    piiscan_inputs *in = NULL;
    cr_assert_eq(piiscan_inputs_new(&in, threads, &lim, &OPS, t), 0);
    return in;
}

static int give_all(trace *t, int threads)
{
    piiscan_inputs *in = inputs_for(t, threads);
    int rc = 0;
    char path[512];
    for (unsigned i = 0; i < NINPUTS && !rc; i++) {
        input_path(i, path, sizeof path);
        rc = piiscan_inputs_open(in, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (!rc && i % 7 == 6)
            rc = piiscan_inputs_message(in, path, "a note", 0);
    }
    if (!rc)
        rc = piiscan_inputs_finish(in);
    piiscan_inputs_free(in);
    return rc;
}

TestSuite(read_ahead, .init = setup_dir, .fini = teardown_dir);

/* With readers (4 threads) every stream and message comes as when each
 * file is opened in its turn (1 thread): same bytes, same order, errors
 * in their places and in the same words. */
Test(read_ahead, same_streams_and_errors_in_order)
{
    trace one = { 0 }, four = { 0 };
    cr_expect_eq(give_all(&one, 1), 0);
    cr_expect_eq(give_all(&four, 4), 0);
    cr_assert_not_null(one.text);
    cr_assert_not_null(four.text);
    cr_expect_str_eq(four.text, one.text);
    char want[600];
    snprintf(want, sizeof want, "No such file or directory %s/missing 1 0\n", dir);
    cr_expect(strstr(four.text, want) != NULL, "%s", want);
    snprintf(want, sizeof want, "Is a directory %s/subdir 0 0\n", dir);
    cr_expect(strstr(four.text, want) != NULL, "%s", want);
    snprintf(want, sizeof want, "stream %s/s11 300000 ", dir);
    cr_expect(strstr(four.text, want) != NULL, "%s", want);
    cr_expect(strstr(four.text, "stream " CORPORA "archives/logs.tar.gz!/") != NULL);
    cr_expect_gt(four.streams, (int)NINPUTS);   /* containers gave their members */
    free(one.text);
    free(four.text);
}

/* Files waiting for their turn are bounded: however many are given, no
 * more than the read-ahead (128) hold a descriptor at once.  Files larger
 * than the read-ahead buffer keep theirs until their turn. */
Test(read_ahead, files_ahead_are_bounded)
{
    trace t = { 0 };
    int base = open_fds();
    piiscan_inputs *in = inputs_for(&t, 4);
    char path[512];
    snprintf(path, sizeof path, "%s/s11", dir);   /* 300000 bytes */
    for (int i = 0; i < 400; i++)
        cr_assert_eq(piiscan_inputs_open(in, path, O_RDONLY), 0);
    cr_assert_eq(piiscan_inputs_finish(in), 0);
    piiscan_inputs_free(in);
    cr_expect_eq(t.streams, 400);
    cr_expect_leq(t.max_fds, base + 128 + 16, "%d descriptors, %d before", t.max_fds, base);
    free(t.text);
}

/* Files given open (piiscan_inputs_file) behind a container read ahead
 * wait as before read-ahead made the line longer: at most 2 x walkers (8
 * with 4 threads) hold their descriptor and a copy of their head. */
Test(read_ahead, files_given_open_wait_as_before)
{
    trace t = { 0 };
    int base = open_fds();
    piiscan_inputs *in = inputs_for(&t, 4);
    char path[512];
    for (int i = 0; i < 200; i++) {
        if (i % 50 == 0)
            snprintf(path, sizeof path, "%s", CORPORA "archives/logs.tar.gz");
        else
            snprintf(path, sizeof path, "%s/m%03d", dir, i);
        int fd = open(path, O_RDONLY);
        cr_assert(fd >= 0, "%s", path);
        cr_assert_eq(piiscan_inputs_file(in, path, fd), 0);
    }
    cr_assert_eq(piiscan_inputs_finish(in), 0);
    piiscan_inputs_free(in);
    cr_expect_gt(t.streams, 200);
    cr_expect_leq(t.max_fds, base + 8 + 4, "%d descriptors, %d before", t.max_fds, base);
    free(t.text);
}

/* A FIFO put where a regular file was (opened without O_NONBLOCK, as the
 * walk opens a file it stat()ed) neither blocks the reader thread ahead of
 * its turn nor the files after it: with no writer it reads as empty, in
 * its place.  (A reader that opened it as asked would wait for a writer
 * for ever: the timeout fails the test.) */
Test(read_ahead, fifo_does_not_block, .timeout = 60)
{
    char fifo[300], path[512];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    piiscan_limits lim;
    piiscan_limits_init(&lim);
    piiscan_inputs *in = NULL;
    trace t = { 0 };
    cr_assert_eq(piiscan_inputs_new(&in, 4, &lim, &OPS, &t), 0);
    for (int i = 0; i < 200; i++) {
        if (i == 3) {
            cr_assert_eq(piiscan_inputs_open(in, fifo, O_RDONLY), 0);
            continue;
        }
        snprintf(path, sizeof path, "%s/m%03d", dir, i);
        cr_assert_eq(piiscan_inputs_open(in, path, O_RDONLY), 0);
    }
    cr_assert_eq(piiscan_inputs_finish(in), 0);
    piiscan_inputs_free(in);
    cr_expect_eq(t.streams, 200);
    char want[400];
    snprintf(want, sizeof want, "stream %s/m002 ", dir);
    char *at = strstr(t.text, want);
    snprintf(want, sizeof want, "\nstream %s 0 0\nstream %s/m004 ", fifo, dir);
    cr_expect(at && strstr(at, want) == strchr(at, '\n'), "%s", t.text);
    free(t.text);
}

/* A stream's value stops the inputs while files are being read ahead:
 * what came before is as without readers, nothing after it is given out,
 * and the files read ahead or being read are closed (ASan, the fd count). */
Test(read_ahead, stop_drops_what_was_read_ahead)
{
    trace all = { 0 }, t = { .stop_at = 40 };
    int base = open_fds();
    cr_expect_eq(give_all(&all, 1), 0);
    cr_expect_eq(give_all(&t, 4), 5);
    cr_expect_eq(t.streams, 40);
    cr_expect_eq(strncmp(all.text, t.text, t.len), 0, "not a prefix:\n%s", t.text);
    cr_expect_eq(open_fds(), base);
    free(all.text);
    free(t.text);
}

/* ---- the pool itself ---- */

/* No more than depth files at once; the caller reads a file itself when
 * its turn comes before a reader took it, and files come back in order. */
Test(read_ahead, pool_bound_and_order)
{
    pii_ra *ra = pii_ra_new(1, 4, 4096);
    cr_assert_not_null(ra);
    char path[512];
    pii_ra_file *f[4];
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/s%d", dir, i + 1);   /* 1, 511, 512, 4999 bytes */
        cr_assert(pii_ra_can_add(ra, path));
        f[i] = pii_ra_add(ra, path, O_RDONLY);
    }
    cr_expect_not(pii_ra_can_add(ra, path), "a fifth file while four are held");
    static const size_t want[] = { 1, 511, 512, 4096 };
    for (int i = 0; i < 4; i++) {
        pii_ra_take(ra, f[i]);
        cr_expect_eq(f[i]->n, want[i], "file %d", i);
        cr_expect_eq(f[i]->complete, i < 3, "file %d: whole only when it fit", i);
        cr_expect_eq(f[i]->fd >= 0, i == 3, "file %d: open only when there is more", i);
        pii_ra_release(ra, f[i]);
        cr_expect(pii_ra_can_add(ra, path), "a slot is free again after a release");
    }
    pii_ra_free(ra);
}

/* The caller takes each file as soon as it can, so it keeps waiting for
 * the readers, and then for a batch of files at once: with three readers
 * finishing out of order, every file still comes back whole, in order,
 * with its own bytes (a batch given back before its last file was read
 * would show here as a short or foreign head). */
static void take_all_in_order(void)
{
    enum { DEPTH = 16, FILES = 300 };
    pii_ra *ra = pii_ra_new(3, DEPTH, 8192);
    cr_assert_not_null(ra);
    char path[512];
    pii_ra_file *f[FILES];
    unsigned added = 0;
    for (unsigned i = 0; i < FILES; i++) {
        for (; added < FILES && pii_ra_can_add(ra, "x"); added++) {
            snprintf(path, sizeof path, "%s/m%03u", dir, added);
            f[added] = pii_ra_add(ra, path, O_RDONLY);
        }
        pii_ra_take(ra, f[i]);
        size_t size = 100 + (i * 37) % 5000;
        cr_assert_eq(f[i]->n, size, "file %u", i);
        cr_assert(f[i]->complete, "file %u is read whole", i);
        for (size_t k = 0; k < size; k += 97)
            cr_assert_eq(f[i]->head[k], k % 61 == 60 ? '\n' : 'a' + (int)((k * 7 + i) % 26), "file %u byte %zu", i, k);
        pii_ra_release(ra, f[i]);
    }
    pii_ra_free(ra);
}

Test(read_ahead, batched_waits_give_each_file_whole, .timeout = 60)
{
    for (int round = 0; round < 20; round++)
        take_all_in_order();
}
