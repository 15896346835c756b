/*
 * test_cookie_writers.c -- the stdio streams piiscan builds with
 * fopencookie (the gzip writer on one thread and on several, libarchive's
 * filter writer, the hold-back stream of `redact -`) fail cleanly when
 * what is under them fails: fwrite returns short, close reports it, and
 * nothing is read past the caller's buffer.
 *
 * The last point is the one these tests exist for.  glibc takes a cookie
 * write function's result as a byte count; a -1 from it, in fwrite's
 * direct path (a write at least as long as the FILE's buffer), made
 * fwrite copy that many bytes more from past the end of the caller's data
 * (a ThreadSanitizer run of `redact --threads 4` into a full disk died of
 * it).  Here the data end right at an inaccessible page, so that read
 * would crash the test instead of going unseen.  And the hold-back stream,
 * once a write failed, passes nothing more on (what it held may be out
 * already).
 */
#include <criterion/criterion.h>
#include <archive.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "holdback.h"
#include "stream_writers.h"

#define DATA_LEN (8 * (128u << 10))   /* several blocks of the parallel writer; random, so it deflates to as much */

typedef struct guarded {
    unsigned char *map;
    size_t maplen;
    unsigned char *data;   /* DATA_LEN bytes, the last one just before a PROT_NONE page */
} guarded;

static guarded guarded_data(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t pages = (DATA_LEN + page - 1) / page;
    guarded g = { .maplen = (pages + 1) * page };
    g.map = mmap(NULL, g.maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(g.map != MAP_FAILED);
    cr_assert_eq(mprotect(g.map + pages * page, page, PROT_NONE), 0);
    g.data = g.map + pages * page - DATA_LEN;
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < DATA_LEN; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        g.data[i] = (unsigned char)x;
    }
    return g;
}

static FILE *dev_full(void)
{
    FILE *f = fopen("/dev/full", "w");
    cr_assert(f, "/dev/full cannot be opened");
    setvbuf(f, NULL, _IONBF, 0);
    return f;
}

/* One large fwrite into fp over a failing device: short, and no crash. */
static void expect_short_write(FILE *fp, const char *what)
{
    guarded g = guarded_data();
    size_t wrote = fwrite(g.data, 1, DATA_LEN, fp);
    cr_expect_lt(wrote, DATA_LEN, "%s: a write to /dev/full went unnoticed", what);
    cr_expect(ferror(fp), "%s: the stream's error flag is set", what);
    munmap(g.map, g.maplen);
}

Test(cookie_writers, gzip_one_thread)
{
    FILE *full = dev_full();
    FILE *gz = pii_gzip_writer(full, "x.log", 0, 1, PII_GZ_DEFAULT);
    cr_assert(gz);
    expect_short_write(gz, "gzip, 1 thread");
    cr_expect_eq(fclose(gz), EOF);
    fclose(full);
}

Test(cookie_writers, gzip_parallel)
{
    for (int threads = 2; threads <= 4; threads *= 2) {
        FILE *full = dev_full();
        FILE *gz = pii_gzip_writer(full, "x.log", 0, threads, PII_GZ_DEFAULT);
        cr_assert(gz);
        guarded g = guarded_data();
        /* The blocks are deflated behind the writes: the failure may come
         * from a later write or from close, but it comes, and no write
         * reads past the data. */
        size_t wrote = fwrite(g.data, 1, DATA_LEN, gz);
        if (wrote == DATA_LEN)
            wrote = fwrite(g.data, 1, DATA_LEN, gz);
        int rc = fclose(gz);
        cr_expect(wrote < DATA_LEN || rc == EOF, "%d threads: the failure went unnoticed", threads);
        cr_expect_eq(rc, EOF, "%d threads: close reports the failure", threads);
        munmap(g.map, g.maplen);
        fclose(full);
    }
}

Test(cookie_writers, archive_filter)
{
    FILE *full = dev_full();
    FILE *fw = pii_filter_writer(full, ARCHIVE_FILTER_NONE);
    cr_assert(fw);
    expect_short_write(fw, "libarchive filter writer");
    cr_expect_eq(fclose(fw), EOF);
    fclose(full);
}

Test(cookie_writers, holdback)
{
    FILE *full = dev_full();
    holdback *hb = NULL;
    FILE *held = holdback_open(full, 16, &hb);
    cr_assert(held);
    expect_short_write(held, "hold-back stream");
    cr_expect_eq(holdback_close(held, hb, true), -1);
    fclose(full);
}

/* A sink whose one failing call is the fail_at-th; every other call takes
 * all it is given. */
typedef struct flaky_sink {
    unsigned calls, fail_at;
    char got[256];
    size_t n;
} flaky_sink;

static ssize_t flaky_write(void *c, const char *buf, size_t n)
{
    flaky_sink *s = c;
    if (++s->calls == s->fail_at || s->n + n > sizeof s->got)
        return 0;
    memcpy(s->got + s->n, buf, n);
    s->n += n;
    return (ssize_t)n;
}

/* Once a write failed, the hold-back stream passes nothing on, even when
 * what is under it would take bytes again: what it held may have gone
 * out already, and would go out twice. */
Test(cookie_writers, holdback_passes_nothing_after_a_failure)
{
    flaky_sink s = { .fail_at = 2 };
    FILE *out = fopencookie(&s, "w", (cookie_io_functions_t){ .write = flaky_write });
    cr_assert(out);
    setvbuf(out, NULL, _IONBF, 0);
    holdback *hb;
    FILE *held = holdback_open(out, 16, &hb);
    cr_assert(held);
    setvbuf(held, NULL, _IONBF, 0);
    cr_assert_eq(fwrite("0123456789", 1, 10, held), 10);   /* all held back */
    char more[40];
    memset(more, 'a', sizeof more);
    cr_expect_lt(fwrite(more, 1, sizeof more, held), sizeof more, "the failed write is told");
    memset(more, 'b', sizeof more);
    fwrite(more, 1, sizeof more, held);
    cr_expect_eq(holdback_close(held, hb, true), -1);
    fclose(out);
    /* Call 1 took the held "0123456789", call 2 failed; nothing after. */
    cr_expect_eq(s.n, 10, "%zu bytes reached the output: %.*s", s.n, (int)s.n, s.got);
}
