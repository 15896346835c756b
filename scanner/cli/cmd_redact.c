/*
 * cmd_redact.c -- `piiscan redact` and `piiscan reveal`: parse options,
 * walk the inputs and decide where each one's copy goes: OUTDIR mirrors
 * the inputs' tree (or stdin goes to stdout).  What goes into a copy --
 * the operators, containers written back in their own format, read-ahead
 * in order -- is the library's redactor (piiscan.h, "de-identification").
 *
 * Outputs appear only complete (temporary name in the destination directory,
 * fsync, rename), inputs are opened read-only, and an output is never
 * allowed to land on an input.
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

#include "cli.h"
#include "inc_cache.h"
#include "keyfile.h"
#include "out_guard.h"
#include "outfile.h"
#include "piiscan.h"
#include "usage.h"
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
    piiscan_limits lim;           /* archives and compressed files */
    bool extract_unwritable;
    walk_globs globs;             /* --include, --exclude */
    const char *incremental;      /* --incremental FILE, or NULL */
    uint64_t opts_id;             /* what the options that shape a copy hash to (--incremental) */
} redact_opts;

/* What an input carries to its turn (piiscan_redact_file's tag): the
 * command-line path it was found under and what the walk saw of it. */
typedef struct in_tag {
    const char *arg;
    struct stat st;
} in_tag;

typedef struct redact_run {
    const redact_opts *o;
    piiscan_policy *pol;
    piiscan_key *key;             /* NULL: no key */
    piiscan_redactor *rd;
    piiscan_report *rep;
    char outroot[PATH_MAX];       /* realpath of OUTDIR */
    const char *arg;              /* command-line path being walked */
    int errors;
    inc_cache *cache;             /* --incremental, else NULL */
    out_guard guard;              /* outputs skipped by the walk, copies claimed */
    /* the input whose turn it is (piiscan_redact_ops: one at a time) */
    char dest[PATH_MAX];          /* its copy */
    char unpack[PATH_MAX + 8];    /* DEST.d, for --extract-unwritable */
    outfile of;
    int errors_before;            /* errors when its turn began */
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
static int dest_for(const redact_run *r, const char *arg, const char *path, char *out, size_t cap)
{
    char argcopy[PATH_MAX], real[PATH_MAX];
    const char *base;
    snprintf(argcopy, sizeof argcopy, "%s", arg);
    size_t n = strlen(argcopy);
    while (n > 1 && argcopy[n - 1] == '/')
        argcopy[--n] = 0;
    base = basename(argcopy);
    if (!strcmp(base, ".") || !strcmp(base, "..") || !strcmp(base, "/")) {
        if (!realpath(arg, real))
            return -1;
        base = strcmp(real, "/") ? strrchr(real, '/') + 1 : "root";
    }
    const char *rel = path + strlen(arg);
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
static int prepare_dest(redact_run *r, const char *arg, const char *path, const struct stat *st, char dest[PATH_MAX])
{
    char msg[PATH_MAX * 3 + 128];
    if (dest_for(r, arg, path, dest, PATH_MAX) < 0) {
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
    if (!r->cache || !inc_cache_known(r->cache, path, st) || dest_for(r, r->arg, path, dest, sizeof dest) < 0 ||
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

/* ---- the redactor's callbacks: one input's turn ---- */

static int on_begin(void *ud, const char *path, void *tag)
{
    redact_run *r = ud;
    const in_tag *t = tag;
    r->errors_before = r->errors;
    return prepare_dest(r, t->arg, path, &t->st, r->dest) != 0;
}

static FILE *on_open(void *ud, const char *path, void *tag, const char **unpack_dir)
{
    redact_run *r = ud;
    const in_tag *t = tag;
    char msg[PATH_MAX + 64];
    if (outfile_open(&r->of, r->dest) < 0) {
        snprintf(msg, sizeof msg, "cannot create %s: %s", r->dest, strerror(errno));
        say_error(r, path, msg);
        return NULL;
    }
    fchmod(fileno(r->of.fp), t->st.st_mode & 07777);
    if (r->o->extract_unwritable) {
        snprintf(r->unpack, sizeof r->unpack, "%s.d", r->dest);
        *unpack_dir = r->unpack;
    }
    return r->of.fp;
}

static void on_end(void *ud, const char *path, void *tag, int ok)
{
    redact_run *r = ud;
    const in_tag *t = tag;
    char msg[PATH_MAX + 64];
    if (!ok) {
        outfile_abort(&r->of);
        if (r->errors == r->errors_before)
            r->errors++;   /* extracted instead: still no archive written */
    } else if (outfile_commit(&r->of) < 0) {
        snprintf(msg, sizeof msg, "cannot write %s: %s", r->dest, strerror(errno));
        say_error(r, path, msg);
    } else {
        file_done(r, path, &t->st, r->dest);
    }
}

static int on_finding(void *ud, const char *path, const piiscan_finding *f)
{
    redact_run *r = ud;
    return r->rep && piiscan_report_finding(r->rep, path, f) < 0;
}

static void on_message(void *ud, const char *path, const char *msg, int is_error)
{
    if (is_error)
        say_error(ud, path, msg);
    else
        say_note(ud, path, msg);
}

/* ---- the walk ---- */

static int on_file(void *ud, const char *path, const struct stat *st)
{
    redact_run *r = ud;
    if (copy_is_current(r, path, st))
        return 0;
    in_tag t = { .arg = r->arg, .st = *st };
    return piiscan_redact_file(r->rd, path, &t);
}

static void on_walk_error(void *ud, const char *path, const char *msg)
{
    redact_run *r = ud;
    piiscan_redact_message(r->rd, path, msg, 1);
}

static void on_walk_note(void *ud, const char *path, const char *msg)
{
    redact_run *r = ud;
    piiscan_redact_message(r->rd, path, msg, 0);
}

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

static int parse_opts(int argc, char **argv, redact_opts *o, piiscan_policy *pol)
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
            if (piiscan_policy_op(pol, optarg, err, sizeof err) < 0)
                return cli_say(NULL, "%s", err), -1;
            break;
        case OPT_DEFAULT_OP:
            if (piiscan_policy_default_op(pol, optarg, err, sizeof err) < 0)
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
            if (piiscan_limits_set(&o->lim, longs[li].name, optarg, err, sizeof err) < 0)
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
    for (int i = 0; i < n; i++) {
        unsigned char out[4096];
        ssize_t k = piiscan_reveal_value(r->pol, r->key, vt, vals[i], strlen(vals[i]), out, sizeof out, err,
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
    const char *which = piiscan_policy_needs_key(r->pol);
    bool keyed = r->o->reveal || which;
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
    int rc = piiscan_key_new(&r->key, k.bytes, k.len);
    OPENSSL_cleanse(&k, sizeof k);
    if (rc < 0) {
        fprintf(stderr, "piiscan: cannot derive keys\n");
        return -1;
    }
    return 0;
}

/* Standard input to standard output, through the redactor: a compressed
 * file or an archive there is written back in its own format. */
static int filter_stdin(redact_run *r)
{
    outfile_buffer_stdout(OUTFILE_BUF);   /* nothing is written to stdout before this */
    unsigned char head[PIISCAN_HEAD_BYTES];
    ssize_t n = piiscan_read_head(STDIN_FILENO, head, sizeof head);
    if (n < 0) {
        say_error(r, "-", strerror(errno));
        return 2;
    }
    int rc = piiscan_redact_pipe(r->rd, "-", STDIN_FILENO, head, (size_t)n, stdout);
    if (rc == -2)
        say_error(r, "-", "write error on standard output");
    else if (rc == 0 && fflush(stdout) != 0)
        say_error(r, "-", strerror(errno));
    else if (rc == 0)
        return 0;
    return 2;
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
    walk_ops ops = { on_file, on_walk_error, on_walk_note, true, &r->o->globs, &r->guard };
    for (int i = 0; i < n; i++) {
        if (!strcmp(paths[i], "-")) {
            piiscan_redact_finish(r->rd);
            say_error(r, "-", "stdin cannot be mixed with PATH inputs");
            continue;
        }
        if (named_before(paths, i)) {
            piiscan_redact_finish(r->rd);
            say_note(r, paths[i], "named more than once; copied once");
            continue;
        }
        r->arg = paths[i];
        walk_path(paths[i], &ops, r);
    }
    piiscan_redact_finish(r->rd);
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
    if (r->key) {
        char id[17];
        piiscan_key_id(r->key, id);
        h = XXH3_64bits_withSeed(id, 16, h);
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

/* The library's redactor, wired to this run's copies, report and messages. */
static int new_redactor(redact_run *r, const piiscan_ruleset *rs)
{
    static const piiscan_redact_ops ops = { on_begin, on_open, on_end, on_finding, on_message };
    piiscan_redact_options ro;
    piiscan_redact_options_init(&ro);
    ro.reveal = r->o->reveal;
    ro.threads = r->o->threads;
    ro.scan = r->o->scan;
    ro.limits = r->o->lim;
    ro.tag_size = sizeof(in_tag);
    return piiscan_redactor_new(&r->rd, rs, r->pol, r->key, &ro, &ops, r);
}

static int cmd_redact_or_reveal(int argc, char **argv, bool reveal)
{
    redact_opts o = { .reveal = reveal };
    piiscan_scan_options_init(&o.scan);
    piiscan_limits_init(&o.lim);
    redact_run r = { .o = &o };
    int status = 2;
    char err[512];
    piiscan_ruleset *rs = NULL;
    outfile rf = { 0 };
    if (piiscan_policy_new(&r.pol) < 0) {
        fprintf(stderr, "piiscan: out of memory\n");
        return 2;
    }
    if (parse_opts(argc, argv, &o, r.pol) < 0)
        goto out;
    if (o.policy && piiscan_policy_load(r.pol, o.policy, err, sizeof err) < 0) {
        cli_say(NULL, "%s", err);
        goto out;
    }
    if (!o.min_conf_set && piiscan_policy_min_confidence(r.pol) >= 0)
        o.scan.min_confidence = piiscan_policy_min_confidence(r.pol);
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
    if (piiscan_ruleset_new(&rs, err, sizeof err) < 0 || new_redactor(&r, rs) < 0) {
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
    piiscan_redactor_free(r.rd);
    if (r.rep)
        piiscan_report_close(r.rep, 0);
    if (rf.fp)
        outfile_abort(&rf);
    piiscan_ruleset_free(rs);
    piiscan_policy_free(r.pol);
    walk_globs_free(&o.globs);
    inc_cache_free(r.cache);
    out_guard_free(&r.guard);
    piiscan_key_free(r.key);
    return status;
}

int cmd_redact(int argc, char **argv) { return cmd_redact_or_reveal(argc, argv, false); }
int cmd_reveal(int argc, char **argv) { return cmd_redact_or_reveal(argc, argv, true); }