/*
 * redact_stream.c -- one stream, one container or one pipe copied through
 * the operators (redact_int.h): the pipeline finds the values, the policy
 * picks each one's operator, and every other byte is copied unchanged.
 * Reveal is the same copy with the reversible operators undone and, as
 * the scanner does not report `encrypt` tokens (they are not personal
 * data), a writer that finds and decrypts them on the way out.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "archive_rewrite.h"
#include "holdback.h"
#include "engine_int.h"
#include "redact_int.h"
#include "tokfilter.h"

/* ---- transforms ---- */

/* The operator alone: what a worker may do ahead (pii_prep_op), as it
 * reads only the policy and the keys.  err may be NULL. */
static ssize_t apply_op(const piiscan_redactor *r, const piiscan_finding *f, unsigned char *out, size_t cap,
                        char *err, size_t errlen)
{
    const pii_op *op = pii_policy_select(r->pol, f->type, f->context);
    if (op->kind == PII_OP_KEEP)
        return PIISCAN_KEEP;
    return pii_op_apply(op, f->type, f->text, f->text_len, r->kr, out, cap, err, errlen);
}

static ssize_t redact_one(piiscan_redactor *r, const piiscan_finding *f, unsigned char *out, size_t cap)
{
    char err[200] = "";
    ssize_t n;
    if (f->replacement && f->replacement_len == PIISCAN_KEEP) {
        n = PIISCAN_KEEP;   /* as a worker found (prepare.c) */
    } else if (f->replacement && f->replacement_len >= 0 && (size_t)f->replacement_len <= cap) {
        n = f->replacement_len;
        memcpy(out, f->replacement, (size_t)n);
    } else {
        n = apply_op(r, f, out, cap, err, sizeof err);
    }
    if (n == PIISCAN_KEEP)
        return PIISCAN_KEEP;
    if (n < 0) {
        /* Fail closed: an operator that cannot transform a value must not
         * let it through unchanged. */
        const pii_op *op = pii_policy_select(r->pol, f->type, f->context);
        snprintf(r->failmsg, sizeof r->failmsg, "line %llu col %llu: %s %s: %s", (unsigned long long)f->line,
                 (unsigned long long)f->col, piiscan_type_name(f->type), pii_op_name(op->kind), err);
        return -4;
    }
    if (r->ops.finding && r->ops.finding(r->ud, r->path, f) != 0)
        return -3;
    return n;
}

static ssize_t reveal_one(piiscan_redactor *r, const piiscan_finding *f, unsigned char *out, size_t cap)
{
    const pii_op *op = pii_policy_select(r->pol, f->type, f->context);
    if (op->kind != PII_OP_FPE)
        return PIISCAN_KEEP;
    char err[200];
    ssize_t n = pii_op_reveal(op, f->type, f->text, f->text_len, r->kr, out, cap, err, sizeof err);
    if (n < 0) {
        snprintf(r->failmsg, sizeof r->failmsg, "line %llu col %llu: cannot reveal %s: %s",
                 (unsigned long long)f->line, (unsigned long long)f->col, piiscan_type_name(f->type), err);
        return -4;
    }
    return n;
}

/* ---- streams ---- */

typedef struct fd_io {
    int fd;
} fd_io;

static ssize_t fd_read(void *ud, void *buf, size_t cap)
{
    ssize_t n;
    do
        n = read(((fd_io *)ud)->fd, buf, cap);
    while (n < 0 && errno == EINTR);
    return n;
}

static int fp_write(void *ud, const void *buf, size_t len)
{
    return fwrite(buf, 1, len, (FILE *)ud) == len ? 0 : -1;
}


/* One stream through the pipeline: the transform, the writer and the end
 * callback all get this; they run on the pipeline's threads, one at a
 * time, in stream order. */
typedef struct stream_ctx {
    piiscan_redactor *r;
    FILE *out;
    int rc, err;
} stream_ctx;

static ssize_t stream_tf(void *ud, const piiscan_finding *f, unsigned char *out, size_t cap)
{
    stream_ctx *c = ud;
    return c->r->o.reveal ? reveal_one(c->r, f, out, cap) : redact_one(c->r, f, out, cap);
}

/* The operator on a worker (pii_prep_op): a failure is left to
 * redact_one, which reports it with the finding's line and column. */
static ssize_t prep_op(void *ud, const piiscan_finding *f, unsigned char *out, size_t cap)
{
    char err[200];
    return apply_op(((stream_ctx *)ud)->r, f, out, cap, err, sizeof err);
}

static int stream_wr(void *ud, const void *buf, size_t len)
{
    return fp_write(((stream_ctx *)ud)->out, buf, len);
}

void pii_redact_note(void *ud, const char *msg)
{
    stream_ctx *c = ud;
    c->r->ops.message(c->r->ud, c->r->path, msg, 0);
}

void pii_redact_paused(void *ud)
{
    stream_ctx *c = ud;
    if (c->out)
        fflush(c->out);   /* an error shows again, and is told, at the end */
}

static void stream_end(void *ud, int rc, int err)
{
    stream_ctx *c = ud;
    c->rc = rc;
    c->err = err;
}

/* Redact (or reveal) one stream and wait until all of it is written: the
 * windows of a large file or of stdin are spread over the threads.  f:
 * a stage on the copy's way out (NULL: none). */
static int run_stream(piiscan_redactor *r, piiscan_read_fn rd, void *rud, const pii_out_filter *f, FILE *out)
{
    stream_ctx c = { r, out, 0, 0 };
    pii_prep_op op = { prep_op, &c };
    if (pii_pipeline_redact_prepared(r->pl, r->path, rd, rud, stream_tf, r->o.reveal || !r->ops_ahead ? NULL : &op, f, stream_wr,
                                     stream_end, &c) < 0)
        return -1;
    piiscan_pipeline_wait(r->pl);
    errno = c.err;
    return c.rc;
}

/* Reveal's token filter, between the pipeline's redaction and its encoder:
 * it must see UTF-8, where a token's letters are together. */
typedef struct reveal_filter {
    tokfilter tf;
    int rc;                      /* of tokfilter_finish */
} reveal_filter;

static int rf_write(void *ud, const void *buf, size_t len) { return tokfilter_write(&((reveal_filter *)ud)->tf, buf, len); }

static int rf_finish(void *ud)
{
    reveal_filter *f = ud;
    f->rc = tokfilter_finish(&f->tf);
    return f->rc;
}

static int rf_flush(void *ud)
{
    reveal_filter *f = ud;
    f->rc = tokfilter_flush_lines(&f->tf);
    return f->rc;
}

static void rf_bind(void *ud, piiscan_write_fn wr, void *wud)
{
    reveal_filter *f = ud;
    f->tf.wr = wr;
    f->tf.wud = wud;
}

/* Reveal: encrypt tokens are decrypted on the way out (tokfilter.h). */
static int reveal_stream(piiscan_redactor *r, piiscan_read_fn rd, void *rud, FILE *out)
{
    reveal_filter f = { .rc = 0 };
    tokfilter_init(&f.tf, r->kr, NULL, NULL);
    pii_out_filter of = { rf_write, rf_finish, rf_bind, &f, rf_flush };
    int rc = run_stream(r, rd, rud, &of, out);
    if (rc == -4 && f.rc < 0 && f.tf.failed_write)
        rc = -3;
    if (f.tf.failmsg[0] && !r->failmsg[0])
        snprintf(r->failmsg, sizeof r->failmsg, "%s", f.tf.failmsg);
    tokfilter_free(&f.tf);
    return rc;
}

int pii_redact_stream(piiscan_redactor *r, piiscan_read_fn rd, void *rud, FILE *out)
{
    r->failmsg[0] = 0;
    int rc = r->o.reveal ? reveal_stream(r, rd, rud, out) : run_stream(r, rd, rud, NULL, out);
    if (rc == 0)
        return 0;
    if (!r->failmsg[0] && rc == -2)   /* the transform gave no reason: the file's format refused it */
        snprintf(r->failmsg, sizeof r->failmsg, "a replacement cannot be written in place without breaking the "
                 "file's format (a delimiter, quote or line break in an unquoted CSV cell, a non-number in an SQL "
                 "number column), or it is too long");
    if (!r->failmsg[0])
        snprintf(r->failmsg, sizeof r->failmsg, "%s: %s",
                 rc == -1 ? "read error" : rc == -3 ? "write error" : "failed", strerror(errno));
    return -1;
}

int pii_redact_fd(piiscan_redactor *r, int fd, FILE *out)
{
    fd_io in = { fd };
    return pii_redact_stream(r, fd_read, &in, out);
}

/* ---- containers: every member through pii_redact_stream ---- */

static int rw_member(void *ud, const char *vpath, piiscan_read_fn rd, void *rud, FILE *out)
{
    piiscan_redactor *r = ud;
    const char *file = r->path;
    r->path = vpath;   /* findings in the report name the member */
    int rc = pii_redact_stream(r, rd, rud, out);
    r->path = file;
    if (rc < 0)
        r->ops.message(r->ud, vpath, r->failmsg, 1);
    return rc;
}

void pii_redact_member_msg(void *ud, const char *vpath, const char *msg, int is_error)
{
    piiscan_redactor *r = ud;
    r->ops.message(r->ud, vpath, msg, is_error);
}

int pii_redact_container(piiscan_redactor *r, const char *path, int fd, pii_pf_item *item, FILE *out,
                         const char *unpack_dir)
{
    int t = r->o.threads;
    int rc = item ? pii_archive_rewrite_ahead(item, path, fd, out, &r->lim, t, rw_member, pii_redact_member_msg, r)
                  : pii_archive_rewrite(path, fd, out, &r->lim, t, rw_member, pii_redact_member_msg, r);
    if (rc != PII_RW_UNWRITABLE || !unpack_dir)
        return rc == PII_RW_OK ? 0 : -1;
    if (lseek(fd, 0, SEEK_SET) < 0 ||
        pii_archive_extract(path, fd, unpack_dir, &r->lim, rw_member, pii_redact_member_msg, r) < 0)
        r->ops.message(r->ud, path, "extracted with errors (see above)", 1);
    else
        r->ops.message(r->ud, path, "members written redacted as plain files under the .d directory", 0);
    return -1;
}

/* ---- a pipe ---- */

/* Bytes of a container written to a pipe that wait for its end: more than
 * a gzip trailer and final block, tar's end-of-archive record (10 KiB). */
#define HOLD_TAIL (256u << 10)

static ssize_t fdin_read(void *ud, void *buf, size_t cap) { return pii_fdin_read(ud, buf, cap); }

/* A compressed file or an archive on a pipe (cat logs.tar.gz | piiscan
 * redact -) is written back in its own format, as a file would be: passed
 * through as bytes, its personal data would go out untouched.  The tail
 * that makes the output look complete (trailer, end blocks, central
 * directory) only goes out when all went well. */
static int pipe_container(piiscan_redactor *r, const char *name, int fd, const void *head, size_t n, FILE *out)
{
    holdback *hb;
    FILE *held = holdback_open(out, HOLD_TAIL, &hb);
    if (!held) {
        r->ops.message(r->ud, name, "out of memory", 1);
        return -1;
    }
    int rc = pii_archive_rewrite_head(name, fd, head, n, held, &r->lim, r->o.threads, rw_member,
                                      pii_redact_member_msg, r);
    if (holdback_close(held, hb, rc == PII_RW_OK) < 0 && rc == PII_RW_OK)
        return -2;
    return rc == PII_RW_OK ? 0 : -1;
}

int piiscan_redact_pipe(piiscan_redactor *r, const char *name, int fd, const void *head, size_t n, FILE *out)
{
    bool live = pii_pipe_setup(fd);
    r->path = name;
    if (n > 0 && pii_container_kind(head, n, NULL) != PII_KIND_PLAIN)
        return pipe_container(r, name, fd, head, n, out);
    pii_fdin in = { .fd = fd, .pre = head, .npre = n, .live = live };
    if (pii_redact_stream(r, fdin_read, &in, out) < 0) {
        r->ops.message(r->ud, name, r->failmsg, 1);
        return -1;
    }
    return 0;
}
