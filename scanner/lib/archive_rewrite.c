/*
 * archive_rewrite.c -- a redacted copy of a container in its own format
 * (see archive_rewrite.h).  The reading side is src_leaf.c's, so the
 * expansion limits hold exactly as when scanning, and gzip is inflated by
 * ISA-L (CRC-32 checked) where the scan inflates it so.
 *
 * A single compressed stream can also be rewritten in two halves (see
 * pii_rewrite_read): the same code reads it, but instead of writing its
 * copy it hands how to write it as a record and its content as a member,
 * to a walker thread's queue (src_prefetch.c); rewrite_ahead.c writes the
 * copy from the replay.
 */
#include "archive_rewrite.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src_leaf.h"
#include "stream_writers.h"

typedef struct rw {
    pii_src_ctx c;
    pii_rewrite_fn fn;
    pii_member_msg msg;
    void *ud;
    pii_member_fn member;   /* the reading half (pii_rewrite_read): the leaf goes here, not to fn */
    pii_record_fn rec;      /* preceded by its pii_stream_spec */
    int threads;        /* gzip output is deflated on these (0: all CPUs) */
    int rc;             /* PII_RW_* of the first failure */
} rw;

static int fail(rw *w, const char *vpath, const char *msg, int rc)
{
    w->msg(w->ud, vpath, msg, 1);
    if (w->rc == PII_RW_OK)
        w->rc = rc;
    return rc;
}

static int rw_source(rw *w, pii_leaf *src, pii_fdin *in, const uint8_t *head, size_t hn, const char *vpath,
                     int kind, int depth, FILE *out);

/* The leaf's stream into out: through fn (or, reading half, to member),
 * or rewritten as a container one level deeper; then whatever cut the
 * member short fails it. */
static int rw_leaf(rw *w, pii_leaf *l, int kind, const char *vpath, int depth, FILE *out)
{
    char msg[600];
    int rc;
    if (kind == PII_KIND_PLAIN || l->why != PII_LEAF_OK) {
        rc = (w->member ? w->member(w->ud, vpath, pii_leaf_read, l) : w->fn(w->ud, vpath, pii_leaf_read, l, out))
                 ? PII_RW_FAILED : PII_RW_OK;
        if (rc != PII_RW_OK && w->rc == PII_RW_OK)
            w->rc = rc;
    } else if (depth >= w->c.lim->max_depth) {
        snprintf(msg, sizeof msg, "%s container nested deeper than %d levels (--max-depth); cannot be redacted",
                 pii_kind_name(kind), w->c.lim->max_depth);
        return fail(w, vpath, msg, PII_RW_FAILED);
    } else {
        rc = rw_source(w, l, NULL, l->head, l->hn, vpath, kind, depth + 1, out);
        if (l->why == PII_LEAF_ERROR)
            return rc;   /* the inner archive said it */
    }
    pii_leaf_why(l, msg, sizeof msg);
    if (msg[0])
        return fail(w, vpath, msg, PII_RW_FAILED);
    return rc;
}

/* ---- archives ---- */

static la_ssize_t fwrite_cb(struct archive *a, void *ud, const void *buf, size_t n)
{
    return pii_fwrite_cb(a, ud, buf, n);
}

static struct archive *writer_like(rw *w, struct archive *a, const char *vpath, FILE *out)
{
    char msg[300];
    int fmt = archive_format(a);
    struct archive *o = archive_write_new();
    if (!o) {
        fail(w, vpath, "out of memory", PII_RW_FAILED);
        return NULL;
    }
    int base = fmt & ARCHIVE_FORMAT_BASE_MASK;
    if (base == ARCHIVE_FORMAT_RAR || base == ARCHIVE_FORMAT_RAR_V5 || archive_write_set_format(o, fmt) != ARCHIVE_OK) {
        snprintf(msg, sizeof msg, "%s archives cannot be written here; nothing written (--extract-unwritable puts "
                 "the redacted members in a directory)", archive_format_name(a) ? archive_format_name(a) : "these");
        archive_write_free(o);
        fail(w, vpath, msg, PII_RW_UNWRITABLE);
        return NULL;
    }
    if (base != ARCHIVE_FORMAT_TAR)
        archive_write_set_bytes_in_last_block(o, 1);
    if (archive_write_open(o, out, NULL, fwrite_cb, NULL) != ARCHIVE_OK) {
        snprintf(msg, sizeof msg, "cannot write: %s", archive_error_string(o));
        archive_write_free(o);
        fail(w, vpath, msg, PII_RW_FAILED);
        return NULL;
    }
    return o;
}

/* A member with data: redacted into a temporary file (its size goes into
 * the header first), then copied into the archive. */
static int rw_data(rw *w, struct archive *a, struct archive *o, struct archive_entry *e, const char *vpath,
                   int depth)
{
    char msg[600];
    if (archive_entry_is_data_encrypted(e) || archive_entry_is_metadata_encrypted(e))
        return fail(w, vpath, "encrypted member cannot be redacted", PII_RW_FAILED);
    FILE *tmp = tmpfile();
    pii_leaf *l = malloc(sizeof *l);
    if (!tmp || !l) {
        if (tmp)
            fclose(tmp);
        free(l);
        return fail(w, vpath, "cannot create a temporary file", PII_RW_FAILED);
    }
    pii_leaf_start(l, &w->c, a);
    int kind = pii_leaf_peek(l, archive_entry_pathname(e));
    int rc = rw_leaf(w, l, kind, vpath, depth, tmp);
    free(l);
    long size = ftell(tmp);
    if (rc == PII_RW_OK && (fflush(tmp) != 0 || size < 0))
        rc = fail(w, vpath, "cannot write a temporary file", PII_RW_FAILED);
    if (rc == PII_RW_OK) {
        rewind(tmp);
        struct archive_entry *oe = archive_entry_clone(e);
        archive_entry_set_size(oe, size);
        int hr = oe ? archive_write_header(o, oe) : ARCHIVE_FATAL;
        archive_entry_free(oe);
        unsigned char buf[64 << 10];
        size_t n;
        while (hr >= ARCHIVE_WARN && (n = fread(buf, 1, sizeof buf, tmp)) > 0)
            if (archive_write_data(o, buf, n) != (la_ssize_t)n)
                hr = ARCHIVE_FATAL;
        if (hr < ARCHIVE_WARN || ferror(tmp)) {
            snprintf(msg, sizeof msg, "cannot write the member: %s", archive_error_string(o));
            rc = fail(w, vpath, msg, PII_RW_FAILED);
        }
    }
    fclose(tmp);
    return rc;
}

static bool has_data(struct archive_entry *e)
{
    if (archive_entry_filetype(e) != AE_IFREG && archive_entry_filetype(e) != 0)
        return false;
    return !(archive_entry_hardlink(e) && (!archive_entry_size_is_set(e) || archive_entry_size(e) == 0));
}

static int rw_entries(rw *w, struct archive *a, const char *prefix, int depth, FILE *out)
{
    struct archive_entry *e;
    struct archive *o = NULL;
    char msg[600];
    int rc = PII_RW_OK;
    for (;;) {
        int r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN) {
            snprintf(msg, sizeof msg, "corrupt or truncated archive: %s", archive_error_string(a));
            rc = fail(w, prefix, msg, PII_RW_FAILED);
            break;
        }
        if (!o && !(o = writer_like(w, a, prefix, out)))
            return w->rc;
        char *vpath;
        if (asprintf(&vpath, "%s!/%s", prefix, archive_entry_pathname(e) ? archive_entry_pathname(e) : "") < 0) {
            rc = fail(w, prefix, "out of memory", PII_RW_FAILED);
            break;
        }
        if (has_data(e)) {
            rc = rw_data(w, a, o, e, vpath, depth);
        } else if (archive_write_header(o, e) < ARCHIVE_WARN) {
            snprintf(msg, sizeof msg, "cannot write the member: %s", archive_error_string(o));
            rc = fail(w, vpath, msg, PII_RW_FAILED);
        }
        free(vpath);
        if (rc != PII_RW_OK)
            break;
    }
    if (!o && rc == PII_RW_OK)
        o = writer_like(w, a, prefix, out);   /* an empty archive stays one */
    if (o) {
        if (archive_write_close(o) != ARCHIVE_OK && rc == PII_RW_OK) {
            snprintf(msg, sizeof msg, "cannot write: %s", archive_error_string(o));
            rc = fail(w, prefix, msg, PII_RW_FAILED);
        }
        archive_write_free(o);
    }
    return rc != PII_RW_OK ? rc : w->rc;
}

/* ---- single compressed streams ---- */

/* The level of the gzip stream whose first hn bytes are head, from its
 * header's XFL byte, so that the copy is about as fast to make and as
 * small as the original.  The ISA-L layer has parsed the header; when
 * libarchive's zlib filter reads the stream instead, it keeps the header
 * to itself, and XFL is byte 8 of the bytes the kind was sniffed from. */
static pii_gz_level gzip_level_like(const pii_gz *gz, const uint8_t *head, size_t hn)
{
    if (gz)
        return pii_gz_level_of_xfl(pii_gz_xflags(gz));
    if (hn >= 10 && head[0] == 0x1f && head[1] == 0x8b)
        return pii_gz_level_of_xfl(head[8]);
    return PII_GZ_DEFAULT;
}

/* How to write the compression a reads (gz: the ISA-L gzip layer under a,
 * one layer that libarchive's filter count does not include; head, hn:
 * the stream's first bytes).  PII_RW_OK, or the failure (said). */
static int stream_spec_like(rw *w, struct archive *a, const pii_gz *gz, const uint8_t *head, size_t hn,
                            struct archive_entry *e, const char *vpath, pii_stream_spec *s)
{
    int layers = archive_filter_count(a) - 1 + (gz != NULL);
    if (layers < 1)
        return fail(w, vpath, "not valid compressed data (magic bytes only); nothing written", PII_RW_FAILED);
    if (layers != 1)
        return fail(w, vpath, "several layers of compression cannot be written back; nothing written",
                    PII_RW_UNWRITABLE);
    memset(s, 0, sizeof *s);
    s->code = gz ? ARCHIVE_FILTER_GZIP : archive_filter_code(a, 0);
    const char *name = NULL;
    if (gz) {
        name = pii_gz_name(gz);
        s->mtime = pii_gz_mtime(gz);
    } else if (s->code == ARCHIVE_FILTER_GZIP && e) {   /* no entry: an empty stream */
        name = archive_entry_pathname(e);
        if (name && !strcmp(name, "data"))
            name = NULL;
        s->mtime = archive_entry_mtime_is_set(e) ? archive_entry_mtime(e) : 0;
    }
    s->level = gzip_level_like(gz, head, hn);
    /* Cut where the gzip header cuts it: the copy is the same. */
    snprintf(s->name, sizeof s->name, "%s", name ? name : "");
    return PII_RW_OK;
}

FILE *pii_stream_writer(const pii_stream_spec *s, FILE *out, int threads)
{
    if (s->code == ARCHIVE_FILTER_GZIP)
        return pii_gzip_writer(out, s->name[0] ? s->name : NULL, s->mtime, threads, s->level);
    return pii_filter_writer(out, s->code);
}

static FILE *stream_writer(rw *w, const pii_stream_spec *s, const char *vpath, FILE *out)
{
    FILE *fp = pii_stream_writer(s, out, w->threads);
    if (!fp)
        fail(w, vpath, PII_RW_NO_WRITER_MSG, PII_RW_UNWRITABLE);
    return fp;
}

/* The copy of the stream (prefix) whose content is the plain leaf vpath:
 * through fn into a writer for spec on out, or (reading half) the spec as
 * a record and the leaf as a member, the writing half making the copy. */
static int rw_stream_leaf(rw *w, pii_leaf *l, const pii_stream_spec *spec, const char *prefix, const char *vpath,
                          int depth, FILE *out)
{
    if (w->member)
        return w->rec(w->ud, spec, sizeof *spec) ? PII_RW_FAILED : rw_leaf(w, l, PII_KIND_PLAIN, vpath, depth, NULL);
    FILE *cz = stream_writer(w, spec, prefix, out);
    if (!cz)
        return w->rc;
    int rc = rw_leaf(w, l, PII_KIND_PLAIN, vpath, depth, cz);
    if (fclose(cz) != 0 && rc == PII_RW_OK)
        rc = fail(w, prefix, PII_RW_CLOSE_MSG, PII_RW_FAILED);
    return rc;
}

/* An archive inside the stream (x.tar.gz), one level: rewritten into a
 * writer for spec on out. */
static int rw_stream_archive(rw *w, pii_leaf *l, int kind, const pii_stream_spec *spec, const char *prefix,
                             int depth, FILE *out)
{
    char msg[600];
    FILE *cz = stream_writer(w, spec, prefix, out);
    if (!cz)
        return w->rc;
    int rc = rw_source(w, l, NULL, l->head, l->hn, prefix, kind, depth, cz);
    pii_leaf_why(l, msg, sizeof msg);
    if (msg[0] && l->why != PII_LEAF_ERROR)
        rc = fail(w, prefix, msg, PII_RW_FAILED);
    if (fclose(cz) != 0 && rc == PII_RW_OK)
        rc = fail(w, prefix, PII_RW_CLOSE_MSG, PII_RW_FAILED);
    return rc;
}

/* The member of a single compressed stream, peeked before its copy is
 * started (a writer that cannot be made says so before the content is
 * looked at, and peeking says nothing, so the order makes no difference
 * to what is told). */
static int rw_stream(rw *w, struct archive *a, const pii_gz *gz, const uint8_t *head, size_t hn, const char *prefix,
                     int depth, FILE *out)
{
    struct archive_entry *e = NULL;
    char msg[600], name[1024];
    pii_stream_spec spec;
    int r = archive_read_next_header(a, &e);
    /* A valid stream of nothing (gzip -c /dev/null, an empty rotated log)
     * is copied as a stream of nothing in the same format, not refused:
     * its empty member goes the way of any plain member. */
    bool empty = r == ARCHIVE_EOF && archive_format(a) == ARCHIVE_FORMAT_EMPTY;
    if (empty) {
        e = NULL;
    } else if (r < ARCHIVE_WARN || r == ARCHIVE_EOF) {
        snprintf(msg, sizeof msg, "corrupt or truncated compressed data: %s",
                 r == ARCHIVE_EOF ? "empty" : archive_error_string(a));
        return fail(w, prefix, msg, PII_RW_FAILED);
    }
    if (stream_spec_like(w, a, gz, head, hn, e, prefix, &spec) != PII_RW_OK)
        return w->rc;
    pii_leaf *l = malloc(sizeof *l);
    if (!l)
        return fail(w, prefix, "out of memory", PII_RW_FAILED);
    pii_leaf_start(l, &w->c, a);
    int kind = pii_leaf_peek(l, NULL), rc;
    if (kind == PII_KIND_PLAIN || pii_kind_is_stream(kind) || l->why != PII_LEAF_OK) {
        pii_stream_name(prefix, gz ? pii_gz_name(gz) : e ? archive_entry_pathname(e) : NULL, name, sizeof name);
        char *vpath;
        if (asprintf(&vpath, "%s!/%s", prefix, name) < 0)
            rc = fail(w, prefix, "out of memory", PII_RW_FAILED);
        else
            rc = rw_stream_leaf(w, l, &spec, prefix, vpath, depth, out), free(vpath);
    } else if (w->member) {
        rc = PII_RW_DEFER;   /* nothing said yet: the writing half rewrites it all */
    } else {
        rc = rw_stream_archive(w, l, kind, &spec, prefix, depth, out);
    }
    free(l);
    return rc;
}

static int rw_source(rw *w, pii_leaf *src, pii_fdin *in, const uint8_t *head, size_t hn, const char *vpath,
                     int kind, int depth, FILE *out)
{
    char msg[600];
    struct archive *a = pii_archive_reader(kind);
    if (!a)
        return fail(w, vpath, "out of memory", PII_RW_FAILED);
    const pii_gz *gz;
    if (!src)
        w->c.top = a;
    int rc, r = pii_archive_open(a, kind, in, src, head, hn, w->c.lim, &gz);
    if (!src)
        w->c.top_gz = gz;
    if (r != ARCHIVE_OK) {
        snprintf(msg, sizeof msg, "corrupt or truncated %s data: %s", pii_kind_name(kind), archive_error_string(a));
        rc = fail(w, vpath, msg, PII_RW_FAILED);
    } else if (pii_kind_is_stream(kind)) {
        rc = rw_stream(w, a, gz, head, hn, vpath, depth, out);
    } else {
        rc = rw_entries(w, a, vpath, depth, out);
    }
    if (!src) {
        w->c.top = NULL;
        w->c.top_gz = NULL;
    }
    archive_read_free(a);   /* frees gz */
    return rc;
}

static int rewrite_top(rw *w, const char *path, pii_fdin *in, const uint8_t *head, ssize_t n, FILE *out)
{
    int kind = n > 0 ? pii_container_kind(head, (size_t)n, path) : PII_KIND_PLAIN;
    if (w->member && !pii_kind_is_stream(kind))
        return PII_RW_DEFER;
    if (kind == PII_KIND_PLAIN)
        return fail(w, path, "not a supported container", PII_RW_FAILED);
    if (kind == PII_KIND_RAR)
        return fail(w, path, "RAR archives cannot be written; nothing written (--extract-unwritable puts the "
                    "redacted members in a directory)", PII_RW_UNWRITABLE);
    int rc = rw_source(w, NULL, in, head, (size_t)n, path, kind, 1, out);
    if (rc == PII_RW_OK && out && fflush(out) != 0)
        rc = fail(w, path, PII_RW_FLUSH_MSG, PII_RW_FAILED);
    return rc != PII_RW_OK ? rc : w->rc;
}

int pii_archive_rewrite(const char *path, int fd, FILE *out, const pii_src_limits *lim, int threads,
                        pii_rewrite_fn fn, pii_member_msg msg, void *ud)
{
    unsigned char head[PII_HEAD_BYTES];
    ssize_t n = pread(fd, head, sizeof head, 0);
    pii_fdin in = { .fd = fd };
    rw w = { .c = { .lim = lim }, .fn = fn, .msg = msg, .ud = ud, .threads = threads };
    return rewrite_top(&w, path, &in, head, n, out);
}

int pii_archive_rewrite_head(const char *path, int fd, const uint8_t *head, size_t n, FILE *out,
                             const pii_src_limits *lim, int threads, pii_rewrite_fn fn, pii_member_msg msg, void *ud)
{
    pii_fdin in = { .fd = fd, .pre = head, .npre = n };
    rw w = { .c = { .lim = lim }, .fn = fn, .msg = msg, .ud = ud, .threads = threads };
    return rewrite_top(&w, path, &in, head, (ssize_t)n, out);
}

int pii_rewrite_read(const char *path, int fd, const pii_src_limits *lim, pii_member_fn fn, pii_member_msg msg,
                     pii_record_fn rec, void *ud)
{
    unsigned char head[PII_HEAD_BYTES];
    off_t off = lseek(fd, 0, SEEK_CUR);
    ssize_t n = off < 0 ? -1 : pread(fd, head, sizeof head, off);
    pii_fdin in = { .fd = fd };
    rw w = { .c = { .lim = lim }, .member = fn, .rec = rec, .msg = msg, .ud = ud };
    return rewrite_top(&w, path, &in, head, n, NULL);
}
