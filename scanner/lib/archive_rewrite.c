/*
 * archive_rewrite.c -- a redacted copy of a container in its own format
 * (see archive_rewrite.h): the reader.  The reading side is src_leaf.c's,
 * so the expansion limits hold exactly as when scanning, and gzip is
 * inflated by ISA-L (CRC-32 checked) where the scan inflates it so.
 *
 * The reader writes nothing: wherever the copy is to be written it emits
 * an event (rewrite_int.h), applied at once by rewrite_apply.c (direct:
 * pii_archive_rewrite) or queued by a walker thread (record:
 * pii_rewrite_read) for rewrite_ahead.c to apply in the file's turn.
 * It stops at the first failure it tells, or when the applier stops.
 */
#include "archive_rewrite.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "member_name.h"
#include "rewrite_int.h"
#include "src_leaf.h"
#include "stream_writers.h"

/* The reader's state: where its events go, and the enclosing members
 * holding nested containers, whose cuts (what cut them short) it reports
 * as they change. */
typedef struct rw {
    pii_src_ctx c;
    rw_apply *ap;           /* direct: events applied here */
    pii_member_fn member;   /* record: leaves queued here, */
    pii_record_fn rec;      /* the other events here */
    void *ud;
    bool stopped;           /* the applier (or the replay) wants no more */
    int nnest;
    pii_leaf *nest[RW_MAX_LEVELS];
    int told_why[RW_MAX_LEVELS];
    uint64_t told_n[RW_MAX_LEVELS];
} rw;

static int deliver(rw *w, rw_ev *ev)
{
    int stop;
    if (w->ap)
        stop = rw_apply_ev(w->ap, ev);
    else if (ev->kind == RW_MEMBER)
        stop = w->member(w->ud, ev->vpath, ev->rd, ev->rud);
    else
        stop = rw_event_record(ev, w->rec, w->ud);
    if (stop)
        w->stopped = true;
    return stop;
}

/* Tell the applier of every enclosing member whose cut changed since it
 * was last told (a ratio cut still counts the bytes of its last block). */
static int sync_cuts(rw *w)
{
    char msg[600];
    for (int i = 0; i < w->nnest && !w->stopped; i++) {
        const pii_leaf *l = w->nest[i];
        if (l->why == w->told_why[i] && (l->why == PII_LEAF_OK || l->n == w->told_n[i]))
            continue;
        w->told_why[i] = l->why;
        w->told_n[i] = l->n;
        pii_leaf_why(l, msg, sizeof msg);
        rw_ev ev = { .kind = RW_CUT, .code = i, .why = l->why, .text = msg };
        deliver(w, &ev);
    }
    return w->stopped;
}

/* Emit ev (its entry is given away); non-zero: stop reading. */
static int emit(rw *w, rw_ev ev)
{
    if (w->stopped || sync_cuts(w)) {
        if (ev.entry)
            archive_entry_free(ev.entry);
        return 1;
    }
    return deliver(w, &ev);
}

static int emit_at(rw *w, int kind, const char *vpath)
{
    return emit(w, (rw_ev){ .kind = kind, .vpath = vpath });
}

/* The reader stops at a failure it tells. */
static int fail(rw *w, const char *vpath, const char *msg, int rc)
{
    if (!emit(w, (rw_ev){ .kind = RW_MSG, .vpath = vpath, .text = msg }))
        emit(w, (rw_ev){ .kind = RW_ABORT, .code = rc });
    return rc;
}

static int rw_source(rw *w, pii_leaf *src, pii_fdin *in, const uint8_t *head, size_t hn, const char *vpath,
                     int kind, int depth);

/* The container in the member l (vpath), one level deeper (the leaf's cut
 * is the applier's to tell when the level ends). */
static int rw_nested(rw *w, pii_leaf *l, int kind, const char *vpath, int depth)
{
    if (w->nnest == RW_MAX_LEVELS)
        return fail(w, vpath, "out of memory", PII_RW_FAILED);
    if (emit_at(w, RW_NEST, vpath))
        return PII_RW_FAILED;
    w->nest[w->nnest] = l;
    w->told_why[w->nnest] = PII_LEAF_OK;
    w->told_n[w->nnest++] = 0;
    int rc = rw_source(w, l, NULL, l->head, l->hn, vpath, kind, depth);
    if (rc == PII_RW_OK && emit_at(w, RW_NEST_END, vpath))
        rc = PII_RW_FAILED;
    w->nnest--;
    return rc;
}

/* The leaf's stream through the transform, or rewritten as a container
 * one level deeper; then whatever cut the member short fails it. */
static int rw_leaf(rw *w, pii_leaf *l, int kind, const char *vpath, int depth)
{
    char msg[600];
    if (kind == PII_KIND_PLAIN || l->why != PII_LEAF_OK) {
        if (emit(w, (rw_ev){ .kind = RW_MEMBER, .vpath = vpath, .rd = pii_leaf_read, .rud = l }))
            return PII_RW_FAILED;
        pii_leaf_why(l, msg, sizeof msg);
        if (msg[0] && emit(w, (rw_ev){ .kind = RW_MSG, .vpath = vpath, .text = msg }))
            return PII_RW_FAILED;
        if (emit_at(w, RW_LEAF_DONE, vpath))
            return PII_RW_FAILED;
        if (msg[0])
            emit(w, (rw_ev){ .kind = RW_ABORT, .code = PII_RW_FAILED });
        return msg[0] ? PII_RW_FAILED : PII_RW_OK;
    }
    if (depth >= w->c.lim->max_depth) {
        snprintf(msg, sizeof msg, "%s container nested deeper than %d levels (--max-depth); cannot be redacted",
                 pii_kind_name(kind), w->c.lim->max_depth);
        return fail(w, vpath, msg, PII_RW_FAILED);
    }
    return rw_nested(w, l, kind, vpath, depth + 1);
}

/* ---- archives ---- */

/* A member with data: the applier redacts it into a temporary file (its
 * size goes into the header first), then copies it into the archive. */
static int rw_data(rw *w, struct archive *a, struct archive_entry *e, const char *vpath, int depth)
{
    if (archive_entry_is_data_encrypted(e) || archive_entry_is_metadata_encrypted(e))
        return fail(w, vpath, "encrypted member cannot be redacted", PII_RW_FAILED);
    if (emit_at(w, RW_DATA, vpath))
        return PII_RW_FAILED;
    pii_leaf *l = malloc(sizeof *l);
    if (!l)
        return fail(w, vpath, "cannot create a temporary file", PII_RW_FAILED);
    pii_leaf_start(l, &w->c, a);
    int kind = pii_leaf_peek(l, archive_entry_pathname(e));
    int rc = rw_leaf(w, l, kind, vpath, depth);
    free(l);
    if (rc == PII_RW_OK && emit(w, (rw_ev){ .kind = RW_DATA_END, .vpath = vpath, .entry = archive_entry_clone(e) }))
        rc = PII_RW_FAILED;
    return rc;
}

static bool has_data(struct archive_entry *e)
{
    if (archive_entry_filetype(e) != AE_IFREG && archive_entry_filetype(e) != 0)
        return false;
    return !(archive_entry_hardlink(e) && (!archive_entry_size_is_set(e) || archive_entry_size(e) == 0));
}

/* The writer is made like the reader once its first header is read (an
 * empty archive stays one). */
static int emit_format(rw *w, struct archive *a, const char *prefix)
{
    return emit(w, (rw_ev){ .kind = RW_FORMAT, .vpath = prefix, .code = archive_format(a),
                            .text = archive_format_name(a) });
}

static int rw_entry(rw *w, struct archive *a, struct archive_entry *e, const char *prefix, int depth)
{
    /* A member without a name cannot be written back (libarchive's zip
     * writer crashes on it), and a copy without it would not be a copy. */
    const char *name = pii_member_name(a, e);
    if (!name)
        return fail(w, prefix, "a member name is flagged UTF-8 but is not; nothing written", PII_RW_FAILED);
    char *vpath;
    if (asprintf(&vpath, "%s!/%s", prefix, name) < 0)
        return fail(w, prefix, "out of memory", PII_RW_FAILED);
    int rc;
    if (has_data(e))
        rc = rw_data(w, a, e, vpath, depth);
    else
        rc = emit(w, (rw_ev){ .kind = RW_HEADER, .vpath = vpath, .entry = archive_entry_clone(e) })
                 ? PII_RW_FAILED : PII_RW_OK;
    free(vpath);
    return rc;
}

static int rw_entries(rw *w, struct archive *a, const char *prefix, int depth)
{
    struct archive_entry *e;
    char msg[600];
    bool writer = false;
    if (emit_at(w, RW_ARCHIVE, prefix))
        return PII_RW_FAILED;
    for (;;) {
        int r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN) {
            snprintf(msg, sizeof msg, "corrupt or truncated archive: %s", archive_error_string(a));
            return fail(w, prefix, msg, PII_RW_FAILED);
        }
        if (!writer && emit_format(w, a, prefix))
            return PII_RW_FAILED;
        writer = true;
        int rc = rw_entry(w, a, e, prefix, depth);
        if (rc != PII_RW_OK)
            return rc;
    }
    if (!writer && emit_format(w, a, prefix))
        return PII_RW_FAILED;
    return emit_at(w, RW_ARCHIVE_END, prefix) ? PII_RW_FAILED : PII_RW_OK;
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

/* The copy of the stream (prefix), through a compressing writer for spec:
 * its content is the plain leaf vpath, or (vpath NULL) an archive of kind,
 * rewritten one level on (x.tar.gz). */
static int rw_stream_copy(rw *w, pii_leaf *l, int kind, const pii_stream_spec *spec, const char *prefix,
                          const char *vpath, int depth)
{
    if (emit(w, (rw_ev){ .kind = RW_STREAM, .vpath = prefix, .spec = *spec }))
        return PII_RW_FAILED;
    int rc = vpath ? rw_leaf(w, l, PII_KIND_PLAIN, vpath, depth) : rw_nested(w, l, kind, prefix, depth);
    if (rc == PII_RW_OK && emit_at(w, RW_STREAM_END, prefix))
        rc = PII_RW_FAILED;
    return rc;
}

/* The member of a single compressed stream, peeked before its copy is
 * started (a writer that cannot be made says so before the content is
 * looked at, and peeking says nothing, so the order makes no difference
 * to what is told). */
static int rw_stream(rw *w, struct archive *a, const pii_gz *gz, const uint8_t *head, size_t hn, const char *prefix,
                     int depth)
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
    int rc = stream_spec_like(w, a, gz, head, hn, e, prefix, &spec);
    if (rc != PII_RW_OK)
        return rc;
    pii_leaf *l = malloc(sizeof *l);
    if (!l)
        return fail(w, prefix, "out of memory", PII_RW_FAILED);
    pii_leaf_start(l, &w->c, a);
    int kind = pii_leaf_peek(l, NULL);
    if (kind == PII_KIND_PLAIN || pii_kind_is_stream(kind) || l->why != PII_LEAF_OK) {
        pii_stream_name(prefix, gz ? pii_gz_name(gz) : e ? archive_entry_pathname(e) : NULL, name, sizeof name);
        char *vpath;
        if (asprintf(&vpath, "%s!/%s", prefix, name) < 0)
            rc = fail(w, prefix, "out of memory", PII_RW_FAILED);
        else
            rc = rw_stream_copy(w, l, kind, &spec, prefix, vpath, depth), free(vpath);
    } else {
        rc = rw_stream_copy(w, l, kind, &spec, prefix, NULL, depth);
    }
    free(l);
    return rc;
}

static int rw_source(rw *w, pii_leaf *src, pii_fdin *in, const uint8_t *head, size_t hn, const char *vpath,
                     int kind, int depth)
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
        rc = rw_stream(w, a, gz, head, hn, vpath, depth);
    } else {
        rc = rw_entries(w, a, vpath, depth);
    }
    if (!src) {
        w->c.top = NULL;
        w->c.top_gz = NULL;
    }
    archive_read_free(a);   /* frees gz */
    return rc;
}

/* The whole file, in any mode: the applier has the last word (RW_FINISH
 * flushes the output). */
static int rewrite_top(rw *w, const char *path, pii_fdin *in, const uint8_t *head, ssize_t n)
{
    int kind = n > 0 ? pii_container_kind(head, (size_t)n, path) : PII_KIND_PLAIN;
    if (kind == PII_KIND_PLAIN)
        return fail(w, path, "not a supported container", PII_RW_FAILED);
    if (kind == PII_KIND_RAR)
        return fail(w, path, "RAR archives cannot be written; nothing written (--extract-unwritable puts the "
                    "redacted members in a directory)", PII_RW_UNWRITABLE);
    int rc = rw_source(w, NULL, in, head, (size_t)n, path, kind, 1);
    if (rc == PII_RW_OK)
        emit_at(w, RW_FINISH, path);
    return rc;
}

/* Direct: the reader's events applied as they come. */
static int rewrite_direct(const char *path, pii_fdin *in, const uint8_t *head, ssize_t n, FILE *out,
                          const pii_src_limits *lim, int threads, pii_rewrite_fn fn, pii_member_msg msg, void *ud)
{
    rw_apply *ap = malloc(sizeof *ap);
    rw *w = calloc(1, sizeof *w);
    int rc = PII_RW_FAILED;
    if (!ap || !w) {
        msg(ud, path, "out of memory", 1);
    } else {
        rw_apply_init(ap, out, threads, fn, msg, ud, false);
        w->c.lim = lim;
        w->ap = ap;
        rewrite_top(w, path, in, head, n);
        rc = rw_apply_end(ap);
    }
    free(ap);
    free(w);
    return rc;
}

int pii_archive_rewrite(const char *path, int fd, FILE *out, const pii_src_limits *lim, int threads,
                        pii_rewrite_fn fn, pii_member_msg msg, void *ud)
{
    unsigned char head[PII_HEAD_BYTES];
    ssize_t n = pread(fd, head, sizeof head, 0);
    pii_fdin in = { .fd = fd };
    return rewrite_direct(path, &in, head, n, out, lim, threads, fn, msg, ud);
}

int pii_archive_rewrite_head(const char *path, int fd, const uint8_t *head, size_t n, FILE *out,
                             const pii_src_limits *lim, int threads, pii_rewrite_fn fn, pii_member_msg msg, void *ud)
{
    pii_fdin in = { .fd = fd, .pre = head, .npre = n };
    return rewrite_direct(path, &in, head, (ssize_t)n, out, lim, threads, fn, msg, ud);
}

/* Record: the reader in a walker thread, its events queued for
 * pii_archive_rewrite_ahead. */
int pii_rewrite_read(const char *path, int fd, const pii_src_limits *lim, pii_member_fn fn, pii_member_msg msg,
                     pii_record_fn rec, void *ud)
{
    unsigned char head[PII_HEAD_BYTES];
    (void)msg;   /* everything is told through the records, in order */
    off_t off = lseek(fd, 0, SEEK_CUR);
    ssize_t n = off < 0 ? -1 : pread(fd, head, sizeof head, off);
    pii_fdin in = { .fd = fd };
    rw *w = calloc(1, sizeof *w);
    if (!w) {
        rw_ev ev = { .kind = RW_MSG, .vpath = path, .text = "out of memory" };
        if (!rw_event_record(&ev, rec, ud))
            rw_event_record(&(rw_ev){ .kind = RW_ABORT, .code = PII_RW_FAILED }, rec, ud);
        return PII_RW_FAILED;
    }
    *w = (rw){ .c = { .lim = lim }, .member = fn, .rec = rec, .ud = ud };
    int rc = rewrite_top(w, path, &in, head, n);
    free(w);
    return rc;
}
