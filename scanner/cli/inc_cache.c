/*
 * inc_cache.c -- the --incremental cache (what and why: inc_cache.h).
 *
 * The file is text, one file per line, so that it can be read, diffed and
 * grepped when a run skipped something unexpectedly:
 *
 *   piiscan-incremental 1 IDENTITY
 *   SIZE MTIME.NS CTIME.NS INODE PATH
 *   ...
 *   end COUNT XXH3
 *
 * PATH is last, with '\\' and control bytes written as \\ and \xHH (a name
 * may hold a newline).  The closing line's hash covers every byte before
 * it: a cache that was cut short or edited is refused with an error rather
 * than silently trusted (a wrong "unchanged" means a file never scanned).
 */
#include "inc_cache.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#include "outfile.h"

#define MAGIC "piiscan-incremental 1 "

typedef struct rec {
    uint64_t size, ino;
    int64_t msec, csec;
    long mnsec, cnsec;
    char *path;
} rec;

typedef struct recs {
    rec *v;
    size_t n, cap;
} recs;

struct inc_cache {
    char *file;
    uint64_t identity;
    recs old, cur;
    size_t *slot;            /* open addressing over old: index + 1, 0 empty */
    size_t nslot;            /* a power of two */
    size_t skipped;
    bool reset;              /* made under another identity */
    pthread_mutex_t mu;      /* guards failed */
    char **failed;
    size_t nfailed, capfailed;
    bool oom;
};

static void fill(rec *r, const struct stat *st)
{
    r->size = (uint64_t)st->st_size;
    r->ino = (uint64_t)st->st_ino;
    r->msec = (int64_t)st->st_mtim.tv_sec;
    r->mnsec = st->st_mtim.tv_nsec;
    r->csec = (int64_t)st->st_ctim.tv_sec;
    r->cnsec = st->st_ctim.tv_nsec;
}

static int push(recs *v, const rec *r)
{
    if (v->n == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 256;
        rec *nv = realloc(v->v, ncap * sizeof *nv);
        if (!nv)
            return -1;
        v->v = nv;
        v->cap = ncap;
    }
    v->v[v->n++] = *r;
    return 0;
}

static void recs_free(recs *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->v[i].path);
    free(v->v);
    *v = (recs){ 0 };
}

/* ---- reading ----------------------------------------------------------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Undo the escaping of a path in place; -1 on a malformed escape. */
static int unescape(char *s)
{
    char *o = s;
    for (const char *p = s; *p; p++) {
        if (*p != '\\') {
            *o++ = *p;
        } else if (p[1] == '\\') {
            *o++ = '\\';
            p++;
        } else if (p[1] == 'x' && hexval(p[2]) >= 0 && hexval(p[3]) >= 0) {
            *o++ = (char)(hexval(p[2]) * 16 + hexval(p[3]));
            p += 3;
        } else {
            return -1;
        }
    }
    *o = 0;
    return 0;
}

static int parse_rec(char *line, rec *r)
{
    unsigned long long size, ino;
    long long ms, cs;
    long mn, cn;
    int used = 0;
    if (sscanf(line, "%llu %lld.%9ld %lld.%9ld %llu %n", &size, &ms, &mn, &cs, &cn, &ino, &used) != 6 || !used ||
        !line[used] || unescape(line + used) < 0)
        return -1;
    if (!(r->path = strdup(line + used)))
        return -2;
    *r = (rec){ size, ino, ms, cs, mn, cn, r->path };
    return 0;
}

static int slurp(const char *path, char **buf, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap + 1);
    errno = 0;   /* a failed read's own errno ("Is a directory") is told */
    while (b) {
        n += fread(b + n, 1, cap - n, fp);
        if (n < cap)
            break;
        char *nb = realloc(b, 2 * cap + 1);
        if (!nb) {
            free(b);
            b = NULL;
        } else {
            b = nb;
            cap *= 2;
        }
    }
    int bad = !b ? ENOMEM : ferror(fp) ? (errno ? errno : EIO) : 0;
    fclose(fp);
    if (bad) {
        free(b);
        errno = bad;
        return -1;
    }
    b[n] = 0;
    *buf = b;
    *len = n;
    return 0;
}

/* Check the closing line against the bytes before it; returns the offset
 * where it starts, or 0 (no valid closing line). */
static size_t check_end(const char *b, size_t len, size_t *count)
{
    if (len < 2 || b[len - 1] != '\n')
        return 0;
    size_t s = len - 1;
    while (s > 0 && b[s - 1] != '\n')
        s--;
    unsigned long long n;
    uint64_t h;
    int used = 0;
    if (sscanf(b + s, "end %llu %16" SCNx64 "%n", &n, &h, &used) != 2 || s + (size_t)used != len - 1 ||
        XXH3_64bits(b, s) != h)
        return 0;
    *count = (size_t)n;
    return s;
}

static int parse_file(inc_cache *c, char *b, size_t len, bool *reset, char *err, size_t errlen)
{
    size_t count = 0, end = check_end(b, len, &count);
    uint64_t id;
    int used = 0;
    if (!end || strncmp(b, MAGIC, strlen(MAGIC)) != 0 ||
        sscanf(b + strlen(MAGIC), "%16" SCNx64 "%n", &id, &used) != 1 || b[strlen(MAGIC) + (size_t)used] != '\n') {
        snprintf(err, errlen, "%s: not a piiscan incremental cache, or damaged (cut short or edited); "
                 "remove it to scan everything again", c->file);
        return -1;
    }
    /* Under another identity the records still say which files an
     * earlier run wrote (inc_cache_has), but none counts as unchanged. */
    c->reset = *reset = id != c->identity;
    b[end] = 0;
    char *line = strchr(b, '\n') + 1;
    size_t lineno = 2;
    for (char *nl; *line; line = nl + 1, lineno++) {
        nl = strchr(line, '\n');
        *nl = 0;
        rec r = { 0 };
        int k = parse_rec(line, &r);
        if (k == 0 && push(&c->old, &r) == 0)
            continue;
        free(r.path);
        if (k == -1)
            snprintf(err, errlen, "%s: line %zu: not a cache record; remove the file to scan everything again",
                     c->file, lineno);
        else
            snprintf(err, errlen, "%s: out of memory", c->file);
        return -1;
    }
    if (c->old.n != count) {
        snprintf(err, errlen, "%s: %zu records where the last line says %zu; remove it to scan everything again",
                 c->file, c->old.n, count);
        return -1;
    }
    return 0;
}

static int index_old(inc_cache *c)
{
    c->nslot = 64;
    while (c->nslot < 2 * c->old.n)
        c->nslot *= 2;
    if (!(c->slot = calloc(c->nslot, sizeof *c->slot)))
        return -1;
    for (size_t i = 0; i < c->old.n; i++) {
        size_t k = (size_t)XXH3_64bits(c->old.v[i].path, strlen(c->old.v[i].path)) & (c->nslot - 1);
        while (c->slot[k])
            k = (k + 1) & (c->nslot - 1);
        c->slot[k] = i + 1;
    }
    return 0;
}

int inc_cache_open(inc_cache **out, const char *path, uint64_t identity, bool *reset, char *err, size_t errlen)
{
    *out = NULL;
    *reset = false;
    inc_cache *c = calloc(1, sizeof *c);
    if (!c || !(c->file = strdup(path))) {
        free(c);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    c->identity = identity;
    pthread_mutex_init(&c->mu, NULL);
    char *b = NULL;
    size_t len = 0;
    int rc = 0;
    if (slurp(path, &b, &len) < 0) {
        if (errno != ENOENT) {
            snprintf(err, errlen, "%s: cannot read the incremental cache: %s", path, strerror(errno));
            rc = -1;
        }
    } else {
        rc = parse_file(c, b, len, reset, err, errlen);
    }
    free(b);
    if (rc == 0 && index_old(c) < 0) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    if (rc < 0) {
        inc_cache_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

/* ---- during the run ---------------------------------------------------- */

static const rec *find_old(const inc_cache *c, const char *path)
{
    size_t k = (size_t)XXH3_64bits(path, strlen(path)) & (c->nslot - 1);
    for (; c->slot[k]; k = (k + 1) & (c->nslot - 1)) {
        const rec *r = &c->old.v[c->slot[k] - 1];
        if (strcmp(r->path, path) == 0)
            return r;
    }
    return NULL;
}

static bool same(const rec *a, const rec *b)
{
    return a->size == b->size && a->ino == b->ino && a->msec == b->msec && a->mnsec == b->mnsec &&
           a->csec == b->csec && a->cnsec == b->cnsec;
}

static int record(inc_cache *c, const char *path, const rec *r)
{
    rec n = *r;
    if (!(n.path = strdup(path)) || push(&c->cur, &n) < 0) {
        free(n.path);
        c->oom = true;
        return -1;
    }
    return 0;
}

bool inc_cache_known(const inc_cache *c, const char *path, const struct stat *st)
{
    const rec *o = c->reset ? NULL : find_old(c, path);
    rec now;
    fill(&now, st);
    return o && same(o, &now);
}

bool inc_cache_has(const inc_cache *c, const char *path)
{
    return find_old(c, path) != NULL;
}

int inc_cache_wrote(inc_cache *c, const char *path, const struct stat *st)
{
    rec now;
    fill(&now, st);
    return record(c, path, &now);
}

bool inc_cache_unchanged(inc_cache *c, const char *path, const struct stat *st)
{
    rec now;
    fill(&now, st);
    if (!inc_cache_known(c, path, st) || record(c, path, &now) < 0)
        return false;
    c->skipped++;
    return true;
}

/* Changed so recently that another change in the same clock tick would
 * leave size and times as they are ("racy git"): file times advance in
 * kernel ticks, not nanoseconds.  Such a file is scanned now but not
 * recorded, so the next run scans it again. */
#define RACY_SECONDS 2

static bool racy(const rec *r)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    /* The mtime alone: a write sets it to the present, so only a file
     * whose mtime is the present can be written again unseen. */
    return (int64_t)ts.tv_sec - r->msec < RACY_SECONDS;
}

int inc_cache_scanning(inc_cache *c, const char *path, const struct stat *st)
{
    rec now;
    fill(&now, st);
    return racy(&now) ? 0 : record(c, path, &now);
}

void inc_cache_failed(inc_cache *c, const char *path)
{
    char *s = strdup(path);
    pthread_mutex_lock(&c->mu);
    if (s && c->nfailed == c->capfailed) {
        size_t ncap = c->capfailed ? 2 * c->capfailed : 16;
        char **nv = realloc(c->failed, ncap * sizeof *nv);
        if (nv) {
            c->failed = nv;
            c->capfailed = ncap;
        }
    }
    if (s && c->nfailed < c->capfailed)
        c->failed[c->nfailed++] = s;
    else {
        free(s);
        c->oom = true;   /* cannot tell which file failed: write nothing */
    }
    pthread_mutex_unlock(&c->mu);
}

size_t inc_cache_skipped(const inc_cache *c)
{
    return c->skipped;
}

/* ---- writing ----------------------------------------------------------- */

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A member's error ("a.tar.gz!/x.log") fails the file it is in: every
 * prefix ending before a "!/" is a file that may be in the cache.  The
 * failed paths are extended with those prefixes, then sorted for bsearch. */
static int failed_prefixes(inc_cache *c)
{
    size_t n = c->nfailed;
    for (size_t i = 0; i < n; i++) {
        for (const char *p = strstr(c->failed[i], "!/"); p; p = strstr(p + 2, "!/")) {
            char *pre = strndup(c->failed[i], (size_t)(p - c->failed[i]));
            if (!pre)
                return -1;
            if (c->nfailed == c->capfailed) {
                size_t ncap = 2 * c->capfailed;
                char **nv = realloc(c->failed, ncap * sizeof *nv);
                if (!nv) {
                    free(pre);
                    return -1;
                }
                c->failed = nv;
                c->capfailed = ncap;
            }
            c->failed[c->nfailed++] = pre;
        }
    }
    if (c->nfailed)
        qsort(c->failed, c->nfailed, sizeof *c->failed, by_str);
    return 0;
}

static void put_path(FILE *fp, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\\')
            fputs("\\\\", fp);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(fp, "\\x%02x", *p);
        else
            putc(*p, fp);
    }
}

int inc_cache_commit(inc_cache *c)
{
    if (c->oom || failed_prefixes(c) < 0) {
        errno = ENOMEM;
        return -1;
    }
    outfile of = { 0 };
    if (outfile_open(&of, c->file) < 0)
        return -1;
    /* Written to memory first so the closing hash covers exactly the
     * bytes of the file. */
    char *mem = NULL;
    size_t memlen = 0;
    FILE *m = open_memstream(&mem, &memlen);
    size_t kept = 0;
    if (m) {
        fprintf(m, MAGIC "%016" PRIx64 "\n", c->identity);
        for (size_t i = 0; i < c->cur.n; i++) {
            const rec *r = &c->cur.v[i];
            if (c->nfailed && bsearch(&r->path, c->failed, c->nfailed, sizeof *c->failed, by_str))
                continue;
            fprintf(m, "%" PRIu64 " %" PRId64 ".%09ld %" PRId64 ".%09ld %" PRIu64 " ", r->size, r->msec, r->mnsec,
                    r->csec, r->cnsec, r->ino);
            put_path(m, r->path);
            putc('\n', m);
            kept++;
        }
    }
    if (!m || fflush(m) != 0 || ferror(m)) {
        if (m)
            fclose(m);
        free(mem);
        outfile_abort(&of);
        errno = ENOMEM;
        return -1;
    }
    fwrite(mem, 1, memlen, of.fp);
    fprintf(of.fp, "end %zu %016" PRIx64 "\n", kept, XXH3_64bits(mem, memlen));
    fclose(m);
    free(mem);
    return outfile_commit(&of);
}

/* ---- for the commands -------------------------------------------------- */

int inc_cache_start(inc_cache **out, const char *file, uint64_t identity, bool quiet, const char *verb)
{
    char err[600];
    bool reset;
    if (inc_cache_open(out, file, identity, &reset, err, sizeof err) < 0) {
        fprintf(stderr, "piiscan: %s\n", err);
        return -1;
    }
    if (reset && !quiet)
        fprintf(stderr, "piiscan: %s: note: made by another piiscan version or detector table, or with other "
                "options that change results: every file is %s again\n", file, verb);
    return 0;
}

int inc_cache_finish(inc_cache *c, bool quiet, const char *verb)
{
    if (inc_cache_commit(c) < 0) {
        fprintf(stderr, "piiscan: %s: cannot write the incremental cache: %s\n", c->file, strerror(errno));
        return -1;
    }
    if (c->skipped && !quiet)
        fprintf(stderr, "piiscan: %s: note: %zu file%s unchanged since the last run, not %s again\n", c->file,
                c->skipped, c->skipped == 1 ? "" : "s", verb);
    return 0;
}

void inc_cache_free(inc_cache *c)
{
    if (!c)
        return;
    recs_free(&c->old);
    recs_free(&c->cur);
    for (size_t i = 0; i < c->nfailed; i++)
        free(c->failed[i]);
    free(c->failed);
    free(c->slot);
    free(c->file);
    pthread_mutex_destroy(&c->mu);
    free(c);
}
