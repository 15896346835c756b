/*
 * cmd_scan.c -- `piiscan scan`: parse options, wire the inputs (files,
 * directories, stdin) to the scanner and the scanner to a report sink.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
static const char SHORT_OPTS[] = ":f:o:qh";

#define SNIFF_BYTES (64u << 10)

typedef struct scan_opts {
    piiscan_format format;
    const char *output;
    const char *key_file;
    bool show_values;
    bool quiet;
    uint32_t types;              /* bit mask of reported types */
    int threads;                 /* 0: all online CPUs */
    piiscan_scan_options scan;
    piiscan_limits lim;          /* archives and compressed files */
    walk_globs globs;            /* --include, --exclude */
    const char *incremental;     /* --incremental FILE, or NULL */
} scan_opts;

typedef struct scan_run {
    const scan_opts *o;
    piiscan_pipeline *pl;
    piiscan_report *rep;
    uint64_t found;
    int errors;
    _Atomic int report_failed;   /* set by the delivering thread */
    piiscan_inputs *in;          /* files in order, containers opened (and read ahead) */
    inc_cache *cache;            /* --incremental, else NULL */
    out_guard guard;             /* the outputs, skipped by the walk */
} scan_run;

/* One input as it travels through the pipeline: a stream to scan (a
 * file, stdin or an archive member), or an error/note met while walking,
 * delivered in order with the rest so that reports and messages follow the
 * command line's order. */
typedef struct job {
    scan_run *r;
    piiscan_read_fn rd;          /* the stream (read during the submit) */
    void *rud;
    uint64_t total;
    piiscan_sniff sn;
    const char *msg;             /* walk error or note: no data */
    bool is_note;
    bool decoded;                /* read as GBK: the library said so */
    char path[];
} job;

static void say_error(scan_run *r, const char *path, const char *msg)
{
    cli_say(path, "%s", msg);
    piiscan_report_error(r->rep, path, msg);
    r->errors++;
    if (r->cache)
        inc_cache_failed(r->cache, path);
}

static void say_note(scan_run *r, const char *path, const char *msg)
{
    if (!r->o->quiet)
        cli_say(path, "note: %s", msg);
}

static int on_finding(void *ud, const piiscan_finding *f)
{
    job *j = ud;
    scan_run *r = j->r;
    if (!(r->o->types & (1u << f->type)))
        return 0;
    r->found++;
    if (piiscan_report_finding(r->rep, j->path, f) < 0) {
        r->report_failed = 1;
        return 1;
    }
    return 0;
}

static ssize_t job_read(void *ud, void *buf, size_t cap)
{
    job *j = ud;
    if (j->msg)
        return 0;
    ssize_t n = j->rd(j->rud, buf, cap);
    if (n > 0) {
        if (j->total < SNIFF_BYTES)
            piiscan_sniff_block(&j->sn, buf, (size_t)n);
        j->total += (uint64_t)n;
    }
    return n;
}

/* --format columns: how many rows each column of the file had. */
static void on_columns(void *ud, const char *context, uint64_t rows)
{
    job *j = ud;
    if (!j->msg)
        piiscan_report_column(j->r->rep, j->path, context, rows);
}

/* The library read the stream as GBK or UTF-16 text (or says what else it
 * found in the text): its note replaces the "not valid UTF-8" one and the
 * UTF-16 refusal (which remains for a library that cannot decode). */
static void on_note(void *ud, const char *msg)
{
    job *j = ud;
    if (j->msg)
        return;
    j->decoded = true;
    say_note(j->r, j->path, msg);
}

/* A live standard input paused: its findings so far are seen at once. */
static void on_paused(void *ud)
{
    job *j = ud;
    if (piiscan_report_flush(j->r->rep) < 0)
        j->r->report_failed = 1;
}

/* Delivered after the job's last finding. */
static void job_end(void *ud, int rc, int err)
{
    job *j = ud;
    scan_run *r = j->r;
    char msg[160];
    if (j->msg) {
        if (j->is_note)
            say_note(r, j->path, j->msg);
        else
            say_error(r, j->path, j->msg);
    } else if (r->report_failed) {
        /* the report cannot be written: nothing more to say */
    } else if (rc < 0 && rc != -1) {
        say_error(r, j->path, "scan stopped");
    } else if (rc == -1) {
        snprintf(msg, sizeof msg, "read error after %llu bytes: %s", (unsigned long long)j->total, strerror(err));
        say_error(r, j->path, msg);
    } else {
        piiscan_report_file(r->rep, j->path, j->total);
        if (j->total == 0)
            say_note(r, j->path, "empty file");
        if (j->sn.utf16 && !j->decoded) {
            say_error(r, j->path, "UTF-16 text (byte-order mark), which piiscan does not read: what it holds was "
                      "not found; convert it first (iconv -f UTF-16 -t UTF-8)");
        } else if (j->sn.has_nul && !j->decoded) {
            snprintf(msg, sizeof msg, "binary file (NUL byte at offset %zu), scanned as raw bytes", j->sn.nul_at);
            say_note(r, j->path, msg);
        } else if (j->sn.bad_utf8 && !j->decoded) {
            snprintf(msg, sizeof msg, "not valid UTF-8 (byte offset %zu; GBK?), scanned as raw bytes; "
                     "Chinese keywords may be missed", j->sn.bad_at);
            say_note(r, j->path, msg);
        }
    }
    free((void *)j->msg);
    free(j);
}

static job *new_job(scan_run *r, const char *path, const char *msg, bool note)
{
    size_t n = strlen(path) + 1;
    job *j = calloc(1, sizeof *j + n);
    if (!j)
        return NULL;
    j->r = r;
    memcpy(j->path, path, n);
    if (msg && !(j->msg = strdup(msg))) {
        free(j);
        return NULL;
    }
    j->is_note = note;
    return j;
}

/* Queue a job; the pipeline reads it now, in this thread. */
static int submit(scan_run *r, job *j)
{
    if (!j || piiscan_pipeline_scan_named(r->pl, j->path, job_read, j, on_finding, job_end, j) < 0) {
        if (j) {
            free((void *)j->msg);
            free(j);
        }
        fprintf(stderr, "piiscan: out of memory\n");
        r->report_failed = 1;
        return 1;
    }
    return r->report_failed;
}

/* A stream in its turn (a file, stdin or an archive member): scanned now,
 * while it is open (the pipeline reads it in this thread). */
static int on_stream(void *ud, const char *name, piiscan_read_fn rd, void *rud)
{
    scan_run *r = ud;
    job *j = new_job(r, name, NULL, false);
    if (j) {
        j->rd = rd;
        j->rud = rud;
    }
    return submit(r, j);
}

static void on_message(void *ud, const char *name, const char *msg, int is_error)
{
    submit(ud, new_job(ud, name, msg, !is_error));
}

/* The report failed in the delivering thread: no more inputs. */
static int on_stopped(void *ud) { return ((scan_run *)ud)->report_failed; }

/* What an input call returns: -1 (out of memory) is said, and stops. */
static int check(scan_run *r, int rc) { return rc < 0 ? submit(r, NULL) : rc; }

/* st is NULL when only the directory entry told that path is a regular
 * file (walk.h): whatever may have been put there since must neither be
 * followed (a symbolic link) nor block the run (a FIFO). */
static int on_file(void *ud, const char *path, const struct stat *st)
{
    scan_run *r = ud;
    if (r->cache && st) {   /* --incremental walks with stat_files */
        if (inc_cache_unchanged(r->cache, path, st))
            return 0;
        if (inc_cache_scanning(r->cache, path, st) < 0)
            return submit(r, NULL);
    }
    /* Opened by a reader thread ahead of its turn when there are
     * threads to spare (piiscan.h), so that with many small files this
     * thread only hands their bytes on. */
    int flags = O_RDONLY | O_NOCTTY | O_CLOEXEC | (st ? 0 : O_NOFOLLOW | O_NONBLOCK);
    return check(r, piiscan_inputs_open(r->in, path, flags));
}
static void on_walk_error(void *ud, const char *path, const char *msg)
{
    scan_run *r = ud;
    check(r, piiscan_inputs_message(r->in, path, msg, 1));
}

static void on_walk_note(void *ud, const char *path, const char *msg)
{
    scan_run *r = ud;
    check(r, piiscan_inputs_message(r->in, path, msg, 0));
}

static int parse_types(const char *list, uint32_t *mask)
{
    /* strtok_r would pass over an empty element silently: '--types ""'
     * (an unset shell variable) would then check nothing and exit 0. */
    size_t n = strlen(list);
    if (n == 0 || list[0] == ',' || list[n - 1] == ',' || strstr(list, ",,")) {
        fprintf(stderr, "piiscan: --types: %s (see `piiscan types`)\n",
                n ? "empty type name in the list" : "expected a comma-separated list of types, got ''");
        return -1;
    }
    char *copy = strdup(list);
    if (!copy)
        return -1;
    *mask = 0;
    int rc = 0;
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int k = piiscan_type_from_name(t);
        if (k < 0) {
            fprintf(stderr, "piiscan: --types: unknown type '%s' (see `piiscan types`)\n", t);
            rc = -1;
            break;
        }
        *mask |= 1u << k;
    }
    free(copy);
    return rc;
}

enum { OPT_MIN_CONF = 256, OPT_TYPES, OPT_SHOW, OPT_KEY, OPT_WINDOW, OPT_THREADS, OPT_LIMIT, OPT_INCLUDE, OPT_EXCLUDE,
       OPT_INCREMENTAL };

static int parse_opts(int argc, char **argv, scan_opts *o)
{
    static const struct option longs[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "min-confidence", required_argument, NULL, OPT_MIN_CONF },
        { "types", required_argument, NULL, OPT_TYPES },
        { "show-values", no_argument, NULL, OPT_SHOW },
        { "key-file", required_argument, NULL, OPT_KEY },
        { "window-size", required_argument, NULL, OPT_WINDOW },
        { "threads", required_argument, NULL, OPT_THREADS },
        { "max-depth", required_argument, NULL, OPT_LIMIT },
        { "max-expansion", required_argument, NULL, OPT_LIMIT },
        { "max-ratio", required_argument, NULL, OPT_LIMIT },
        { "include", required_argument, NULL, OPT_INCLUDE },
        { "exclude", required_argument, NULL, OPT_EXCLUDE },
        { "incremental", required_argument, NULL, OPT_INCREMENTAL },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    piiscan_limits_init(&o->lim);
    int li;
    char err[200];
    o->format = PIISCAN_FMT_SUMMARY;
    o->types = (1u << PIISCAN_TYPE_COUNT) - 1;
    piiscan_scan_options_init(&o->scan);
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, SHORT_OPTS, longs, &li)) != -1) {
        switch (c) {
        case 'f': {
            int f = piiscan_format_from_name(optarg);
            if (f < 0) {
                fprintf(stderr, "piiscan: --format: unknown format '%s' (summary, jsonl, json, sarif, csv, columns)\n", optarg);
                return -1;
            }
            o->format = (piiscan_format)f;
            break;
        }
        case 'o': o->output = optarg; break;
        case 'q': o->quiet = true; break;
        case 'h': cli_usage_scan(stdout); exit(0);
        case OPT_MIN_CONF:
            if (cli_parse_confidence(optarg, &o->scan.min_confidence) < 0) {
                fprintf(stderr, "piiscan: --min-confidence: expected a number from 0 to 1, got '%s'\n", optarg);
                return -1;
            }
            break;
        case OPT_TYPES:
            if (parse_types(optarg, &o->types) < 0)
                return -1;
            break;
        case OPT_SHOW: o->show_values = true; break;
        case OPT_KEY: o->key_file = optarg; break;
        case OPT_WINDOW:
            if (cli_parse_size(optarg, &o->scan.window_size) < 0) {
                fprintf(stderr, "piiscan: --window-size: expected 4096..1G bytes (K, M suffixes), got '%s'\n", optarg);
                return -1;
            }
            break;
        case OPT_THREADS:
            if (cli_parse_threads(optarg, &o->threads) < 0) {
                fprintf(stderr, "piiscan: --threads: expected 0 (all CPUs) to 256, got '%s'\n", optarg);
                return -1;
            }
            break;
        case OPT_LIMIT:
            if (piiscan_limits_set(&o->lim, longs[li].name, optarg, err, sizeof err) < 0) {
                cli_say(NULL, "%s", err);
                return -1;
            }
            break;
        case OPT_INCLUDE:
        case OPT_EXCLUDE:
            if (walk_globs_add(&o->globs, c == OPT_INCLUDE, optarg, err, sizeof err) < 0) {
                cli_say(NULL, "%s", err);
                return -1;
            }
            break;
        case OPT_INCREMENTAL: o->incremental = optarg; break;
        case ':':
            fprintf(stderr, "piiscan: option '%s' needs a value\n",
                    cli_bad_option(argv, SHORT_OPTS, true, err, sizeof err));
            return -1;
        default:
            fprintf(stderr, "piiscan: unknown option '%s' (see `piiscan scan --help`)\n",
                    cli_bad_option(argv, SHORT_OPTS, false, err, sizeof err));
            return -1;
        }
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Standard input: a container (cat logs.tar.gz | piiscan scan) is walked
 * like a file of that kind, anything else scanned as it comes.  A pipe
 * gives its first bytes up only once, so they are read here to tell the
 * kind and then handed back first. */
static int scan_stdin(scan_run *r)
{
    unsigned char head[PIISCAN_HEAD_BYTES];
    ssize_t n = piiscan_read_head(STDIN_FILENO, head, sizeof head);
    if (n < 0)
        return check(r, piiscan_inputs_message(r->in, "-", strerror(errno), 1));
    return check(r, piiscan_inputs_pipe(r->in, "-", STDIN_FILENO, head, (size_t)n));
}

static void scan_inputs(scan_run *r, int n, char **paths)
{
    walk_ops ops = { on_file, on_walk_error, on_walk_note, r->cache != NULL, &r->o->globs, &r->guard };
    if (n == 0)
        scan_stdin(r);
    int stop = 0;
    for (int i = 0; i < n && !stop && !r->report_failed; i++) {
        if (strcmp(paths[i], "-") == 0)
            stop = piiscan_inputs_finish(r->in) || scan_stdin(r);
        else
            stop = walk_path(paths[i], &ops, r);
    }
    if (!stop)
        piiscan_inputs_finish(r->in);
    piiscan_pipeline_wait(r->pl);
}

/* The inputs, with walker threads for containers when there are threads
 * to spare, so that a directory of .gz files is not inflated one file at
 * a time by the thread that feeds the pipeline. */
static int start_inputs(scan_run *r, int threads)
{
    static const piiscan_input_ops ops = { on_stream, on_message, on_stopped, true };   /* to a pipeline */
    return piiscan_inputs_new(&r->in, threads, &r->o->lim, &ops, r);
}

/* What decides this run's findings, for the --incremental cache. */
static uint64_t run_identity(const piiscan_ruleset *rs, const scan_opts *o)
{
    char buf[96];
    int n = snprintf(buf, sizeof buf, "types=%08x min-confidence=%.17g", (unsigned)o->types, o->scan.min_confidence);
    return XXH3_64bits_withSeed(buf, (size_t)n, piiscan_ruleset_identity(rs));
}

static int open_cache(scan_run *r, const piiscan_ruleset *rs)
{
    const scan_opts *o = r->o;
    return o->incremental ? inc_cache_start(&r->cache, o->incremental, run_identity(rs, o), o->quiet, "scanned") : 0;
}

/* A report on standard output is written 64 KiB at a time, a pipe's
 * capacity, not 4 KiB (stdio's own when it is not a terminal: a write(2)
 * per 16 findings of a dense table); through `| cat` that was about 10%
 * faster, while 256 KiB, past what the caches keep, was slower.  Not when
 * standard input is scanned as it comes from a pipe:
 * `tail -f app.log | piiscan scan -f jsonl - | jq` would wait 16 times
 * longer for each batch of findings. */
#define REPORT_STDOUT_BUF (64u << 10)

static void buffer_stdout_report(int npaths, char **paths)
{
    bool from_stdin = npaths == 0;
    for (int i = 0; i < npaths; i++)
        from_stdin |= strcmp(paths[i], "-") == 0;
    struct stat st;
    if (!from_stdin || (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode)))
        outfile_buffer_stdout(REPORT_STDOUT_BUF);
}

/* Scan, report, and close the report; the exit status. */
static int run_scan(scan_run *r, FILE *fp, outfile *out, const piiscan_report_options *ro, int npaths, char **paths)
{
    const scan_opts *o = r->o;
    if (start_inputs(r, o->threads) < 0 || piiscan_report_open(&r->rep, fp, ro) < 0) {
        fprintf(stderr, "piiscan: cannot start the report: out of memory\n");
        return 2;
    }
    double t0 = now();
    scan_inputs(r, npaths, paths);
    int wr = piiscan_report_close(r->rep, now() - t0);
    if (o->output && wr == 0 && !r->report_failed) {
        wr = outfile_commit(out);
        if (wr < 0)
            cli_say(o->output, "cannot write report: %s", strerror(errno));
    } else if (wr < 0 || r->report_failed) {
        cli_say(o->output ? o->output : "(stdout)", "cannot write report: %s",
                strerror(errno));
        wr = -1;
    }
    /* After the report is complete, never before: a cache that names a
     * file whose findings were not delivered would hide them for good. */
    if (wr == 0 && !r->report_failed && r->cache && (fflush(stdout) != 0 || inc_cache_finish(r->cache, o->quiet, "scanned") < 0))
        wr = -1;
    return (wr < 0 || r->report_failed || r->errors) ? 2 : (r->found ? 1 : 0);
}

/* Refuse, before anything is opened for writing, an output that would
 * replace an input, the key or the other output (out_guard.h). */
static int guard_outputs(out_guard *g, const scan_opts *o, int npaths, char **paths)
{
    out_guard_output(g, "-o", o->output);
    out_guard_output(g, "--incremental", o->incremental);
    out_guard_input(g, "--key-file", o->key_file);
    return out_guard_check(g, npaths, paths);
}

static int scan_main(scan_opts *o, int npaths, char **paths)
{
    if (npaths == 0 && isatty(STDIN_FILENO)) {
        fprintf(stderr, "piiscan: no input: give a PATH, or pipe data to stdin (see `piiscan scan --help`)\n");
        return 2;
    }
    char err[512];
    scan_run r = { .o = o };
    if (guard_outputs(&r.guard, o, npaths, paths) < 0) {
        out_guard_free(&r.guard);
        return 2;
    }
    cli_key key;
    if (cli_key_load(&key, o->key_file, err, sizeof err) < 0) {
        cli_say(NULL, "%s", err);
        out_guard_free(&r.guard);
        return 2;
    }
    piiscan_ruleset *rs = NULL;
    piiscan_pipeline *pl = NULL;
    if (o->format == PIISCAN_FMT_COLUMNS)
        o->scan.columns = on_columns;
    o->scan.note = on_note;
    o->scan.paused = on_paused;
    /* Fingerprints made by the detecting threads. */
    piiscan_report_options ro = { o->format, o->show_values, key.bytes, key.len };
    piiscan_report_options_prepare(&ro, &o->scan);
    outfile out = { 0 };
    int status = 2;
    if (piiscan_ruleset_new(&rs, err, sizeof err) < 0 || piiscan_pipeline_new(&pl, rs, &o->scan, o->threads) < 0) {
        cli_say(NULL, "%s", rs ? "out of memory" : err);
    } else if (open_cache(&r, rs) == 0) {
        FILE *fp = stdout;
        /* Raw values in a new report: private to its owner. */
        if (o->output && outfile_open_mode(&out, o->output, o->show_values ? 0600 : 0666) < 0) {
            cli_say(o->output, "cannot create report: %s", strerror(errno));
        } else {
            if (o->output) {
                fp = out.fp;
                out_guard_opened(&r.guard, fileno(out.fp));
            } else {
                buffer_stdout_report(npaths, paths);
            }
            r.pl = pl;
            status = run_scan(&r, fp, &out, &ro, npaths, paths);
        }
    }
    if (o->output && out.fp)
        outfile_abort(&out);
    inc_cache_free(r.cache);
    out_guard_free(&r.guard);
    piiscan_inputs_free(r.in);
    piiscan_pipeline_free(pl);
    piiscan_ruleset_free(rs);
    OPENSSL_cleanse(&key, sizeof key);
    return status;
}

int cmd_scan(int argc, char **argv)
{
    scan_opts o;
    int status = parse_opts(argc, argv, &o) < 0 ? 2 : scan_main(&o, argc - optind, argv + optind);
    walk_globs_free(&o.globs);
    return status;
}
