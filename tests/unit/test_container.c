/*
 * test_container.c -- container kinds, virtual paths, limits, and every
 * crafted file of corpora/hostile/ (right message, never a crash), plus
 * the rewrite path with an identity transform.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive_rewrite.h"
#include "src_container.h"

#define HOSTILE PIISCAN_SOURCE_DIR "/corpora/hostile/"
#define ARCHIVES PIISCAN_SOURCE_DIR "/corpora/archives/"

/* ---- kinds ---- */

static int kind_of(const char *bytes, size_t n) { return pii_container_kind((const uint8_t *)bytes, n, NULL); }

Test(kind, magic_bytes)
{
    cr_expect_eq(kind_of("\x1f\x8b\x08\x00", 4), PII_KIND_GZIP);
    cr_expect_eq(kind_of("\xfd" "7zXZ\0\0", 7), PII_KIND_XZ);
    cr_expect_eq(kind_of("BZh91AY", 7), PII_KIND_BZIP2);
    cr_expect_eq(kind_of("\x28\xb5\x2f\xfd\0", 5), PII_KIND_ZSTD);
    cr_expect_eq(kind_of("\x04\x22\x4d\x18\0", 5), PII_KIND_LZ4);
    cr_expect_eq(kind_of("PK\3\4\x14\0", 6), PII_KIND_ZIP);
    cr_expect_eq(kind_of("PK\5\6\0\0", 6), PII_KIND_ZIP);
    cr_expect_eq(kind_of("7z\xbc\xaf\x27\x1c\0", 7), PII_KIND_7Z);
    cr_expect_eq(kind_of("Rar!\x1a\x07\0", 7), PII_KIND_RAR);
    cr_expect_eq(kind_of("070701000", 9), PII_KIND_CPIO);
}

Test(kind, plain_text_is_not_a_container)
{
    cr_expect_eq(kind_of("BZh is not bzip2 without a level digit", 38), PII_KIND_PLAIN);
    cr_expect_eq(kind_of("PK but not a zip", 16), PII_KIND_PLAIN);
    cr_expect_eq(kind_of("\x1f", 1), PII_KIND_PLAIN);
    cr_expect_eq(kind_of("", 0), PII_KIND_PLAIN);
    char zeros[512] = { 0 };
    cr_expect_eq(kind_of(zeros, sizeof zeros), PII_KIND_PLAIN, "a block of zeros is not a tar");
}

/* A v7 tar header (no ustar magic) is known by its checksum; one wrong
 * byte makes it plain. */
Test(kind, tar_by_checksum)
{
    unsigned char h[512] = { 0 };
    memcpy(h, "file.txt", 8);
    memcpy(h + 100, "0000644", 7);
    memcpy(h + 124, "00000000012", 11);
    unsigned sum = 0;
    memset(h + 148, ' ', 8);
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    cr_expect_eq(pii_container_kind(h, 512, NULL), PII_KIND_TAR);
    h[0] = 'F';
    cr_expect_eq(pii_container_kind(h, 512, NULL), PII_KIND_PLAIN);
    unsigned char u[512] = { 0 };
    memcpy(u + 257, "ustar", 5);
    cr_expect_eq(pii_container_kind(u, 512, NULL), PII_KIND_TAR);
}

/* ---- names and limits ---- */

static const char *sname(const char *vpath, const char *fallback)
{
    static char out[256];
    pii_stream_name(vpath, fallback, out, sizeof out);
    return out;
}

Test(names, stream_names)
{
    cr_expect_str_eq(sname("x.log.gz", NULL), "x.log");
    cr_expect_str_eq(sname("dir/users.csv.gz", NULL), "users.csv");
    cr_expect_str_eq(sname("a.tar.gz!/b/c.json.xz", NULL), "c.json");
    cr_expect_str_eq(sname("backup.tgz", NULL), "backup.tar");
    cr_expect_str_eq(sname("dump.zst", NULL), "dump");
    cr_expect_str_eq(sname("noext", "stored.log"), "stored.log");
    cr_expect_str_eq(sname("noext", "data"), "noext.out");
    cr_expect_str_eq(sname("noext", "../../evil"), "noext.out");
}

Test(names, unsafe_member_names)
{
    cr_expect(pii_member_name_unsafe("/abs/path"));
    cr_expect(pii_member_name_unsafe("../../etc/x"));
    cr_expect(pii_member_name_unsafe("a/../../b"));
    cr_expect(pii_member_name_unsafe("a\\..\\b"));
    cr_expect(pii_member_name_unsafe("C:/x"));
    cr_expect_not(pii_member_name_unsafe("a/b..c/d"));
    cr_expect_not(pii_member_name_unsafe("..hidden"));
    cr_expect_not(pii_member_name_unsafe("logs/app.log"));
}

Test(limits, defaults_and_parsing)
{
    pii_src_limits l;
    char err[200];
    pii_src_limits_init(&l);
    cr_expect_eq(l.max_depth, 4);
    cr_expect_eq(l.max_total, 64ull << 30);
    cr_expect_eq(l.max_ratio, 1000);
    cr_expect_eq(pii_src_limits_set(&l, "max-expansion", "3M", err, sizeof err), 0);
    cr_expect_eq(l.max_total, 3u << 20);
    cr_expect_eq(pii_src_limits_set(&l, "max-expansion", "2T", err, sizeof err), 0);
    cr_expect_eq(l.max_total, 2ull << 40);
    cr_expect_eq(pii_src_limits_set(&l, "max-depth", "7", err, sizeof err), 0);
    cr_expect_eq(l.max_depth, 7);
    cr_expect_eq(pii_src_limits_set(&l, "max-ratio", "12.5", err, sizeof err), 0);
    cr_expect_eq(l.max_ratio, 12.5);
    const char *bad[][2] = { { "max-depth", "0" }, { "max-depth", "65" }, { "max-depth", "x" },
                             { "max-expansion", "0" }, { "max-expansion", "-5" }, { "max-expansion", "5Q" },
                             { "max-ratio", "1" }, { "max-ratio", "abc" }, { "nope", "1" } };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_expect_eq(pii_src_limits_set(&l, bad[i][0], bad[i][1], err, sizeof err), -1, "%s=%s", bad[i][0], bad[i][1]);
    cr_expect_eq(l.max_depth, 7, "a rejected value changes nothing");
}

/* ---- walking ---- */

typedef struct seen {
    char leaves[4096];      /* "vpath=bytes\n"... */
    char msgs[4096];        /* "E|N vpath: msg\n"... */
    char data[4096];        /* concatenated leaf bytes (first 4 KiB) */
    size_t ndata;
    int errors;
} seen;

static int on_leaf(void *ud, const char *vpath, piiscan_read_fn rd, void *rud)
{
    seen *s = ud;
    char buf[65536];
    ssize_t n;
    unsigned long long total = 0;
    while ((n = rd(rud, buf, sizeof buf)) > 0) {
        size_t k = (size_t)n < sizeof s->data - s->ndata ? (size_t)n : sizeof s->data - s->ndata;
        memcpy(s->data + s->ndata, buf, k);
        s->ndata += k;
        total += (unsigned long long)n;
    }
    cr_assert_geq(n, 0, "a leaf read never fails; the walk reports why it ended");
    size_t l = strlen(s->leaves);
    snprintf(s->leaves + l, sizeof s->leaves - l, "%s=%llu\n", vpath, total);
    return 0;
}

static void on_msg(void *ud, const char *vpath, const char *msg, int is_error)
{
    seen *s = ud;
    size_t l = strlen(s->msgs);
    snprintf(s->msgs + l, sizeof s->msgs - l, "%c %s: %s\n", is_error ? 'E' : 'N', vpath, msg);
    s->errors += is_error;
}

static int walk_file(const char *path, const pii_src_limits *lim, seen *s)
{
    memset(s, 0, sizeof *s);
    int fd = open(path, O_RDONLY);
    cr_assert_geq(fd, 0, "%s", path);
    int rc = pii_source_walk(path, fd, lim, on_leaf, on_msg, s);
    close(fd);
    return rc;
}

static pii_src_limits defaults(void)
{
    pii_src_limits l;
    pii_src_limits_init(&l);
    return l;
}

Test(walk, multi_member_gzip_is_read_to_the_end)
{
    seen s;
    pii_src_limits l = defaults();
    cr_expect_eq(walk_file(HOSTILE "multi.log.gz", &l, &s), 0);
    cr_expect_str_eq(s.leaves, HOSTILE "multi.log.gz!/multi.log=51\n");
    cr_expect_eq(s.ndata, 51);
    cr_expect(memcmp(s.data, "first member 13812345678\nsecond member 13912345678\n", 51) == 0);
    cr_expect_str_eq(s.msgs, "");
}

Test(walk, nested_virtual_paths)
{
    seen s;
    pii_src_limits l = defaults();
    cr_expect_eq(walk_file(ARCHIVES "logs.tar.gz", &l, &s), 0);
    cr_expect_str_eq(s.leaves, ARCHIVES "logs.tar.gz!/logs/nginx/access.log=32485\n"
                     ARCHIVES "logs.tar.gz!/logs/android/logcat.txt.gz!/logcat.txt=22164\n"
                     ARCHIVES "logs.tar.gz!/logs/exports.zip!/exports/customers.csv=5636\n"
                     ARCHIVES "logs.tar.gz!/logs/exports.zip!/chat/kefu.txt=7389\n");
    cr_expect_str_eq(s.msgs, "", "directories are silent");
}

Test(walk, zip_bomb_total_limit)
{
    seen s;
    pii_src_limits l = defaults();
    l.max_total = 1 << 20;
    cr_expect_eq(walk_file(HOSTILE "bomb.zip", &l, &s), -1);
    cr_expect_str_eq(s.leaves, HOSTILE "bomb.zip!/zeros.bin=1048576\n", "stops exactly at the limit");
    cr_expect(strstr(s.msgs, "E " HOSTILE "bomb.zip!/zeros.bin: decompressed size limit of 1048576 bytes"));
    cr_expect_not(strstr(s.leaves, "after.txt"), "the total limit ends the file");
}

Test(walk, zip_bomb_ratio_limit_continues_with_next_member)
{
    seen s;
    pii_src_limits l = defaults();
    l.max_ratio = 50;
    cr_expect_eq(walk_file(HOSTILE "bomb.zip", &l, &s), -1);
    cr_expect(strstr(s.msgs, "bomb.zip!/zeros.bin: expands more than 50 times"), "%s", s.msgs);
    cr_expect(strstr(s.leaves, "bomb.zip!/after.txt=50\n"), "%s", s.leaves);
    cr_expect(strstr(s.leaves, "zeros.bin=33554432") == NULL, "the bomb is not expanded in full");
}

Test(walk, default_limits_let_the_bomb_through_whole)
{
    seen s;
    pii_src_limits l = defaults();
    cr_expect_eq(walk_file(HOSTILE "bomb.zip", &l, &s), 0);
    cr_expect(strstr(s.leaves, "zeros.bin=33554432\n"));
}

Test(walk, traversal_names_are_reported_as_stored)
{
    seen s;
    pii_src_limits l = defaults();
    cr_expect_eq(walk_file(HOSTILE "traversal.tar", &l, &s), 0);
    cr_expect_str_eq(s.leaves, HOSTILE "traversal.tar!/../../etc/x=50\n" HOSTILE "traversal.tar!//abs/path=50\n"
                     HOSTILE "traversal.tar!/ok.txt=50\n");
    cr_expect(strstr(s.msgs, "N " HOSTILE "traversal.tar!/../../etc/x: member name is absolute or contains '..'"));
    cr_expect_eq(s.errors, 0);
}

Test(walk, links_are_skipped_with_a_note)
{
    seen s;
    pii_src_limits l = defaults();
    cr_expect_eq(walk_file(HOSTILE "links.tar", &l, &s), 0);
    cr_expect_str_eq(s.leaves, HOSTILE "links.tar!/data.txt=50\n");
    cr_expect(strstr(s.msgs, "N " HOSTILE "links.tar!/link: symbolic link to '/etc/passwd', not followed"));
    cr_expect(strstr(s.msgs, "N " HOSTILE "links.tar!/hard: hard link to 'data.txt'"));
}

Test(walk, encrypted_member_is_an_error)
{
    seen s;
    pii_src_limits l = defaults();
    cr_expect_eq(walk_file(HOSTILE "encrypted.zip", &l, &s), -1);
    cr_expect(strstr(s.msgs, "E " HOSTILE "encrypted.zip!/secret.txt: encrypted member, not scanned"));
    cr_expect_str_eq(s.leaves, HOSTILE "encrypted.zip!/plain.txt=13\n", "the plain member is still read");
}

Test(walk, truncated_tar_gz_names_the_member)
{
    seen s;
    pii_src_limits l = defaults();
    cr_expect_eq(walk_file(HOSTILE "truncated.tar.gz", &l, &s), -1);
    cr_expect(strstr(s.leaves, "truncated.tar.gz!/first.txt=50\n"));
    cr_expect(strstr(s.msgs, "E " HOSTILE "truncated.tar.gz!/second.txt: corrupt or truncated data"), "%s", s.msgs);
    cr_expect_eq(s.errors, 1, "one message, not one per level: %s", s.msgs);
}

Test(walk, corrupt_zip_names_the_member)
{
    seen s;
    pii_src_limits l = defaults();
    cr_expect_eq(walk_file(HOSTILE "corrupt.zip", &l, &s), -1);
    cr_expect(strstr(s.msgs, "E " HOSTILE "corrupt.zip!/broken.txt: corrupt or truncated data"), "%s", s.msgs);
}

Test(walk, depth_limit)
{
    seen s;
    pii_src_limits l = defaults();
    cr_expect_eq(walk_file(HOSTILE "deep.tar", &l, &s), -1);
    cr_expect_str_eq(s.leaves, "");
    cr_expect(strstr(s.msgs, "E " HOSTILE "deep.tar!/l1.zip!/l2.tar!/l3.zip!/l4.tar: tar container nested deeper "
                     "than 4 levels"), "%s", s.msgs);
    l.max_depth = 6;
    cr_expect_eq(walk_file(HOSTILE "deep.tar", &l, &s), 0);
    cr_expect_str_eq(s.leaves, HOSTILE "deep.tar!/l1.zip!/l2.tar!/l3.zip!/l4.tar!/l5.zip!/deep.txt=50\n");
}

Test(walk, garbage_after_magic_never_crashes)
{
    static const char *const heads[] = { "\x1f\x8b", "PK\3\4", "7z\xbc\xaf\x27\x1c", ("\xfd" "7zXZ\0"), "BZh9",
                                         "\x28\xb5\x2f\xfd", "070701", "Rar!\x1a\x07\0" };
    char path[] = "/tmp/piiscan-test-container-XXXXXX";
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++) {
        int fd = mkstemp(path);
        cr_assert_geq(fd, 0);
        unsigned char junk[2048];
        for (size_t k = 0; k < sizeof junk; k++)
            junk[k] = (unsigned char)(k * 131 + i * 7);
        cr_assert(write(fd, heads[i], strlen(heads[i]) + (i == 4 ? 1 : 0)) > 0);
        cr_assert_eq(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
        close(fd);
        seen s;
        pii_src_limits l = defaults();
        int rc = walk_file(path, &l, &s);
        if (strstr(s.msgs, "not valid compressed data")) {
            /* not compressed after all: scanned as it is */
            cr_expect_eq(s.ndata, strlen(heads[i]) + (i == 4 ? 1 : 0) + sizeof junk, "head %zu", i);
        } else {
            cr_expect_eq(rc, -1, "head %zu: an error, reported", i);
            cr_expect_gt(s.errors, 0, "head %zu", i);
        }
        unlink(path);
        strcpy(path, "/tmp/piiscan-test-container-XXXXXX");
    }
}

/* ---- rewriting ---- */

static int copy_fn(void *ud, const char *vpath, piiscan_read_fn rd, void *rud, FILE *out)
{
    (void)vpath;
    int *members = ud;
    char buf[4096];
    ssize_t n;
    while ((n = rd(rud, buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)n, out);
    (*members)++;
    return n < 0;
}

static void quiet_msg(void *ud, const char *vpath, const char *msg, int is_error)
{
    (void)ud, (void)vpath, (void)msg, (void)is_error;
}

/* Remove every occurrence of prefix (the top-level name) from s. */
static void strip(char *s, const char *prefix)
{
    size_t k = strlen(prefix);
    for (char *p; (p = strstr(s, prefix));)
        memmove(p, p + k, strlen(p + k) + 1);
}

static int rewrite_on(const char *path, const char *out, int threads)
{
    int fd = open(path, O_RDONLY), members = 0;
    FILE *fp = fopen(out, "w");
    cr_assert(fd >= 0 && fp);
    pii_src_limits l = defaults();
    int rc = pii_archive_rewrite(path, fd, fp, &l, threads, copy_fn, quiet_msg, &members);
    fclose(fp);
    close(fd);
    return rc;
}

static int rewrite(const char *path, const char *out) { return rewrite_on(path, out, 1); }

/* On 1 thread and on 4 (gzip written by gz_parallel.c) alike. */
Test(rewrite, identity_keeps_every_member)
{
    const char *files[] = { ARCHIVES "logs.tar.gz", ARCHIVES "dumps.zip", HOSTILE "multi.log.gz",
                            HOSTILE "traversal.tar", HOSTILE "links.tar" };
    for (size_t j = 0; j < 2 * sizeof files / sizeof *files; j++) {
        size_t i = j / 2;
        char out[] = "/tmp/piiscan-test-rewrite-XXXXXX";
        close(mkstemp(out));
        cr_expect_eq(rewrite_on(files[i], out, j % 2 ? 4 : 1), PII_RW_OK, "%s", files[i]);
        seen a, b;
        pii_src_limits l = defaults();
        walk_file(files[i], &l, &a);
        walk_file(out, &l, &b);
        /* same members, same sizes, same bytes: only the prefix differs */
        cr_expect_eq(a.ndata, b.ndata, "%s", files[i]);
        cr_expect(memcmp(a.data, b.data, a.ndata) == 0, "%s", files[i]);
        strip(a.leaves, files[i]);
        strip(b.leaves, out);
        cr_expect_str_eq(a.leaves, b.leaves, "%s", files[i]);
        unlink(out);
    }
}

Test(rewrite, refuses_what_it_cannot_redact)
{
    const char *files[] = { HOSTILE "encrypted.zip", HOSTILE "truncated.tar.gz", HOSTILE "corrupt.zip",
                            HOSTILE "deep.tar" };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char out[] = "/tmp/piiscan-test-rewrite-XXXXXX";
        close(mkstemp(out));
        cr_expect_eq(rewrite(files[i], out), PII_RW_FAILED, "%s", files[i]);
        unlink(out);
    }
}

/* ---- formats nobody here has a tool to make: built with libarchive ---- */

#include <archive.h>
#include <archive_entry.h>

typedef struct fmt_case {
    const char *name;    /* file name (the suffix names the format) */
    int format;          /* ARCHIVE_FORMAT_* or 0 for a raw single stream */
    int filter;          /* ARCHIVE_FILTER_* */
} fmt_case;

/* Write an archive with two members (or one raw stream); false if this
 * libarchive cannot write that format or filter. */
static bool make_archive(const char *path, const fmt_case *fc)
{
    struct archive *a = archive_write_new();
    int ok = (fc->format ? archive_write_set_format(a, fc->format) : archive_write_set_format_raw(a)) == ARCHIVE_OK &&
             (fc->filter == ARCHIVE_FILTER_NONE || archive_write_add_filter(a, fc->filter) == ARCHIVE_OK) &&
             archive_write_open_filename(a, path) == ARCHIVE_OK;
    static const char *const names[] = { "logs/a.log", "b.csv" };
    static const char *const data[] = { "tel 13812345678\nid 11010519491231002X\n", "name,phone\nli,13912345678\n" };
    for (int i = 0; ok && i < (fc->format ? 2 : 1); i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, names[i]);
        archive_entry_set_size(e, (la_int64_t)strlen(data[i]));
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, i ? 0600 : 0644);
        archive_entry_set_mtime(e, 1700000000 + i, 0);
        ok = archive_write_header(a, e) == ARCHIVE_OK &&
             archive_write_data(a, data[i], strlen(data[i])) == (la_ssize_t)strlen(data[i]);
        archive_entry_free(e);
    }
    ok = archive_write_close(a) == ARCHIVE_OK && ok;
    archive_write_free(a);
    return ok;
}

static int kind_of_file(const char *path)
{
    uint8_t head[512];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, head, sizeof head) : -1;
    if (fd >= 0)
        close(fd);
    return n > 0 ? pii_container_kind(head, (size_t)n, path) : -1;
}

Test(rewrite, formats_written_back_member_for_member)
{
    static const fmt_case cases[] = {
        { "t.7z", ARCHIVE_FORMAT_7ZIP, ARCHIVE_FILTER_NONE },
        { "t.cpio", ARCHIVE_FORMAT_CPIO_SVR4_NOCRC, ARCHIVE_FILTER_NONE },
        { "t.tar.xz", ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_XZ },
        { "t.tar.bz2", ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_BZIP2 },
        { "t.tar.zst", ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_ZSTD },
        { "t.tar.lz4", ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_LZ4 },
        { "t.log.xz", 0, ARCHIVE_FILTER_XZ },
        { "t.log.bz2", 0, ARCHIVE_FILTER_BZIP2 },
        { "t.log.zst", 0, ARCHIVE_FILTER_ZSTD },
        { "t.log.lz4", 0, ARCHIVE_FILTER_LZ4 },
    };
    char dir[] = "/tmp/piiscan-test-formats-XXXXXX", odir[64];
    cr_assert(mkdtemp(dir));
    snprintf(odir, sizeof odir, "%s/out", dir);   /* same file names: single streams are named after them */
    cr_assert_eq(mkdir(odir, 0700), 0);
    int tested = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char in[700], out[700];
        snprintf(in, sizeof in, "%s/%s", dir, cases[i].name);
        snprintf(out, sizeof out, "%s/%s", odir, cases[i].name);
        if (!make_archive(in, &cases[i])) {
            cr_log_warn("libarchive here cannot write %s: not tested", cases[i].name);
            unlink(in);
            continue;
        }
        int rc = rewrite(in, out);
        cr_expect_eq(rc, PII_RW_OK, "%s: rewrite %d", cases[i].name, rc);
        seen a, b;
        pii_src_limits l = defaults();
        walk_file(in, &l, &a);
        walk_file(out, &l, &b);
        cr_expect_gt(a.ndata, 0, "%s: members read", cases[i].name);
        cr_expect_eq(a.ndata, b.ndata, "%s", cases[i].name);
        cr_expect(a.ndata == b.ndata && memcmp(a.data, b.data, a.ndata) == 0, "%s: same bytes", cases[i].name);
        strip(a.leaves, in);
        strip(b.leaves, out);
        cr_expect_str_eq(a.leaves, b.leaves, "%s: same members in the same order", cases[i].name);
        cr_expect_eq(kind_of_file(in), kind_of_file(out), "%s: written in its own format", cases[i].name);
        unlink(in);
        unlink(out);
        tested++;
    }
    rmdir(odir);
    rmdir(dir);
    cr_expect_geq(tested, 6, "at least 7z, cpio and the tar filters are testable here (%d)", tested);
}

/* ---- pipes ---- */

#ifdef F_SETPIPE_SZ
/* What pii_pipe_setup can reach from size `was`: 1 MiB, unless an
 * unprivileged run meets a lower /proc/sys/fs/pipe-max-size (then the
 * pipe stays as it was). */
static int pipe_goal(int was)
{
    if (geteuid() == 0)
        return 1 << 20;
    long max = 0;
    FILE *f = fopen("/proc/sys/fs/pipe-max-size", "r");
    if (f) {
        if (fscanf(f, "%ld", &max) != 1)
            max = 0;
        fclose(f);
    }
    return max >= (1 << 20) ? 1 << 20 : was;
}

Test(pipe, grown_to_a_mebibyte)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    int was = fcntl(fds[0], F_GETPIPE_SZ);
    cr_assert_lt(was, 1 << 20, "a new pipe starts small (%d)", was);
    cr_expect(pii_pipe_setup(fds[0]), "a pipe can pause");
    cr_expect_eq(fcntl(fds[0], F_GETPIPE_SZ), pipe_goal(was));
    /* Still a working pipe, both ways round. */
    cr_assert_eq(write(fds[1], "abc", 3), 3);
    char b[4] = { 0 };
    cr_expect_eq(read(fds[0], b, sizeof b), 3);
    cr_expect_str_eq(b, "abc");
    close(fds[0]);
    close(fds[1]);
}

/* Growing twice is harmless: the second time finds it grown. */
Test(pipe, grown_once)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    int was = fcntl(fds[0], F_GETPIPE_SZ);
    cr_expect(pii_pipe_setup(fds[1]));   /* either end names the pipe */
    cr_expect(pii_pipe_setup(fds[0]));
    cr_expect_eq(fcntl(fds[0], F_GETPIPE_SZ), pipe_goal(was));
    close(fds[0]);
    close(fds[1]);
}
#endif

Test(pipe, other_files_untouched)
{
    int fd = open(ARCHIVES "access.log.gz", O_RDONLY);
    cr_assert_geq(fd, 0);
    cr_expect_not(pii_pipe_setup(fd), "a file does not pause");
    cr_expect_eq(lseek(fd, 0, SEEK_CUR), 0, "nothing read");
    close(fd);
    cr_expect_not(pii_pipe_setup(-1));   /* not open: nothing happens */
    int sv[2];
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    cr_expect(pii_pipe_setup(sv[0]), "a socket can pause");
    close(sv[0]);
    close(sv[1]);
}

/* A writer that sends "late\n" after 100 ms, then closes. */
static void *late_writer(void *arg)
{
    int fd = *(int *)arg;
    usleep(100 * 1000);
    if (write(fd, "late\n", 5) != 5)
        abort();
    close(fd);
    return NULL;
}

/* A live input (standard input, maybe left non-blocking by the shell):
 * quiet for PIISCAN_PAUSE_MS, a read says EAGAIN once, and the next waits
 * for the data even on a non-blocking descriptor.  Any other descriptor
 * opened non-blocking (the scan walk's, so that a FIFO in a file's place
 * cannot hold the run up) fails with EAGAIN as it always did. */
Test(pipe, non_blocking_descriptor_waits)
{
    for (int live = 0; live <= 1; live++) {
        int fds[2];
        cr_assert_eq(pipe(fds), 0);
        cr_assert_eq(fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK), 0);
        pthread_t th;
        cr_assert_eq(pthread_create(&th, NULL, late_writer, &fds[1]), 0);
        pii_fdin in = { .fd = fds[0], .live = live };
        char buf[16];
        ssize_t n = pii_fdin_read(&in, buf, sizeof buf);
        cr_expect_eq(n, -1, "live %d: nothing yet", live);
        cr_expect_eq(errno, EAGAIN);
        if (!live) {
            pthread_join(th, NULL);
            close(fds[0]);
            continue;
        }
        n = pii_fdin_read(&in, buf, sizeof buf);
        cr_expect_eq(n, 5, "live: waited for the data (%zd, %s)", n, strerror(errno));
        cr_expect_eq(pii_fdin_read(&in, buf, sizeof buf), 0, "then the end");
        pthread_join(th, NULL);
        close(fds[0]);
    }
}
