/*
 * test_gzpar.c -- gzip written on several threads (gz_parallel.c, and
 * stream_writers.c's FILE * front) is one standard member: zlib inflates it
 * to the same bytes, the header keeps name and time, the trailer's CRC-32
 * and ISIZE are right, at every size around the block boundaries and at
 * 1, 2 and 4 threads; the dictionary keeps the ratio of one stream; write
 * failures come back from close.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gz_parallel.h"
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

static unsigned char *gzpar_run(const unsigned char *d, size_t n, int threads, size_t block, size_t *gzlen)
{
    FILE *fp = tmpfile();
    cr_assert(fp);
    pii_gzpar *g = pii_gzpar_new(fp, "data.log", MTIME, threads, block);
    cr_assert(g);
    for (size_t off = 0, c = 0; off < n; c++) {
        size_t k = chunks[c % (sizeof chunks / sizeof *chunks)];
        k = k < n - off ? k : n - off;
        cr_assert_eq(pii_gzpar_write(g, d + off, k), 0);
        off += k;
    }
    cr_assert_eq(pii_gzpar_close(g), 0);
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
                unsigned char *gz = gzpar_run(d, sizes[s], threads[t], B, &gzlen);
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
    unsigned char *gz = gzpar_run(d, CHUNK * REPEAT, 4, 16 << 10, &gzlen);
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
        FILE *fp = tmpfile();
        cr_assert(fp);
        FILE *gzf = pii_gzip_writer(fp, "app.log", MTIME, threads[t]);
        cr_assert(gzf);
        for (size_t off = 0, c = 0; off < n; c++) {
            size_t k = chunks[c % (sizeof chunks / sizeof *chunks)];
            k = k < n - off ? k : n - off;
            cr_assert_eq(fwrite(d + off, 1, k, gzf), k);
            off += k;
        }
        cr_assert_eq(fclose(gzf), 0);
        size_t gzlen;
        unsigned char *gz = slurp(fp, &gzlen);
        fclose(fp);
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
    FILE *gzf = pii_gzip_writer(fp, NULL, MTIME, 2);
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
        FILE *gzf = pii_gzip_writer(full, "x", MTIME, threads);
        cr_assert(gzf);
        size_t wrote = fwrite(d, 1, n, gzf);
        int rc = fclose(gzf);
        cr_expect(wrote < n || rc == EOF, "%d threads: a write to /dev/full went unnoticed", threads);
        cr_expect_eq(rc, EOF, "%d threads: close reports the failure", threads);
        fclose(full);

        full = fopen("/dev/full", "w");
        cr_assert(full);
        setvbuf(full, NULL, _IONBF, 0);
        pii_gzpar *g = pii_gzpar_new(full, "x", MTIME, threads, 0);
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
    pii_gzpar *g = pii_gzpar_new(fp, "x", MTIME, 4, 0);
    cr_assert(g);
    cr_assert_eq(pii_gzpar_write(g, d, n), 0);
    pii_gzpar_discard(g);
    fclose(fp);
    free(d);
}
