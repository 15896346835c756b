/*
 * test_gzip.c -- gzip inflated by ISA-L under libarchive (src_gzip.c):
 * the same members, bytes and messages as libarchive's own zlib filter on
 * every file of corpora/archives and corpora/hostile and on crafted
 * streams (many members, odd read sizes, trailing bytes), plus what only
 * the ISA-L layer does: CRC-32 and length checks.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

#include "archive_rewrite.h"
#include "src_container.h"
#include "src_gzip.h"

#define HOSTILE PIISCAN_SOURCE_DIR "/corpora/hostile/"
#define ARCHIVES PIISCAN_SOURCE_DIR "/corpora/archives/"

static void need_isal(void)
{
    if (!pii_gz_available())
        cr_skip_test("built without ISA-L (libisal-dev): only the zlib path exists");
}

/* ---- making gzip streams with zlib ---- */

typedef struct buf {
    unsigned char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const void *p, size_t n)
{
    if (b->n + n > b->cap || !b->p) {
        b->cap = (b->n + n) * 2 + 1;
        b->p = realloc(b->p, b->cap);
        cr_assert(b->p);
    }
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
}

/* One gzip member of data, with a stored name when name is not NULL. */
static void gz_member(buf *out, const void *data, size_t n, const char *name, int level)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    cr_assert_eq(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    gz_header h;
    memset(&h, 0, sizeof h);
    h.name = (Bytef *)(uintptr_t)name;
    h.time = 1700000000;
    cr_assert_eq(deflateSetHeader(&z, &h), Z_OK);
    size_t cap = deflateBound(&z, (uLong)n) + 64 + (name ? strlen(name) : 0);
    unsigned char *tmp = malloc(cap);
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)n;
    z.next_out = tmp;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    put(out, tmp, cap - z.avail_out);
    deflateEnd(&z);
    free(tmp);
}

/* Log-like text with a phone number now and then; deterministic. */
static unsigned char *text(size_t n, unsigned seed)
{
    unsigned char *t = malloc(n + 1);
    size_t i = 0;
    while (i < n) {
        seed = seed * 1103515245u + 12345u;
        int k = snprintf((char *)t + i, n + 1 - i, "row %u status=%s tel 138%08u\n", seed >> 8,
                         (seed & 1) ? "ok" : "retry", (seed >> 3) % 100000000u);
        i += (size_t)k < n - i ? (size_t)k : n - i;
    }
    return t;
}

static char *write_tmp(const buf *b, const char *suffix)
{
    char *path;
    cr_assert(asprintf(&path, "/tmp/piiscan-test-gzip-XXXXXX%s", suffix) > 0);
    int fd = mkstemps(path, (int)strlen(suffix));
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, b->p, b->n), (ssize_t)b->n);
    close(fd);
    return path;
}

/* ---- walking with either inflater ---- */

typedef struct seen {
    char leaves[8192];   /* "vpath=bytes:xxh64\n"... */
    char msgs[8192];     /* "E|N vpath: msg\n"... */
    int errors;
} seen;

static int on_leaf(void *ud, const char *vpath, piiscan_read_fn rd, void *rud)
{
    seen *s = ud;
    static char b[100000];   /* not a power of two: reads end mid-buffer */
    XXH64_state_t *h = XXH64_createState();
    XXH64_reset(h, 0);
    ssize_t n;
    unsigned long long total = 0;
    while ((n = rd(rud, b, sizeof b)) > 0) {
        XXH64_update(h, b, (size_t)n);
        total += (unsigned long long)n;
    }
    cr_assert_geq(n, 0);
    size_t l = strlen(s->leaves);
    snprintf(s->leaves + l, sizeof s->leaves - l, "%s=%llu:%016llx\n", vpath, total,
             (unsigned long long)XXH64_digest(h));
    XXH64_freeState(h);
    return 0;
}

static void on_msg(void *ud, const char *vpath, const char *msg, int is_error)
{
    seen *s = ud;
    size_t l = strlen(s->msgs);
    snprintf(s->msgs + l, sizeof s->msgs - l, "%c %s: %s\n", is_error ? 'E' : 'N', vpath, msg);
    s->errors += is_error;
}

static int walk(const char *path, pii_src_limits l, bool zlib, seen *s)
{
    memset(s, 0, sizeof *s);
    l.zlib_gzip = zlib;
    int fd = open(path, O_RDONLY);
    cr_assert_geq(fd, 0, "%s", path);
    int rc = pii_source_walk(path, fd, &l, on_leaf, on_msg, s);
    close(fd);
    return rc;
}

static pii_src_limits defaults(void)
{
    pii_src_limits l;
    pii_src_limits_init(&l);
    return l;
}

/* s with every "after N bytes" and "=N:hash" made number-free. */
static void without_counts(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    while (*s && o + 1 < cap) {
        if (!strncmp(s, "after ", 6) && s[6] >= '0' && s[6] <= '9') {
            s += 6;
            while (*s >= '0' && *s <= '9')
                s++;
            o += (size_t)snprintf(out + o, cap - o, "after #");
        } else if (*s == '=' && s[1] >= '0' && s[1] <= '9') {
            while (*s && *s != '\n')
                s++;
        } else {
            out[o++] = *s++;
        }
    }
    out[o < cap ? o : cap - 1] = 0;
}

/* Sum of the byte counts in a leaves list. */
static unsigned long long leaf_bytes(const char *s)
{
    unsigned long long t = 0;
    for (const char *p = s; (p = strchr(p, '=')); p++)
        t += strtoull(p + 1, NULL, 10);
    return t;
}

/* Both inflaters: same return, leaves (names, sizes, hashes), messages.
 * Where the stream is cut off, each inflater hands out what it could
 * decode before noticing (ISA-L gets further than zlib): the same members
 * and errors, and ISA-L at least as many bytes. */
static void same_both_ways(const char *path, pii_src_limits l)
{
    static seen a, b;
    int ra = walk(path, l, false, &a);
    int rb = walk(path, l, true, &b);
    cr_expect_eq(ra, rb, "%s: ISA-L %d, zlib %d", path, ra, rb);
    if (strstr(b.msgs, "truncated gzip input")) {
        static char x[8192], y[8192];
        without_counts(a.leaves, x, sizeof x);
        without_counts(b.leaves, y, sizeof y);
        cr_expect_str_eq(x, y, "%s: members\nISA-L:\n%s\nzlib:\n%s", path, a.leaves, b.leaves);
        without_counts(a.msgs, x, sizeof x);
        without_counts(b.msgs, y, sizeof y);
        cr_expect_str_eq(x, y, "%s: messages\nISA-L:\n%s\nzlib:\n%s", path, a.msgs, b.msgs);
        cr_expect_geq(leaf_bytes(a.leaves), leaf_bytes(b.leaves), "%s", path);
        return;
    }
    cr_expect_str_eq(a.leaves, b.leaves, "%s:\nISA-L:\n%s\nzlib:\n%s", path, a.leaves, b.leaves);
    cr_expect_str_eq(a.msgs, b.msgs, "%s:\nISA-L:\n%s\nzlib:\n%s", path, a.msgs, b.msgs);
}

/* ---- the same results as the zlib path ---- */

static void corpus_dir(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert(d, "%s", dir);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || strstr(e->d_name, ".sh"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s%s", dir, e->d_name);
        same_both_ways(path, defaults());
        files++;
    }
    closedir(d);
    cr_expect_gt(files, 2, "%s", dir);
}

Test(same_as_zlib, corpora_archives) { need_isal(); corpus_dir(ARCHIVES); }

/* truncated.tar.gz is here too: the cut lands inside deflate data, where
 * both inflaters say "truncated gzip input" (after different byte counts). */
Test(same_as_zlib, corpora_hostile) { need_isal(); corpus_dir(HOSTILE); }

Test(same_as_zlib, many_members_large_and_empty)
{
    need_isal();
    buf b = { 0 }, want = { 0 };
    for (unsigned i = 0; i < 40; i++) {
        /* empty members, members larger than every buffer on the way
         * (input 128 KiB, output 256 KiB), stored and compressed ones */
        size_t n = i % 7 == 3 ? 0 : i % 5 == 0 ? (size_t)700000 + i : (size_t)(i * 977);
        unsigned char *t = text(n, i);
        gz_member(&b, t, n, i == 0 ? "many.log" : NULL, i % 4 == 1 ? 0 : 6);
        put(&want, t, n);
        free(t);
    }
    char *path = write_tmp(&b, "");
    same_both_ways(path, defaults());
    seen s;
    cr_expect_eq(walk(path, defaults(), false, &s), 0);
    char expect[512];
    snprintf(expect, sizeof expect, "%s!/many.log=%zu:%016llx\n", path, want.n,
             (unsigned long long)XXH64(want.p, want.n, 0));
    cr_expect_str_eq(s.leaves, expect, "the stored name, every member's bytes in order");
    cr_expect_str_eq(s.msgs, "");
    unlink(path);
    free(path);
    free(b.p);
    free(want.p);
}

Test(same_as_zlib, trailing_bytes_after_the_last_member_are_ignored)
{
    need_isal();
    static const char *const tails[] = { "garbage after the stream\n", "\0\0\0\0\0\0\0\0", "\x1f", "\x1f\x8b" };
    static const size_t tail_len[] = { 25, 8, 1, 2 };
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        buf b = { 0 };
        unsigned char *t = text(5000, 7);
        gz_member(&b, t, 5000, "t.log", 6);
        put(&b, tails[i], tail_len[i]);
        char *path = write_tmp(&b, ".gz");
        same_both_ways(path, defaults());
        seen s;
        cr_expect_eq(walk(path, defaults(), false, &s), 0, "tail %zu: %s", i, s.msgs);
        unlink(path);
        free(path);
        free(b.p);
        free(t);
    }
}

/* One member of "tel 13812345678\n" (stored name, FLG bits or'ed in),
 * written to a file with the suffix: walked the same with both inflaters,
 * and what the walk said with ISA-L in *s. */
static void one_member_both_ways(const char *name, uint8_t extra_flags, const char *suffix, seen *s)
{
    buf b = { 0 };
    gz_member(&b, "tel 13812345678\n", 16, name, 6);
    b.p[3] |= extra_flags;
    char *path = write_tmp(&b, suffix);
    same_both_ways(path, defaults());
    walk(path, defaults(), false, s);
    unlink(path);
    free(path);
    free(b.p);
}

Test(same_as_zlib, stored_name_or_file_name)
{
    need_isal();
    seen s;
    one_member_both_ways("foo.txt", 0, "", &s);   /* no .gz suffix: the stored name is used */
    cr_expect(strstr(s.leaves, "!/foo.txt=16:"), "%s", s.leaves);
}

/* A reserved flag bit: libarchive's filter does not take the stream, so
 * ISA-L must not either; both scan the bytes as they are, with a note. */
Test(same_as_zlib, reserved_header_flag_falls_back)
{
    need_isal();
    seen s;
    one_member_both_ways(NULL, 0x20, ".gz", &s);
    cr_expect(strstr(s.msgs, "not valid compressed data"), "%s", s.msgs);
}

/* ---- redact's rewriting reads through the same layer ---- */

static int copy_fn(void *ud, const char *vpath, piiscan_read_fn rd, void *rud, FILE *out)
{
    (void)ud, (void)vpath;
    char b[5000];
    ssize_t n;
    while ((n = rd(rud, b, sizeof b)) > 0)
        fwrite(b, 1, (size_t)n, out);
    return n < 0;
}

static void collect_msg(void *ud, const char *vpath, const char *msg, int is_error)
{
    on_msg(ud, vpath, msg, is_error);
}

/* The N of the first "after N bytes" in msgs, which becomes "after # bytes"
 * (0 if there is none). */
static unsigned long long after_bytes(char *msgs)
{
    char *p = strstr(msgs, " after ");
    if (!p)
        return 0;
    char *end;
    unsigned long long n = strtoull(p + 7, &end, 10);
    if (end == p + 7)
        return 0;
    p[7] = '#';
    memmove(p + 8, end, strlen(end) + 1);
    return n;
}

/* Rewrite path with an identity transform; the output's bytes in *out. */
static int rewrite(const char *path, bool zlib, buf *out, seen *s)
{
    memset(s, 0, sizeof *s);
    pii_src_limits l = defaults();
    l.zlib_gzip = zlib;
    int fd = open(path, O_RDONLY);
    cr_assert_geq(fd, 0, "%s", path);
    char *mem = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&mem, &len);
    cr_assert(fp);
    int rc = pii_archive_rewrite(path, fd, fp, &l, 1, copy_fn, collect_msg, s);
    fclose(fp);
    close(fd);
    out->n = 0;
    put(out, mem, len);
    free(mem);
    return rc;
}

Test(same_as_zlib, rewrite_writes_the_same_bytes)
{
    need_isal();
    buf named = { 0 };
    gz_member(&named, "tel 13812345678\n", 16, "foo.txt", 6);
    char *blob = write_tmp(&named, "");
    const char *files[] = { ARCHIVES "access.log.gz", ARCHIVES "logs.tar.gz", HOSTILE "multi.log.gz",
                            HOSTILE "truncated.tar.gz", blob };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        buf a = { 0 }, b = { 0 };
        seen sa, sb;
        int ra = rewrite(files[i], false, &a, &sa);
        int rb = rewrite(files[i], true, &b, &sb);
        cr_expect_eq(ra, rb, "%s", files[i]);
        /* A truncated stream: ISA-L hands over what it inflated before the
         * cut, libarchive's filter drops its last partial block, so the
         * sentences may differ in "after N bytes" only, N not smaller. */
        unsigned long long na = after_bytes(sa.msgs), nb = after_bytes(sb.msgs);
        cr_expect_geq(na, nb, "%s", files[i]);
        cr_expect_str_eq(sa.msgs, sb.msgs, "%s:\n%s---\n%s", files[i], sa.msgs, sb.msgs);
        if (ra == PII_RW_OK)
            cr_expect(a.n == b.n && memcmp(a.p, b.p, a.n) == 0, "%s: %zu vs %zu bytes", files[i], a.n, b.n);
        free(a.p);
        free(b.p);
    }
    unlink(blob);
    free(blob);
    free(named.p);
}

Test(checks, rewrite_refuses_a_crc32_mismatch)
{
    need_isal();
    buf b = { 0 }, out = { 0 };
    unsigned char *t = text(600000, 9);
    gz_member(&b, t, 600000, "x.log", 6);
    b.p[b.n - 8] ^= 0x80;
    char *path = write_tmp(&b, ".gz");
    seen s;
    cr_expect_eq(rewrite(path, false, &out, &s), PII_RW_FAILED, "%s", s.msgs);
    cr_expect(strstr(s.msgs, "gzip CRC-32 or length check failed"), "%s", s.msgs);
    cr_expect_eq(rewrite(path, true, &out, &s), PII_RW_OK, "the zlib filter never checked: %s", s.msgs);
    unlink(path);
    free(path);
    free(b.p);
    free(out.p);
    free(t);
}

/* ---- limits ---- */

static char *bomb(void)
{
    size_t n = 32u << 20;
    unsigned char *z = calloc(1, n);
    buf b = { 0 };
    gz_member(&b, z, n, NULL, 9);
    free(z);
    char *path = write_tmp(&b, ".gz");
    free(b.p);
    return path;
}

Test(limits, max_expansion_stops_exactly_at_the_limit)
{
    need_isal();
    char *path = bomb();
    pii_src_limits l = defaults();
    l.max_total = 1 << 20;
    same_both_ways(path, l);
    seen s;
    cr_expect_eq(walk(path, l, false, &s), -1);
    cr_expect(strstr(s.leaves, "=1048576:"), "%s", s.leaves);
    cr_expect(strstr(s.msgs, ".gz!/"), "names the member: %s", s.msgs);
    cr_expect(strstr(s.msgs, ": decompressed size limit of 1048576 bytes reached (--max-expansion)"), "%s", s.msgs);
    unlink(path);
    free(path);
}

Test(limits, max_ratio_counts_compressed_bytes_read_by_isal)
{
    need_isal();
    char *path = bomb();
    pii_src_limits l = defaults();
    l.max_ratio = 50;
    seen s;
    cr_expect_eq(walk(path, l, false, &s), -1);
    cr_expect(strstr(s.msgs, ": expands more than 50 times ("), "%s", s.msgs);
    cr_expect(strstr(s.msgs, "(--max-ratio)"), "%s", s.msgs);
    cr_expect_not(strstr(s.leaves, "=33554432:"), "the bomb is not expanded in full: %s", s.leaves);
    unlink(path);
    free(path);
}

/* ---- what only the ISA-L layer checks ---- */

/* The first of two members gets a wrong trailer.  It is large enough for
 * the error to come after libarchive opened the stream (an error while it
 * reads ahead to identify the format fails the whole file instead). */
static void corrupt_trailer(size_t at_from_end, const char *what)
{
    enum { N = 600000 };
    buf b = { 0 };
    unsigned char *t = text(N, 3);
    gz_member(&b, t, N, NULL, 6);
    gz_member(&b, t, N, NULL, 6);
    size_t second = b.n / 2;
    cr_assert_eq(b.n % 2, 0);
    b.p[second - at_from_end] ^= 0x01;
    char *path = write_tmp(&b, ".log.gz");
    seen s;
    cr_expect_eq(walk(path, defaults(), false, &s), -1, "%s", what);
    cr_expect(strstr(s.leaves, ".log.gz!/"), "%s: %s", what, s.leaves);
    cr_expect(strstr(s.msgs, ".log.gz!/"), "%s: names the member: %s", what, s.msgs);
    const char *after = strstr(s.msgs, ": corrupt or truncated data after ");
    cr_expect(after && strstr(after, " bytes: gzip CRC-32 or length check failed"), "%s: %s", what, s.msgs);
    /* Every byte the first member holds is handed out before the error
     * (src_leaf.c reads block by block: none of it is dropped with the
     * read that meets the bad trailer). */
    unsigned long long got = after ? strtoull(after + strlen(": corrupt or truncated data after "), NULL, 10) : 0;
    cr_expect_eq(got, N, "%s: %llu bytes before the error", what, got);
    cr_expect_eq(s.errors, 1, "%s", what);
    /* libarchive's zlib filter never looks at the trailer */
    cr_expect_eq(walk(path, defaults(), true, &s), 0, "%s: %s", what, s.msgs);
    unlink(path);
    free(path);
    free(b.p);
    free(t);
}

Test(checks, crc32_mismatch_is_an_error) { need_isal(); corrupt_trailer(8, "CRC-32"); }
Test(checks, isize_mismatch_is_an_error) { need_isal(); corrupt_trailer(1, "ISIZE"); }

/* Cut after the header, inside deflate data, inside the trailer.  Where
 * the cut is met while libarchive is still opening the stream the error
 * names the file ("corrupt or truncated gzip data: ..."), later the
 * member ("x.gz!/x: corrupt or truncated data after N bytes: ..."), as
 * with the zlib path; the reason is always given. */
Test(checks, truncated_anywhere_is_an_error_naming_the_file)
{
    need_isal();
    buf b = { 0 };
    unsigned char *t = text(1000000, 11);
    gz_member(&b, t, 1000000, "cut.log", 6);
    size_t cuts[] = { 19, 20, 100, b.n / 3, b.n / 2, b.n - 8, b.n - 5, b.n - 1 };
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        buf c = { 0 };
        put(&c, b.p, cuts[i]);
        char *path = write_tmp(&c, ".gz");
        seen s;
        cr_expect_eq(walk(path, defaults(), false, &s), -1, "cut at %zu: %s", cuts[i], s.msgs);
        char want[600];
        snprintf(want, sizeof want, "E %s", path);
        cr_expect(strncmp(s.msgs, want, strlen(want)) == 0, "cut at %zu: %s", cuts[i], s.msgs);
        cr_expect(strstr(s.msgs, ": corrupt or truncated "), "cut at %zu: %s", cuts[i], s.msgs);
        cr_expect(strstr(s.msgs, "truncated gzip input\n"), "cut at %zu: %s", cuts[i], s.msgs);
        cr_expect_eq(s.errors, 1, "cut at %zu: %s", cuts[i], s.msgs);
        if (cuts[i] > b.n / 4)
            cr_expect(strstr(s.msgs, ".gz!/"), "cut at %zu: names the member: %s", cuts[i], s.msgs);
        unlink(path);
        free(path);
        free(c.p);
    }
    free(b.p);
    free(t);
}

Test(checks, corrupt_deflate_data_is_an_error)
{
    need_isal();
    buf b = { 0 };
    unsigned char *t = text(200000, 5);
    gz_member(&b, t, 200000, NULL, 6);
    for (size_t i = b.n / 2; i < b.n / 2 + 64; i++)
        b.p[i] = 0xff;
    char *path = write_tmp(&b, ".gz");
    seen s;
    cr_expect_eq(walk(path, defaults(), false, &s), -1);
    cr_expect(strstr(s.msgs, ": corrupt or truncated data after "), "%s", s.msgs);
    cr_expect_eq(s.errors, 1, "%s", s.msgs);
    unlink(path);
    free(path);
    free(b.p);
    free(t);
}

/* ---- the layer itself, fed a few bytes at a time ---- */

typedef struct trickle {
    const buf *b;
    size_t at;
    unsigned step;
} trickle;

static ssize_t trickle_src(void *ud, void *out, size_t cap, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    trickle *t = ud;
    t->step = t->step * 7 + 3;
    size_t k = 1 + t->step % 13;   /* 1 to 13 bytes: splits every field */
    if (k > cap)
        k = cap;
    if (k > t->b->n - t->at)
        k = t->b->n - t->at;
    memcpy(out, t->b->p + t->at, k);
    t->at += k;
    return (ssize_t)k;
}

Test(layer, any_read_sizes_give_the_same_bytes)
{
    need_isal();
    buf b = { 0 }, want = { 0 };
    for (unsigned i = 0; i < 6; i++) {
        size_t n = i == 2 ? 0 : 40000 * i + 17;
        unsigned char *t = text(n, 100 + i);
        gz_member(&b, t, n, i ? "later-name-is-ignored" : "first.log", i == 3 ? 0 : 6);
        put(&want, t, n);
        free(t);
    }
    trickle tr = { &b, 0, 1 };
    pii_gz *g = pii_gz_new(b.p, b.n < 512 ? b.n : 512, trickle_src, &tr);
    cr_assert(g);
    cr_expect_str_eq(pii_gz_name(g), "first.log");
    struct archive *a = archive_read_new();
    archive_read_support_format_raw(a);
    cr_assert_eq(pii_gz_open(a, g), ARCHIVE_OK, "%s", archive_error_string(a));
    struct archive_entry *e;
    cr_assert_eq(archive_read_next_header(a, &e), ARCHIVE_OK);
    buf got = { 0 };
    char chunk[4096];
    la_ssize_t n;
    while ((n = archive_read_data(a, chunk, sizeof chunk)) > 0)
        put(&got, chunk, (size_t)n);
    cr_expect_eq(n, 0, "%s", archive_error_string(a));
    cr_expect_eq(got.n, want.n);
    cr_expect(got.n == want.n && memcmp(got.p, want.p, want.n) == 0);
    cr_expect_eq(pii_gz_in_bytes(g), b.n, "every compressed byte consumed");
    archive_read_free(a);
    free(b.p);
    free(want.p);
    free(got.p);
}

Test(layer, declines_what_libarchive_would_not_take)
{
    need_isal();
    static const unsigned char deflate_hdr[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x03, 0x00 };
    cr_expect_not(pii_gz_new((const uint8_t *)"\x1f\x8b\x07\0\0\0\0\0\0\3", 10, trickle_src, NULL),
                  "not deflate");
    cr_expect_not(pii_gz_new((const uint8_t *)"\x1f\x8b\x08\x40\0\0\0\0\0\3", 10, trickle_src, NULL),
                  "a reserved flag");
    cr_expect_not(pii_gz_new((const uint8_t *)"\x1f\x8b\x08\x08\0\0\0\0\0\3name-without-end", 26, trickle_src,
                             NULL), "the header does not end within the head");
    pii_gz *g = pii_gz_new(deflate_hdr, sizeof deflate_hdr, trickle_src, NULL);
    cr_expect(g, "a plain header is taken");
    free(g);
}
