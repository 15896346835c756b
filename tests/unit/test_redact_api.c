/*
 * test_redact_api.c -- the public redaction API (piiscan.h, "de-
 * identification"), through piiscan.h only: policies and operators from
 * their text forms and their errors, a plain file and containers copied
 * with every value replaced, the copy of a container with a bad member
 * refused, UTF-16 refused, turns in the order the inputs were given with
 * walker threads reading ahead, a pipe, and reveal undoing fpe and
 * encrypt.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_text.h"
#include "piiscan.h"

#define CORPORA PIISCAN_SOURCE_DIR "/corpora/"

static const char SAMPLE[] = "tel 13812345678 mail zhang.san@example.com\nid 11010519491231002X\n";

/* ---- policy and operators ---- */

Test(redact_policy, bad_operator_text_is_refused_and_named)
{
    piiscan_policy *p;
    char err[256];
    cr_assert_eq(piiscan_policy_new(&p), 0);
    cr_assert_eq(piiscan_policy_default_op(p, "frobnicate", err, sizeof err), -1);
    cr_assert(strstr(err, "unknown operator 'frobnicate'"), "%s", err);
    cr_assert_eq(piiscan_policy_op(p, "CN_MOBILE=hash:x=1", err, sizeof err), -1);
    cr_assert(strstr(err, "hash takes no parameters"), "%s", err);
    cr_assert_eq(piiscan_policy_op(p, "CN_MOBILE=mask:keep_first=x", err, sizeof err), -1);
    cr_assert(strstr(err, "keep_first"), "%s", err);
    cr_assert_eq(piiscan_policy_op(p, "NO_SUCH_TYPE=mask", err, sizeof err), -1);
    /* none of the refused ones took: the policy still needs no key */
    cr_assert_null(piiscan_policy_needs_key(p));
    piiscan_policy_free(p);
}

Test(redact_policy, keyed_operators_are_named)
{
    piiscan_policy *p;
    char err[256];
    cr_assert_eq(piiscan_policy_new(&p), 0);
    cr_assert_null(piiscan_policy_needs_key(p), "the default mask needs no key");
    cr_assert_eq(piiscan_policy_op(p, "EMAIL=encrypt", err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(piiscan_policy_needs_key(p), "encrypt");
    piiscan_policy_free(p);
}

Test(redact_policy, bad_policy_text_and_files_are_refused)
{
    piiscan_policy *p;
    char err[256];
    static const char bad[] = "version: 1\ntypes:\n  CN_MOBILE: frobnicate\n";
    cr_assert_eq(piiscan_policy_new(&p), 0);
    cr_assert_eq(piiscan_policy_parse(p, "mine.yaml", bad, sizeof bad - 1, err, sizeof err), -1);
    cr_assert(strstr(err, "mine.yaml:3:"), "%s", err);
    static const char *files[] = { "syntax", "unknown-field", "unknown-operator", "unknown-type", "bad-confidence" };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[512];
        snprintf(path, sizeof path, CORPORA "policies/bad/%s.yaml", files[i]);
        err[0] = 0;
        cr_assert_eq(piiscan_policy_load(p, path, err, sizeof err), -1, "%s loaded", files[i]);
        cr_assert(strstr(err, files[i]), "%s: %s", files[i], err);
    }
    static const char good[] = "version: 1\nmin_confidence: 0.7\ntypes:\n  CN_MOBILE: hash\n";
    cr_assert_eq(piiscan_policy_parse(p, "good.yaml", good, sizeof good - 1, err, sizeof err), 0, "%s", err);
    cr_assert_float_eq(piiscan_policy_min_confidence(p), 0.7, 1e-9);
    cr_assert_str_eq(piiscan_policy_needs_key(p), "hash");
    piiscan_policy_free(p);
}

/* ---- a run: what the callbacks were given ---- */

typedef struct run {
    char trace[16384];
    size_t len;
    char dir[64];
    FILE *copy;                 /* the current input's copy */
    char copied[8][256];        /* each copy's file, in order of open */
    int ncopies, oks, fails, findings, errors;
    int refuse;                 /* begin says no to every input */
    const char *unpack;         /* given to open as the unpack directory */
} run;

static void add(run *r, const char *fmt, const char *a, const char *b)
{
    int n = snprintf(r->trace + r->len, sizeof r->trace - r->len, fmt, a, b);
    cr_assert(n > 0 && (size_t)n < sizeof r->trace - r->len, "trace overflow");
    r->len += (size_t)n;
}

static int on_begin(void *ud, const char *path, void *tag)
{
    run *r = ud;
    add(r, "begin %s %s\n", path, (const char *)tag);
    return r->refuse;
}

static FILE *on_open(void *ud, const char *path, void *tag, const char **unpack_dir)
{
    run *r = ud;
    (void)tag;
    cr_assert_lt(r->ncopies, 8);
    char *name = r->copied[r->ncopies++];
    snprintf(name, sizeof r->copied[0], "%s/copy%d", r->dir, r->ncopies);
    add(r, "open %s%s\n", path, "");
    *unpack_dir = r->unpack;
    return r->copy = fopen(name, "wb");
}

static void on_end(void *ud, const char *path, void *tag, int ok)
{
    run *r = ud;
    (void)tag;
    add(r, "end %s %s\n", path, ok ? "ok" : "failed");
    ok ? r->oks++ : r->fails++;
    cr_assert_eq(fclose(r->copy), 0);
}

static int on_finding(void *ud, const char *path, const piiscan_finding *f)
{
    run *r = ud;
    (void)f;
    cr_assert(path && *path);
    r->findings++;
    return 0;
}

static void on_message(void *ud, const char *path, const char *msg, int is_error)
{
    run *r = ud;
    add(r, is_error ? "error %s: %s\n" : "note %s: %s\n", path, msg);
    r->errors += is_error;
}

static const piiscan_redact_ops OPS = { on_begin, on_open, on_end, on_finding, on_message };

static piiscan_ruleset *ruleset(void)
{
    piiscan_ruleset *rs;
    char err[256];
    cr_assert_eq(piiscan_ruleset_new(&rs, err, sizeof err), 0, "%s", err);
    return rs;
}

static void start(run *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->dir, sizeof r->dir, "/tmp/test_redact_api.XXXXXX");
    cr_assert_not_null(mkdtemp(r->dir));
}

static void put_file(const run *r, const char *name, const void *data, size_t n, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", r->dir, name);
    FILE *fp = fopen(path, "wb");
    cr_assert_not_null(fp);
    cr_assert_eq(fwrite(data, 1, n, fp), n);
    cr_assert_eq(fclose(fp), 0);
}

static piiscan_redactor *redactor(run *r, const piiscan_ruleset *rs, const piiscan_policy *p, const piiscan_key *k,
                                  int threads, int reveal)
{
    piiscan_redact_options o;
    piiscan_redact_options_init(&o);
    o.threads = threads;
    o.reveal = reveal;
    o.tag_size = 16;
    piiscan_redactor *rd;
    cr_assert_eq(piiscan_redactor_new(&rd, rs, p, k, &o, &OPS, r), 0);
    return rd;
}

/* Give path with a tag of 16 bytes naming it. */
static int give(piiscan_redactor *rd, const char *path, const char *name)
{
    char tag[16] = { 0 };
    snprintf(tag, sizeof tag, "%s", name);
    return piiscan_redact_file(rd, path, tag);
}

/* Findings of type t in the stream, a file or every member of a container. */
typedef struct count {
    piiscan_scanner *sc;
    piiscan_type t;
    int n;
} count;

static int count_finding(void *ud, const piiscan_finding *f)
{
    count *c = ud;
    c->n += f->type == c->t;
    return 0;
}

static int count_stream(void *ud, const char *name, piiscan_read_fn rd, void *rud)
{
    count *c = ud;
    (void)name;
    cr_assert_eq(piiscan_scan_stream(c->sc, rd, rud, count_finding, c), 0);
    return 0;
}

static void count_msg(void *ud, const char *name, const char *msg, int is_error)
{
    (void)ud;
    cr_assert(!is_error, "%s: %s", name, msg);
}

static int found(const piiscan_ruleset *rs, const char *path, piiscan_type t)
{
    static const piiscan_input_ops ops = { count_stream, count_msg, NULL, false };
    count c = { .t = t };
    piiscan_scan_options so;
    piiscan_scan_options_init(&so);
    cr_assert_eq(piiscan_scanner_new(&c.sc, rs, &so), 0);
    piiscan_limits lim;
    piiscan_limits_init(&lim);
    piiscan_inputs *in;
    cr_assert_eq(piiscan_inputs_new(&in, 1, &lim, &ops, &c), 0);
    int fd = open(path, O_RDONLY);
    cr_assert_geq(fd, 0);
    cr_assert_eq(piiscan_inputs_file(in, path, fd), 0);
    cr_assert_eq(piiscan_inputs_finish(in), 0);
    piiscan_inputs_free(in);
    piiscan_scanner_free(c.sc);
    return c.n;
}

/* ---- plain files ---- */

Test(redact_api, plain_file_is_masked_byte_for_byte_elsewhere)
{
    run r;
    start(&r);
    piiscan_ruleset *rs = ruleset();
    piiscan_policy *p;
    cr_assert_eq(piiscan_policy_new(&p), 0);
    char path[256];
    put_file(&r, "a.log", SAMPLE, sizeof SAMPLE - 1, path, sizeof path);
    piiscan_redactor *rd = redactor(&r, rs, p, NULL, 1, 0);
    char tag[16] = "tag-a";
    cr_assert_eq(piiscan_redact_file(rd, path, tag), 0);
    cr_assert_eq(piiscan_redact_finish(rd), 0);
    piiscan_redactor_free(rd);
    size_t n;
    const char *copy = file_text(r.copied[0], &n);
    cr_assert_str_eq(copy, "tel 138****5678 mail z***@example.com\nid 1****************X\n");
    cr_assert_eq(r.oks, 1);
    cr_assert_eq(r.findings, 3);
    cr_assert_eq(r.errors, 0, "%s", r.trace);
    /* the tag came back as given */
    cr_assert(strstr(r.trace, "begin "), "%s", r.trace);
    cr_assert(strstr(r.trace, " tag-a\n"), "%s", r.trace);
    piiscan_policy_free(p);
    piiscan_ruleset_free(rs);
}

Test(redact_api, keyed_operator_without_key_fails_closed)
{
    run r;
    start(&r);
    piiscan_ruleset *rs = ruleset();
    piiscan_policy *p;
    char err[256], path[256];
    cr_assert_eq(piiscan_policy_new(&p), 0);
    cr_assert_eq(piiscan_policy_op(p, "CN_MOBILE=hash", err, sizeof err), 0);
    put_file(&r, "a.log", SAMPLE, sizeof SAMPLE - 1, path, sizeof path);
    piiscan_redactor *rd = redactor(&r, rs, p, NULL, 1, 0);
    cr_assert_eq(give(rd, path, "x"), 0);
    cr_assert_eq(piiscan_redact_finish(rd), 0);
    piiscan_redactor_free(rd);
    cr_assert_eq(r.fails, 1, "%s", r.trace);
    cr_assert_eq(r.oks, 0);
    cr_assert(strstr(r.trace, "CN_MOBILE hash") && strstr(r.trace, "; nothing written"), "%s", r.trace);
    piiscan_policy_free(p);
    piiscan_ruleset_free(rs);
}

/* UTF-16 text is read as UTF-8 and its copy written in UTF-16 again; a
 * missing input and one the caller refuses never get an output opened. */
Test(redact_api, utf16_is_redacted_refused_inputs_are_not_opened)
{
    run r;
    start(&r);
    piiscan_ruleset *rs = ruleset();
    piiscan_policy *p;
    cr_assert_eq(piiscan_policy_new(&p), 0);
    char u16[256], missing[256], plain[256];
    static const char bom[] = "\xff\xfet\0e\0l\0 \0" "1\0" "3\0" "8\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0"
                              "7\0" "8\0\n\0";
    put_file(&r, "u.txt", bom, sizeof bom - 1, u16, sizeof u16);
    put_file(&r, "p.log", SAMPLE, sizeof SAMPLE - 1, plain, sizeof plain);
    snprintf(missing, sizeof missing, "%s/none.log", r.dir);
    piiscan_redactor *rd = redactor(&r, rs, p, NULL, 1, 0);
    cr_assert_eq(give(rd, u16, "u"), 0);
    cr_assert_eq(give(rd, missing, "m"), 0);
    cr_assert_eq(piiscan_redact_finish(rd), 0);
    r.refuse = 1;
    cr_assert_eq(give(rd, plain, "p"), 0);
    cr_assert_eq(piiscan_redact_finish(rd), 0);
    piiscan_redactor_free(rd);
    cr_assert_eq(r.ncopies, 1, "%s", r.trace);
    cr_assert_eq(r.errors, 1, "%s", r.trace);
    cr_assert(strstr(r.trace, "note ") && strstr(r.trace, "read as UTF-16LE text"), "%s", r.trace);
    cr_assert(strstr(r.trace, "No such file or directory"), "%s", r.trace);
    /* The copy: UTF-16LE with its mark, the number masked. */
    static const char want[] = "\xff\xfet\0e\0l\0 \0" "1\0" "3\0" "8\0" "*\0" "*\0" "*\0" "*\0" "5\0" "6\0"
                               "7\0" "8\0\n\0";
    FILE *fp = fopen(r.copied[0], "rb");
    cr_assert_not_null(fp);
    char got[256];
    size_t n = fread(got, 1, sizeof got, fp);
    fclose(fp);
    cr_expect(n == sizeof want - 1 && !memcmp(got, want, n), "%zu bytes", n);
    piiscan_policy_free(p);
    piiscan_ruleset_free(rs);
}

/* ---- containers ---- */

/* A .tar.gz with a zip and a .gz inside, at one and two threads (read
 * ahead): the copy is an archive in which nothing is found any more. */
static void archive_copy(int threads)
{
    run r;
    start(&r);
    piiscan_ruleset *rs = ruleset();
    piiscan_policy *p;
    cr_assert_eq(piiscan_policy_new(&p), 0);
    const char *in = CORPORA "archives/logs.tar.gz";
    cr_assert_gt(found(rs, in, PIISCAN_CN_MOBILE), 0);
    piiscan_redactor *rd = redactor(&r, rs, p, NULL, threads, 0);
    cr_assert_eq(give(rd, in, "t"), 0);
    cr_assert_eq(piiscan_redact_finish(rd), 0);
    piiscan_redactor_free(rd);
    cr_assert_eq(r.oks, 1, "%s", r.trace);
    cr_assert_eq(r.errors, 0, "%s", r.trace);
    cr_assert_gt(r.findings, 10);
    size_t n;
    const unsigned char *copy = (const unsigned char *)file_text(r.copied[0], &n);
    cr_assert(n > 2 && copy[0] == 0x1f && copy[1] == 0x8b, "the copy is gzip");
    cr_assert_eq(found(rs, r.copied[0], PIISCAN_CN_MOBILE), 0);
    piiscan_policy_free(p);
    piiscan_ruleset_free(rs);
}

Test(redact_api, archive_is_written_back_redacted) { archive_copy(1); }
Test(redact_api, archive_read_ahead_is_written_back_redacted) { archive_copy(2); }

Test(redact_api, container_with_a_bad_member_fails_the_file)
{
    static const char *bad[] = { "hostile/encrypted.zip", "hostile/truncated.tar.gz", "hostile/corrupt.zip" };
    for (int threads = 1; threads <= 2; threads++) {
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            run r;
            start(&r);
            piiscan_ruleset *rs = ruleset();
            piiscan_policy *p;
            cr_assert_eq(piiscan_policy_new(&p), 0);
            char in[256];
            snprintf(in, sizeof in, CORPORA "%s", bad[i]);
            piiscan_redactor *rd = redactor(&r, rs, p, NULL, threads, 0);
            cr_assert_eq(give(rd, in, "b"), 0);
            cr_assert_eq(piiscan_redact_finish(rd), 0);
            piiscan_redactor_free(rd);
            cr_assert_eq(r.fails, 1, "%s at %d: %s", bad[i], threads, r.trace);
            cr_assert_gt(r.errors, 0, "%s: %s", bad[i], r.trace);
            cr_assert(strstr(r.trace, "!/"), "the message names the member: %s", r.trace);
            piiscan_policy_free(p);
            piiscan_ruleset_free(rs);
        }
    }
}

/* Turns come in the order the inputs and messages were given, though the
 * archive before the plain file is read ahead by a walker. */
Test(redact_api, turns_keep_the_order_given)
{
    for (int threads = 1; threads <= 4; threads *= 2) {
        run r;
        start(&r);
        piiscan_ruleset *rs = ruleset();
        piiscan_policy *p;
        cr_assert_eq(piiscan_policy_new(&p), 0);
        char plain[256];
        put_file(&r, "p.log", SAMPLE, sizeof SAMPLE - 1, plain, sizeof plain);
        piiscan_redactor *rd = redactor(&r, rs, p, NULL, threads, 0);
        cr_assert_eq(give(rd, CORPORA "archives/logs.tar.gz", "one"), 0);
        cr_assert_eq(give(rd, CORPORA "archives/dumps.zip", "two"), 0);
        cr_assert_eq(piiscan_redact_message(rd, "walk", "a message", 0), 0);
        cr_assert_eq(give(rd, plain, "three"), 0);
        cr_assert_eq(piiscan_redact_finish(rd), 0);
        piiscan_redactor_free(rd);
        const char *a = strstr(r.trace, "end " CORPORA "archives/logs.tar.gz ok");
        const char *b = strstr(r.trace, "end " CORPORA "archives/dumps.zip ok");
        const char *m = strstr(r.trace, "note walk: a message");
        const char *c = strstr(r.trace, "begin ");
        c = c ? strstr(r.trace, " three\n") : NULL;
        cr_assert(a && b && m && c && a < b && b < m && m < c, "threads %d:\n%s", threads, r.trace);
        cr_assert_eq(r.oks, 3);
        piiscan_policy_free(p);
        piiscan_ruleset_free(rs);
    }
}

/* ---- a pipe ---- */

static int pipe_copy(run *r, piiscan_redactor *rd, const char *in, char *out, size_t cap)
{
    int fd = open(in, O_RDONLY);
    cr_assert_geq(fd, 0);
    unsigned char head[PIISCAN_HEAD_BYTES];
    ssize_t n = read(fd, head, sizeof head);
    cr_assert_geq(n, 0);
    snprintf(out, cap, "%s/piped", r->dir);
    FILE *fp = fopen(out, "wb");
    int rc = piiscan_redact_pipe(rd, "-", fd, head, (size_t)n, fp);
    cr_assert_eq(fclose(fp), 0);
    close(fd);
    return rc;
}

Test(redact_api, pipe_plain_and_gzip)
{
    run r;
    start(&r);
    piiscan_ruleset *rs = ruleset();
    piiscan_policy *p;
    cr_assert_eq(piiscan_policy_new(&p), 0);
    piiscan_redactor *rd = redactor(&r, rs, p, NULL, 2, 0);
    char in[256], out[256];
    size_t n;
    put_file(&r, "p.log", SAMPLE, sizeof SAMPLE - 1, in, sizeof in);
    cr_assert_eq(pipe_copy(&r, rd, in, out, sizeof out), 0);
    cr_assert_str_eq(file_text(out, &n), "tel 138****5678 mail z***@example.com\nid 1****************X\n");
    cr_assert_eq(pipe_copy(&r, rd, CORPORA "archives/access.log.gz", out, sizeof out), 0);
    const unsigned char *gz = (const unsigned char *)file_text(out, &n);
    cr_assert(n > 2 && gz[0] == 0x1f && gz[1] == 0x8b);
    cr_assert_eq(found(rs, out, PIISCAN_CN_MOBILE), 0);
    /* a real pipe, as in `producer | piiscan redact -`: copied, and grown
     * so that the producer runs ahead (src_leaf.c) */
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    cr_assert_eq(write(fds[1], SAMPLE, sizeof SAMPLE - 1), (ssize_t)(sizeof SAMPLE - 1));
    close(fds[1]);
    FILE *fp = fopen(out, "wb");
    cr_assert_not_null(fp);
    cr_assert_eq(piiscan_redact_pipe(rd, "-", fds[0], NULL, 0, fp), 0);
    cr_assert_eq(fclose(fp), 0);
#ifdef F_GETPIPE_SZ
    if (geteuid() == 0)
        cr_expect_eq(fcntl(fds[0], F_GETPIPE_SZ), 1 << 20);
#endif
    close(fds[0]);
    cr_assert_str_eq(file_text(out, &n), "tel 138****5678 mail z***@example.com\nid 1****************X\n");
    /* a truncated archive on a pipe fails, said */
    cr_assert_eq(pipe_copy(&r, rd, CORPORA "hostile/truncated.tar.gz", out, sizeof out), -1);
    cr_assert_gt(r.errors, 0);
    cr_assert_eq(r.ncopies, 0, "a pipe asks for no copy");
    piiscan_redactor_free(rd);
    piiscan_policy_free(p);
    piiscan_ruleset_free(rs);
}

/* ---- reveal ---- */

Test(redact_api, reveal_undoes_fpe_and_encrypt)
{
    run r;
    start(&r);
    piiscan_ruleset *rs = ruleset();
    piiscan_policy *p;
    char err[256], in[256];
    cr_assert_eq(piiscan_policy_new(&p), 0);
    cr_assert_eq(piiscan_policy_op(p, "CN_MOBILE=fpe", err, sizeof err), 0);
    cr_assert_eq(piiscan_policy_op(p, "CN_RESIDENT_ID=fpe", err, sizeof err), 0);
    cr_assert_eq(piiscan_policy_op(p, "EMAIL=encrypt", err, sizeof err), 0);
    unsigned char master[32];
    memset(master, 7, sizeof master);
    piiscan_key *k;
    cr_assert_eq(piiscan_key_new(&k, master, 8), -1, "a short key is refused");
    cr_assert_eq(piiscan_key_new(&k, master, sizeof master), 0);
    put_file(&r, "a.log", SAMPLE, sizeof SAMPLE - 1, in, sizeof in);
    piiscan_redactor *rd = redactor(&r, rs, p, k, 1, 0);
    cr_assert_eq(give(rd, in, "x"), 0);
    cr_assert_eq(piiscan_redact_finish(rd), 0);
    piiscan_redactor_free(rd);
    size_t n;
    char redacted[512];
    const char *copy = file_text(r.copied[0], &n);
    cr_assert_lt(n, sizeof redacted);
    memcpy(redacted, copy, n + 1);
    cr_assert(!strstr(redacted, "13812345678") && strstr(redacted, "EMAIL_ENC_"), "%s", redacted);
    rd = redactor(&r, rs, p, k, 2, 1);
    cr_assert_eq(give(rd, r.copied[0], "y"), 0);
    cr_assert_eq(piiscan_redact_finish(rd), 0);
    piiscan_redactor_free(rd);
    cr_assert_str_eq(file_text(r.copied[1], &n), SAMPLE);
    /* one value on its own: the token, and the fpe'd mobile by its type */
    const char *tok = strstr(redacted, "EMAIL_ENC_");
    size_t tl = strcspn(tok, " \n");
    unsigned char out[256];
    ssize_t k1 = piiscan_reveal_value(p, k, PIISCAN_CN_MOBILE, tok, tl, out, sizeof out, err, sizeof err);
    cr_assert_eq(k1, (ssize_t)strlen("zhang.san@example.com"), "%s", err);
    cr_assert_eq(memcmp(out, "zhang.san@example.com", (size_t)k1), 0);
    ssize_t k2 = piiscan_reveal_value(p, k, PIISCAN_CN_MOBILE, redacted + 4, 11, out, sizeof out, err, sizeof err);
    cr_assert_eq(k2, 11, "%s", err);
    cr_assert_eq(memcmp(out, "13812345678", 11), 0);
    /* a different key tells itself apart, and does not reveal */
    char id1[17], id2[17];
    piiscan_key *k3;
    master[0] = 8;
    cr_assert_eq(piiscan_key_new(&k3, master, sizeof master), 0);
    piiscan_key_id(k, id1);
    piiscan_key_id(k3, id2);
    cr_assert_str_neq(id1, id2);
    cr_assert_lt(piiscan_reveal_value(p, k3, PIISCAN_CN_MOBILE, tok, tl, out, sizeof out, err, sizeof err), 0);
    piiscan_key_free(k3);
    piiscan_key_free(k);
    piiscan_policy_free(p);
    piiscan_ruleset_free(rs);
}

/* ---- replacements made ahead on the workers ---- */

/* A table of rows where every cell but the id is a value, many windows of
 * it (windows are 1 MiB): with two or more threads and a policy with a
 * keyed operator (hash, encrypt here) the workers make the replacements
 * ahead (prepare.c), with one thread -- or only mask and replace -- the
 * delivering thread makes them.  Both copies must be the same, with the
 * same findings reported, for each operator, and with a policy that keeps
 * one type as it is. */
static char *dense_table(size_t rows, size_t *len)
{
    char *t = malloc(rows * 160 + 64), *p = t;
    p += sprintf(p, "id,phone,phone2,id_card,email,ip\n");
    for (size_t i = 0; i < rows; i++)
        p += sprintf(p, "%zu,1380013%04zu,1391234%04zu,11010519491231002X,user%zu@example.com,203.0.113.%zu\n", i,
                     i % 10000, (i * 7) % 10000, i, i % 250 + 1);
    *len = (size_t)(p - t);
    return t;
}

static char *whole(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "%s", path);
    cr_assert_eq(fseek(fp, 0, SEEK_END), 0);
    long size = ftell(fp);
    cr_assert_geq(size, 0);
    rewind(fp);
    char *b = malloc((size_t)size + 1);
    *n = fread(b, 1, (size_t)size, fp);
    b[*n] = 0;
    fclose(fp);
    return b;
}

static void copy_with(const piiscan_ruleset *rs, const char *op, const char *keep, int threads, const char *in,
                      char *copy, size_t cap, int *findings)
{
    run r;
    start(&r);
    piiscan_policy *p;
    char err[256];
    cr_assert_eq(piiscan_policy_new(&p), 0);
    /* The column phone under a rule of its own, phone2 not: the workers
     * must choose by each finding's context as delivery does. */
    static const char rules[] = "version: 1\nkeys:\n  phone: \"replace:text=<P>\"\n";
    cr_assert_eq(piiscan_policy_parse(p, "rules.yaml", rules, sizeof rules - 1, err, sizeof err), 0, "%s", err);
    cr_assert_eq(piiscan_policy_default_op(p, op, err, sizeof err), 0, "%s", err);
    if (keep)
        cr_assert_eq(piiscan_policy_op(p, keep, err, sizeof err), 0, "%s", err);
    static const unsigned char master[32] = "a key for the prepared copies.";
    piiscan_key *k;
    cr_assert_eq(piiscan_key_new(&k, master, sizeof master), 0);
    piiscan_redactor *rd = redactor(&r, rs, p, k, threads, 0);
    cr_assert_eq(give(rd, in, "t"), 0);
    cr_assert_eq(piiscan_redact_finish(rd), 0);
    piiscan_redactor_free(rd);
    cr_assert_eq(r.errors, 0, "%s", r.trace);
    snprintf(copy, cap, "%s", r.copied[0]);
    *findings = r.findings;
    piiscan_key_free(k);
    piiscan_policy_free(p);
}

Test(redact_api, replacements_made_ahead_are_the_ones_made_in_order)
{
    run r;
    start(&r);
    piiscan_ruleset *rs = ruleset();
    size_t len;
    char *t = dense_table(40000, &len);
    char in[256];
    put_file(&r, "table.csv", t, len, in, sizeof in);
    free(t);
    static const char *const ops[] = { "mask", "hash", "encrypt", "replace" };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        const char *keep = i % 2 ? "EMAIL=keep" : NULL;
        char a[256], b[256];
        int fa, fb;
        copy_with(rs, ops[i], keep, 1, in, a, sizeof a, &fa);
        copy_with(rs, ops[i], keep, 3, in, b, sizeof b, &fb);
        size_t na, nb;
        char *ca = whole(a, &na), *cb = whole(b, &nb);
        cr_assert_eq(na, nb, "%s: %zu bytes with one thread, %zu with three", ops[i], na, nb);
        cr_assert(memcmp(ca, cb, na) == 0, "%s: the copies differ", ops[i]);
        cr_assert_eq(fa, fb, "%s: %d findings with one thread, %d with three", ops[i], fa, fb);
        cr_assert_geq(fa, 5 * 40000 - (keep ? 40000 : 0), "%s: %d findings", ops[i], fa);
        cr_assert_null(strstr(ca, "13800130001"), "%s: a value left", ops[i]);
        cr_assert_null(strstr(ca, "13912340007"), "%s: a value left", ops[i]);
        cr_assert_not_null(strstr(ca, "\n39999,<P>,"), "%s: the phone column's rule", ops[i]);
        if (keep)
            cr_assert_not_null(strstr(ca, "user7@example.com"), "%s: the kept e-mail", ops[i]);
        free(ca);
        free(cb);
    }
    piiscan_ruleset_free(rs);
}
