/*
 * rewrite_apply.c -- the writing side of a container's rewrite: the copy
 * made from the reader's events (see rewrite_int.h), in the calling
 * thread, whether the reader runs alongside (direct) or ran ahead in a
 * walker (replay).
 *
 * The first thing that cannot be written stops the rewrite, as it stops
 * the direct reader: the levels are then closed from the innermost out,
 * silently, and each member holding a nested container that a limit cut
 * short says so (a corrupt end is the inner reader's to tell, and it
 * did).  A failed transform tells what cut its own member short only if it
 * read the member to its end: in a replay the walker read it all anyway,
 * so the tail of the member (up to RW_LEAF_DONE) is applied exactly then;
 * a direct reader's tail is what it saw.
 */
#include <stdlib.h>
#include <string.h>

#include "rewrite_int.h"
#include "src_leaf.h"
#include "stream_writers.h"

void rw_apply_init(rw_apply *ap, FILE *out, int threads, pii_rewrite_fn fn, pii_member_msg msg, void *ud,
                   bool replay)
{
    memset(ap, 0, sizeof *ap - sizeof ap->lv);
    ap->out = out;
    ap->threads = threads;
    ap->fn = fn;
    ap->msg = msg;
    ap->ud = ud;
    ap->replay = replay;
}

static FILE *cur_out(const rw_apply *ap)
{
    return ap->n ? ap->lv[ap->n - 1].out : ap->out;
}

static void say(rw_apply *ap, const char *vpath, const char *msg)
{
    ap->msg(ap->ud, vpath, msg, 1);
}

static void pop_level(rw_apply *ap)
{
    rw_level *v = &ap->lv[--ap->n];
    free(v->vpath);
    free(v->cut);
}

/* Close the innermost level after a failure, as the direct reader does
 * on its way out; what this tells turns the failure into PII_RW_FAILED. */
static int unwind_level(rw_apply *ap, int rc)
{
    rw_level *v = &ap->lv[ap->n - 1];
    if (v->kind == RW_ARCHIVE && v->o) {
        archive_write_close(v->o);
        archive_write_free(v->o);
    } else if (v->kind == RW_DATA || v->kind == RW_STREAM) {
        fclose(v->out);
    } else if (v->kind == RW_NEST && v->cut && v->why != PII_LEAF_ERROR) {
        say(ap, v->vpath, v->cut);
        rc = PII_RW_FAILED;
    }
    pop_level(ap);
    return rc;
}

/* The rewrite stops with rc (its reason told): every level is closed. */
static int stop(rw_apply *ap, int rc)
{
    while (ap->n)
        rc = unwind_level(ap, rc);
    ap->rc = rc;
    ap->stopped = true;
    return 1;
}

static int fail(rw_apply *ap, const char *vpath, const char *msg, int rc)
{
    say(ap, vpath, msg);
    return stop(ap, rc);
}

static int push_level(rw_apply *ap, int kind, const char *vpath, FILE *out)
{
    char *copy = strdup(vpath ? vpath : "");
    if (ap->n == RW_MAX_LEVELS || !copy) {
        free(copy);
        return -1;
    }
    ap->lv[ap->n++] = (rw_level){ .kind = kind, .out = out, .vpath = copy, .why = PII_LEAF_OK };
    return 0;
}

/* ---- archives ---- */

static la_ssize_t fwrite_cb(struct archive *a, void *ud, const void *buf, size_t n)
{
    return pii_fwrite_cb(a, ud, buf, n);
}

/* The level's writer, in the format its reader read (fmt, named name). */
static int writer_like(rw_apply *ap, int fmt, const char *name)
{
    char msg[300];
    rw_level *v = &ap->lv[ap->n - 1];
    struct archive *o = archive_write_new();
    if (!o)
        return fail(ap, v->vpath, "out of memory", PII_RW_FAILED);
    int base = fmt & ARCHIVE_FORMAT_BASE_MASK;
    if (base == ARCHIVE_FORMAT_RAR || base == ARCHIVE_FORMAT_RAR_V5 || archive_write_set_format(o, fmt) != ARCHIVE_OK) {
        snprintf(msg, sizeof msg, "%s archives cannot be written here; nothing written (--extract-unwritable puts "
                 "the redacted members in a directory)", name ? name : "these");
        archive_write_free(o);
        return fail(ap, v->vpath, msg, PII_RW_UNWRITABLE);
    }
    if (base != ARCHIVE_FORMAT_TAR)
        archive_write_set_bytes_in_last_block(o, 1);
    if (archive_write_open(o, v->out, NULL, fwrite_cb, NULL) != ARCHIVE_OK) {
        snprintf(msg, sizeof msg, "cannot write: %s", archive_error_string(o));
        archive_write_free(o);
        return fail(ap, v->vpath, msg, PII_RW_FAILED);
    }
    v->o = o;
    return 0;
}

static int write_header(rw_apply *ap, struct archive_entry *e, const char *vpath)
{
    char msg[600];
    struct archive *o = ap->lv[ap->n - 1].o;
    if (e && archive_write_header(o, e) >= ARCHIVE_WARN)
        return 0;
    snprintf(msg, sizeof msg, "cannot write the member: %s", archive_error_string(o));
    return fail(ap, vpath, msg, PII_RW_FAILED);
}

static int begin_data(rw_apply *ap, const char *vpath)
{
    FILE *tmp = tmpfile();
    if (!tmp)
        return fail(ap, vpath, "cannot create a temporary file", PII_RW_FAILED);
    if (push_level(ap, RW_DATA, vpath, tmp) < 0) {
        fclose(tmp);
        return fail(ap, vpath, "out of memory", PII_RW_FAILED);
    }
    return 0;
}

/* The member's header, now that its size is known, then its data from the
 * temporary file (the archive's writer is the level below). */
static int end_data(rw_apply *ap, struct archive_entry *e)
{
    char msg[600];
    rw_level *v = &ap->lv[ap->n - 1];
    struct archive *o = ap->lv[ap->n - 2].o;
    FILE *tmp = v->out;
    long size = ftell(tmp);
    int rc = 0;
    if (fflush(tmp) != 0 || size < 0) {
        rc = fail(ap, v->vpath, "cannot write a temporary file", PII_RW_FAILED);
    } else {
        rewind(tmp);
        if (e)
            archive_entry_set_size(e, size);
        int hr = e ? archive_write_header(o, e) : ARCHIVE_FATAL;
        unsigned char buf[64 << 10];
        size_t n;
        while (hr >= ARCHIVE_WARN && (n = fread(buf, 1, sizeof buf, tmp)) > 0)
            if (archive_write_data(o, buf, n) != (la_ssize_t)n)
                hr = ARCHIVE_FATAL;
        if (hr < ARCHIVE_WARN || ferror(tmp)) {
            snprintf(msg, sizeof msg, "cannot write the member: %s", archive_error_string(o));
            rc = fail(ap, v->vpath, msg, PII_RW_FAILED);
        }
    }
    if (rc == 0) {   /* else stop() closed it */
        fclose(tmp);
        pop_level(ap);
    }
    return rc;
}

static int end_archive(rw_apply *ap)
{
    char msg[600];
    rw_level *v = &ap->lv[ap->n - 1];
    int failed = archive_write_close(v->o) != ARCHIVE_OK;
    if (failed)
        snprintf(msg, sizeof msg, "cannot write: %s", archive_error_string(v->o));
    archive_write_free(v->o);
    v->o = NULL;
    if (failed)
        return fail(ap, v->vpath, msg, PII_RW_FAILED);
    pop_level(ap);
    return 0;
}

/* ---- compressed streams, nesting ---- */

static int begin_stream(rw_apply *ap, const pii_stream_spec *spec, const char *vpath)
{
    FILE *cz = pii_stream_writer(spec, cur_out(ap), ap->threads);
    if (!cz)
        return fail(ap, vpath, PII_RW_NO_WRITER_MSG, PII_RW_UNWRITABLE);
    if (push_level(ap, RW_STREAM, vpath, cz) < 0) {
        fclose(cz);
        return fail(ap, vpath, "out of memory", PII_RW_FAILED);
    }
    return 0;
}

static int end_stream(rw_apply *ap)
{
    rw_level v = ap->lv[--ap->n];   /* off the stack first: closed here, not again by stop() */
    int rc = fclose(v.out) != 0 ? fail(ap, v.vpath, PII_RW_CLOSE_MSG, PII_RW_FAILED) : 0;
    free(v.vpath);
    free(v.cut);
    return rc;
}

static int cut(rw_apply *ap, const rw_ev *ev)
{
    for (int i = 0, k = 0; i < ap->n; i++) {
        rw_level *v = &ap->lv[i];
        if (v->kind == RW_NEST && k++ == ev->code) {
            free(v->cut);
            v->cut = ev->text && ev->text[0] ? strdup(ev->text) : NULL;
            v->why = ev->why;
            return 0;
        }
    }
    return 0;   /* a cut of a level this replay has not entered: not this walk's */
}

static int end_nest(rw_apply *ap)
{
    if (ap->lv[ap->n - 1].why != PII_LEAF_OK && ap->lv[ap->n - 1].why != PII_LEAF_ERROR)
        return stop(ap, PII_RW_FAILED);   /* unwinding it tells the cut */
    pop_level(ap);
    return 0;
}

/* ---- leaves ---- */

/* The member's reader, noting whether its end was reached. */
typedef struct seen {
    piiscan_read_fn rd;
    void *rud;
    bool end;
} seen;

static ssize_t seen_read(void *ud, void *buf, size_t cap)
{
    seen *s = ud;
    ssize_t n = s->rd(s->rud, buf, cap);
    if (n == 0)
        s->end = true;
    return n;
}

/* The transform reports why it failed; the leaf's tail (what cut it
 * short) follows, up to RW_LEAF_DONE, when the transform saw the end a
 * direct reader would have been at. */
static int member(rw_apply *ap, const rw_ev *ev)
{
    seen s = { ev->rd, ev->rud, false };
    if (ap->fn(ap->ud, ev->vpath, seen_read, &s, cur_out(ap)) == 0)
        return 0;
    if (ap->replay && !s.end)
        return stop(ap, PII_RW_FAILED);
    ap->tail = true;
    return 0;
}

static int finish(rw_apply *ap, const char *path)
{
    if (ap->out && fflush(ap->out) != 0)
        return fail(ap, path, PII_RW_FLUSH_MSG, PII_RW_FAILED);
    ap->stopped = true;
    return 1;
}

static int level(rw_apply *ap, const rw_ev *ev)
{
    if (push_level(ap, ev->kind, ev->vpath, cur_out(ap)) < 0)
        return fail(ap, ev->vpath, "out of memory", PII_RW_FAILED);
    return 0;
}

static int dispatch(rw_apply *ap, rw_ev *ev)
{
    switch (ev->kind) {
    case RW_ARCHIVE:
    case RW_NEST:
        return level(ap, ev);
    case RW_FORMAT:
        return writer_like(ap, ev->code, ev->text);
    case RW_HEADER:
        return write_header(ap, ev->entry, ev->vpath);
    case RW_DATA:
        return begin_data(ap, ev->vpath);
    case RW_DATA_END:
        return end_data(ap, ev->entry);
    case RW_ARCHIVE_END:
        return end_archive(ap);
    case RW_STREAM:
        return begin_stream(ap, &ev->spec, ev->vpath);
    case RW_STREAM_END:
        return end_stream(ap);
    case RW_NEST_END:
        return end_nest(ap);
    case RW_CUT:
        return cut(ap, ev);
    case RW_MEMBER:
        return member(ap, ev);
    case RW_MSG:
        say(ap, ev->vpath, ev->text);
        return 0;
    case RW_LEAF_DONE:
        return ap->tail ? stop(ap, PII_RW_FAILED) : 0;
    case RW_ABORT:
        return stop(ap, ev->code);
    case RW_FINISH:
        return finish(ap, ev->vpath);
    default:
        return fail(ap, "", "unknown rewrite event", PII_RW_FAILED);
    }
}

int rw_apply_ev(rw_apply *ap, rw_ev *ev)
{
    int rc = ap->stopped ? 1 : dispatch(ap, ev);
    if (ev->entry)
        archive_entry_free(ev->entry);
    ev->entry = NULL;
    return rc;
}

int rw_apply_end(rw_apply *ap)
{
    if (!ap->stopped)
        stop(ap, PII_RW_FAILED);
    return ap->rc;
}
