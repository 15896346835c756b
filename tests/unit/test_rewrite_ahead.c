/*
 * test_rewrite_ahead.c -- a container rewritten in two halves
 * (pii_rewrite_read recording in a walker thread, pii_archive_rewrite_ahead
 * replaying in the calling one) writes the same bytes, says the same
 * things in the same order and returns the same as pii_archive_rewrite:
 * sound, multi-member, truncated, corrupt and CRC-damaged gzip, magic
 * bytes only, two layers, other compressions; archives (tar, tar.gz, zip),
 * nested ones (.gz and .tar.gz in a tar, a tar in a tar.gz), damaged ones
 * and ones with damaged members, empty ones, one of 1500 members, the
 * hostile corpus; limits hit, a transform that fails after reading all or
 * part of its member, and an output that fills up.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive_rewrite.h"

#define HOSTILE PIISCAN_SOURCE_DIR "/corpora/hostile/"
#define ARCHIVES PIISCAN_SOURCE_DIR "/corpora/archives/"

static char dir[] = "/tmp/piiscan-rwahead-XXXXXX";

/* The inputs, made once per test in dir: text with personal data to copy,
 * larger than the 1 MiB a walker may hold, then damaged in several ways. */
static void make_inputs(void)
{
    cr_assert_not_null(mkdtemp(dir));
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd %s && seq 120000 | awk '{ printf \"%%d tel 1381234%%04d mail u%%d@example.com\\n\", $1, $1 %% 10000, $1 }'"
             " > text && gzip -1 -c text > big.gz && gzip -9 -n -c " ARCHIVES "../sample/nginx/access.log > small.gz"
             " && cat small.gz big.gz > multi.gz && head -c $(($(stat -c %%s big.gz) / 2)) big.gz > trunc.gz"
             " && cp big.gz corrupt.gz && printf '\\377\\377\\377\\377\\377\\377' | dd of=corrupt.gz bs=1 seek=300000"
             " conv=notrunc status=none && cp small.gz crc.gz"
             " && printf '\\0\\0\\0\\0' | dd of=crc.gz bs=1 seek=$(($(stat -c %%s small.gz) - 8)) conv=notrunc status=none"
             " && printf '\\037\\213not gzip 13812345678\\n' > magic.gz && gzip -c small.gz > twice.gz.gz"
             " && (cat small.gz; echo trailing) > trailing.gz && : | gzip -c > empty.gz"
             " && tar -cf nest.tar small.gz big.gz text && tar -czf t.tar.gz text small.gz"
             " && tar -cf in.tar big.gz text && tar -czf nest2.tar.gz in.tar small.gz"
             " && tar -cf bignest.tar t.tar.gz small.gz && head -c $(($(stat -c %%s nest2.tar.gz) / 2)) nest2.tar.gz"
             " > trunc2.tar.gz && tar -cf dmg.tar corrupt.gz small.gz crc.gz trunc.gz twice.gz.gz"
             " && tar -cf empty.tar -T /dev/null && mkdir many && (cd many && seq 1500 | xargs touch)"
             " && tar -czf many.tar.gz many && python3 -c 'import sys, zipfile; z = zipfile.ZipFile(\"big.zip\", \"w\","
             " zipfile.ZIP_DEFLATED); z.write(\"text\"); z.close()' && tar -czf bigzip.tar.gz big.zip small.gz",
             dir);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void remove_inputs(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)system(cmd);
}

static const char *const NAMES[] = { "big.gz", "small.gz", "multi.gz", "trunc.gz", "corrupt.gz", "crc.gz",
                                     "magic.gz", "twice.gz.gz", "trailing.gz", "empty.gz", "nest.tar",
                                     "nest2.tar.gz", "bignest.tar", "trunc2.tar.gz", "dmg.tar", "empty.tar",
                                     "many.tar.gz", "bigzip.tar.gz" };
#define NNAMES (sizeof NAMES / sizeof NAMES[0])
/* Not made here: the corpus's archives, other compressions where the
 * tools are installed. */
static const char *const MORE[] = { ARCHIVES "logs.tar.gz", ARCHIVES "dumps.zip", HOSTILE "multi.log.gz",
                                    HOSTILE "truncated.tar.gz", HOSTILE "bomb.zip", HOSTILE "corrupt.zip",
                                    HOSTILE "deep.tar", HOSTILE "encrypted.zip", HOSTILE "links.tar",
                                    HOSTILE "traversal.tar", "xz", "bz2" };
#define NMORE (sizeof MORE / sizeof MORE[0])
#define NFILES (NNAMES + NMORE)

static void path_of(size_t i, char *out, size_t cap)
{
    if (i < NNAMES) {
        snprintf(out, cap, "%s/%s", dir, NAMES[i]);
    } else if (MORE[i - NNAMES][0] == '/') {
        snprintf(out, cap, "%s", MORE[i - NNAMES]);
    } else {
        /* another compression, if its tool is here (of a small text:
         * xz and bzip2 copies are slow to make) */
        const char *ext = MORE[i - NNAMES], *tool = !strcmp(ext, "xz") ? "xz" : "bzip2";
        snprintf(out, cap, "%s/small.%s", dir, ext);
        char cmd[512];
        snprintf(cmd, sizeof cmd, "[ -e %s ] || gzip -dc %s/small.gz | %s -c > %s 2>/dev/null || rm -f %s", out, dir,
                 tool, out, out);
        (void)system(cmd);
        if (access(out, R_OK) != 0)
            snprintf(out, cap, "%s/small.gz", dir);
    }
}

/* What a rewrite did: the members it gave the transform and the messages,
 * in order, as text; how the transform behaves. */
typedef struct trail {
    char text[131072];
    size_t len;
    size_t fail_after;   /* the transform fails after this many bytes (0: never) */
    bool fail_at_end;    /* ... or after reading its member to the end */
    bool ratio_cut;      /* numbers left out, the copy not compared (see limits_hit_in_the_walker) */
} trail;

static void say(trail *g, const char *fmt, const char *a, const char *b, int k)
{
    int n = snprintf(g->text + g->len, sizeof g->text - g->len, fmt, a, b, k);
    cr_assert(n > 0 && (size_t)n < sizeof g->text - g->len, "log overflow");
    for (char *c = g->text + g->len; g->ratio_cut && *c; c++)
        if (*c >= '0' && *c <= '9')
            *c = '#';
    g->len += (size_t)n;
}

/* Copies in whole 5000-byte pieces, as the pipeline hands on whole
 * windows, so the copy is made of the same writes however the member's
 * reads were cut. */
static int copy_fn(void *ud, const char *vpath, piiscan_read_fn rd, void *rud, FILE *out)
{
    trail *g = ud;
    char buf[5000];
    size_t total = 0, k = 0;
    ssize_t n = 0;
    while ((!g->fail_after || total < g->fail_after) && (n = rd(rud, buf + k, sizeof buf - k)) > 0) {
        k += (size_t)n;
        total += (size_t)n;
        if (k == sizeof buf) {
            fwrite(buf, 1, k, out);
            k = 0;
        }
    }
    fwrite(buf, 1, k, out);
    say(g, "member %s%s %d\n", vpath, "", (int)(n < 0));
    return n < 0 || (g->fail_after && total >= g->fail_after) || g->fail_at_end;
}

static void msg_fn(void *ud, const char *vpath, const char *msg, int is_error)
{
    say(ud, "msg %s: %s %d\n", vpath, msg, is_error);
}

/* An output that takes budget bytes, as a device with that much room:
 * a write gets what room is left, then every write fails. */
typedef struct sink {
    char *mem;
    size_t len, budget;
} sink;

static ssize_t sink_write(void *c, const char *buf, size_t n)
{
    sink *s = c;
    if (s->len == s->budget) {
        errno = ENOSPC;
        return 0;   /* a cookie writer's failure (fopencookie(3): never negative) */
    }
    if (n > s->budget - s->len)
        n = s->budget - s->len;
    char *m = realloc(s->mem, s->len + n);
    cr_assert_not_null(m);
    memcpy(m + s->len, buf, n);
    s->mem = m;
    s->len += n;
    return (ssize_t)n;
}

static FILE *open_sink(sink *s, size_t budget)
{
    *s = (sink){ .budget = budget ? budget : SIZE_MAX };
    FILE *fp = fopencookie(s, "w", (cookie_io_functions_t){ .write = sink_write });
    cr_assert_not_null(fp);
    return fp;
}

typedef struct result {
    int rc;
    sink out;
    trail g;
} result;

static void run_direct(const char *path, const pii_src_limits *lim, int threads, size_t budget, result *r)
{
    int fd = open(path, O_RDONLY);
    cr_assert_geq(fd, 0, "%s", path);
    FILE *fp = open_sink(&r->out, budget);
    r->rc = pii_archive_rewrite(path, fd, fp, lim, threads, copy_fn, msg_fn, &r->g);
    fclose(fp);
    close(fd);
}

/* Every file queued ahead at once, on two walkers, then rewritten in turn
 * and compared with the direct rewrite. */
static void compare(const pii_src_limits *lim, int threads, size_t budget, trail proto)
{
    static result want[NFILES], got[NFILES];
    char paths[NFILES][512];
    pii_prefetch *pf = pii_prefetch_new(2, lim);
    cr_assert_not_null(pf);
    pii_pf_item *it[NFILES];
    for (size_t i = 0; i < NFILES; i++) {
        path_of(i, paths[i], sizeof paths[i]);
        int fd = open(paths[i], O_RDONLY);
        cr_assert_geq(fd, 0, "%s", paths[i]);
        cr_assert_not_null(it[i] = pii_prefetch_add_walk(pf, paths[i], fd, pii_rewrite_read));
    }
    for (size_t i = 0; i < NFILES; i++) {
        want[i] = (result){ .g = proto };
        got[i] = (result){ .g = proto };
        run_direct(paths[i], lim, threads, budget, &want[i]);
        int fd = open(paths[i], O_RDONLY);
        cr_assert_geq(fd, 0);
        FILE *fp = open_sink(&got[i].out, budget);
        got[i].rc = pii_archive_rewrite_ahead(it[i], paths[i], fd, fp, lim, threads, copy_fn, msg_fn, &got[i].g);
        fclose(fp);
        close(fd);
        cr_expect_eq(got[i].rc, want[i].rc, "%s: rc %d, direct %d", paths[i], got[i].rc, want[i].rc);
        cr_expect_str_eq(got[i].g.text, want[i].g.text, "%s (threads %d, budget %zu):\n%s---\n%s", paths[i],
                         threads, budget, got[i].g.text, want[i].g.text);
        bool same = got[i].out.len == want[i].out.len &&
                    (!got[i].out.len || !memcmp(got[i].out.mem, want[i].out.mem, got[i].out.len));
        cr_expect(same || proto.ratio_cut,
                  "%s: %zu bytes written, direct %zu", paths[i], got[i].out.len, want[i].out.len);
        free(got[i].out.mem);
        free(want[i].out.mem);
    }
    pii_prefetch_free(pf);
}

static pii_src_limits defaults(void)
{
    pii_src_limits l;
    pii_src_limits_init(&l);
    return l;
}

TestSuite(rewrite_ahead, .init = make_inputs, .fini = remove_inputs);

Test(rewrite_ahead, same_as_direct_one_thread)
{
    pii_src_limits l = defaults();
    compare(&l, 1, 0, (trail){ 0 });
}

/* gzip copies deflated in parallel blocks, as redact --threads 3 does. */
Test(rewrite_ahead, same_as_direct_parallel_deflate)
{
    pii_src_limits l = defaults();
    compare(&l, 3, 0, (trail){ 0 });
}

/* The output fills up: in the middle of the stream, at its end, never. */
Test(rewrite_ahead, output_fills_up)
{
    pii_src_limits l = defaults();
    static const size_t budgets[] = { 1, 4000, 300000 };
    for (size_t i = 0; i < sizeof budgets / sizeof *budgets; i++)
        compare(&l, 1, budgets[i], (trail){ 0 });
}

/* A transform that fails after reading part of its member says nothing
 * of what cut that member short further on; one that fails having read
 * it all does. */
Test(rewrite_ahead, transform_fails)
{
    pii_src_limits l = defaults();
    compare(&l, 1, 0, (trail){ .fail_after = 3000 });
    compare(&l, 1, 0, (trail){ .fail_at_end = true });
}

/* Limits apply in the walker as in the direct rewrite.  Where --max-ratio
 * cuts a member depends on the sizes of the reads it is checked at (the
 * walker's are 256 KiB, the transform's here 5000 bytes), so its numbers
 * and the copy it leaves (which the caller throws away) are not compared. */
Test(rewrite_ahead, limits_hit_in_the_walker)
{
    pii_src_limits l = defaults();
    l.max_ratio = 3;
    compare(&l, 1, 0, (trail){ .ratio_cut = true });
    l = defaults();
    l.max_total = 1500000;
    compare(&l, 1, 0, (trail){ 0 });
    l = defaults();
    l.zlib_gzip = true;
    compare(&l, 1, 0, (trail){ 0 });
}


static int read_whole(void *ud, const char *vpath, piiscan_read_fn rd, void *rud)
{
    static char buf[1 << 20];   /* reads as large as a walker's, and larger */
    (void)ud, (void)vpath;
    while (rd(rud, buf, sizeof buf) > 0)
        continue;
    return 0;
}

/* --max-expansion holds inside nested containers whatever the read sizes
 * (a walker's are large): fetching a nested member's block pulls its
 * outer members, whose bytes count too, so a read measured against the
 * room left before the fetch could pass the limit, and the room, unsigned,
 * was never 0 again. */
Test(rewrite_ahead, total_limit_holds_under_large_reads)
{
    char path[512];
    snprintf(path, sizeof path, "%s/bigzip.tar.gz", dir);
    pii_src_limits l = defaults();
    for (l.max_total = 100000; l.max_total < 5000000; l.max_total += 99991) {
        trail g = { 0 };
        int fd = open(path, O_RDONLY);
        cr_assert_geq(fd, 0);
        int rc = pii_source_walk(path, fd, &l, read_whole, msg_fn, &g);
        close(fd);
        cr_assert(rc != 0 && strstr(g.text, "decompressed size limit of"), "limit %llu: %s",
                  (unsigned long long)l.max_total, g.text);
    }
}
