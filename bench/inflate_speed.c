/*
 * inflate_speed.c -- raw gzip inflate speed of zlib, ISA-L and libdeflate
 * on one file, in memory, so the choice of inflater for piiscan's .gz
 * input rests on a measurement (bench/README.md, "Inflaters").
 *
 *   cc -O2 -std=c11 -D_GNU_SOURCE bench/inflate_speed.c -o inflate_speed \
 *      -lz -lisal -ldeflate
 *   inflate_speed [--runs N] [--out-kib K] FILE.gz
 *
 * The compressed file is read into memory first; every inflater then
 * decodes it from memory and the output is thrown away, so the numbers are
 * CPU cost only (no disk, no pipe).  zlib and ISA-L are streamed the way
 * piiscan reads: 64 KiB of input at a time into an output buffer of
 * --out-kib (default 1024).  libdeflate has no streaming API: it decodes
 * the whole member into a buffer of the size the gzip trailer announces
 * (ISIZE, the size mod 2^32), which a streaming reader cannot know in
 * advance, so its row is a reference, not a candidate.  Multi-member files
 * are decoded member after member by every row.  Each row prints the best
 * of --runs (default 3) and its ratio to zlib.
 */
#include <errno.h>
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "bench_util.h"

#define IN_CHUNK (64u << 10)

/* Each returns the decompressed byte count, or 0 on error. */

static uint64_t run_zlib(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return 0;
    uint64_t total = 0;
    size_t pos = 0;
    for (;;) {
        if (z.avail_in == 0 && pos < n) {
            z.next_in = (Bytef *)(uintptr_t)(in + pos);
            z.avail_in = (uInt)(n - pos < IN_CHUNK ? n - pos : IN_CHUNK);
            pos += z.avail_in;
        }
        z.next_out = out;
        z.avail_out = (uInt)cap;
        int r = inflate(&z, Z_NO_FLUSH);
        total += cap - z.avail_out;
        if (r == Z_STREAM_END) {
            if (z.avail_in == 0 && pos == n)
                break;
            inflateReset(&z);   /* the next gzip member */
            continue;
        }
        if (r != Z_OK && r != Z_BUF_ERROR) {
            total = 0;
            break;
        }
        if (r == Z_BUF_ERROR && z.avail_in == 0 && pos == n) {
            total = 0;   /* truncated */
            break;
        }
    }
    inflateEnd(&z);
    return total;
}

static uint64_t run_isal(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    static struct inflate_state s;
    isal_inflate_init(&s);
    s.crc_flag = ISAL_GZIP;
    uint64_t total = 0;
    size_t pos = 0;
    for (;;) {
        if (s.avail_in == 0 && pos < n) {
            s.next_in = (uint8_t *)(uintptr_t)(in + pos);
            s.avail_in = (uint32_t)(n - pos < IN_CHUNK ? n - pos : IN_CHUNK);
            pos += s.avail_in;
        }
        s.next_out = out;
        s.avail_out = (uint32_t)cap;
        int r = isal_inflate(&s);
        total += cap - s.avail_out;
        if (r != ISAL_DECOMP_OK)
            return 0;
        if (s.block_state == ISAL_BLOCK_FINISH) {
            if (s.avail_in == 0 && pos == n)
                return total;
            /* The next gzip member: keep the unread input. */
            uint8_t *next = s.next_in;
            uint32_t avail = s.avail_in;
            isal_inflate_reset(&s);
            s.crc_flag = ISAL_GZIP;
            s.next_in = next;
            s.avail_in = avail;
        } else if (s.avail_in == 0 && pos == n && s.avail_out != 0) {
            return 0;   /* truncated */
        }
    }
}

static uint64_t run_libdeflate(const uint8_t *in, size_t n, uint8_t **outp, size_t *capp)
{
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    if (!d)
        return 0;
    uint64_t total = 0;
    size_t pos = 0;
    while (pos < n) {
        /* Member by member: the trailer of the whole file only gives the
         * last member's size, so a multi-member file is sized generously
         * and grown on LIBDEFLATE_INSUFFICIENT_SPACE. */
        size_t in_used = 0, out_n = 0;
        enum libdeflate_result r;
        while ((r = libdeflate_gzip_decompress_ex(d, in + pos, n - pos, *outp, *capp, &in_used, &out_n)) ==
               LIBDEFLATE_INSUFFICIENT_SPACE) {
            free(*outp);
            *capp *= 2;
            if (!(*outp = malloc(*capp))) {
                libdeflate_free_decompressor(d);
                return 0;
            }
        }
        if (r != LIBDEFLATE_SUCCESS) {
            total = 0;
            break;
        }
        total += out_n;
        pos += in_used;
    }
    libdeflate_free_decompressor(d);
    return total;
}

int main(int argc, char **argv)
{
    int runs = 3;
    size_t out_kib = 1024;
    int i = 1;
    for (; i < argc - 1 && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "--runs"))
            runs = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--out-kib"))
            out_kib = (size_t)atol(argv[i + 1]);
        else
            break;
    }
    if (i != argc - 1 || runs < 1 || out_kib < 1) {
        fprintf(stderr, "usage: inflate_speed [--runs N] [--out-kib K] FILE.gz\n");
        return 2;
    }
    size_t n;
    uint8_t *in = bench_slurp(argv[i], SIZE_MAX, &n);
    if (!in || n < 18) {
        fprintf(stderr, "inflate_speed: %s: cannot read (or not gzip): %s\n", argv[i], strerror(errno));
        return 2;
    }
    size_t cap = out_kib << 10;
    uint8_t *out = malloc(cap);
    /* libdeflate's whole-member buffer, sized from the last ISIZE. */
    size_t whole_cap = (size_t)in[n - 4] | (size_t)in[n - 3] << 8 | (size_t)in[n - 2] << 16 |
                       (size_t)in[n - 1] << 24;
    whole_cap = whole_cap < (1u << 20) ? (1u << 20) : whole_cap;
    uint8_t *whole = malloc(whole_cap);
    if (!out || !whole)
        return 2;
    const char *names[] = { "zlib (inflate, streaming)", "ISA-L (isal_inflate, streaming)",
                            "libdeflate (whole buffer)" };
    double best[3];
    uint64_t size[3];
    for (int k = 0; k < 3; k++) {
        best[k] = 1e30;
        for (int r = 0; r < runs; r++) {
            double t = bench_now();
            uint64_t got = k == 0   ? run_zlib(in, n, out, cap)
                           : k == 1 ? run_isal(in, n, out, cap)
                                    : run_libdeflate(in, n, &whole, &whole_cap);
            t = bench_now() - t;
            if (got == 0) {
                fprintf(stderr, "inflate_speed: %s failed on %s\n", names[k], argv[i]);
                return 1;
            }
            size[k] = got;
            if (t < best[k])
                best[k] = t;
        }
    }
    if (size[1] != size[0] || size[2] != size[0]) {
        fprintf(stderr, "inflate_speed: sizes differ: %llu %llu %llu\n", (unsigned long long)size[0],
                (unsigned long long)size[1], (unsigned long long)size[2]);
        return 1;
    }
    printf("%s: %zu bytes compressed, %llu decompressed, best of %d, output buffer %zu KiB\n", argv[i], n,
           (unsigned long long)size[0], runs, out_kib);
    printf("| inflater | s | MB/s (decompressed) | x zlib |\n|---|---:|---:|---:|\n");
    for (int k = 0; k < 3; k++)
        printf("| %s | %.3f | %.0f | %.2f |\n", names[k], best[k], (double)size[0] / 1e6 / best[k],
               best[0] / best[k]);
    free(in);
    free(out);
    free(whole);
    return 0;
}
