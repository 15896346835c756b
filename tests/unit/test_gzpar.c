/*
 * test_gzpar.c -- gzip written on several threads (gz_parallel.c, and
 * stream_writers.c's FILE * front) is one standard member: zlib inflates it
 * to the same bytes, the header keeps name and time, the trailer's CRC-32
 * and ISIZE are right, at every size around the block boundaries, at 1, 2
 * and 4 threads and at each level hint; the XFL byte states the hint; the
 * dictionary keeps the ratio of one stream; write failures come back from
 * close.  The deflater (gz_deflate.c) is ISA-L's in a build with ISA-L and
 * zlib's without; the same tests run on both (the second build:
 * -DPIISCAN_ISAL=OFF).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gz_deflate.h"
#include "gz_parallel.h"
#include "src_gzip.h"
#include "stream_writers.h"

#define MTIME 1700000000

/* Data that is neither all noise nor all repetition: 4 KiB stretches of
 * xorshift bytes alternate with log-like lines, so blocks have matches to
 * find in earlier blocks and stretches that do not compress. */
static unsigned char *make_data(size_t n, uint64_t seed)
{
    unsigned char *d = malloc(n ? n : 1);
    cr_assert(d);
    uint64_t x = seed | 1;
    size_t i = 0;
    for (unsigned line = 0; i < n; line++) {
        size_t end = i + 4096 < n ? i + 4096 : n;
        if (line % 2) {
            for (; i < end; i++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                d[i] = (unsigned char)x;
            }
        } else {
            char s[96];
            while (i < end) {
                int k = snprintf(s, sizeof s, "2024-05-01 12:00:%02u host=web%u user=%u path=/api/v1/items\n",
                                 line % 60, line % 7, (unsigned)(i % 1000));
                for (int j = 0; j < k && i < end; j++)
                    d[i++] = (unsigned char)s[j];
            }
        }
    }
    return d;
}

/* Read back what was written to fp. */
static unsigned char *slurp(FILE *fp, size_t *len)
{
    cr_assert_eq(fflush(fp), 0);
    long n = ftell(fp);
    cr_assert_geq(n, 0);
    unsigned char *b = malloc((size_t)n + 1);
    cr_assert(b);
    rewind(fp);
    cr_assert_eq(fread(b, 1, (size_t)n, fp), (size_t)n);
    *len = (size_t)n;
    return b;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* gz must be one gzip member, nothing after it, holding exactly want[0..n)
 * under the stored name and time. */
static void expect_member(const unsigned char *gz, size_t gzlen, const unsigned char *want, size_t n,
                          const char *name, const char *what)
{
    cr_assert_geq(gzlen, 18, "%s: shorter than header and trailer", what);
    z_stream z = { 0 };
    gz_header h = { 0 };
    char stored[300] = "";
    h.name = (Bytef *)stored;
    h.name_max = sizeof stored;
    cr_assert_eq(inflateInit2(&z, 15 + 16), Z_OK);
    cr_assert_eq(inflateGetHeader(&z, &h), Z_OK);
    unsigned char *got = malloc(n + 1);
    cr_assert(got);
    z.next_in = (Bytef *)(uintptr_t)gz;
    z.avail_in = (uInt)gzlen;
    z.next_out = got;
    z.avail_out = (uInt)(n + 1);   /* one spare byte: more output than n shows */
    int rc = inflate(&z, Z_FINISH);
    cr_expect_eq(rc, Z_STREAM_END, "%s: inflate says %d (%s)", what, rc, z.msg ? z.msg : "");
    cr_expect_eq(z.avail_in, 0, "%s: %u bytes after the member: not one member", what, z.avail_in);
    cr_expect_eq(z.total_out, n, "%s: %lu bytes out, want %zu", what, z.total_out, n);
    cr_expect(z.total_out == n && memcmp(got, want, n) == 0, "%s: bytes differ", what);
    cr_expect_eq(h.done, 1, "%s: header not read", what);
    cr_expect_eq(h.time, MTIME, "%s: mtime", what);
    cr_expect_str_eq(stored, name, "%s: stored name", what);
    cr_expect_eq(gz[0], 0x1f, "%s", what);
    cr_expect_eq(gz[1], 0x8b, "%s", what);
    cr_expect_eq(gz[9], 3, "%s: OS is Unix", what);
    /* the trailer, read by hand rather than trusting inflate's check */
    cr_expect_eq(le32(gz + gzlen - 8), (uint32_t)crc32(crc32(0L, Z_NULL, 0), want, (uInt)n), "%s: CRC-32", what);
    cr_expect_eq(le32(gz + gzlen - 4), (uint32_t)n, "%s: ISIZE", what);
    inflateEnd(&z);
    free(got);
}

/* Writes of uneven sizes, so block boundaries fall inside writes. */
static const size_t chunks[] = { 1, 7, 4096, 100003, 65536, 13 };

/* Hand d[0..n) to put in the uneven chunks above. */
static void feed(const unsigned char *d, size_t n, void (*put)(void *ud, const unsigned char *p, size_t k), void *ud)
{
    for (size_t off = 0, c = 0; off < n; c++) {
        size_t k = chunks[c % (sizeof chunks / sizeof *chunks)];
        k = k < n - off ? k : n - off;
        put(ud, d + off, k);
        off += k;
    }
}

static void put_gzpar(void *ud, const unsigned char *p, size_t k) { cr_assert_eq(pii_gzpar_write(ud, p, k), 0); }
static void put_file(void *ud, const unsigned char *p, size_t k) { cr_assert_eq(fwrite(p, 1, k, ud), k); }

/* n bytes deflated through the pii_gzpar API in blocks of `block` bytes,
 * or (block 0) through the FILE * front, which picks its own. */
static unsigned char *deflate_run(const unsigned char *d, size_t n, int threads, size_t block, pii_gz_level level,
                                  size_t *gzlen)
{
    FILE *fp = tmpfile();
    cr_assert(fp);
    if (block) {
        pii_gzpar *g = pii_gzpar_new(fp, "data.log", MTIME, threads, block, level);
        cr_assert(g);
        feed(d, n, put_gzpar, g);
        cr_assert_eq(pii_gzpar_close(g), 0);
    } else {
        FILE *gzf = pii_gzip_writer(fp, "app.log", MTIME, threads, level);
        cr_assert(gzf);
        feed(d, n, put_file, gzf);
        cr_assert_eq(fclose(gzf), 0);
    }
    unsigned char *gz = slurp(fp, gzlen);
    fclose(fp);
    return gz;
}

/* Block sizes: one under the 32 KiB dictionary (the dictionary spans
 * several blocks) and the default. */
Test(gzpar, sizes_threads_and_blocks)
{
    static const size_t blocks[] = { 16 << 10, PII_GZPAR_BLOCK };
    static const int threads[] = { 1, 2, 4 };
    for (size_t b = 0; b < sizeof blocks / sizeof *blocks; b++) {
        size_t B = blocks[b];
        const size_t sizes[] = { 0, 1, B - 1, B, B + 1, 2 * B, 7 * B + 123, 24 * B };
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            unsigned char *d = make_data(sizes[s], 0x9e3779b97f4a7c15ULL + s);
            for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
                char what[100];
                snprintf(what, sizeof what, "block %zu, %zu bytes, %d threads", B, sizes[s], threads[t]);
                size_t gzlen;
                unsigned char *gz = deflate_run(d, sizes[s], threads[t], B, PII_GZ_DEFAULT, &gzlen);
                expect_member(gz, gzlen, d, sizes[s], "data.log", what);
                free(gz);
            }
            free(d);
        }
    }
}

/* Without the previous block as dictionary every 16 KiB block would cost
 * the whole 8 KiB chunk again (32 times); with it the member is about as
 * small as one zlib stream of the same data. */
Test(gzpar, dictionary_keeps_the_ratio)
{
    enum { CHUNK = 8 << 10, REPEAT = 64 };
    unsigned char *chunk = make_data(2 * CHUNK, 7), *d = malloc(CHUNK * REPEAT);
    cr_assert(d);
    for (int i = 0; i < REPEAT; i++)
        memcpy(d + (size_t)i * CHUNK, chunk + CHUNK, CHUNK);   /* the noise half */
    uLongf one = compressBound(CHUNK * REPEAT);
    unsigned char *ref = malloc(one);
    cr_assert(ref);
    cr_assert_eq(compress2(ref, &one, d, CHUNK * REPEAT, Z_DEFAULT_COMPRESSION), Z_OK);
    size_t gzlen;
    unsigned char *gz = deflate_run(d, CHUNK * REPEAT, 4, 16 << 10, PII_GZ_DEFAULT, &gzlen);
    expect_member(gz, gzlen, d, CHUNK * REPEAT, "data.log", "repeated chunk");
    cr_expect_leq(gzlen, one + one / 20 + 256, "%zu bytes on 4 threads vs %lu in one stream", gzlen, one);
    free(gz);
    free(ref);
    free(d);
    free(chunk);
}

/* The FILE * front: 1 thread is today's single deflate stream, more are
 * blocks; both are one member with the name and time. */
Test(gzpar, file_front)
{
    size_t n = 3 * PII_GZPAR_BLOCK + 5;
    unsigned char *d = make_data(n, 42);
    static const int threads[] = { 1, 2, 4 };
    for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
        size_t gzlen;
        unsigned char *gz = deflate_run(d, n, threads[t], 0, PII_GZ_DEFAULT, &gzlen);
        char what[64];
        snprintf(what, sizeof what, "FILE * front, %d threads", threads[t]);
        expect_member(gz, gzlen, d, n, "app.log", what);
        free(gz);
    }
    free(d);
}

/* No name: no FNAME flag, and inflate sees an empty name. */
Test(gzpar, without_a_name)
{
    FILE *fp = tmpfile();
    cr_assert(fp);
    FILE *gzf = pii_gzip_writer(fp, NULL, MTIME, 2, PII_GZ_DEFAULT);
    cr_assert(gzf);
    cr_assert_geq(fputs("tel 13812345678\n", gzf), 0);
    cr_assert_eq(fclose(gzf), 0);
    size_t gzlen;
    unsigned char *gz = slurp(fp, &gzlen);
    fclose(fp);
    cr_expect_eq(gz[3] & 0x08, 0, "FNAME set without a name");
    expect_member(gz, gzlen, (const unsigned char *)"tel 13812345678\n", 16, "", "no name");
    free(gz);
}

/* /dev/full, unbuffered, fails every write: close must say so (the output
 * is then never renamed into place), at any thread count. */
Test(gzpar, write_failure_comes_back)
{
    size_t n = 10 * PII_GZPAR_BLOCK;
    unsigned char *d = make_data(n, 3);
    for (int threads = 1; threads <= 4; threads *= 2) {
        FILE *full = fopen("/dev/full", "w");
        cr_assert(full);
        setvbuf(full, NULL, _IONBF, 0);
        FILE *gzf = pii_gzip_writer(full, "x", MTIME, threads, PII_GZ_DEFAULT);
        cr_assert(gzf);
        size_t wrote = fwrite(d, 1, n, gzf);
        int rc = fclose(gzf);
        cr_expect(wrote < n || rc == EOF, "%d threads: a write to /dev/full went unnoticed", threads);
        cr_expect_eq(rc, EOF, "%d threads: close reports the failure", threads);
        fclose(full);

        full = fopen("/dev/full", "w");
        cr_assert(full);
        setvbuf(full, NULL, _IONBF, 0);
        pii_gzpar *g = pii_gzpar_new(full, "x", MTIME, threads, 0, PII_GZ_DEFAULT);
        cr_assert(g);
        int wr = 0;
        for (size_t off = 0; off < n && wr == 0; off += 4096)
            wr = pii_gzpar_write(g, d + off, 4096);
        cr_expect_eq(pii_gzpar_close(g), -1, "%d threads: pii_gzpar_close reports the failure", threads);
        fclose(full);
    }
    free(d);
}

/* Giving up half way (the caller failed) stops the workers and frees
 * everything; ASan runs see a leak or a use after free. */
Test(gzpar, discard_in_flight)
{
    size_t n = 20 * PII_GZPAR_BLOCK;
    unsigned char *d = make_data(n, 5);
    FILE *fp = tmpfile();
    cr_assert(fp);
    pii_gzpar *g = pii_gzpar_new(fp, "x", MTIME, 4, 0, PII_GZ_DEFAULT);
    cr_assert(g);
    cr_assert_eq(pii_gzpar_write(g, d, n), 0);
    pii_gzpar_discard(g);
    fclose(fp);
    free(d);
}

/* Threads of this process, as /proc lists them. */
static int task_count(void)
{
    DIR *d = opendir("/proc/self/task");
    cr_assert(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* `threads` counts the writer: it deflates whatever no worker has taken
 * when it would wait, so threads - 1 workers are started, none at one
 * thread, and a redact on two threads runs two deflates, not three.  A
 * writer that only waited would hang at one thread: hence the timeout. */
Test(gzpar, the_writer_is_one_of_the_threads, .timeout = 60)
{
    size_t n = 24 * PII_GZPAR_BLOCK;
    unsigned char *d = make_data(n, 11);
    for (int threads = 1; threads <= 3; threads++) {
        FILE *fp = tmpfile();
        cr_assert(fp);
        int before = task_count(), most = before;
        pii_gzpar *g = pii_gzpar_new(fp, "x", MTIME, threads, 0, PII_GZ_DEFAULT);
        cr_assert(g);
        for (size_t off = 0; off < n; off += 16384) {
            cr_assert_eq(pii_gzpar_write(g, d + off, 16384), 0);
            int now = task_count();
            most = now > most ? now : most;
        }
        cr_assert_eq(pii_gzpar_close(g), 0);
        cr_expect_leq(most - before, threads - 1, "%d threads: %d workers started", threads, most - before);
        if (threads > 1)
            cr_expect_gt(most - before, 0, "%d threads: the writer deflated alone", threads);
        size_t gzlen;
        unsigned char *gz = slurp(fp, &gzlen);
        fclose(fp);
        expect_member(gz, gzlen, d, n, "x", "writer among the threads");
        free(gz);

        /* All 24 blocks in one call: copying a block takes far less than
         * deflating it, so the ring fills and the writer must take blocks
         * itself at every thread count, not only wait for the workers. */
        fp = tmpfile();
        cr_assert(fp);
        g = pii_gzpar_new(fp, "x", MTIME, threads, 0, PII_GZ_DEFAULT);
        cr_assert(g);
        cr_assert_eq(pii_gzpar_write(g, d, n), 0);
        uint64_t own = pii_gzpar_writer_blocks(g);
        cr_assert_eq(pii_gzpar_close(g), 0);
        cr_expect_gt(own, 0, "%d threads: the writer only waited for the workers", threads);
        gz = slurp(fp, &gzlen);
        fclose(fp);
        expect_member(gz, gzlen, d, n, "x", "one write, writer among the threads");
        free(gz);
    }
    free(d);
}

/* ---- levels, and the deflater underneath ---- */

static const pii_gz_level levels[] = { PII_GZ_DEFAULT, PII_GZ_FASTEST, PII_GZ_BEST };
static const unsigned level_xfl[] = { 0, 4, 2 };   /* RFC 1952 */
static const char *const level_name[] = { "default", "fastest", "best" };


/* The build deflates with the engine its inflater switch chose: ISA-L
 * exactly when gzip input is inflated by ISA-L. */
Test(gzpar, engine_follows_the_isal_switch)
{
    cr_expect_str_eq(pii_deflater_engine(), pii_gz_available() ? "ISA-L" : "zlib");
}

/* Every hint at 1, 2 and 4 threads and through pii_gzpar directly (small
 * blocks: many sync flushes and dictionaries): one member, same bytes,
 * XFL stating the hint. */
Test(gzpar, every_level_at_every_thread_count)
{
    size_t n = 5 * PII_GZPAR_BLOCK + 777;
    unsigned char *d = make_data(n, 11);
    static const int threads[] = { 1, 2, 4 };
    for (size_t l = 0; l < sizeof levels / sizeof *levels; l++) {
        for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
            char what[100];
            size_t gzlen;
            unsigned char *gz = deflate_run(d, n, threads[t], 0, levels[l], &gzlen);
            snprintf(what, sizeof what, "%s, FILE * front, %d threads", level_name[l], threads[t]);
            expect_member(gz, gzlen, d, n, "app.log", what);
            cr_expect_eq(gz[8], level_xfl[l], "%s: XFL %u", what, gz[8]);
            free(gz);

            gz = deflate_run(d, n, threads[t], 16 << 10, levels[l], &gzlen);
            snprintf(what, sizeof what, "%s, 16 KiB blocks, %d threads", level_name[l], threads[t]);
            expect_member(gz, gzlen, d, n, "data.log", what);
            cr_expect_eq(gz[8], level_xfl[l], "%s: XFL %u", what, gz[8]);
            free(gz);
        }
    }
    free(d);
}

/* The XFL byte mirrors the level an input header states, both ways. */
Test(gzpar, xfl_mirrors_the_hint)
{
    cr_expect_eq(pii_gz_level_of_xfl(4), PII_GZ_FASTEST);
    cr_expect_eq(pii_gz_level_of_xfl(2), PII_GZ_BEST);
    cr_expect_eq(pii_gz_level_of_xfl(0), PII_GZ_DEFAULT);
    cr_expect_eq(pii_gz_level_of_xfl(6), PII_GZ_DEFAULT, "an unknown XFL is the default");
    for (size_t l = 0; l < sizeof levels / sizeof *levels; l++) {
        cr_expect_eq(pii_gz_xfl_of_level(levels[l]), level_xfl[l], "%s", level_name[l]);
        cr_expect_eq(pii_gz_level_of_xfl(pii_gz_xfl_of_level(levels[l])), levels[l], "%s round trip",
                     level_name[l]);
        unsigned char h[PII_GZ_HEADER_MAX];
        size_t hl = pii_gz_header(h, NULL, MTIME, levels[l]);
        cr_expect_eq(hl, 10);
        cr_expect_eq(h[8], level_xfl[l], "%s: header XFL", level_name[l]);
        cr_expect_eq(h[3], 0, "%s: no flags without a name", level_name[l]);
    }
}

/* The hint reaches the deflater: on text, the best level is smaller than
 * the fastest, and the default no larger than the fastest. */
Test(gzpar, levels_differ_in_size)
{
    size_t n = 8 * PII_GZPAR_BLOCK;
    unsigned char *d = malloc(n);
    cr_assert(d);
    uint64_t x = 99;
    for (size_t i = 0; i < n;) {
        char s[128];
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int k = snprintf(s, sizeof s, "2024-05-01 host=web%u user=%llu path=/api/v%u/items/%llu status=%u\n",
                         (unsigned)(x % 13), (unsigned long long)(x % 100000), (unsigned)(x % 3),
                         (unsigned long long)(x >> 40), 200 + (unsigned)(x % 5));
        for (int j = 0; j < k && i < n; j++)
            d[i++] = (unsigned char)s[j];
    }
    for (int threads = 1; threads <= 2; threads++) {
        size_t len[3];
        for (size_t l = 0; l < 3; l++) {
            unsigned char *gz = deflate_run(d, n, threads, 0, levels[l], &len[l]);
            expect_member(gz, len[l], d, n, "app.log", level_name[l]);
            free(gz);
        }
        cr_expect_lt(len[2], len[1], "%d threads: best %zu bytes, fastest %zu", threads, len[2], len[1]);
        cr_expect_leq(len[0], len[1], "%d threads: default %zu bytes, fastest %zu", threads, len[0], len[1]);
    }
    free(d);
}

/* A long name is cut at 255 bytes, as before; the header stays valid. */
Test(gzpar, long_name_is_cut)
{
    char name[400];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = 0;
    FILE *fp = tmpfile();
    cr_assert(fp);
    FILE *gzf = pii_gzip_writer(fp, name, MTIME, 1, PII_GZ_FASTEST);
    cr_assert(gzf);
    cr_assert_geq(fputs("x\n", gzf), 0);
    cr_assert_eq(fclose(gzf), 0);
    size_t gzlen;
    unsigned char *gz = slurp(fp, &gzlen);
    fclose(fp);
    name[255] = 0;
    expect_member(gz, gzlen, (const unsigned char *)"x\n", 2, name, "255-byte name");
    free(gz);
}

/* raw-inflate out[0..outlen) and compare with want[0..n). */
static void expect_raw(const unsigned char *out, size_t outlen, const unsigned char *want, size_t n, const char *what)
{
    z_stream z = { 0 };
    cr_assert_eq(inflateInit2(&z, -15), Z_OK);
    unsigned char *got = malloc(n + 1);
    cr_assert(got);
    z.next_in = (Bytef *)(uintptr_t)out;
    z.avail_in = (uInt)outlen;
    z.next_out = got;
    z.avail_out = (uInt)(n + 1);
    int rc = inflate(&z, Z_FINISH);
    cr_expect_eq(rc, Z_STREAM_END, "%s: inflate says %d", what, rc);
    cr_expect_eq(z.avail_in, 0, "%s: bytes after the end of the stream", what);
    cr_expect(z.total_out == n && memcmp(got, want, n) == 0, "%s: %lu bytes back, want %zu", what, z.total_out, n);
    inflateEnd(&z);
    free(got);
}

/* The deflater when the caller gives output room a few bytes at a time:
 * ISA-L writes nothing into fewer than 8 free bytes, so a 0 from
 * pii_deflater_run may come with room left and means "more room", never
 * a stall; the stream is still whole.  One stream with a sync flush in
 * the middle and a dictionary, at each level. */
Test(gzpar, deflater_with_little_output_room)
{
    size_t n = 200000;
    unsigned char *d = make_data(n, 21);
    unsigned char *out = malloc(2 * n + 4096);
    cr_assert(d && out);
    static const size_t steps[] = { 1, 3, 7, 8, 9, 15, 64, 300 };
    for (size_t l = 0; l < sizeof levels / sizeof *levels; l++) {
        pii_deflater *df = pii_deflater_new(levels[l]);
        cr_assert(df);
        cr_assert(pii_deflater_start(df, NULL, 0));
        size_t used = 0, calls = 0, half = n / 2;
        for (int part = 0; part < 2; part++) {
            pii_defl_flush fl = part == 0 ? PII_DEFL_SYNC : PII_DEFL_END;
            pii_defl_buf b = { .in = d + (part ? half : 0), .in_left = part ? n - half : half };
            size_t room = steps[0];
            int r = 0;
            while (r == 0) {
                cr_assert_lt(++calls, 4000000, "%s: the deflater stalls", level_name[l]);
                b.out = out + used;
                b.out_left = room;
                r = pii_deflater_run(df, &b, fl);
                cr_assert_geq(r, 0, "%s: deflater error", level_name[l]);
                size_t wrote = room - b.out_left;
                used += wrote;
                /* As the contract says: after a 0 with room left, give more. */
                room = r == 0 && b.out_left ? room + 64 : steps[calls % (sizeof steps / sizeof *steps)];
            }
        }
        pii_deflater_free(df);
        expect_raw(out, used, d, n, level_name[l]);

        /* A new stream primed with a dictionary that holds its input (4 KiB
         * of noise): the matches reach into the dictionary, so the stream
         * is far smaller than the noise. */
        df = pii_deflater_new(levels[l]);
        cr_assert(df);
        size_t dl = 32768;
        const unsigned char *noise = d + 4096;   /* make_data: the second 4 KiB are noise */
        cr_assert(pii_deflater_start(df, d, dl));
        pii_defl_buf b = { .in = noise, .in_left = 4096, .out = out, .out_left = 2 * n };
        cr_assert_eq(pii_deflater_run(df, &b, PII_DEFL_END), 1, "%s: one call with room ends the stream",
                     level_name[l]);
        size_t len = 2 * n - b.out_left;
        cr_expect_lt(len, 512, "%s: %zu bytes for 4 KiB found in the dictionary", level_name[l], len);
        z_stream z = { 0 };
        unsigned char back[4096 + 1];
        cr_assert_eq(inflateInit2(&z, -15), Z_OK);
        cr_assert_eq(inflateSetDictionary(&z, d, (uInt)dl), Z_OK);
        z.next_in = out;
        z.avail_in = (uInt)len;
        z.next_out = back;
        z.avail_out = sizeof back;
        cr_expect_eq(inflate(&z, Z_FINISH), Z_STREAM_END, "%s: dictionary stream", level_name[l]);
        cr_expect(z.total_out == 4096 && memcmp(back, noise, 4096) == 0, "%s: dictionary stream bytes",
                  level_name[l]);
        inflateEnd(&z);
        pii_deflater_free(df);
    }
    free(out);
    free(d);
}

/* The CRC-32 matches zlib's, piecewise and combined. */
Test(gzpar, crc32_matches_zlib)
{
    size_t n = 100003;
    unsigned char *d = make_data(n, 8);
    uint32_t want = (uint32_t)crc32(crc32(0L, Z_NULL, 0), d, (uInt)n);
    cr_expect_eq(pii_gz_crc32(0, d, n), want);
    cr_expect_eq(pii_gz_crc32(pii_gz_crc32(0, d, 1000), d + 1000, n - 1000), want, "continued");
    cr_expect_eq(pii_gz_crc32_combine(pii_gz_crc32(0, d, 1000), pii_gz_crc32(0, d + 1000, n - 1000), n - 1000),
                 want, "combined");
    cr_expect_eq(pii_gz_crc32(0, d, 0), 0, "the CRC-32 of nothing");
    free(d);
}
