/*
 * stream_writers.c -- compressing stdio streams (see stream_writers.h).
 * gzip is framed here and deflated by gz_deflate.c (ISA-L when built in,
 * else zlib): libarchive's gzip writer cannot keep the member name stored
 * in the original header, nor use ISA-L.  On one thread it is one plain
 * deflate stream; on more, gz_parallel.c's blocks.
 */
#include "stream_writers.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gz_parallel.h"

/* One member on the calling thread: header, one raw deflate stream,
 * trailer.  Output collects in buf (the header first) and goes to out
 * whenever the deflater needs room, so out sees few large writes. */
typedef struct gzw {
    pii_deflater *d;
    FILE *out;
    bool failed;
    uint32_t crc;
    uint64_t total;
    size_t used;                   /* bytes of buf waiting for out */
    unsigned char buf[64 << 10];
} gzw;

static bool gz_flush_buf(gzw *g)
{
    bool ok = g->used == 0 || fwrite(g->buf, 1, g->used, g->out) == g->used;
    g->used = 0;
    return ok;
}

/* Deflate p[0..n) under flush: 0, or -1 if the deflater or out failed. */
static int gz_pump(gzw *g, const unsigned char *p, size_t n, pii_defl_flush flush)
{
    pii_defl_buf b = { .in = p, .in_left = n };
    for (;;) {
        b.out = g->buf + g->used;
        b.out_left = sizeof g->buf - g->used;
        int r = pii_deflater_run(g->d, &b, flush);
        g->used = sizeof g->buf - b.out_left;
        if (r < 0)
            return -1;
        if (r > 0)
            return 0;
        if (!gz_flush_buf(g))
            return -1;
    }
}

/* The cookie writers below return 0 on failure, never -1: glibc takes a
 * write function's result as a byte count, and in fwrite's direct path
 * (a write at least as long as the FILE's buffer) a -1 is added to what
 * is left and fwrite then reads that many bytes past the caller's buffer
 * (fopencookie(3): "must not return a negative value").  A short count
 * sets the stream's error flag; fwrite returns short, fclose fails. */
static ssize_t gz_write(void *c, const char *buf, size_t n)
{
    gzw *g = c;
    const unsigned char *p = (const unsigned char *)buf;
    if (g->failed || gz_pump(g, p, n, PII_DEFL_MORE) < 0) {
        g->failed = true;
        return 0;
    }
    g->crc = pii_gz_crc32(g->crc, p, n);
    g->total += n;
    return (ssize_t)n;
}

static int gz_close(void *c)
{
    gzw *g = c;
    bool bad = g->failed || gz_pump(g, NULL, 0, PII_DEFL_END) < 0;
    if (!bad && sizeof g->buf - g->used < 8)
        bad = !gz_flush_buf(g);
    if (!bad) {
        pii_gz_trailer(g->buf + g->used, g->crc, g->total);
        g->used += 8;
        bad = !gz_flush_buf(g);
    }
    pii_deflater_free(g->d);
    free(g);
    return bad ? EOF : 0;
}

static FILE *gzip_writer_1(FILE *out, const char *name, time_t mtime, pii_gz_level level)
{
    gzw *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->out = out;
    g->d = pii_deflater_new(level);
    if (!g->d || !pii_deflater_start(g->d, NULL, 0)) {
        pii_deflater_free(g->d);
        free(g);
        return NULL;
    }
    g->used = pii_gz_header(g->buf, name, mtime, level);
    cookie_io_functions_t io = { .write = gz_write, .close = gz_close };
    FILE *fp = fopencookie(g, "w", io);
    if (!fp) {
        pii_deflater_free(g->d);
        free(g);
    }
    return fp;
}

/* ---- on several threads ---- */

static ssize_t gzp_write(void *c, const char *buf, size_t n)
{
    return pii_gzpar_write(c, buf, n) == 0 ? (ssize_t)n : 0;
}

static int gzp_close(void *c) { return pii_gzpar_close(c) == 0 ? 0 : EOF; }

FILE *pii_gzip_writer(FILE *out, const char *name, time_t mtime, int threads, pii_gz_level level)
{
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)n : 1;
    }
    if (threads == 1)
        return gzip_writer_1(out, name, mtime, level);
    pii_gzpar *g = pii_gzpar_new(out, name, mtime, threads, 0, level);
    if (!g)
        return NULL;
    cookie_io_functions_t io = { .write = gzp_write, .close = gzp_close };
    FILE *fp = fopencookie(g, "w", io);
    if (!fp)
        pii_gzpar_discard(g);
    return fp;
}

long pii_fwrite_cb(void *a, void *ud, const void *buf, size_t n)
{
    (void)a;
    return fwrite(buf, 1, n, ud) == n ? (long)n : -1;
}

static la_ssize_t fwrite_cb(struct archive *a, void *ud, const void *buf, size_t n)
{
    return pii_fwrite_cb(a, ud, buf, n);
}

/* libarchive's writer as a stdio stream; failed: a write failed, so close
 * fails too (archive_write_close after a fatal write says ARCHIVE_OK). */
typedef struct aw {
    struct archive *a;
    bool failed;
} aw;

static ssize_t aw_write(void *c, const char *buf, size_t n)
{
    aw *w = c;
    if (!w->failed && archive_write_data(w->a, buf, n) == (la_ssize_t)n)
        return (ssize_t)n;
    w->failed = true;
    return 0;
}

static int aw_close(void *c)
{
    aw *w = c;
    int rc = archive_write_close(w->a);
    archive_write_free(w->a);
    bool failed = w->failed;
    free(w);
    return rc == ARCHIVE_OK && !failed ? 0 : EOF;
}

FILE *pii_filter_writer(FILE *out, int code)
{
    struct archive *a = archive_write_new();
    struct archive_entry *e = archive_entry_new();
    aw *w = calloc(1, sizeof *w);
    FILE *fp = NULL;
    if (!a || !e || !w)
        goto out;
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_pathname(e, "data");
    if (archive_write_add_filter(a, code) != ARCHIVE_OK || archive_write_set_format_raw(a) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
        archive_write_open(a, out, NULL, fwrite_cb, NULL) != ARCHIVE_OK || archive_write_header(a, e) != ARCHIVE_OK)
        goto out;
    w->a = a;
    cookie_io_functions_t io = { .write = aw_write, .close = aw_close };
    fp = fopencookie(w, "w", io);
out:
    archive_entry_free(e);
    if (!fp) {
        if (a)
            archive_write_free(a);
        free(w);
    }
    return fp;
}
