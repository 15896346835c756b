/*
 * hs_speed.c -- the Hyperscan pass alone, and what each class of its
 * patterns costs: the ruleset's expressions (patterns/detectors.conf plus
 * match_cjk.c's) are compiled again in subsets, and each database is run
 * over one file in windows the way detect_window.c runs it, so that a
 * change to the database can be judged before the scanner is touched
 * (bench/README.md, "The Hyperscan pass").
 *
 *   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build
 *   cc -O2 -std=c11 -D_GNU_SOURCE -Iinclude -Iscanner/lib bench/hs_speed.c \
 *      build/libpiiscan.a -o hs_speed $(sed -n 's/.*libpiiscan.a //p' \
 *      build/CMakeFiles/piiscan.dir/link.txt)
 *   hs_speed FILE [WINDOW_BYTES [RUNS [SUBSET]]]
 *
 * Per subset of the table below: expressions, hits, hits per MiB, hits
 * that end where the previous one ends ("ties") and how many of those come
 * in descending expression order, the best of RUNS (default 3) wall times
 * of hs_scan over all windows (default 1 MiB, no overlap) with a callback
 * that appends {id, end} as the scanner's does, and MB/s.  Then the same
 * non-ASCII half run over the non-ASCII regions only, and the expressions
 * with the most hits.  With SUBSET (a name from the table) only that one
 * is run; for instruction counts, which the shared machine's noise does
 * not blur:
 *   valgrind --tool=callgrind --toggle-collect='time_db*' hs_speed FILE 1048576 1 'all (as the scanner)'
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"

#include "cjk_int.h"
#include "engine_int.h"

typedef struct sink {
    pii_hit *v;
    size_t n, cap;
} sink;

static int on_hit(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
    (void)from;
    (void)flags;
    sink *s = ctx;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v)
            return 1;
    }
    s->v[s->n++] = (pii_hit){ id, (uint32_t)to };
    return 0;
}

typedef bool (*pick_fn)(const pii_hs_expr *e);

static const piiscan_ruleset *g_rs;

static bool is_email(const pii_hs_expr *e) { return e->kind == PII_HS_REGEX && e->type == PIISCAN_EMAIL; }
static bool is_lit(const pii_hs_expr *e) { return e->kind == PII_HS_LITERAL; }
static bool is_ascii_lit(const pii_hs_expr *e) { return is_lit(e) && e->ascii; }
static bool is_cjk(const pii_hs_expr *e) { return e->kind == PII_HS_CJK; }

/* An ASCII literal that contains no other ASCII literal (case folded):
 * the hits of every ASCII literal could be derived from these. */
static bool is_anchor(const pii_hs_expr *e)
{
    if (!is_ascii_lit(e))
        return false;
    for (size_t i = 0; i < g_rs->nexpr; i++) {
        const pii_hs_expr *o = &g_rs->expr[i];
        if (o != e && is_ascii_lit(o) && o->len < e->len && strcasestr(e->text, o->text))
            return false;
    }
    return true;
}

static bool p_all(const pii_hs_expr *e) { (void)e; return true; }
static bool p_no_lit(const pii_hs_expr *e) { return !is_lit(e); }
static bool p_no_ascii_lit(const pii_hs_expr *e) { return !is_ascii_lit(e); }
static bool p_no_cjk(const pii_hs_expr *e) { return !is_cjk(e); }
static bool p_no_short(const pii_hs_expr *e) { return !is_lit(e) || e->len > 3; }
static bool p_no_key_only(const pii_hs_expr *e) { return !is_lit(e) || e->hotmask; }
static bool p_no_ascii_key_only(const pii_hs_expr *e) { return !is_ascii_lit(e) || e->hotmask; }
static bool p_no_pan(const pii_hs_expr *e) { return !is_lit(e) || strcmp(e->text, "pan") != 0; }
static bool p_ascii_lit(const pii_hs_expr *e) { return is_ascii_lit(e); }
static bool p_ascii_short(const pii_hs_expr *e) { return is_ascii_lit(e) && e->len <= 3; }
static bool p_ascii_long(const pii_hs_expr *e) { return is_ascii_lit(e) && e->len >= 6; }
static bool p_anchors(const pii_hs_expr *e) { return is_anchor(e); }
static bool p_other_lit(const pii_hs_expr *e) { return is_lit(e) && !e->ascii; }
static bool p_cjk(const pii_hs_expr *e) { return is_cjk(e); }
static bool p_email(const pii_hs_expr *e) { return is_email(e); }
static bool p_email_ascii(const pii_hs_expr *e) { return is_email(e) || is_ascii_lit(e); }
static bool p_cjk_other(const pii_hs_expr *e) { return is_cjk(e) || (is_lit(e) && !e->ascii); }

static const struct {
    const char *name;
    pick_fn pick;
    bool caseful;   /* literals compiled without HS_FLAG_CASELESS */
} subsets[] = {
    { "all (as the scanner)", p_all, false },
    { "all, literals case-sensitive", p_all, true },
    { "without key/hotword literals", p_no_lit, false },
    { "without ASCII literals", p_no_ascii_lit, false },
    { "without CJK exprs (divisions, road)", p_no_cjk, false },
    { "without literals <= 3 bytes", p_no_short, false },
    { "without pan", p_no_pan, false },
    { "without key-only literals (hotwords kept)", p_no_key_only, false },
    { "without ASCII key-only literals", p_no_ascii_key_only, false },
    { "ASCII literals", p_ascii_lit, false },
    { "ASCII literals <= 3 bytes", p_ascii_short, false },
    { "ASCII literals >= 6 bytes", p_ascii_long, false },
    { "ASCII anchors", p_anchors, false },
    { "non-ASCII literals", p_other_lit, false },
    { "CJK exprs", p_cjk, false },
    { "e-mail regex", p_email, false },
    { "split 1/2: e-mail + ASCII literals", p_email_ascii, false },
    { "split 2/2: CJK exprs + non-ASCII literals", p_cjk_other, false },
};

/* The database of the picked expressions, compiled as ruleset.c compiles
 * them; map[i] is the ruleset index of database id i. */
static hs_database_t *compile_subset(const piiscan_ruleset *rs, pick_fn pick, bool caseful, unsigned *map,
                                     unsigned *count)
{
    char **pat = calloc(rs->nexpr + 1, sizeof *pat);
    unsigned *flags = calloc(rs->nexpr + 1, sizeof *flags), *ids = calloc(rs->nexpr + 1, sizeof *ids), n = 0;
    bool ok = pat && flags && ids;
    for (size_t i = 0; ok && i < rs->nexpr; i++) {
        const pii_hs_expr *e = &rs->expr[i];
        if (!pick(e))
            continue;
        pat[n] = e->kind == PII_HS_LITERAL ? pii_hs_escape(e->text, strlen(e->text)) : strdup(e->text);
        ok = pat[n] != NULL;
        flags[n] = e->kind == PII_HS_LITERAL ? (caseful ? 0 : HS_FLAG_CASELESS) : e->kind == PII_HS_CJK ? e->hsflags : 0;
        ids[n] = n;
        map[n++] = (unsigned)i;
    }
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    if (ok && n && hs_compile_multi((const char *const *)pat, flags, ids, n, HS_MODE_BLOCK, NULL, &db, &ce) != HS_SUCCESS) {
        fprintf(stderr, "hs_speed: %s\n", ce ? ce->message : "compile error");
        hs_free_compile_error(ce);
        db = NULL;
    }
    for (unsigned i = 0; pat && i < n; i++)
        free(pat[i]);
    free(pat);
    free(flags);
    free(ids);
    *count = n;
    return db;
}

typedef struct stats {
    size_t hits;
    size_t ties;         /* hits ending where the previous one ends */
    size_t ties_desc;    /* ... with a smaller ruleset index than it */
    size_t unordered;    /* hits ending before the previous one */
} stats;

/* Order of the hits of one window as Hyperscan reports them: the scanner
 * sorts only when an end goes backwards, so the order of hits with one end
 * is Hyperscan's own, and a change to the database may change it. */
static void count_order(const sink *s, const unsigned *map, stats *st)
{
    for (size_t i = 1; i < s->n; i++) {
        if (s->v[i].end < s->v[i - 1].end)
            st->unordered++;
        else if (s->v[i].end == s->v[i - 1].end) {
            st->ties++;
            st->ties_desc += map[s->v[i].id] < map[s->v[i - 1].id];
        }
    }
}

/* Best of runs, seconds (noinline: callgrind --toggle-collect='time_db*'
 * counts the scans alone).  per_id (may be NULL) counts the hits of each
 * ruleset expression in the first run. */
__attribute__((noinline)) static double time_db(hs_database_t *db, const uint8_t *d, size_t len, size_t win,
                                                int runs, sink *s, const unsigned *map, stats *st,
                                                unsigned long long *per_id)
{
    hs_scratch_t *scr = NULL;
    if (hs_alloc_scratch(db, &scr) != HS_SUCCESS)
        return -1;
    double best = 1e9;
    for (int r = 0; r < runs; r++) {
        double t0 = bench_now(), extra = 0;
        for (size_t lo = 0; lo < len; lo += win) {
            size_t k = len - lo < win ? len - lo : win;
            s->n = 0;
            hs_scan(db, (const char *)d + lo, (unsigned)k, 0, scr, on_hit, s);
            if (r > 0)
                continue;
            double t1 = bench_now();   /* the first run's counting is not timed */
            st->hits += s->n;
            count_order(s, map, st);
            for (size_t i = 0; per_id && i < s->n; i++)
                per_id[map[s->v[i].id]]++;
            extra += bench_now() - t1;
        }
        double t = bench_now() - t0 - extra;
        best = t < best ? t : best;
    }
    hs_free_scratch(scr);
    return best;
}

/* Next byte >= 0x80 in [i, n), or n. */
static size_t next_high(const uint8_t *d, size_t i, size_t n)
{
    while (i < n && (i & 7))
        if (d[i++] >= 0x80)
            return i - 1;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, d + i, 8);
        w &= 0x8080808080808080ull;
        if (w)
            return i + (size_t)(__builtin_ctzll(w) >> 3);
    }
    for (; i < n; i++)
        if (d[i] >= 0x80)
            return i;
    return n;
}

/* The same database run only over the runs of bytes >= 0x80, runs closer
 * than gap bytes merged (a CJK literal lies inside one run, the road regex
 * inside runs at most 10 ASCII bytes apart): what a second pass over the
 * non-ASCII regions alone would cost, one hs_scan per region. */
static double time_regions(hs_database_t *db, const uint8_t *d, size_t len, size_t win, int runs, size_t gap,
                           sink *s, size_t *nhits, size_t *ncalls, size_t *nbytes)
{
    hs_scratch_t *scr = NULL;
    if (hs_alloc_scratch(db, &scr) != HS_SUCCESS)
        return -1;
    double best = 1e9;
    for (int r = 0; r < runs; r++) {
        size_t total = 0, calls = 0, bytes = 0;
        double t0 = bench_now();
        for (size_t lo = 0; lo < len; lo += win) {
            size_t k = len - lo < win ? len - lo : win;
            const uint8_t *w = d + lo;
            s->n = 0;
            size_t i = next_high(w, 0, k);
            while (i < k) {
                size_t st = i, e = i;
                for (;;) {
                    while (e < k && w[e] >= 0x80)
                        e++;
                    size_t nx = next_high(w, e, k);
                    if (nx >= k || nx - e > gap)
                        break;
                    e = nx;
                }
                hs_scan(db, (const char *)w + st, (unsigned)(e - st), 0, scr, on_hit, s);
                calls++;
                bytes += e - st;
                i = next_high(w, e, k);
            }
            total += s->n;
        }
        double t = bench_now() - t0;
        best = t < best ? t : best;
        *nhits = total;
        *ncalls = calls;
        *nbytes = bytes;
    }
    hs_free_scratch(scr);
    return best;
}

static int by_count(const void *a, const void *b, void *ctx)
{
    const unsigned long long *c = ctx;
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return c[x] != c[y] ? (c[x] < c[y] ? 1 : -1) : (x > y) - (x < y);
}

/* The expressions with the most hits in the whole database. */
static void print_top(const piiscan_ruleset *rs, const unsigned long long *per_id)
{
    unsigned *ord = calloc(rs->nexpr, sizeof *ord);
    if (!ord)
        return;
    for (size_t i = 0; i < rs->nexpr; i++)
        ord[i] = (unsigned)i;
    qsort_r(ord, rs->nexpr, sizeof *ord, by_count, (void *)per_id);
    printf("\nmost hits (all): count, kind, keymask/hotmask, text\n");
    for (size_t i = 0; i < 20 && i < rs->nexpr && per_id[ord[i]]; i++) {
        const pii_hs_expr *e = &rs->expr[ord[i]];
        printf("%10llu %s %08x/%08x %.60s\n", per_id[ord[i]], is_lit(e) ? "lit" : is_cjk(e) ? "cjk" : "re ",
               e->keymask, e->hotmask, e->text);
    }
    free(ord);
}

static void usage(void)
{
    fprintf(stderr, "usage: hs_speed FILE [WINDOW_BYTES [RUNS [SUBSET]]]\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage();
        return 2;
    }
    size_t n, win = argc > 2 ? strtoul(argv[2], NULL, 10) : (1u << 20);
    int runs = argc > 3 ? atoi(argv[3]) : 3;
    const char *only = argc > 4 ? argv[4] : NULL;
    uint8_t *d = bench_slurp(argv[1], SIZE_MAX, &n);
    char err[256];
    piiscan_ruleset *rs;
    if (!d || !win || runs < 1 || piiscan_ruleset_new(&rs, err, sizeof err) != 0) {
        fprintf(stderr, "hs_speed: cannot read %s or set up\n", argv[1]);
        return 1;
    }
    g_rs = rs;
    size_t nlit = 0, nascii = 0, nshort = 0, ncjk = 0;
    for (size_t i = 0; i < rs->nexpr; i++) {
        nlit += is_lit(&rs->expr[i]);
        nascii += is_ascii_lit(&rs->expr[i]);
        nshort += is_lit(&rs->expr[i]) && rs->expr[i].len <= 3;
        ncjk += is_cjk(&rs->expr[i]);
    }
    printf("%s: %zu bytes, windows of %zu, best of %d\n", argv[1], n, win, runs);
    printf("expressions %zu: key/hotword literals %zu (ASCII %zu, <= 3 bytes %zu), CJK %zu\n\n", rs->nexpr, nlit,
           nascii, nshort, ncjk);
    printf("| subset | exprs | hits | hits/MiB | ties | ties desc | ms | MB/s |\n"
           "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    unsigned *map = calloc(rs->nexpr + 1, sizeof *map);
    unsigned long long *per_id = calloc(rs->nexpr + 1, sizeof *per_id);
    sink s = { 0 };
    int rc = 0;
    if (!map || !per_id) {
        fprintf(stderr, "hs_speed: out of memory\n");
        rc = 1;
        goto out;
    }
    bool any = false;
    for (size_t k = 0; k < sizeof subsets / sizeof subsets[0]; k++) {
        if (only && strcmp(subsets[k].name, only) != 0)
            continue;
        unsigned cnt;
        hs_database_t *db = compile_subset(rs, subsets[k].pick, subsets[k].caseful, map, &cnt);
        if (!db)
            continue;
        stats st = { 0 };
        double t = time_db(db, d, n, win, runs, &s, map, &st, k == 0 ? per_id : NULL);
        printf("| %s | %u | %zu | %.0f | %zu | %zu | %.1f | %.0f |\n", subsets[k].name, cnt, st.hits,
               (double)st.hits / ((double)n / 1048576.0), st.ties, st.ties_desc, t * 1e3, (double)n / 1e6 / t);
        if (st.unordered)
            printf("|   (%zu hits ended before the previous one) |||||||\n", st.unordered);
        fflush(stdout);
        hs_free_database(db);
        any = true;
    }
    if (only && !any) {
        fprintf(stderr, "hs_speed: no subset named \"%s\"\n", only);
        rc = 2;
    }
    if (!only) {
        unsigned cnt;
        hs_database_t *cdb = compile_subset(rs, p_cjk_other, false, map, &cnt);
        for (size_t gap = 16; cdb && gap <= 1024; gap *= 4) {
            size_t nh = 0, calls = 0, bytes = 0;
            double t = time_regions(cdb, d, n, win, runs, gap, &s, &nh, &calls, &bytes);
            printf("| split 2/2 over non-ASCII runs only, gap %zu: %zu calls, %.1f%% of bytes | %u | %zu | %.0f | | | "
                   "%.1f | %.0f |\n",
                   gap, calls, 100.0 * (double)bytes / (double)n, cnt, nh, (double)nh / ((double)n / 1048576.0),
                   t * 1e3, (double)n / 1e6 / t);
        }
        hs_free_database(cdb);
        print_top(rs, per_id);
    }
out:
    free(per_id);
    free(map);
    free(s.v);
    piiscan_ruleset_free(rs);
    free(d);
    return rc;
}
