/*
 * deflate_speed.c -- raw deflate speed and output size of zlib and ISA-L
 * at their levels on one file, in memory, so the choice of deflater and
 * level for piiscan's .gz output rests on a measurement (bench/README.md,
 * "Deflaters").
 *
 *   cc -O2 -std=c11 -D_GNU_SOURCE bench/deflate_speed.c -o deflate_speed -lz -lisal
 *   deflate_speed [--runs N] [--mode stream|blocks|both] [--max-mb M] FILE
 *
 * FILE (uncompressed; its first M MiB with --max-mb) is read into memory
 * first; every row then deflates
 * it from memory into a growing buffer, so the numbers are CPU cost only.
 * Two modes, the two ways piiscan deflates:
 *   stream  one raw deflate stream fed 64 KiB at a time (redact --threads 1);
 *   blocks  128 KiB blocks, each primed with the 32 KiB before it as a
 *           dictionary and ended with a sync flush (the last: end of
 *           stream), one after the other: what one worker of the parallel
 *           writer does (scanner/lib/gz_parallel.c).
 * Each row prints the best of --runs (default 3) in MB/s of uncompressed
 * input, the output size, and both relative to zlib -6 and zlib -1.
 * Every output is inflated once with zlib (untimed) and compared with the
 * input, so a row cannot be fast by being wrong.
 */
#include <isa-l/igzip_lib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "bench_util.h"

#define CHUNK (64u << 10)
#define BLOCK (128u << 10)
#define DICT (32u << 10)

/* The output: one buffer that grows, as a file would. */
typedef struct sink {
    uint8_t *p;
    size_t n, cap;
} sink;

/* Room for at least want more bytes at s->p + s->n. */
static bool reserve(sink *s, size_t want)
{
    if (s->cap - s->n >= want)
        return true;
    size_t cap = s->cap ? s->cap : 1 << 20;
    while (cap - s->n < want)
        cap *= 2;
    uint8_t *p = realloc(s->p, cap);
    if (!p)
        return false;
    s->p = p;
    s->cap = cap;
    return true;
}

/* ---- zlib ---- */

/* Run deflate on z until its input is consumed (and, for a flush, the
 * flush is complete), appending to s. */
static bool zlib_pump(z_stream *z, sink *s, int flush)
{
    for (;;) {
        if (!reserve(s, CHUNK))
            return false;
        z->next_out = s->p + s->n;
        z->avail_out = (uInt)(s->cap - s->n);
        uInt before = z->avail_out;
        int rc = deflate(z, flush);
        s->n += before - z->avail_out;
        if (rc == Z_STREAM_ERROR)
            return false;
        if (flush == Z_FINISH ? rc == Z_STREAM_END : z->avail_in == 0 && z->avail_out > 0)
            return true;
    }
}

static bool run_zlib(int level, bool blocks, const uint8_t *in, size_t n, sink *s)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    bool ok = true;
    size_t step = blocks ? BLOCK : CHUNK;
    for (size_t off = 0; ok && (off < n || off == 0); off += step) {
        size_t k = n - off < step ? n - off : step;
        bool last = off + k == n;
        if (blocks) {
            size_t dl = off < DICT ? off : DICT;
            ok = deflateReset(&z) == Z_OK &&
                 (dl == 0 || deflateSetDictionary(&z, in + off - dl, (uInt)dl) == Z_OK);
        }
        z.next_in = (Bytef *)(uintptr_t)(in + off);
        z.avail_in = (uInt)k;
        ok = ok && zlib_pump(&z, s, last ? Z_FINISH : blocks ? Z_SYNC_FLUSH : Z_NO_FLUSH);
        if (last)
            break;
    }
    deflateEnd(&z);
    return ok;
}

/* ---- ISA-L ---- */

static const uint32_t isal_buf_size[] = { 0, ISAL_DEF_LVL1_DEFAULT, ISAL_DEF_LVL2_DEFAULT, ISAL_DEF_LVL3_DEFAULT };

static bool isal_pump(struct isal_zstream *z, sink *s)
{
    for (;;) {
        if (!reserve(s, CHUNK))
            return false;
        z->next_out = s->p + s->n;
        z->avail_out = (uint32_t)(s->cap - s->n);
        uint32_t before = z->avail_out;
        if (isal_deflate(z) != COMP_OK)
            return false;
        s->n += before - z->avail_out;
        bool done = z->end_of_stream ? z->internal_state.state == ZSTATE_END
                    : z->flush == SYNC_FLUSH
                        ? z->avail_in == 0 && z->internal_state.state == ZSTATE_NEW_HDR
                        : z->avail_in == 0;
        if (done)
            return true;
    }
}

static bool run_isal(int level, bool blocks, const uint8_t *in, size_t n, sink *s)
{
    struct isal_zstream *z = malloc(sizeof *z);
    uint8_t *lb = isal_buf_size[level] ? malloc(isal_buf_size[level]) : NULL;
    bool ok = z && (lb || !isal_buf_size[level]);
    if (ok) {
        isal_deflate_init(z);
        z->level = (uint32_t)level;
        z->level_buf = lb;
        z->level_buf_size = isal_buf_size[level];
        z->gzip_flag = IGZIP_DEFLATE;
    }
    size_t step = blocks ? BLOCK : CHUNK;
    for (size_t off = 0; ok; off += step) {
        size_t k = n - off < step ? n - off : step;
        bool last = off + k == n;
        if (blocks) {
            size_t dl = off < DICT ? off : DICT;
            isal_deflate_reset(z);
            ok = dl == 0 || isal_deflate_set_dict(z, (uint8_t *)(uintptr_t)(in + off - dl), (uint32_t)dl) == COMP_OK;
        }
        z->next_in = (uint8_t *)(uintptr_t)(in + off);
        z->avail_in = (uint32_t)k;
        z->flush = blocks && !last ? SYNC_FLUSH : NO_FLUSH;
        z->end_of_stream = last;
        ok = ok && isal_pump(z, s);
        if (last)
            break;
    }
    free(lb);
    free(z);
    return ok;
}

/* ---- check ---- */

/* Does s inflate (raw) to exactly in[0..n)? */
static bool round_trips(const sink *s, const uint8_t *in, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, -15) != Z_OK)
        return false;
    uint8_t *buf = malloc(CHUNK);
    size_t pos = 0;
    bool ok = buf != NULL;
    z.next_in = s->p;
    z.avail_in = (uInt)s->n;
    int rc = Z_OK;
    while (ok && rc != Z_STREAM_END) {
        z.next_out = buf;
        z.avail_out = CHUNK;
        rc = inflate(&z, Z_NO_FLUSH);
        size_t k = CHUNK - z.avail_out;
        ok = (rc == Z_OK || rc == Z_STREAM_END) && pos + k <= n && memcmp(buf, in + pos, k) == 0;
        pos += k;
    }
    inflateEnd(&z);
    free(buf);
    return ok && pos == n && z.avail_in == 0;
}

typedef struct row {
    const char *name;
    bool isal;
    int level;
} row;

static const row rows[] = {
    { "zlib -1", false, 1 },  { "zlib -6", false, 6 },  { "zlib -9", false, 9 }, { "ISA-L 0", true, 0 },
    { "ISA-L 1", true, 1 },   { "ISA-L 2", true, 2 },   { "ISA-L 3", true, 3 },
};
enum { NROWS = sizeof rows / sizeof *rows, ZLIB1 = 0, ZLIB6 = 1 };

static int run_mode(bool blocks, int runs, const uint8_t *in, size_t n)
{
    double best[NROWS];
    size_t size[NROWS];
    sink s = { 0 };
    for (int r = 0; r < NROWS; r++) {
        best[r] = 1e30;
        for (int k = 0; k < runs; k++) {
            s.n = 0;
            double t = bench_now();
            bool ok = rows[r].isal ? run_isal(rows[r].level, blocks, in, n, &s)
                                   : run_zlib(rows[r].level, blocks, in, n, &s);
            t = bench_now() - t;
            if (!ok || (k == 0 && !round_trips(&s, in, n))) {
                fprintf(stderr, "deflate_speed: %s (%s) failed or does not inflate back\n", rows[r].name,
                        blocks ? "blocks" : "stream");
                return 1;
            }
            size[r] = s.n;
            if (t < best[r])
                best[r] = t;
        }
    }
    free(s.p);
    printf("\n%s, best of %d:\n\n", blocks ? "blocks (128 KiB, 32 KiB dictionary, sync flush)" : "one stream", runs);
    printf("| deflater | MB/s | x zlib -6 | output bytes | %% of input | size x zlib -6 | size x zlib -1 |\n");
    printf("|---|---:|---:|---:|---:|---:|---:|\n");
    for (int r = 0; r < NROWS; r++)
        printf("| %s | %.0f | %.2f | %zu | %.1f | %.3f | %.3f |\n", rows[r].name, (double)n / 1e6 / best[r],
               best[ZLIB6] / best[r], size[r], 100.0 * (double)size[r] / (double)n,
               (double)size[r] / (double)size[ZLIB6], (double)size[r] / (double)size[ZLIB1]);
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 3;
    const char *mode = "both";
    size_t max = SIZE_MAX;
    int i = 1;
    for (; i < argc - 1 && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "--runs"))
            runs = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--mode"))
            mode = argv[i + 1];
        else if (!strcmp(argv[i], "--max-mb"))
            max = (size_t)atol(argv[i + 1]) << 20;
        else
            break;
    }
    bool stream = !strcmp(mode, "stream") || !strcmp(mode, "both");
    bool blocks = !strcmp(mode, "blocks") || !strcmp(mode, "both");
    if (i != argc - 1 || runs < 1 || (!stream && !blocks)) {
        fprintf(stderr, "usage: deflate_speed [--runs N] [--mode stream|blocks|both] [--max-mb M] FILE\n");
        return 2;
    }
    size_t n;
    uint8_t *in = bench_slurp(argv[i], max, &n);
    if (!in || n > UINT32_MAX) {
        fprintf(stderr, "deflate_speed: %s: cannot read it (or 4 GiB or more)\n", argv[i]);
        return 2;
    }
    printf("%s: %zu bytes\n", argv[i], n);
    int rc = (stream ? run_mode(false, runs, in, n) : 0) | (blocks ? run_mode(true, runs, in, n) : 0);
    free(in);
    return rc;
}
