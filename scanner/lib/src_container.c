/*
 * src_container.c -- container kinds, limits, and the member walk (see
 * src_container.h).  All formats go through libarchive: its raw format
 * turns a single compressed stream into one member, its tar reader reads
 * x.tar.gz.  Gzip, the common case and the costly one, is inflated by
 * ISA-L underneath libarchive where it can be (src_gzip.h), else by
 * libarchive's own zlib filter; both read multi-member files.
 */
#include "src_container.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "member_name.h"
#include "src_leaf.h"

void pii_src_limits_init(pii_src_limits *l)
{
    l->max_depth = 4;
    l->max_total = 64ull << 30;
    l->max_ratio = 1000;
    l->zlib_gzip = false;
}

static int parse_bytes(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || *s == '-')
        return -1;
    int shift = 0;
    switch (*end) {
    case 'K': case 'k': shift = 10; end++; break;
    case 'M': case 'm': shift = 20; end++; break;
    case 'G': case 'g': shift = 30; end++; break;
    case 'T': case 't': shift = 40; end++; break;
    default: break;
    }
    if (*end || v == 0 || v > (UINT64_MAX >> shift))
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

int pii_src_limits_set(pii_src_limits *l, const char *name, const char *value, char *err, size_t errlen)
{
    char *end;
    if (!strcmp(name, "max-depth")) {
        long v = strtol(value, &end, 10);
        if (end == value || *end || v < 1 || v > 64)
            return snprintf(err, errlen, "--max-depth: expected 1 to 64, got '%s'", value), -1;
        l->max_depth = (int)v;
    } else if (!strcmp(name, "max-expansion")) {
        if (parse_bytes(value, &l->max_total) < 0)
            return snprintf(err, errlen, "--max-expansion: expected a byte count (K, M, G, T suffixes), got '%s'",
                            value), -1;
    } else if (!strcmp(name, "max-ratio")) {
        double v = strtod(value, &end);
        if (end == value || *end || !(v > 1) || v > 1e12)
            return snprintf(err, errlen, "--max-ratio: expected a number above 1, got '%s'", value), -1;
        l->max_ratio = v;
    } else {
        return snprintf(err, errlen, "unknown limit '%s'", name), -1;
    }
    return 0;
}

void pii_src_limits_from(pii_src_limits *l, const piiscan_limits *pub)
{
    pii_src_limits_init(l);
    l->max_depth = pub->max_depth;
    l->max_total = pub->max_total;
    l->max_ratio = pub->max_ratio;
}

static void to_public(piiscan_limits *pub, const pii_src_limits *l)
{
    *pub = (piiscan_limits){ l->max_depth, l->max_total, l->max_ratio };
}

void piiscan_limits_init(piiscan_limits *l)
{
    pii_src_limits s;
    pii_src_limits_init(&s);
    to_public(l, &s);
}

int piiscan_limits_set(piiscan_limits *l, const char *name, const char *value, char *err, size_t errlen)
{
    pii_src_limits s;
    pii_src_limits_from(&s, l);
    if (pii_src_limits_set(&s, name, value, err, errlen) < 0)
        return -1;
    to_public(l, &s);
    return 0;
}

/* ---- kinds ---- */

/* A tar header without the ustar magic (v7) is recognised by its checksum:
 * the octal field at 148 equals the byte sum with the field as spaces. */
static int tar_checksum_ok(const uint8_t *h, size_t n)
{
    if (n < 512 || h[0] == 0)
        return 0;
    unsigned long want = 0, sum = 0;
    size_t i = 148;
    while (i < 156 && h[i] == ' ')
        i++;
    if (i == 156 || h[i] < '0' || h[i] > '7')
        return 0;
    for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++)
        want = want * 8 + (unsigned long)(h[i] - '0');
    for (i = 0; i < 512; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    return sum == want;
}

static int has(const uint8_t *h, size_t n, size_t at, const char *magic, size_t len)
{
    return n >= at + len && memcmp(h + at, magic, len) == 0;
}

int pii_container_kind(const uint8_t *h, size_t n, const char *name)
{
    (void)name;   /* every supported kind has magic bytes or a checksum */
    if (has(h, n, 0, "\x1f\x8b", 2))
        return PII_KIND_GZIP;
    if (has(h, n, 0, "\xfd" "7zXZ\0", 6))
        return PII_KIND_XZ;
    if (has(h, n, 0, "BZh", 3) && n > 3 && h[3] >= '1' && h[3] <= '9')
        return PII_KIND_BZIP2;
    if (has(h, n, 0, "\x28\xb5\x2f\xfd", 4))
        return PII_KIND_ZSTD;
    if (has(h, n, 0, "\x04\x22\x4d\x18", 4))
        return PII_KIND_LZ4;
    if (has(h, n, 0, "LZIP", 4))
        return PII_KIND_LZIP;
    if (has(h, n, 0, "\x1f\x9d", 2))
        return PII_KIND_COMPRESS;
    if (has(h, n, 0, "PK\3\4", 4) || has(h, n, 0, "PK\5\6", 4) || has(h, n, 0, "PK\7\x08", 4))
        return PII_KIND_ZIP;
    if (has(h, n, 0, "7z\xbc\xaf\x27\x1c", 6))
        return PII_KIND_7Z;
    if (has(h, n, 0, "Rar!\x1a\x07", 6))
        return PII_KIND_RAR;
    if (has(h, n, 0, "07070", 5) && n > 5 && (h[5] == '1' || h[5] == '2' || h[5] == '7'))
        return PII_KIND_CPIO;
    if (has(h, n, 0, "\xc7\x71", 2) || has(h, n, 0, "\x71\xc7", 2))
        return PII_KIND_CPIO;
    if (has(h, n, 257, "ustar", 5) || tar_checksum_ok(h, n))
        return PII_KIND_TAR;
    return PII_KIND_PLAIN;
}

const char *pii_kind_name(int kind)
{
    static const char *const names[] = { "plain", "gzip", "xz", "bzip2", "zstd", "lz4", "lzip",
                                         "compress", "zip", "tar", "7z", "cpio", "rar" };
    return kind >= 0 && kind < (int)(sizeof names / sizeof *names) ? names[kind] : "unknown";
}

/* ---- names ---- */

void pii_stream_name(const char *vpath, const char *fallback, char *out, size_t cap)
{
    static const char *const suffixes[][2] = {
        { ".tgz", ".tar" }, { ".taz", ".tar" }, { ".tbz2", ".tar" }, { ".tbz", ".tar" }, { ".txz", ".tar" },
        { ".tzst", ".tar" }, { ".gz", "" }, { ".xz", "" }, { ".bz2", "" }, { ".zst", "" }, { ".lz4", "" },
        { ".lz", "" }, { ".Z", "" }, { ".z", "" },
    };
    const char *base = vpath;
    for (const char *p = vpath; *p; p++)
        if (*p == '/')
            base = p + 1;
    size_t n = strlen(base);
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t k = strlen(suffixes[i][0]);
        if (n > k && !strcmp(base + n - k, suffixes[i][0])) {
            snprintf(out, cap, "%.*s%s", (int)(n - k), base, suffixes[i][1]);
            return;
        }
    }
    if (fallback && *fallback && strcmp(fallback, "data") != 0 && !pii_member_name_unsafe(fallback))
        snprintf(out, cap, "%s", fallback);
    else
        snprintf(out, cap, "%s.out", base);
}

int pii_member_name_unsafe(const char *name)
{
    if (name[0] == '/' || name[0] == '\\' || (name[0] && name[1] == ':'))
        return 1;
    for (const char *p = name; *p;) {
        size_t k = strcspn(p, "/\\");
        if (k == 2 && p[0] == '.' && p[1] == '.')
            return 1;
        p += k;
        if (*p)
            p++;
    }
    return 0;
}

/* ---- the walk ---- */

typedef struct walk {
    pii_src_ctx c;
    pii_member_fn fn;
    pii_member_msg msg;
    void *ud;
    int stopped;      /* fn's value */
    bool errors;
    bool abort;       /* a limit that ends the whole file */
} walk;

static void say(walk *w, const char *vpath, const char *msg, int is_error)
{
    w->msg(w->ud, vpath, msg, is_error);
    if (is_error)
        w->errors = true;
}

static void walk_source(walk *w, pii_leaf *src, pii_fdin *in, const uint8_t *head, size_t hn, const char *vpath,
                        int kind, int depth);

/* Members that hold no data of their own are passed over; tell about the
 * ones a user might expect to be read. */
static bool skip_entry(walk *w, struct archive_entry *e, const char *vpath)
{
    char msg[600];
    mode_t t = archive_entry_filetype(e);
    if (t == AE_IFDIR)
        return true;
    if (t == AE_IFLNK) {
        snprintf(msg, sizeof msg, "symbolic link to '%.500s', not followed",
                 archive_entry_symlink(e) ? archive_entry_symlink(e) : "");
        say(w, vpath, msg, 0);
        return true;
    }
    if (archive_entry_hardlink(e) && (!archive_entry_size_is_set(e) || archive_entry_size(e) == 0)) {
        snprintf(msg, sizeof msg, "hard link to '%.500s' (scanned under that name)", archive_entry_hardlink(e));
        say(w, vpath, msg, 0);
        return true;
    }
    if (t != AE_IFREG && t != 0) {
        say(w, vpath, "special file member (device, FIFO or socket), no data", 0);
        return true;
    }
    if (archive_entry_is_data_encrypted(e) || archive_entry_is_metadata_encrypted(e)) {
        say(w, vpath, "encrypted member, not scanned", 1);
        return true;
    }
    return false;
}

/* A member of a, started and its head peeked (kind); NULL when out of
 * memory (said). */
static pii_leaf *leaf_open(walk *w, struct archive *a, const char *name, const char *vpath, int *kind)
{
    pii_leaf *l = malloc(sizeof *l);
    if (!l) {
        say(w, vpath, "out of memory", 1);
        w->abort = true;
        return NULL;
    }
    pii_leaf_start(l, &w->c, a);
    *kind = pii_leaf_peek(l, name);
    return l;
}

/* A leaf goes to fn, a container is walked (nested one level deeper).
 * Frees l.  Returns false when the archive cannot go on after it. */
/* Say why a stream stopped early (limits, corrupt data), if it did; a total
 * expansion over the limit ends the whole file. */
static void report_leaf(walk *w, pii_leaf *l, const char *vpath)
{
    char msg[512];
    pii_leaf_why(l, msg, sizeof msg);
    if (msg[0])
        say(w, vpath, msg, 1);
    if (l->why == PII_LEAF_TOTAL)
        w->abort = true;
}

static bool walk_member(walk *w, struct archive *a, pii_leaf *l, int kind, const char *vpath, int depth)
{
    char msg[600];
    if (kind == PII_KIND_PLAIN || l->why != PII_LEAF_OK) {
        w->stopped = w->fn(w->ud, vpath, pii_leaf_read, l);
    } else if (depth >= w->c.lim->max_depth) {
        snprintf(msg, sizeof msg, "%s container nested deeper than %d levels (--max-depth); not scanned",
                 pii_kind_name(kind), w->c.lim->max_depth);
        say(w, vpath, msg, 1);
    } else {
        walk_source(w, l, NULL, l->head, l->hn, vpath, kind, depth + 1);
        if (l->why == PII_LEAF_ERROR)
            l->why = PII_LEAF_OK;   /* the inner archive said it, naming its member */
    }
    report_leaf(w, l, vpath);
    /* Per-entry compression (zip, 7z) lets the next member be read without
     * decompressing the rest of this one; a compressed tar does not. */
    int fmt = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
    bool per_entry = fmt == ARCHIVE_FORMAT_ZIP || fmt == ARCHIVE_FORMAT_7ZIP || fmt == ARCHIVE_FORMAT_RAW;
    bool go_on = !l->fatal && !(l->why == PII_LEAF_RATIO && !per_entry);
    if (l->why == PII_LEAF_RATIO && !go_on)
        say(w, vpath, "the members after this one are not scanned", 1);
    free(l);
    return go_on;
}

static void walk_entries(walk *w, struct archive *a, const char *prefix, int depth)
{
    struct archive_entry *e;
    char last[4096] = "", msg[600];
    while (!w->stopped && !w->abort) {
        int r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF)
            return;
        if (r < ARCHIVE_WARN) {
            if (last[0])
                snprintf(msg, sizeof msg, "corrupt or truncated archive after member '%.300s': %s", last,
                         archive_error_string(a));
            else
                snprintf(msg, sizeof msg, "corrupt or truncated archive: %s", archive_error_string(a));
            say(w, prefix, msg, 1);
            if (r == ARCHIVE_FATAL)
                return;
            continue;
        }
        const char *name = pii_member_name(a, e);
        snprintf(last, sizeof last, "%s", name ? name : "");
        char *vpath;
        if (asprintf(&vpath, "%s!/%s", prefix, last) < 0) {
            say(w, prefix, "out of memory", 1);
            return;
        }
        if (!name)   /* libarchive's own words blame the locale */
            say(w, vpath, "member name is flagged UTF-8 but is not; its data is scanned under an empty name", 0);
        else if (r == ARCHIVE_WARN && archive_error_string(a))
            say(w, vpath, archive_error_string(a), 0);
        bool go_on = true;
        if (!skip_entry(w, e, vpath)) {
            if (pii_member_name_unsafe(last))
                say(w, vpath, "member name is absolute or contains '..' (would escape an extraction directory)", 0);
            int kind;
            pii_leaf *l = leaf_open(w, a, last, vpath, &kind);
            go_on = l && walk_member(w, a, l, kind, vpath, depth);
        }
        free(vpath);
        if (!go_on)
            return;
    }
}

/* The single member of a compressed stream: an archive inside (x.tar.gz)
 * is the same level, anything else a leaf named after the file.  gz is
 * the ISA-L layer under a, if any. */
static void walk_stream(walk *w, struct archive *a, const pii_gz *gz, const char *prefix, int depth)
{
    struct archive_entry *e = NULL;
    char msg[600], name[1024];
    int r = archive_read_next_header(a, &e);
    /* A valid stream of nothing (gzip -c /dev/null) is one empty member,
     * told and counted like an empty file; the leaf sees it at its end. */
    bool empty = r == ARCHIVE_EOF && archive_format(a) == ARCHIVE_FORMAT_EMPTY;
    if (r == ARCHIVE_EOF && !empty)
        return;
    if (empty)
        e = NULL;
    if (r < ARCHIVE_WARN) {
        snprintf(msg, sizeof msg, "corrupt or truncated compressed data: %s", archive_error_string(a));
        say(w, prefix, msg, 1);
        return;
    }
    if (!gz && archive_filter_count(a) < 2) {
        /* The magic bytes promised compression that is not there: the
         * bytes are still scanned as they are, never dropped. */
        say(w, prefix, "not valid compressed data (magic bytes only); scanned as it is", 0);
        int k;
        pii_leaf *raw = leaf_open(w, a, NULL, prefix, &k);
        if (raw)
            walk_member(w, a, raw, PII_KIND_PLAIN, prefix, depth);
        return;
    }
    int kind;
    pii_leaf *l = leaf_open(w, a, NULL, prefix, &kind);
    if (!l)
        return;
    if (kind == PII_KIND_PLAIN || pii_kind_is_stream(kind) || l->why != PII_LEAF_OK) {
        /* The name stored in a gzip header: libarchive's filter puts it in
         * the entry; under the ISA-L layer the layer has it. */
        pii_stream_name(prefix, gz ? pii_gz_name(gz) : e ? archive_entry_pathname(e) : NULL, name, sizeof name);
        char *vpath;
        if (asprintf(&vpath, "%s!/%s", prefix, name) < 0) {
            say(w, prefix, "out of memory", 1);
            free(l);
            return;
        }
        walk_member(w, a, l, PII_KIND_PLAIN, vpath, depth);
        free(vpath);
        return;
    }
    walk_source(w, l, NULL, l->head, l->hn, prefix, kind, depth);
    if (l->why == PII_LEAF_ERROR)
        l->why = PII_LEAF_OK;   /* the inner archive said it, naming its member */
    report_leaf(w, l, prefix);
    free(l);
}

/* Open a container of this kind on fd (top level) or on the member src is
 * reading, whose first bytes are head[0..hn), and walk it. */
static void walk_source(walk *w, pii_leaf *src, pii_fdin *in, const uint8_t *head, size_t hn, const char *vpath,
                        int kind, int depth)
{
    char msg[600];
    struct archive *a = pii_archive_reader(kind);
    if (!a) {
        say(w, vpath, "out of memory", 1);
        w->abort = true;
        return;
    }
    const pii_gz *gz;
    if (!src)
        w->c.top = a;
    int r = pii_archive_open(a, kind, in, src, head, hn, w->c.lim, &gz);
    if (!src)
        w->c.top_gz = gz;
    if (r != ARCHIVE_OK) {
        snprintf(msg, sizeof msg, "corrupt or truncated %s data: %s", pii_kind_name(kind), archive_error_string(a));
        if (!src || src->why == PII_LEAF_OK)
            say(w, vpath, msg, 1);
    } else if (pii_kind_is_stream(kind)) {
        walk_stream(w, a, gz, vpath, depth);
    } else {
        walk_entries(w, a, vpath, depth);
    }
    if (!src) {
        w->c.top = NULL;
        w->c.top_gz = NULL;
    }
    archive_read_free(a);   /* frees gz */
}

static int walk_top(const char *path, pii_fdin *in, const uint8_t *head, ssize_t n, const pii_src_limits *lim,
                    pii_member_fn fn, pii_member_msg msg, void *ud)
{
    walk w = { .c = { .lim = lim }, .fn = fn, .msg = msg, .ud = ud };
    int kind = n > 0 ? pii_container_kind(head, (size_t)n, path) : PII_KIND_PLAIN;
    if (kind == PII_KIND_PLAIN) {
        msg(ud, path, n < 0 ? "cannot read the container" : "not a supported container", 1);
        return -1;
    }
    walk_source(&w, NULL, in, head, (size_t)n, path, kind, 1);
    return w.stopped ? w.stopped : w.errors ? -1 : 0;
}

int pii_source_walk(const char *path, int fd, const pii_src_limits *lim, pii_member_fn fn, pii_member_msg msg,
                    void *ud)
{
    unsigned char head[PII_HEAD_BYTES];
    off_t off = lseek(fd, 0, SEEK_CUR);
    ssize_t n = off < 0 ? -1 : pread(fd, head, sizeof head, off);
    pii_fdin in = { .fd = fd };
    return walk_top(path, &in, head, n, lim, fn, msg, ud);
}

int pii_source_walk_head(const char *path, int fd, const uint8_t *head, size_t n, const pii_src_limits *lim,
                         pii_member_fn fn, pii_member_msg msg, void *ud)
{
    pii_fdin in = { .fd = fd, .pre = head, .npre = n };
    return walk_top(path, &in, head, (ssize_t)n, lim, fn, msg, ud);
}
