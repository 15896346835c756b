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
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "keyfile.h"
#include "outfile.h"
#include "piiscan.h"
#include "sniff.h"
#include "usage.h"
#include "walk.h"

#define SNIFF_BYTES (64u << 10)

typedef struct scan_opts {
    piiscan_format format;
    const char *output;
    const char *key_file;
    bool show_values;
    bool quiet;
    uint32_t types;              /* bit mask of reported types */
    piiscan_scan_options scan;
} scan_opts;

typedef struct scan_run {
    const scan_opts *o;
    piiscan_scanner *sc;
    piiscan_report *rep;
    const char *path;            /* file being scanned */
    uint64_t found;
    int errors;
    int report_failed;
} scan_run;

static void say_error(scan_run *r, const char *path, const char *msg)
{
    fprintf(stderr, "piiscan: %s: %s\n", path, msg);
    piiscan_report_error(r->rep, path, msg);
    r->errors++;
}

static void say_note(scan_run *r, const char *path, const char *msg)
{
    if (!r->o->quiet)
        fprintf(stderr, "piiscan: %s: note: %s\n", path, msg);
}

static int on_finding(void *ud, const piiscan_finding *f)
{
    scan_run *r = ud;
    if (!(r->o->types & (1u << f->type)))
        return 0;
    r->found++;
    if (piiscan_report_finding(r->rep, r->path, f) < 0) {
        r->report_failed = 1;
        return 1;
    }
    return 0;
}

typedef struct fd_source {
    int fd;
    uint64_t total;
    sniff sn;
} fd_source;

static ssize_t fd_read(void *ud, void *buf, size_t cap)
{
    fd_source *s = ud;
    ssize_t n;
    do
        n = read(s->fd, buf, cap);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
        if (s->total < SNIFF_BYTES)
            sniff_block(&s->sn, buf, (size_t)n);
        s->total += (uint64_t)n;
    }
    return n;
}

static void scan_fd(scan_run *r, const char *path, int fd)
{
    fd_source src = { .fd = fd };
    char msg[160];
    r->path = path;
    int rc = piiscan_scan_stream(r->sc, fd_read, &src, on_finding, r);
    if (r->report_failed)
        return;
    if (rc < 0) {
        snprintf(msg, sizeof msg, "read error after %llu bytes: %s", (unsigned long long)src.total, strerror(errno));
        say_error(r, path, msg);
        return;
    }
    piiscan_report_file(r->rep, path, src.total);
    if (src.total == 0)
        say_note(r, path, "empty file");
    if (src.sn.has_nul) {
        snprintf(msg, sizeof msg, "binary file (NUL byte at offset %zu), scanned as raw bytes", src.sn.nul_at);
        say_note(r, path, msg);
    } else if (src.sn.bad_utf8) {
        snprintf(msg, sizeof msg, "not valid UTF-8 (byte offset %zu; GBK?), scanned as raw bytes; "
                 "Chinese keywords may be missed", src.sn.bad_at);
        say_note(r, path, msg);
    }
}

static int on_file(void *ud, const char *path, const struct stat *st)
{
    (void)st;
    scan_run *r = ud;
    int fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        say_error(r, path, strerror(errno));
        return 0;
    }
    scan_fd(r, path, fd);
    close(fd);
    return r->report_failed;
}

static void on_walk_error(void *ud, const char *path, const char *msg) { say_error(ud, path, msg); }
static void on_walk_note(void *ud, const char *path, const char *msg) { say_note(ud, path, msg); }

static int parse_types(const char *list, uint32_t *mask)
{
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

static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    if (*end == 'K' || *end == 'k')
        v <<= 10, end++;
    else if (*end == 'M' || *end == 'm')
        v <<= 20, end++;
    if (*end || v < 4096 || v > (1ull << 30))
        return -1;
    *out = (size_t)v;
    return 0;
}

enum { OPT_MIN_CONF = 256, OPT_TYPES, OPT_SHOW, OPT_KEY, OPT_WINDOW };

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
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    o->format = PIISCAN_FMT_SUMMARY;
    o->types = (1u << PIISCAN_TYPE_COUNT) - 1;
    piiscan_scan_options_init(&o->scan);
    int c;
    char *end;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:o:qh", longs, NULL)) != -1) {
        switch (c) {
        case 'f': {
            int f = piiscan_format_from_name(optarg);
            if (f < 0) {
                fprintf(stderr, "piiscan: --format: unknown format '%s' (summary, jsonl, json, sarif, csv)\n", optarg);
                return -1;
            }
            o->format = (piiscan_format)f;
            break;
        }
        case 'o': o->output = optarg; break;
        case 'q': o->quiet = true; break;
        case 'h': cli_usage_scan(stdout); exit(0);
        case OPT_MIN_CONF:
            o->scan.min_confidence = strtod(optarg, &end);
            if (*end || end == optarg || o->scan.min_confidence < 0 || o->scan.min_confidence > 1) {
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
            if (parse_size(optarg, &o->scan.window_size) < 0) {
                fprintf(stderr, "piiscan: --window-size: expected 4096..1G bytes (K, M suffixes), got '%s'\n", optarg);
                return -1;
            }
            break;
        case ':':
            fprintf(stderr, "piiscan: option '%s' needs a value\n", argv[optind - 1]);
            return -1;
        default:
            fprintf(stderr, "piiscan: unknown option '%s' (see `piiscan scan --help`)\n", argv[optind - 1]);
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

static void scan_inputs(scan_run *r, int n, char **paths)
{
    walk_ops ops = { on_file, on_walk_error, on_walk_note };
    if (n == 0) {
        scan_fd(r, "-", STDIN_FILENO);
        return;
    }
    for (int i = 0; i < n && !r->report_failed; i++) {
        if (strcmp(paths[i], "-") == 0)
            scan_fd(r, "-", STDIN_FILENO);
        else if (walk_path(paths[i], &ops, r))
            break;
    }
}

int cmd_scan(int argc, char **argv)
{
    scan_opts o;
    if (parse_opts(argc, argv, &o) < 0)
        return 2;
    int npaths = argc - optind;
    if (npaths == 0 && isatty(STDIN_FILENO)) {
        fprintf(stderr, "piiscan: no input: give a PATH, or pipe data to stdin (see `piiscan scan --help`)\n");
        return 2;
    }
    char err[512];
    cli_key key;
    if (cli_key_load(&key, o.key_file, err, sizeof err) < 0) {
        fprintf(stderr, "piiscan: %s\n", err);
        return 2;
    }
    piiscan_ruleset *rs = NULL;
    piiscan_scanner *sc = NULL;
    if (piiscan_ruleset_new(&rs, err, sizeof err) < 0 || piiscan_scanner_new(&sc, rs, &o.scan) < 0) {
        fprintf(stderr, "piiscan: %s\n", rs ? "out of memory" : err);
        piiscan_ruleset_free(rs);
        OPENSSL_cleanse(&key, sizeof key);
        return 2;
    }
    outfile out = { 0 };
    FILE *fp = stdout;
    if (o.output) {
        if (outfile_open(&out, o.output) < 0) {
            fprintf(stderr, "piiscan: %s: cannot create report: %s\n", o.output, strerror(errno));
            piiscan_scanner_free(sc);
            piiscan_ruleset_free(rs);
            OPENSSL_cleanse(&key, sizeof key);
            return 2;
        }
        fp = out.fp;
    }
    piiscan_report_options ro = { o.format, o.show_values, key.bytes, key.len };
    scan_run r = { .o = &o, .sc = sc };
    int status = 2;
    if (piiscan_report_open(&r.rep, fp, &ro) < 0) {
        fprintf(stderr, "piiscan: cannot start the report: out of memory\n");
    } else {
        double t0 = now();
        scan_inputs(&r, npaths, argv + optind);
        int wr = piiscan_report_close(r.rep, now() - t0);
        if (o.output && wr == 0 && !r.report_failed) {
            wr = outfile_commit(&out);
            if (wr < 0)
                fprintf(stderr, "piiscan: %s: cannot write report: %s\n", o.output, strerror(errno));
        } else if (wr < 0 || r.report_failed) {
            fprintf(stderr, "piiscan: %s: cannot write report: %s\n", o.output ? o.output : "(stdout)",
                    strerror(errno));
            wr = -1;
        }
        status = (wr < 0 || r.report_failed || r.errors) ? 2 : (r.found ? 1 : 0);
    }
    if (o.output && out.fp)
        outfile_abort(&out);
    piiscan_scanner_free(sc);
    piiscan_ruleset_free(rs);
    OPENSSL_cleanse(&key, sizeof key);
    return status;
}
