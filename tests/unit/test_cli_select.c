/* test_cli_select.c -- what a directory walk keeps: --include/--exclude
 * matching (walk_glob.c) and the --incremental cache (inc_cache.c): its
 * file format, the unchanged test, errors that keep a file out, and
 * damaged caches refused. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file_text.h"
#include "inc_cache.h"
#include "walk_glob.h"

static walk_globs globs(const char *const *inc, const char *const *exc)
{
    walk_globs g = { 0 };
    char err[200];
    for (; inc && *inc; inc++)
        cr_assert_eq(walk_globs_add(&g, true, *inc, err, sizeof err), 0, "%s", err);
    for (; exc && *exc; exc++)
        cr_assert_eq(walk_globs_add(&g, false, *exc, err, sizeof err), 0, "%s", err);
    return g;
}

Test(walk_glob, no_globs_keep_everything)
{
    cr_expect(walk_globs_keep(NULL, "a/b.bin", "b.bin", false));
    walk_globs g = { 0 };
    cr_expect(walk_globs_keep(&g, "a/b.bin", "b.bin", false));
}

Test(walk_glob, a_name_pattern_matches_at_any_depth)
{
    walk_globs g = globs(NULL, (const char *const[]){ "*.png", NULL });
    cr_expect(!walk_globs_keep(&g, "x.png", "x.png", false));
    cr_expect(!walk_globs_keep(&g, "a/b/x.png", "x.png", false));
    cr_expect(walk_globs_keep(&g, "a/b/x.png.txt", "x.png.txt", false));
    walk_globs_free(&g);
}

Test(walk_glob, a_path_pattern_is_anchored_and_star_stops_at_slash)
{
    walk_globs g = globs(NULL, (const char *const[]){ "./logs/*.gz", NULL });
    cr_expect(!walk_globs_keep(&g, "logs/a.gz", "a.gz", false));
    cr_expect(walk_globs_keep(&g, "logs/old/a.gz", "a.gz", false));
    cr_expect(walk_globs_keep(&g, "x/logs/a.gz", "a.gz", false));
    walk_globs_free(&g);
}

Test(walk_glob, trailing_slash_excludes_directories_only)
{
    walk_globs g = globs(NULL, (const char *const[]){ "cache//", NULL });
    cr_expect(!walk_globs_keep(&g, "a/cache", "cache", true));
    cr_expect(walk_globs_keep(&g, "a/cache", "cache", false));
    walk_globs_free(&g);
}

Test(walk_glob, include_selects_files_and_never_stops_descent)
{
    walk_globs g = globs((const char *const[]){ "*.log", "*.csv", NULL }, (const char *const[]){ "tmp", NULL });
    cr_expect(walk_globs_keep(&g, "a", "a", true));
    cr_expect(walk_globs_keep(&g, "a/x.log", "x.log", false));
    cr_expect(walk_globs_keep(&g, "a/x.csv", "x.csv", false));
    cr_expect(!walk_globs_keep(&g, "a/x.txt", "x.txt", false));
    cr_expect(!walk_globs_keep(&g, "tmp", "tmp", true), "exclude wins over the directory rule");
    cr_expect(!walk_globs_keep(&g, "a/tmp", "tmp", false), "exclude wins over include");
    walk_globs_free(&g);
}

Test(walk_glob, bad_patterns_are_refused_with_a_message)
{
    walk_globs g = { 0 };
    char err[200];
    cr_expect_eq(walk_globs_add(&g, false, "", err, sizeof err), -1);
    cr_expect(strstr(err, "empty") != NULL, "%s", err);
    cr_expect_eq(walk_globs_add(&g, false, "//", err, sizeof err), -1);
    cr_expect_eq(walk_globs_add(&g, true, "logs/", err, sizeof err), -1);
    cr_expect(strstr(err, "'logs/*'") != NULL, "%s", err);
    cr_expect_eq(g.ninc + g.nexc, 0);
    walk_globs_free(&g);
}

/* ---- the cache ---- */

static char dir[64];

static void mkdir_tmp(void)
{
    snprintf(dir, sizeof dir, "%s", "/tmp/piiscan-cli-select.XXXXXX");
    cr_assert(mkdtemp(dir));
}

static void rm_tmp(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(inc_cache, .init = mkdir_tmp, .fini = rm_tmp);

static struct stat fake(long long size, long long mtime, long ino)
{
    struct stat st;
    memset(&st, 0, sizeof st);
    st.st_size = size;
    st.st_ino = (ino_t)ino;
    st.st_mtim.tv_sec = mtime;
    st.st_mtim.tv_nsec = 123456789;
    st.st_ctim.tv_sec = mtime;
    st.st_ctim.tv_nsec = 5;
    return st;
}

static inc_cache *open_ok(const char *file, uint64_t id, bool *reset)
{
    inc_cache *c;
    char err[600];
    cr_assert_eq(inc_cache_open(&c, file, id, reset, err, sizeof err), 0, "%s", err);
    return c;
}

/* A cache holding names, all with st, as a first run would write it. */
static const char *write_cache(uint64_t id, const char *const *names, size_t n, const struct stat *st)
{
    static char file[128];
    snprintf(file, sizeof file, "%s/c", dir);
    bool reset;
    inc_cache *c = open_ok(file, id, &reset);
    cr_expect(!reset);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(inc_cache_scanning(c, names[i], st), 0);
    cr_assert_eq(inc_cache_commit(c), 0);
    inc_cache_free(c);
    return file;
}

Test(inc_cache, round_trip_with_odd_names_and_unchanged_test)
{
    const char *names[] = { "plain.log", "new\nline", "back\\slash x", "tab\there", "中文.csv" };
    struct stat st = fake(18, 1700000000, 7);
    const char *file = write_cache(42, names, 5, &st);
    bool reset;
    cr_expect(strstr(file_text(file, NULL), "new\\x0aline") != NULL, "%s", file_text(file, NULL));
    cr_expect(strstr(file_text(file, NULL), "back\\\\slash x") != NULL);

    inc_cache *c = open_ok(file, 42, &reset);
    for (size_t i = 0; i < 5; i++)
        cr_expect(inc_cache_unchanged(c, names[i], &st), "%s", names[i]);
    cr_expect(!inc_cache_unchanged(c, "other", &st));
    struct stat moved = st, grown = st, touched = st, chmodded = st;
    moved.st_ino = 8;
    grown.st_size = 19;
    touched.st_mtim.tv_nsec++;
    chmodded.st_ctim.tv_sec++;
    cr_expect(!inc_cache_unchanged(c, "plain.log", &moved));
    cr_expect(!inc_cache_unchanged(c, "plain.log", &grown));
    cr_expect(!inc_cache_unchanged(c, "plain.log", &touched));
    cr_expect(!inc_cache_unchanged(c, "plain.log", &chmodded));
    cr_expect_eq(inc_cache_skipped(c), 5);
    inc_cache_free(c);

    c = open_ok(file, 43, &reset);
    cr_expect(reset, "another identity resets the cache");
    cr_expect(!inc_cache_unchanged(c, "plain.log", &st));
    inc_cache_free(c);
}

Test(inc_cache, files_met_again_are_kept_and_the_rest_dropped)
{
    struct stat st = fake(1, 1700000000, 1);
    const char *file = write_cache(1, (const char *const[]){ "a", "b" }, 2, &st);
    bool reset;
    inc_cache *c = open_ok(file, 1, &reset);
    cr_expect(inc_cache_unchanged(c, "a", &st));
    cr_assert_eq(inc_cache_commit(c), 0);
    inc_cache_free(c);
    c = open_ok(file, 1, &reset);
    cr_expect(inc_cache_unchanged(c, "a", &st));
    cr_expect(!inc_cache_unchanged(c, "b", &st), "b was not met by the second run");
    inc_cache_free(c);
}

Test(inc_cache, an_error_in_a_file_or_any_member_keeps_it_out)
{
    char file[128];
    snprintf(file, sizeof file, "%s/c", dir);
    bool reset;
    struct stat st = fake(1, 1700000000, 1);
    inc_cache *c = open_ok(file, 1, &reset);
    const char *all[] = { "ok.log", "bad.log", "a.tar.gz", "d/b.zip", "d/b.zip!/x", "dir!/f" };
    for (size_t i = 0; i < 6; i++)
        inc_cache_scanning(c, all[i], &st);
    inc_cache_failed(c, "bad.log");
    inc_cache_failed(c, "a.tar.gz!/logs/x.gz!/x");
    inc_cache_failed(c, "d/b.zip!/x!/y");
    inc_cache_failed(c, "never/scanned");
    cr_assert_eq(inc_cache_commit(c), 0);
    inc_cache_free(c);
    c = open_ok(file, 1, &reset);
    cr_expect(inc_cache_unchanged(c, "ok.log", &st));
    cr_expect(inc_cache_unchanged(c, "dir!/f", &st), "a real name with !/ in it, no error of its own");
    cr_expect(!inc_cache_unchanged(c, "bad.log", &st));
    cr_expect(!inc_cache_unchanged(c, "a.tar.gz", &st));
    cr_expect(!inc_cache_unchanged(c, "d/b.zip", &st));
    inc_cache_free(c);
}

Test(inc_cache, a_file_changed_just_now_is_not_recorded)
{
    char file[128];
    snprintf(file, sizeof file, "%s/c", dir);
    bool reset;
    /* "Now" an hour ahead: however slow the run, still not 2 s old. */
    struct stat now = fake(1, (long long)time(NULL) + 3600, 1), old = fake(1, (long long)time(NULL) - 3, 2);
    inc_cache *c = open_ok(file, 1, &reset);
    inc_cache_scanning(c, "now", &now);
    inc_cache_scanning(c, "old", &old);
    cr_assert_eq(inc_cache_commit(c), 0);
    inc_cache_free(c);
    c = open_ok(file, 1, &reset);
    cr_expect(!inc_cache_unchanged(c, "now", &now));
    cr_expect(inc_cache_unchanged(c, "old", &old));
    inc_cache_free(c);
}

static void expect_refused(const char *file, const char *content, const char *why)
{
    file_put(file, content);
    inc_cache *c = NULL;
    bool reset;
    char err[600] = "";
    cr_expect_eq(inc_cache_open(&c, file, 1, &reset, err, sizeof err), -1, "%s", why);
    cr_expect(strstr(err, file) != NULL, "%s: the message names the file: %s", why, err);
    cr_expect_null(c);
}

Test(inc_cache, damaged_caches_are_refused)
{
    struct stat st = fake(1, 1700000000, 1);
    const char *file = write_cache(1, (const char *const[]){ "a" }, 1, &st);
    bool reset;
    inc_cache *c;
    char good[4096];
    size_t n;
    const char *text = file_text(file, &n);
    cr_assert_lt(n, sizeof good);
    memcpy(good, text, n + 1);
    c = open_ok(file, 1, &reset);   /* the file as written is accepted */
    inc_cache_free(c);

    char bad[4096];
    snprintf(bad, sizeof bad, "%s", good);
    char *h = &bad[strlen(bad) - 2];   /* the hash's last digit, still hex */
    *h = *h == '0' ? '1' : '0';
    expect_refused(file, bad, "hash changed");
    snprintf(bad, sizeof bad, "%s", good);
    char *rec = strchr(bad, '\n') + 1;   /* size 1 -> 2: still a well-formed record */
    cr_assert_eq(rec[0], '1');
    rec[0] = '2';
    expect_refused(file, bad, "record changed");
    snprintf(bad, sizeof bad, "%s", good);
    bad[strlen(bad) - 1] = 0;
    expect_refused(file, bad, "no final newline");
    expect_refused(file, "", "empty");
    expect_refused(file, "hello\n", "not a cache");
    snprintf(bad, sizeof bad, "%s", good);
    *strrchr(bad, '\n') = 0;
    *(strrchr(bad, '\n') + 1) = 0;
    expect_refused(file, bad, "closing line missing");
}

Test(inc_cache, missing_file_is_empty_and_unreadable_is_an_error)
{
    char file[128];
    snprintf(file, sizeof file, "%s/none", dir);
    bool reset;
    inc_cache *c = open_ok(file, 1, &reset);
    struct stat st = fake(1, 1700000000, 1);
    cr_expect(!inc_cache_unchanged(c, "a", &st));
    inc_cache_free(c);
    char err[600];
    cr_expect_eq(inc_cache_open(&c, dir, 1, &reset, err, sizeof err), -1, "a directory");
}

Test(inc_cache, copies_are_recorded_as_written_and_known_after_a_reset)
{
    struct stat in = fake(1, 1700000000, 1);
    const char *file = write_cache(5, (const char *const[]){ "in/a" }, 1, &in);
    bool reset;
    inc_cache *c = open_ok(file, 5, &reset);
    /* A copy written just now: recorded although its mtime is the present. */
    struct stat copy = fake(1, (long long)time(NULL) + 3600, 9);
    cr_expect(inc_cache_known(c, "in/a", &in));
    cr_expect_eq(inc_cache_skipped(c), 0, "known does not carry over");
    cr_assert_eq(inc_cache_unchanged(c, "in/a", &in), true);
    cr_assert_eq(inc_cache_wrote(c, "out/a", &copy), 0);
    cr_assert_eq(inc_cache_commit(c), 0);
    inc_cache_free(c);

    c = open_ok(file, 5, &reset);
    cr_expect(inc_cache_known(c, "out/a", &copy));
    cr_expect(inc_cache_has(c, "out/a"));
    cr_expect(!inc_cache_has(c, "out/b"));
    inc_cache_free(c);
    c = open_ok(file, 6, &reset);
    cr_expect(reset);
    cr_expect(!inc_cache_known(c, "out/a", &copy), "another identity: nothing is current");
    cr_expect(inc_cache_has(c, "out/a"), "... but an earlier run did write it");
    inc_cache_free(c);
}
