/*
 * cmd_redact.c -- `piiscan redact` and `piiscan reveal`: parse options,
 * build the operator policy and the key, and copy every input to its mirror
 * under OUTDIR (or stdin to stdout) through the library's redaction stream.
 *
 * Outputs appear only complete (temporary name in the destination directory,
 * fsync, rename), inputs are opened read-only, and an output is never
 * allowed to land on an input.
 *
 * With two threads or more, compressed files are inflated ahead by walker
 * threads (archive_rewrite.h, the two halves): each file is still taken
 * in its turn, and the files found after one being read ahead wait in an
 * ordered queue, so that outputs, messages and the report keep the order
 * of the walk.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <xxhash.h>

#include "archive_rewrite.h"
#include "cli.h"
#include "holdback.h"
#include "inc_cache.h"
#include "keyfile.h"
#include "ops.h"
#include "out_guard.h"
#include "outfile.h"
#include "piiscan.h"
#include "policy.h"
#include "prefetch_order.h"
#include "sniff.h"
#include "src_prefetch.h"
#include "tokfilter.h"
#include "usage.h"
#include "validate.h"
#include "walk.h"

/* Short options for getopt_long (the leading colon: a missing value is told apart). */
static const char SHORT_OPTS[] = ":o:qh";

typedef struct redact_opts {
    bool reveal;
    const char *outdir;
    const char *policy;
    const char *key_file;
    const char *report;
    const char *value_type;       /* reveal --type T VALUE... */
    bool force;
    bool quiet;
    piiscan_scan_options scan;
    bool min_conf_set;
    int threads;                  /* 0: all online CPUs */
    pii_src_limits lim;           /* archives and compressed files */
    bool extract_unwritable;
    walk_globs globs;             /* --include, --exclude */
    const char *incremental;      /* --incremental FILE, or NULL */
    uint64_t opts_id;             /* what the options that shape a copy hash to (--incremental) */
} redact_opts;

/* An input file as the walk found it, opened ahead of its turn or not. */
typedef struct input {
    bool opened;                  /* fd and err hold what open() gave */
    int fd, err;
    pii_pf_item *item;            /* its stream, read ahead by a walker (it owns a descriptor of its own) */
} input;

/* An input or a walk message in its turn (prefetch_order.h): at once, or
 * after waiting behind a file being read ahead. */
typedef struct pending {
    const char *arg;              /* the command-line path it was found under */
    const char *path;
    struct stat st;
    input in;
    bool is_msg, is_note;         /* a walk message: path, then the message in msg */
    const char *msg;
    char *own_path, *own_msg;     /* copies of path and msg while it waits (the walk's last for its call only) */
} pending;

typedef struct redact_run {
    const redact_opts *o;
    pii_policy pol;
    pii_keyring kr;
    bool have_key;
    piiscan_pipeline *pl;         /* windows of each stream over --threads */
    piiscan_report *rep;
    char outroot[PATH_MAX];       /* realpath of OUTDIR */
    const char *arg;              /* command-line path being mirrored */
    const char *path;             /* file being processed */
    char failmsg[256];
    int errors;
    uint64_t changed;
    unsigned walkers;             /* read-ahead threads to start at the first container (0: none) */
    pii_prefetch *pf;
    pii_order *q;                 /* inputs waiting for their turn behind those read ahead */
    inc_cache *cache;             /* --incremental, else NULL */
    out_guard guard;              /* outputs skipped by the walk, copies claimed */
} redact_run;

static void say_error(redact_run *r, const char *path, const char *msg)
{
    cli_say(path, "%s", msg);
    if (r->rep)
        piiscan_report_error(r->rep, path, msg);
    r->errors++;
}

static void say_note(redact_run *r, const char *path, const char *msg)
{
    if (!r->o->quiet)
        cli_say(path, "note: %s", msg);
}

/* ---- transforms ---- */

static ssize_t redact_one(void *ud, const piiscan_finding *f, unsigned char *out, size_t cap)
{
    redact_run *r = ud;
    const pii_op *op = pii_policy_select(&r->pol, f->type, f->context);
    if (op->kind == PII_OP_KEEP)
        return PIISCAN_KEEP;
    char err[200];
    ssize_t n = pii_op_apply(op, f->type, f->text, f->text_len, r->have_key ? &r->kr : NULL, out, cap, err,
                             sizeof err);
    if (n < 0) {
        /* Fail closed: an operator that cannot transform a value must not
         * let it through unchanged. */
        snprintf(r->failmsg, sizeof r->failmsg, "line %llu col %llu: %s %s: %s", (unsigned long long)f->line,
                 (unsigned long long)f->col, piiscan_type_name(f->type), pii_op_name(op->kind), err);
        return -4;
    }
    r->changed++;
    if (r->rep && piiscan_report_finding(r->rep, r->path, f) < 0)
        return -3;
    return n;
}

static ssize_t reveal_one(void *ud, const piiscan_finding *f, unsigned char *out, size_t cap)
{
    redact_run *r = ud;
    const pii_op *op = pii_policy_select(&r->pol, f->type, f->context);
    if (op->kind != PII_OP_FPE)
        return PIISCAN_KEEP;
    char err[200];
    ssize_t n = pii_op_reveal(op, f->type, f->text, f->text_len, &r->kr, out, cap, err, sizeof err);
    if (n < 0) {
        snprintf(r->failmsg, sizeof r->failmsg, "line %llu col %llu: cannot reveal %s: %s",
                 (unsigned long long)f->line, (unsigned long long)f->col, piiscan_type_name(f->type), err);
        return -4;
    }
    r->changed++;
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

static int tok_write(void *ud, const void *buf, size_t len) { return tokfilter_write(ud, buf, len); }

/* One stream through the pipeline: the transform, the writer and the end
 * callback all get this; they run on the pipeline's threads, one at a
 * time, in stream order. */
typedef struct stream_ctx {
    redact_run *r;
    piiscan_write_fn wr;
    void *wud;
    int rc, err;
} stream_ctx;

static ssize_t stream_tf(void *ud, const piiscan_finding *f, unsigned char *out, size_t cap)
{
    stream_ctx *c = ud;
    return c->r->o->reveal ? reveal_one(c->r, f, out, cap) : redact_one(c->r, f, out, cap);
}

static int stream_wr(void *ud, const void *buf, size_t len)
{
    stream_ctx *c = ud;
    return c->wr(c->wud, buf, len);
}

static void stream_end(void *ud, int rc, int err)
{
    stream_ctx *c = ud;
    c->rc = rc;
    c->err = err;
}

/* Redact (or reveal) one stream and wait until all of it is written: the
 * windows of a large file or of stdin are spread over the threads. */
static int run_stream(redact_run *r, piiscan_read_fn rd, void *rud, piiscan_write_fn wr, void *wud)
{
    stream_ctx c = { r, wr, wud, 0, 0 };
    if (piiscan_pipeline_redact_named(r->pl, r->path, rd, rud, stream_tf, stream_wr, stream_end, &c) < 0)
        return -1;
    piiscan_pipeline_wait(r->pl);
    errno = c.err;
    return c.rc;
}

/* Copy a stream to out through redaction or reveal; 0 or -1 with failmsg. */
static int process_rd(redact_run *r, piiscan_read_fn rd, void *rud, FILE *out)
{
    r->failmsg[0] = 0;
    int rc;
    if (!r->o->reveal) {
        rc = run_stream(r, rd, rud, fp_write, out);
    } else {
        tokfilter tf;
        tokfilter_init(&tf, &r->kr, fp_write, out);
        rc = run_stream(r, rd, rud, tok_write, &tf);
        if (rc == 0 && tokfilter_finish(&tf) < 0)
            rc = tf.failed_write ? -3 : -4;
        if (tf.failmsg[0] && !r->failmsg[0])
            snprintf(r->failmsg, sizeof r->failmsg, "%s", tf.failmsg);
        tokfilter_free(&tf);
    }
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

static int process(redact_run *r, int in_fd, FILE *out)
{
    fd_io in = { in_fd };
    return process_rd(r, fd_read, &in, out);
}

/* ---- containers: every member through process_rd ---- */

static int rw_member(void *ud, const char *vpath, piiscan_read_fn rd, void *rud, FILE *out)
{
    redact_run *r = ud;
    const char *file = r->path;
    r->path = vpath;   /* findings in the report name the member */
    int rc = process_rd(r, rd, rud, out);
    r->path = file;
    if (rc < 0)
        say_error(r, vpath, r->failmsg);
    return rc;
}

static void rw_msg(void *ud, const char *vpath, const char *msg, int is_error)
{
    if (is_error)
        say_error(ud, vpath, msg);
    else
        say_note(ud, vpath, msg);
}

enum head_kind { HEAD_PLAIN, HEAD_CONTAINER, HEAD_UTF16 };

/* What an input is, from one read of its head.  UTF-16 text is refused,
 * not copied: a copy would pass its personal data through unchanged (none
 * of it is found). */
static enum head_kind head_kind(int fd, const char *path)
{
    unsigned char head[PII_HEAD_BYTES];
    ssize_t n = pread(fd, head, sizeof head, 0);
    if (n <= 0)
        return HEAD_PLAIN;
    if (sniff_utf16_bom(head, (size_t)n))
        return HEAD_UTF16;
    return pii_container_kind(head, (size_t)n, path) != PII_KIND_PLAIN ? HEAD_CONTAINER : HEAD_PLAIN;
}

/* A container is written back in its own format (from what a walker read
 * ahead, if item); one that cannot be is either left out or, on request,
 * unpacked redacted into DEST.d/. */
static int process_container(redact_run *r, const char *path, int fd, pii_pf_item *item, FILE *out,
                             const char *dest)
{
    const pii_src_limits *lim = &r->o->lim;
    int rc = item ? pii_archive_rewrite_ahead(item, path, fd, out, lim, r->o->threads, rw_member, rw_msg, r)
                  : pii_archive_rewrite(path, fd, out, lim, r->o->threads, rw_member, rw_msg, r);
    if (rc != PII_RW_UNWRITABLE || !r->o->extract_unwritable)
        return rc == PII_RW_OK ? 0 : -1;
    char dir[PATH_MAX + 8];
    snprintf(dir, sizeof dir, "%s.d", dest);
    if (lseek(fd, 0, SEEK_SET) < 0 || pii_archive_extract(path, fd, dir, &r->o->lim, rw_member, rw_msg, r) < 0)
        say_error(r, path, "extracted with errors (see above)");
    else
        say_note(r, path, "members written redacted as plain files under the .d directory");
    return -1;
}

/* ---- the output tree ---- */

static int mkdir_p(char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : (errno = ENOTDIR, -1);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        int rc = mkdir_p(dir);
        *slash = '/';
        if (rc < 0)
            return -1;
    }
    return mkdir(dir, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

/* Destination of `path` found under the command-line argument `arg`:
 * OUTDIR/basename(arg)/<path relative to arg>, like cp -r. */
static int dest_for(const redact_run *r, const char *path, char *out, size_t cap)
{
    char argcopy[PATH_MAX], real[PATH_MAX];
    const char *base;
    snprintf(argcopy, sizeof argcopy, "%s", r->arg);
    size_t n = strlen(argcopy);
    while (n > 1 && argcopy[n - 1] == '/')
        argcopy[--n] = 0;
    base = basename(argcopy);
    if (!strcmp(base, ".") || !strcmp(base, "..") || !strcmp(base, "/")) {
        if (!realpath(r->arg, real))
            return -1;
        base = strcmp(real, "/") ? strrchr(real, '/') + 1 : "root";
    }
    const char *rel = path + strlen(r->arg);
    while (*rel == '/')
        rel++;
    int k = *rel ? snprintf(out, cap, "%s/%s/%s", r->o->outdir, base, rel) : snprintf(out, cap, "%s/%s", r->o->outdir, base);
    return k < 0 || (size_t)k >= cap ? (errno = ENAMETOOLONG, -1) : 0;
}

/* Make the directories of rel below the output root, following no
 * symbolic link: a link planted in OUTDIR (out/in2 -> ../in) would
 * otherwise take the copies, and their directories, into an input tree,
 * and --force would replace the inputs there by redacted copies. */
static int mkdir_below(const char *root, const char *rel, char *bad, size_t badlen)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", rel);
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return snprintf(bad, badlen, "%s", root), -1;
    char *save = NULL;
    for (char *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (mkdirat(fd, c, 0777) < 0 && errno != EEXIST) {
            int e = errno;
            snprintf(bad, badlen, "%s", c);
            close(fd);
            return errno = e, -1;
        }
        int next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int e = errno;
        struct stat lst;
        /* A link gives ELOOP or ENOTDIR: told apart from a plain file
         * (EMLINK stands for "a link", which mkdirat never gives here). */
        if (next < 0 && fstatat(fd, c, &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode))
            e = EMLINK;
        close(fd);
        if (next < 0) {
            snprintf(bad, badlen, "%s", c);
            return errno = e, -1;
        }
        fd = next;
    }
    close(fd);
    return 0;
}

/* dest (from dest_for) on the resolved OUTDIR, into real: with no link
 * followed below OUTDIR (mkdir_below), one name for one file.  Returns
 * dest's part below OUTDIR, NULL when real would be too long. */
static const char *dest_real(const redact_run *r, const char *dest, char real[PATH_MAX])
{
    const char *rel = dest + strlen(r->o->outdir);
    while (*rel == '/')
        rel++;
    int k = snprintf(real, PATH_MAX, "%s/%s", strcmp(r->outroot, "/") ? r->outroot : "", rel);
    return k < 0 || k >= PATH_MAX ? NULL : rel;
}

/* Where path's copy goes, its directory made; -1 when it is not to be
 * written (said).  1: path was already copied there in this run (the same
 * input reached twice), nothing to do. */
static int prepare_dest(redact_run *r, const char *path, const struct stat *st, char dest[PATH_MAX])
{
    char msg[PATH_MAX * 3 + 128];
    if (dest_for(r, path, dest, PATH_MAX) < 0) {
        say_error(r, path, strerror(errno));
        return -1;
    }
    char real[PATH_MAX];
    const char *rel = dest_real(r, dest, real);
    if (!rel) {
        say_error(r, path, strerror(ENAMETOOLONG));
        return -1;
    }
    for (size_t i = 0; i < r->guard.nouts; i++) {
        if (r->guard.outs[i].real && !strcmp(r->guard.outs[i].real, real)) {
            snprintf(msg, sizeof msg, "its copy %s would replace the %s file; not written", dest, r->guard.outs[i].opt);
            say_error(r, path, msg);
            return -1;
        }
    }
    /* Two inputs with one destination (a/x.log and b/x.log): the second
     * would replace the first one's copy, even with --force. */
    const char *other;
    int k = out_guard_claim(&r->guard, real, path, st, &other);
    if (k == 1) {
        say_note(r, path, "named more than once; copied once");
        return 1;
    }
    if (k < 0) {
        if (other)
            snprintf(msg, sizeof msg, "its copy %s is also the copy of %s (same name under OUTDIR); not written", dest,
                     other);
        say_error(r, path, other ? msg : "out of memory");
        return -1;
    }
    /* The directories first: stat(dest) below must not look through a
     * link planted in OUTDIR either. */
    char dir[PATH_MAX], bad[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", rel);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    if (slash && mkdir_below(r->outroot, dir, bad, sizeof bad) < 0) {
        if (errno == EMLINK)
            snprintf(msg, sizeof msg, "its directory %s/%s goes through the symbolic link %s, not followed below "
                     "OUTDIR; not written", r->o->outdir, dir, bad);
        else
            snprintf(msg, sizeof msg, "cannot create directory %s/%s: %s (at %s)", r->o->outdir, dir, strerror(errno),
                     bad);
        say_error(r, path, msg);
        return -1;
    }
    struct stat dst;
    if (stat(dest, &dst) == 0) {
        if (dst.st_dev == st->st_dev && dst.st_ino == st->st_ino) {
            snprintf(msg, sizeof msg, "refusing to write the output over the input itself (%s)", dest);
            say_error(r, path, msg);
            return -1;
        }
        /* A copy an earlier --incremental run wrote is replaced when its
         * input changed; anything else only with --force. */
        if (!r->o->force && !(r->cache && inc_cache_has(r->cache, dest))) {
            snprintf(msg, sizeof msg, "output %s exists (use --force to replace it)", dest);
            say_error(r, path, msg);
            return -1;
        }
    }
    return 0;
}

static int open_input(const char *path, input *in)
{
    in->opened = true;
    in->fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
    in->err = in->fd < 0 ? errno : 0;
    return in->fd;
}

/* An input whose turn came to nothing: its walk stopped, its file closed. */
static void drop_input(input *in)
{
    if (in->item)
        pii_prefetch_cancel(in->item);
    if (in->opened && in->fd >= 0)
        close(in->fd);
    in->item = NULL;
    in->opened = false;
}

/* path's copy is complete at dest.  With --incremental both are recorded:
 * the input as the walk saw it before it was read (a change while it was
 * read then shows next time), the copy as written. */
static void file_done(redact_run *r, const char *path, const struct stat *st, const char *dest)
{
    if (r->rep)
        piiscan_report_file(r->rep, path, (uint64_t)st->st_size);
    struct stat dst;
    if (r->cache && stat(dest, &dst) == 0 && inc_cache_scanning(r->cache, path, st) == 0)
        inc_cache_wrote(r->cache, dest, &dst);
}

/* --incremental: path and its copy are both as the last run left them;
 * then both are carried over and nothing is done. */
static bool copy_is_current(redact_run *r, const char *path, const struct stat *st)
{
    char dest[PATH_MAX];
    struct stat dst;
    char real[PATH_MAX];
    const char *other;
    if (!r->cache || !inc_cache_known(r->cache, path, st) || dest_for(r, path, dest, sizeof dest) < 0 ||
        stat(dest, &dst) < 0 || !inc_cache_known(r->cache, dest, &dst) || !dest_real(r, dest, real))
        return false;
    if (!inc_cache_unchanged(r->cache, path, st) || inc_cache_wrote(r->cache, dest, &dst) != 0)
        return false;
    /* Claimed as if written now: a later input with the same copy is then
     * refused as it would be in a full run (prepare_dest).  No earlier
     * input of this run can hold the claim: its copy would be new, not
     * one the cache knows. */
    (void)out_guard_claim(&r->guard, real, path, st, &other);
    return true;
}

static void redact_file(redact_run *r, const char *path, const struct stat *st, input *in)
{
    char dest[PATH_MAX], msg[PATH_MAX + 64];
    if (prepare_dest(r, path, st, dest) != 0) {
        drop_input(in);
        return;
    }
    if (!in->opened)
        open_input(path, in);
    int fd = in->fd;
    if (fd < 0) {
        say_error(r, path, strerror(in->err));
        drop_input(in);
        return;
    }
    enum head_kind kind = in->item ? HEAD_CONTAINER : head_kind(fd, path);
    if (kind == HEAD_UTF16) {
        say_error(r, path, "UTF-16 text (byte-order mark), which piiscan does not read: not redacted, nothing "
                  "written; convert it first (iconv -f UTF-16 -t UTF-8)");
        drop_input(in);
        return;
    }
    outfile of;
    if (outfile_open(&of, dest) < 0) {
        snprintf(msg, sizeof msg, "cannot create %s: %s", dest, strerror(errno));
        say_error(r, path, msg);
        drop_input(in);
        return;
    }
    fchmod(fileno(of.fp), st->st_mode & 07777);
    r->path = path;
    pii_pf_item *item = in->item;
    in->item = NULL;   /* the rewrite frees it */
    if (kind == HEAD_CONTAINER) {
        int errs = r->errors;
        if (process_container(r, path, fd, item, of.fp, dest) < 0) {
            outfile_abort(&of);
            if (r->errors == errs)
                r->errors++;   /* extracted instead: still no archive written */
        } else if (outfile_commit(&of) < 0) {
            snprintf(msg, sizeof msg, "cannot write %s: %s", dest, strerror(errno));
            say_error(r, path, msg);
        } else {
            file_done(r, path, st, dest);
        }
    } else if (process(r, fd, of.fp) < 0) {
        outfile_abort(&of);
        snprintf(msg, sizeof msg, "%s; nothing written", r->failmsg);
        say_error(r, path, msg);
    } else if (outfile_commit(&of) < 0) {
        snprintf(msg, sizeof msg, "cannot write %s: %s", dest, strerror(errno));
        say_error(r, path, msg);
    } else {
        file_done(r, path, st, dest);
    }
    drop_input(in);
}

/* ---- inputs in walk order, compressed ones read ahead ---- */

static void run_pending(redact_run *r, pending *p)
{
    if (p->is_msg) {
        if (p->is_note)
            say_note(r, p->path, p->msg);
        else
            say_error(r, p->path, p->msg);
    } else {
        const char *arg = r->arg;
        r->arg = p->arg;
        redact_file(r, p->path, &p->st, &p->in);
        r->arg = arg;
    }
}

/* An input's turn.  Redact never stops the queue: every input gets its
 * turn and its message, whatever failed before. */
static int take_turn(void *ud, void *entry)
{
    pending *p = entry;
    run_pending(ud, p);
    free(p->own_path);
    free(p->own_msg);
    return 0;
}

/* p waits for its turn: its path and message are copied, as the walk's
 * last only for the call that gave them.  Out of memory, the queue takes
 * the turns before p and p's at once instead. */
static int keep_strings(void *ud, void *entry)
{
    pending *p = entry;
    (void)ud;
    p->own_path = strdup(p->path);
    p->own_msg = p->msg ? strdup(p->msg) : NULL;
    if (!p->own_path || (p->msg && !p->own_msg)) {
        free(p->own_path);
        free(p->own_msg);
        p->own_path = p->own_msg = NULL;
        return -1;
    }
    p->path = p->own_path;
    p->msg = p->own_msg;
    return 0;
}

/* Only for a queue freed with inputs waiting, which a run never leaves
 * (it drains the queue, and no turn stops it). */
static void drop_pending(void *ud, void *entry)
{
    pending *p = entry;
    (void)ud;
    drop_input(&p->in);
    free(p->own_path);
    free(p->own_msg);
}

/* Give a container to a walker, starting the pool at the first; false
 * when it cannot be (then it is read in its turn, as with one thread). */
static bool read_ahead(redact_run *r, const char *path, input *in)
{
    if (!r->pf && !(r->pf = pii_prefetch_new(r->walkers, &r->o->lim))) {
        r->walkers = 0;
        return false;
    }
    int fd = dup(in->fd);   /* the walker's own; in->fd stays for a rewrite it defers */
    return fd >= 0 && (in->item = pii_prefetch_add_walk(r->pf, path, fd, pii_rewrite_read)) != NULL;
}

static int on_file(void *ud, const char *path, const struct stat *st)
{
    redact_run *r = ud;
    if (copy_is_current(r, path, st))
        return 0;
    pending p = { .arg = r->arg, .path = path, .st = *st };
    if (r->walkers && open_input(path, &p.in) >= 0 && head_kind(p.in.fd, path) == HEAD_CONTAINER)
        read_ahead(r, path, &p.in);
    pii_order_put(r->q, &p, p.in.item != NULL);
    return 0;
}

static void walk_msg(redact_run *r, const char *path, const char *msg, bool note)
{
    pending p = { .path = path, .is_msg = true, .is_note = note, .msg = msg };
    pii_order_put(r->q, &p, false);
}

static void on_walk_error(void *ud, const char *path, const char *msg) { walk_msg(ud, path, msg, false); }
static void on_walk_note(void *ud, const char *path, const char *msg) { walk_msg(ud, path, msg, true); }

/* OUTDIR must not be an input or inside one: the walk would read its own
 * output (and redact it again). */
static int check_outdir(redact_run *r, int n, char **paths)
{
    if (cli_future_realpath(r->o->outdir, r->outroot) < 0) {
        cli_say(r->o->outdir, "cannot resolve output directory: %s", strerror(errno));
        return -1;
    }
    size_t ol = strlen(r->outroot);
    for (int i = 0; i < n; i++) {
        char in[PATH_MAX];
        if (!realpath(paths[i], in))
            continue;   /* reported by the walk */
        size_t il = strlen(in);
        bool inside = !strncmp(r->outroot, in, il) && (r->outroot[il] == '/' || r->outroot[il] == 0 || il == 1);
        bool holds = !strncmp(in, r->outroot, ol) && (in[ol] == '/' || in[ol] == 0);
        if (inside || holds) {
            cli_say(paths[i], "output directory %s %s", r->o->outdir,
                    inside ? "is inside this input (or is it)" : "contains this input");
            return -1;
        }
    }
    char *od = strdup(r->o->outdir);
    if (!od || mkdir_p(od) < 0) {
        cli_say(r->o->outdir, "cannot create output directory: %s", strerror(errno));
        free(od);
        return -1;
    }
    free(od);
    return 0;
}

/* ---- options ---- */

enum { OPT_POLICY = 256, OPT_OP, OPT_DEFAULT_OP, OPT_KEY, OPT_REPORT, OPT_FORCE, OPT_MIN_CONF, OPT_WINDOW, OPT_TYPE, OPT_THREADS,
       OPT_LIMIT, OPT_EXTRACT, OPT_INCLUDE, OPT_EXCLUDE, OPT_INCREMENTAL };

/* Options whose value can change what a copy holds (--incremental starts
 * again when they differ); -o, --threads, --force, -q, globs and reports
 * do not. */
static bool shapes_copy(int c)
{
    return c == OPT_POLICY || c == OPT_OP || c == OPT_DEFAULT_OP || c == OPT_MIN_CONF || c == OPT_LIMIT ||
           c == OPT_EXTRACT;
}

static int parse_opts(int argc, char **argv, redact_opts *o, pii_policy *pol)
{
    static const struct option longs[] = {
        { "output", required_argument, NULL, 'o' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "policy", required_argument, NULL, OPT_POLICY },
        { "op", required_argument, NULL, OPT_OP },
        { "default-op", required_argument, NULL, OPT_DEFAULT_OP },
        { "key-file", required_argument, NULL, OPT_KEY },
        { "report", required_argument, NULL, OPT_REPORT },
        { "force", no_argument, NULL, OPT_FORCE },
        { "min-confidence", required_argument, NULL, OPT_MIN_CONF },
        { "window-size", required_argument, NULL, OPT_WINDOW },
        { "threads", required_argument, NULL, OPT_THREADS },
        { "type", required_argument, NULL, OPT_TYPE },
        { "max-depth", required_argument, NULL, OPT_LIMIT },
        { "max-expansion", required_argument, NULL, OPT_LIMIT },
        { "max-ratio", required_argument, NULL, OPT_LIMIT },
        { "extract-unwritable", no_argument, NULL, OPT_EXTRACT },
        { "include", required_argument, NULL, OPT_INCLUDE },
        { "exclude", required_argument, NULL, OPT_EXCLUDE },
        { "incremental", required_argument, NULL, OPT_INCREMENTAL },
        { NULL, 0, NULL, 0 },
    };
    char err[512];
    int c, li;
    opterr = 0;
    while ((c = getopt_long(argc, argv, SHORT_OPTS, longs, &li)) != -1) {
        if (shapes_copy(c) && optarg)
            o->opts_id = XXH3_64bits_withSeed(optarg, strlen(optarg), o->opts_id * 31 + (uint64_t)c + (uint64_t)li);
        else if (shapes_copy(c))
            o->opts_id = o->opts_id * 31 + (uint64_t)c;
        switch (c) {
        case 'o': o->outdir = optarg; break;
        case 'q': o->quiet = true; break;
        case 'h':
            if (o->reveal)
                cli_usage_reveal(stdout);
            else
                cli_usage_redact(stdout);
            exit(0);
        case OPT_POLICY: o->policy = optarg; break;
        case OPT_OP:
            if (pii_policy_cli_op(pol, optarg, err, sizeof err) < 0)
                return cli_say(NULL, "%s", err), -1;
            break;
        case OPT_DEFAULT_OP:
            if (pii_policy_cli_default(pol, optarg, err, sizeof err) < 0)
                return cli_say(NULL, "%s", err), -1;
            break;
        case OPT_KEY: o->key_file = optarg; break;
        case OPT_REPORT: o->report = optarg; break;
        case OPT_FORCE: o->force = true; break;
        case OPT_MIN_CONF:
            if (cli_parse_confidence(optarg, &o->scan.min_confidence) < 0)
                return fprintf(stderr, "piiscan: --min-confidence: expected a number from 0 to 1, got '%s'\n", optarg), -1;
            o->min_conf_set = true;
            break;
        case OPT_THREADS:
            if (cli_parse_threads(optarg, &o->threads) < 0)
                return fprintf(stderr, "piiscan: --threads: expected 0 (all CPUs) to 256, got '%s'\n", optarg), -1;
            break;
        case OPT_WINDOW:
            if (cli_parse_size(optarg, &o->scan.window_size) < 0)
                return fprintf(stderr, "piiscan: --window-size: expected 4096..1G bytes (K, M suffixes), got '%s'\n", optarg), -1;
            break;
        case OPT_TYPE:
            if (!o->reveal || piiscan_type_from_name(optarg) < 0)
                return fprintf(stderr, "piiscan: --type: %s\n", o->reveal ? "unknown type (see `piiscan types`)" : "only for reveal"), -1;
            o->value_type = optarg;
            break;
        case OPT_LIMIT:
            if (pii_src_limits_set(&o->lim, longs[li].name, optarg, err, sizeof err) < 0)
                return cli_say(NULL, "%s", err), -1;
            break;
        case OPT_EXTRACT: o->extract_unwritable = true; break;
        case OPT_INCLUDE:
        case OPT_EXCLUDE:
            if (o->reveal || walk_globs_add(&o->globs, c == OPT_INCLUDE, optarg, err, sizeof err) < 0)
                return cli_say(NULL, "%s", o->reveal ? "--include and --exclude are for redact" : err), -1;
            break;
        case OPT_INCREMENTAL:
            if (o->reveal)
                return fprintf(stderr, "piiscan: --incremental is for redact and scan\n"), -1;
            o->incremental = optarg;
            break;
        case ':':
            return fprintf(stderr, "piiscan: option '%s' needs a value\n",
                           cli_bad_option(argv, SHORT_OPTS, true, err, sizeof err)), -1;
        default:
            return fprintf(stderr, "piiscan: unknown option '%s' (see `piiscan %s --help`)\n",
                           cli_bad_option(argv, SHORT_OPTS, false, err, sizeof err),
                           o->reveal ? "reveal" : "redact"), -1;
        }
    }
    return 0;
}

/* reveal --type T VALUE...: one revealed value per line. */
static int reveal_values(redact_run *r, int n, char **vals)
{
    piiscan_type vt = (piiscan_type)piiscan_type_from_name(r->o->value_type);
    int status = 0;
    char err[200];
    /* FPE checks its output against the validator tables (mobile prefixes,
     * regions, IINs); on files the ruleset loads them, here nothing has. */
    if (pii_tables_init(err, sizeof err) < 0) {
        cli_say(NULL, "%s", err);
        return 2;
    }
    for (int i = 0; i < n; i++) {
        piiscan_type t = vt;   /* a token names its own type */
        const pii_op *op = pii_policy_select(&r->pol, t, "");
        /* Not a compound literal in the if below: its lifetime would end
         * with that statement, before pii_op_reveal reads it. */
        pii_op enc = { .kind = PII_OP_ENCRYPT };
        pii_op fpe = { .kind = PII_OP_FPE, .keep_first = -1, .keep_last = -1, .decimals = -1 };
        size_t lo, hi;
        piiscan_type tt;
        if (pii_token_next((const uint8_t *)vals[i], strlen(vals[i]), 0, &lo, &hi, &tt) && lo == 0 &&
            hi == strlen(vals[i]))
            op = &enc, t = tt;
        else if (op->kind != PII_OP_FPE)
            op = &fpe;
        unsigned char out[4096];
        ssize_t k = pii_op_reveal(op, t, (const uint8_t *)vals[i], strlen(vals[i]), &r->kr, out, sizeof out, err,
                                  sizeof err);
        if (k < 0) {
            cli_say(vals[i], "cannot reveal: %s", err);
            status = 2;
            continue;
        }
        fwrite(out, 1, (size_t)k, stdout);
        putchar('\n');
    }
    return fflush(stdout) == 0 ? status : 2;
}

static int load_key(redact_run *r, bool needed)
{
    const char *which = NULL;
    bool keyed = r->o->reveal || pii_policy_needs_key(&r->pol, &which);
    (void)needed;
    if (!keyed)
        return 0;
    if (!r->o->key_file && !getenv("PIISCAN_KEY")) {
        fprintf(stderr, "piiscan: the %s operator needs a key: give --key-file FILE or set PIISCAN_KEY "
                "(`piiscan keygen` makes one)\n", r->o->reveal ? "reveal" : which);
        return -1;
    }
    cli_key k;
    char err[512];
    if (cli_key_load(&k, r->o->key_file, err, sizeof err) < 0) {
        cli_say(NULL, "%s", err);
        return -1;
    }
    int rc = pii_keyring_init(&r->kr, k.bytes, k.len);
    OPENSSL_cleanse(&k, sizeof k);
    if (rc < 0) {
        fprintf(stderr, "piiscan: cannot derive keys\n");
        return -1;
    }
    r->have_key = true;
    return 0;
}

/* Bytes of a container written to stdout that wait for its end: more than
 * a gzip trailer and final block, tar's end-of-archive record (10 KiB). */
#define HOLD_TAIL (256u << 10)

static ssize_t fdin_read(void *ud, void *buf, size_t cap) { return pii_fdin_read(ud, buf, cap); }

/* Standard input to standard output.  A compressed file or an archive
 * there (cat logs.tar.gz | piiscan redact -) is written back in its own
 * format, as a file would be: passed through as bytes, its personal data
 * would go out untouched.  A pipe gives its first bytes up only once, so
 * they are read to tell the kind and handed back to the reader. */
static int filter_stdin(redact_run *r)
{
    /* Nothing is written to stdout before this (outfile.c says why the
     * buffer); a terminal keeps its line buffering, so that a person
     * typing sees each line come back. */
    static char outbuf[OUTFILE_BUF];
    if (!isatty(STDOUT_FILENO))
        (void)setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    unsigned char head[PII_HEAD_BYTES];
    ssize_t n = cli_read_full(STDIN_FILENO, head, sizeof head);
    if (n < 0) {
        say_error(r, "-", strerror(errno));
        return 2;
    }
    r->path = "-";
    if (n > 0 && pii_container_kind(head, (size_t)n, NULL) != PII_KIND_PLAIN) {
        /* The tail that makes the output look complete (trailer, end
         * blocks, central directory) only goes out when all went well. */
        holdback *hb;
        FILE *held = holdback_open(stdout, HOLD_TAIL, &hb);
        if (!held) {
            say_error(r, "-", "out of memory");
            return 2;
        }
        int rc = pii_archive_rewrite_head("-", STDIN_FILENO, head, (size_t)n, held, &r->o->lim, r->o->threads,
                                          rw_member, rw_msg, r);
        if (holdback_close(held, hb, rc == PII_RW_OK) < 0 && rc == PII_RW_OK) {
            say_error(r, "-", "write error on standard output");
            return 2;
        }
        return rc == PII_RW_OK ? 0 : 2;
    }
    pii_fdin in = { .fd = STDIN_FILENO, .pre = head, .npre = (size_t)n };
    if (process_rd(r, fdin_read, &in, stdout) < 0 || fflush(stdout) != 0) {
        say_error(r, "-", r->failmsg[0] ? r->failmsg : strerror(errno));
        return 2;
    }
    return 0;
}

/* Walker threads for compressed files (pii_prefetch_walkers), so that a
 * directory of .gz files is not inflated one file at a time by the thread
 * that feeds the pipeline (started at the first such file), and the queue
 * that keeps the walk's order behind them: without walkers (one thread,
 * or no memory for a queue as long) every input is taken at once. */
static int plan_read_ahead(redact_run *r)
{
    static const pii_order_ops ops = { take_turn, keep_strings, drop_pending };
    unsigned k = pii_prefetch_walkers(r->o->threads);
    if (k && (r->q = pii_order_new(k, sizeof(pending), &ops, r)) != NULL)
        r->walkers = k;
    else if (!(r->q = pii_order_new(0, sizeof(pending), &ops, r)))
        return fprintf(stderr, "piiscan: out of memory\n"), -1;
    return 0;
}

/* paths[i] is a file or directory already named before it (another
 * spelling or a link counts): walked once. */
static bool named_before(char **paths, int i)
{
    struct stat a, b;
    if (stat(paths[i], &a) < 0)
        return false;
    for (int j = 0; j < i; j++)
        if (stat(paths[j], &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
            return true;
    return false;
}

static int run_inputs(redact_run *r, int n, char **paths)
{
    if (n == 1 && !strcmp(paths[0], "-")) {
        if (r->o->outdir) {
            fprintf(stderr, "piiscan: stdin is written to stdout; -o is for PATH inputs\n");
            return 2;
        }
        int rc = filter_stdin(r);
        if (rc)
            return rc;
        if (r->rep)
            piiscan_report_file(r->rep, "-", 0);
        return 0;
    }
    if (!r->o->outdir) {
        fprintf(stderr, "piiscan: -o OUTDIR is required for PATH inputs (or use - to filter stdin to stdout)\n");
        return 2;
    }
    if (check_outdir(r, n, paths) < 0)
        return 2;
    if (plan_read_ahead(r) < 0)
        return 2;
    walk_ops ops = { on_file, on_walk_error, on_walk_note, true, &r->o->globs, &r->guard };
    for (int i = 0; i < n; i++) {
        if (!strcmp(paths[i], "-")) {
            pii_order_drain(r->q);
            say_error(r, "-", "stdin cannot be mixed with PATH inputs");
            continue;
        }
        if (named_before(paths, i)) {
            pii_order_drain(r->q);
            say_note(r, paths[i], "named more than once; copied once");
            continue;
        }
        r->arg = paths[i];
        walk_path(paths[i], &ops, r);
    }
    pii_order_drain(r->q);
    return r->errors ? 2 : 0;
}

/* A policy file's bytes, folded into h; h unchanged when it cannot be read
 * (loading it has already succeeded by then). */
static uint64_t hash_file(const char *path, uint64_t h)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return h;
    unsigned char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        h = XXH3_64bits_withSeed(buf, n, h);
    fclose(fp);
    return h;
}

/* What decides the copies of this run, for --incremental: the detectors,
 * the options that shape a copy, the policy's contents and the key (by a
 * keyed fingerprint of a constant, which tells nothing of the key). */
static uint64_t redact_identity(const redact_run *r, const piiscan_ruleset *rs)
{
    uint64_t h = XXH3_64bits_withSeed("redact", 6, piiscan_ruleset_identity(rs) ^ r->o->opts_id);
    if (r->o->policy)
        h = hash_file(r->o->policy, h);
    if (r->have_key) {
        static const char probe[] = "piiscan --incremental";
        char fp[17];
        piiscan_fingerprint(r->kr.k_hash, sizeof r->kr.k_hash, (piiscan_type)0, probe, sizeof probe - 1, fp);
        h = XXH3_64bits_withSeed(fp, 16, h);
    }
    return h;
}

/* Refuse, before anything is opened for writing, a --report or
 * --incremental file that would replace an input, the key, the policy or
 * the other output (out_guard.h).  The copies under OUTDIR are checked as
 * they are made (check_outdir, prepare_dest). */
static int guard_outputs(out_guard *g, const redact_opts *o, int npaths, char **paths)
{
    out_guard_output(g, "--report", o->report);
    out_guard_output(g, "--incremental", o->incremental);
    out_guard_input(g, "--key-file", o->key_file);
    out_guard_input(g, "--policy", o->policy);
    return out_guard_check(g, npaths, paths);
}

static int cmd_redact_or_reveal(int argc, char **argv, bool reveal)
{
    redact_opts o = { .reveal = reveal };
    piiscan_scan_options_init(&o.scan);
    pii_src_limits_init(&o.lim);
    redact_run r = { .o = &o };
    pii_policy_init(&r.pol);
    int status = 2;
    char err[512];
    piiscan_ruleset *rs = NULL;
    outfile rf = { 0 };
    if (parse_opts(argc, argv, &o, &r.pol) < 0)
        goto out;
    if (o.policy && pii_policy_load(&r.pol, o.policy, err, sizeof err) < 0) {
        cli_say(NULL, "%s", err);
        goto out;
    }
    if (!o.min_conf_set && r.pol.min_confidence >= 0)
        o.scan.min_confidence = r.pol.min_confidence;
    int npaths = argc - optind;
    if (npaths == 0) {
        fprintf(stderr, "piiscan: no input (see `piiscan %s --help`)\n", reveal ? "reveal" : "redact");
        goto out;
    }
    if (load_key(&r, true) < 0)
        goto out;
    if (o.value_type) {
        status = reveal_values(&r, npaths, argv + optind);
        goto out;
    }
    if (guard_outputs(&r.guard, &o, npaths, argv + optind) < 0)
        goto out;
    if (piiscan_ruleset_new(&rs, err, sizeof err) < 0 || piiscan_pipeline_new(&r.pl, rs, &o.scan, o.threads) < 0) {
        cli_say(NULL, "%s", rs ? "out of memory" : err);
        goto out;
    }
    if (o.incremental && inc_cache_start(&r.cache, o.incremental, redact_identity(&r, rs), o.quiet, "redacted") < 0)
        goto out;
    if (o.report) {
        cli_key fk;
        if (cli_key_load(&fk, o.key_file, err, sizeof err) < 0 || outfile_open(&rf, o.report) < 0) {
            cli_say(o.report, "cannot create report");
            goto out;
        }
        out_guard_opened(&r.guard, fileno(rf.fp));
        piiscan_report_options ro = { PIISCAN_FMT_JSONL, 0, fk.bytes, fk.len };
        int k = piiscan_report_open(&r.rep, rf.fp, &ro);
        OPENSSL_cleanse(&fk, sizeof fk);
        if (k < 0)
            goto out;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    status = run_inputs(&r, npaths, argv + optind);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (r.rep) {
        int wr = piiscan_report_close(r.rep, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
        r.rep = NULL;
        if (wr < 0 || outfile_commit(&rf) < 0) {
            cli_say(o.report, "cannot write report: %s", strerror(errno));
            status = 2;
            goto out;   /* the cache stays as it was: next time the same files are done and reported */
        }
    }
    if (r.cache && inc_cache_finish(r.cache, o.quiet, "redacted") < 0)
        status = 2;
out:
    pii_order_free(r.q);
    pii_prefetch_free(r.pf);
    if (r.rep)
        piiscan_report_close(r.rep, 0);
    if (rf.fp)
        outfile_abort(&rf);
    piiscan_pipeline_free(r.pl);
    piiscan_ruleset_free(rs);
    pii_policy_free(&r.pol);
    walk_globs_free(&o.globs);
    inc_cache_free(r.cache);
    out_guard_free(&r.guard);
    OPENSSL_cleanse(&r.kr, sizeof r.kr);
    return status;
}

int cmd_redact(int argc, char **argv) { return cmd_redact_or_reveal(argc, argv, false); }
int cmd_reveal(int argc, char **argv) { return cmd_redact_or_reveal(argc, argv, true); }
