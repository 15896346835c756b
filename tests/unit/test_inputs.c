/*
 * test_inputs.c -- the public inputs API (piiscan.h, piiscan_inputs_*):
 * streams and messages come out in the order the inputs were given,
 * containers opened into their members, the same with walker threads
 * reading ahead as without; a stream's return value, or the stopped
 * callback, stops them; a pipe's first bytes are given back.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "piiscan.h"

#define CORPORA PIISCAN_SOURCE_DIR "/corpora/"

/* What the callbacks were given, one line each. */
typedef struct trace {
    char text[32768];
    size_t len;
    int streams;
    int stop_at;       /* the stream of this ordinal returns 5 (0: none) */
    int stopped_after; /* stopped() says yes once this many streams were read (0: never) */
} trace;

static void add(trace *t, const char *what, const char *name, unsigned long long a, unsigned long long b)
{
    int n = snprintf(t->text + t->len, sizeof t->text - t->len, "%s %s %llu %llu\n", what, name, a, b);
    cr_assert(n > 0 && (size_t)n < sizeof t->text - t->len, "trace overflow");
    t->len += (size_t)n;
}

static int on_stream(void *ud, const char *name, piiscan_read_fn rd, void *rud)
{
    trace *t = ud;
    unsigned char buf[5000];
    unsigned long long total = 0, sum = 0;
    ssize_t n;
    while ((n = rd(rud, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            sum = sum * 31 + buf[i];
        total += (unsigned long long)n;
    }
    add(t, n < 0 ? "stream(error)" : "stream", name, total, sum);
    return ++t->streams == t->stop_at ? 5 : 0;
}

static void on_message(void *ud, const char *name, const char *msg, int is_error)
{
    add(ud, msg, name, (unsigned long long)is_error, 0);
}

static int on_stopped(void *ud)
{
    trace *t = ud;
    return t->stopped_after && t->streams >= t->stopped_after;
}

static const piiscan_input_ops OPS = { on_stream, on_message, on_stopped, false };

static const char *const FILES[] = {
    CORPORA "sample/nginx/access.log", CORPORA "archives/logs.tar.gz", CORPORA "archives/access.log.gz",
    CORPORA "sample/nginx/access.log", CORPORA "archives/dumps.zip", CORPORA "hostile/corrupt.zip",
    CORPORA "hostile/multi.log.gz", CORPORA "archives/logs.tar.gz", CORPORA "hostile/truncated.tar.gz",
    CORPORA "sample/nginx/access.log",
};
#define NFILES (int)(sizeof FILES / sizeof FILES[0])

/* Every file in turn, with a message after every third; the first
 * non-zero value any call returned (0: none). */
static int give_all(trace *t, int threads)
{
    piiscan_limits lim;
    piiscan_limits_init(&lim);
    piiscan_inputs *in = NULL;
    cr_assert_eq(piiscan_inputs_new(&in, threads, &lim, &OPS, t), 0);
    int rc = 0;
    for (int i = 0; i < NFILES && !rc; i++) {
        int fd = open(FILES[i], O_RDONLY);
        cr_assert(fd >= 0, "%s", FILES[i]);
        rc = piiscan_inputs_file(in, FILES[i], fd);
        if (!rc && i % 3 == 2)
            rc = piiscan_inputs_message(in, FILES[i], "a note", 0);
    }
    if (!rc)
        rc = piiscan_inputs_finish(in);
    piiscan_inputs_free(in);
    return rc;
}

Test(inputs, same_order_with_and_without_walkers)
{
    static trace one, four;
    cr_expect_eq(give_all(&one, 1), 0);
    cr_expect_eq(give_all(&four, 4), 0);
    cr_expect_gt(one.streams, NFILES);   /* containers gave their members */
    cr_expect_str_eq(four.text, one.text);
    cr_expect(strstr(one.text, "stream " CORPORA "archives/logs.tar.gz!/") != NULL);
    cr_expect(strstr(one.text, "a note " CORPORA "archives/access.log.gz 0 0\n") != NULL);
}

/* A stream's value stops the inputs: nothing after it is given out. */
Test(inputs, stream_value_stops)
{
    for (int threads = 1; threads <= 4; threads += 3) {
        trace all = { 0 }, t = { .stop_at = 4 };
        give_all(&all, threads);
        cr_expect_eq(give_all(&t, threads), 5, "threads %d", threads);
        cr_expect_eq(t.streams, 4, "threads %d", threads);
        cr_expect_eq(strncmp(all.text, t.text, t.len), 0, "threads %d: not a prefix:\n%s", threads, t.text);
    }
}

/* stopped() stops them as well, after the input whose turn it was. */
Test(inputs, stopped_callback_stops)
{
    for (int threads = 1; threads <= 4; threads += 3) {
        trace t = { .stopped_after = 2 };
        cr_expect_eq(give_all(&t, threads), 1, "threads %d", threads);
        cr_expect_lt(t.streams, NFILES, "threads %d", threads);
    }
}

/* A pipe whose first bytes the caller read: they come back first, a
 * container is opened, and everything queued before it comes first. */
static void pipe_of(const char *path, trace *t, int threads)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cat %s", path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    unsigned char head[PIISCAN_HEAD_BYTES];
    size_t n = 0;   /* read(), not fread(): stdio would read past the head */
    for (ssize_t k; n < sizeof head && (k = read(fileno(p), head + n, sizeof head - n)) > 0;)
        n += (size_t)k;
    piiscan_limits lim;
    piiscan_limits_init(&lim);
    piiscan_inputs *in = NULL;
    cr_assert_eq(piiscan_inputs_new(&in, threads, &lim, &OPS, t), 0);
    int fd = open(CORPORA "archives/access.log.gz", O_RDONLY);
    cr_assert(fd >= 0);
    cr_expect_eq(piiscan_inputs_file(in, "before.gz", fd), 0);
    cr_expect_eq(piiscan_inputs_pipe(in, "-", fileno(p), head, n), 0);
#ifdef F_GETPIPE_SZ
    /* Grown so that the writer runs ahead (src_leaf.c); as root always. */
    if (geteuid() == 0)
        cr_expect_eq(fcntl(fileno(p), F_GETPIPE_SZ), 1 << 20);
#endif
    cr_expect_eq(piiscan_inputs_finish(in), 0);
    piiscan_inputs_free(in);
    pclose(p);
}

Test(inputs, pipe_after_what_came_before)
{
    static trace direct, piped, gz;
    int fd = open(CORPORA "archives/access.log.gz", O_RDONLY);
    int fd2 = open(CORPORA "sample/nginx/access.log", O_RDONLY);
    cr_assert(fd >= 0 && fd2 >= 0);
    piiscan_limits lim;
    piiscan_limits_init(&lim);
    piiscan_inputs *in = NULL;
    cr_assert_eq(piiscan_inputs_new(&in, 1, &lim, &OPS, &direct), 0);
    piiscan_inputs_file(in, "before.gz", fd);
    piiscan_inputs_file(in, "-", fd2);
    piiscan_inputs_free(in);
    pipe_of(CORPORA "sample/nginx/access.log", &piped, 4);
    cr_expect_str_eq(piped.text, direct.text);
    pipe_of(CORPORA "archives/access.log.gz", &gz, 4);
    cr_expect(strstr(gz.text, "stream -!/") != NULL, "%s", gz.text);
}

Test(inputs, limits_from_options)
{
    piiscan_limits lim;
    char err[200];
    piiscan_limits_init(&lim);
    cr_expect_eq(lim.max_depth, 4);
    cr_expect_eq(piiscan_limits_set(&lim, "max-expansion", "2M", err, sizeof err), 0);
    cr_expect_eq(lim.max_total, 2u << 20);
    cr_expect_eq(piiscan_limits_set(&lim, "max-ratio", "1", err, sizeof err), -1);
    cr_expect(strstr(err, "--max-ratio") != NULL);
    cr_expect_eq(lim.max_depth, 4);
}

/* ---- a live pipe ---- */

static int live_writer = -1;   /* the write end, held open by the test */

/* Reads what was sent, then -- the writer paused -- expects EAGAIN when
 * the ops say the reader knows pauses, and after the writer closes, the
 * end. */
static int on_live_stream(void *ud, const char *name, piiscan_read_fn rd, void *rud)
{
    (void)name;
    const bool *pauses = ud;
    char buf[64];
    ssize_t n = 0;
    for (ssize_t k; n < 6 && (k = rd(rud, buf + n, sizeof buf - (size_t)n)) > 0;)
        n += k;
    cr_expect_eq(n, 6);
    cr_expect_eq(memcmp(buf, "tel 1\n", 6), 0);
    if (*pauses) {
        errno = 0;
        cr_expect_eq(rd(rud, buf, sizeof buf), -1, "the writer paused");
        cr_expect_eq(errno, EAGAIN);
    }
    cr_assert_eq(write(live_writer, "x\n", 2), 2);
    close(live_writer);
    live_writer = -1;
    n = 0;
    for (ssize_t k; (k = rd(rud, buf + n, sizeof buf - (size_t)n)) > 0;)
        n += k;
    cr_expect_eq(n, 2, "the rest, then the end");
    return 0;
}

Test(inputs, live_pipe_pauses_only_when_asked)
{
    for (int ask = 0; ask <= 1; ask++) {
        bool pauses = ask;
        piiscan_input_ops ops = { on_live_stream, on_message, NULL, pauses };
        piiscan_limits lim;
        piiscan_limits_init(&lim);
        piiscan_inputs *in = NULL;
        cr_assert_eq(piiscan_inputs_new(&in, 1, &lim, &ops, &pauses), 0);
        int fds[2];
        cr_assert_eq(pipe(fds), 0);
        live_writer = fds[1];
        cr_assert_eq(write(fds[1], "tel 1\n", 6), 6);
        cr_expect_eq(piiscan_inputs_pipe(in, "-", fds[0], NULL, 0), 0);
        cr_expect_eq(piiscan_inputs_finish(in), 0);
        piiscan_inputs_free(in);
        close(fds[0]);
        cr_expect_eq(live_writer, -1, "the stream was read");
    }
}
