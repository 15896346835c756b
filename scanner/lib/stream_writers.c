/*
 * stream_writers.c -- compressing stdio streams (see stream_writers.h).
 * gzip is written with zlib directly: libarchive's gzip writer cannot keep
 * the member name stored in the original header.  On one thread it is one
 * plain deflate stream; on more, gz_parallel.c's blocks.
 */
#include "stream_writers.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "gz_parallel.h"

typedef struct gzw {
    z_stream z;
    gz_header h;
    FILE *out;
    int failed;
    char name[256];
    unsigned char buf[64 << 10];
} gzw;

static int gz_pump(gzw *g, int flush)
{
    int rc;
    do {
        g->z.next_out = g->buf;
        g->z.avail_out = sizeof g->buf;
        rc = deflate(&g->z, flush);
        if (rc == Z_STREAM_ERROR)
            return -1;
        size_t k = sizeof g->buf - g->z.avail_out;
        if (k && fwrite(g->buf, 1, k, g->out) != k)
            return -1;
    } while (g->z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    return 0;
}

static ssize_t gz_write(void *c, const char *buf, size_t n)
{
    gzw *g = c;
    g->z.next_in = (unsigned char *)(uintptr_t)buf;
    g->z.avail_in = (uInt)n;   /* stdio hands over at most its buffer size */
    if (g->failed || gz_pump(g, Z_NO_FLUSH) < 0) {
        g->failed = 1;
        return -1;
    }
    return (ssize_t)n;
}

static int gz_close(void *c)
{
    gzw *g = c;
    g->z.next_in = NULL;
    g->z.avail_in = 0;
    int bad = g->failed || gz_pump(g, Z_FINISH) < 0;
    deflateEnd(&g->z);
    free(g);
    return bad ? EOF : 0;
}

static FILE *gzip_writer_1(FILE *out, const char *name, time_t mtime)
{
    gzw *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->out = out;
    if (deflateInit2(&g->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(g);
        return NULL;
    }
    if (name && *name) {
        snprintf(g->name, sizeof g->name, "%s", name);
        g->h.name = (Bytef *)g->name;
    }
    g->h.time = mtime > 0 ? (uLong)mtime : 0;
    g->h.os = 3;   /* Unix */
    deflateSetHeader(&g->z, &g->h);
    cookie_io_functions_t io = { .write = gz_write, .close = gz_close };
    FILE *fp = fopencookie(g, "w", io);
    if (!fp) {
        deflateEnd(&g->z);
        free(g);
    }
    return fp;
}

/* ---- on several threads ---- */

static ssize_t gzp_write(void *c, const char *buf, size_t n)
{
    return pii_gzpar_write(c, buf, n) == 0 ? (ssize_t)n : -1;
}

static int gzp_close(void *c) { return pii_gzpar_close(c) == 0 ? 0 : EOF; }

FILE *pii_gzip_writer(FILE *out, const char *name, time_t mtime, int threads)
{
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)n : 1;
    }
    if (threads == 1)
        return gzip_writer_1(out, name, mtime);
    pii_gzpar *g = pii_gzpar_new(out, name, mtime, threads, 0);
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

static ssize_t aw_write(void *c, const char *buf, size_t n)
{
    return archive_write_data(c, buf, n) == (la_ssize_t)n ? (ssize_t)n : -1;
}

static int aw_close(void *c)
{
    int rc = archive_write_close(c);
    archive_write_free(c);
    return rc == ARCHIVE_OK ? 0 : EOF;
}

FILE *pii_filter_writer(FILE *out, int code)
{
    struct archive *w = archive_write_new();
    struct archive_entry *e = archive_entry_new();
    FILE *fp = NULL;
    if (!w || !e)
        goto out;
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_pathname(e, "data");
    if (archive_write_add_filter(w, code) != ARCHIVE_OK || archive_write_set_format_raw(w) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(w, 1) != ARCHIVE_OK ||
        archive_write_open(w, out, NULL, fwrite_cb, NULL) != ARCHIVE_OK || archive_write_header(w, e) != ARCHIVE_OK)
        goto out;
    cookie_io_functions_t io = { .write = aw_write, .close = aw_close };
    fp = fopencookie(w, "w", io);
out:
    archive_entry_free(e);
    if (!fp && w)
        archive_write_free(w);
    return fp;
}
