/* test_cli_out_guard.c -- "the same file" as scan and redact decide it
 * before writing an output (out_guard.c): by device and inode for files
 * that exist, whatever the spelling or link; by the resolved parent and
 * name for outputs not made yet; inside a walked directory; and redact's
 * claims on copies. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out_guard.h"

static char dir[PATH_MAX];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/piiscan-og.XXXXXX");
    cr_assert(mkdtemp(dir));
    cr_assert_eq(chdir(dir), 0);
    FILE *fp = fopen("a.log", "w");
    cr_assert(fp);
    fputs("13812345678\n", fp);
    fclose(fp);
    cr_assert_eq(mkdir("sub", 0777), 0);
    cr_assert_eq(symlink("a.log", "link.log"), 0);
    cr_assert_eq(link("a.log", "hard.log"), 0);
    cr_assert_eq(symlink("sub", "subl"), 0);
}

static void teardown(void)
{
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static bool same(const char *a, const char *b)
{
    og_file x, y;
    cr_assert_eq(og_file_init(&x, "-o", a), 0);
    cr_assert_eq(og_file_init(&y, "PATH", b), 0);
    bool s = og_same(&x, &y);
    og_file_free(&x);
    og_file_free(&y);
    return s;
}

TestSuite(out_guard, .init = setup, .fini = teardown);

Test(out_guard, existing_files_by_device_and_inode)
{
    cr_expect(same("a.log", "a.log"));
    cr_expect(same("a.log", "./a.log"));
    cr_expect(same("sub/../a.log", "a.log"));
    cr_expect(same("link.log", "a.log"));
    cr_expect(same("hard.log", "a.log"), "a hard link is the same file");
    cr_expect(!same("a.log", "sub"));
}

Test(out_guard, missing_files_by_resolved_parent_and_name)
{
    cr_expect(same("new.jsonl", "./new.jsonl"));
    cr_expect(same("sub/new.jsonl", "subl/new.jsonl"), "a link to the parent directory");
    cr_expect(!same("sub/new.jsonl", "new.jsonl"));
    cr_expect(!same("new.jsonl", "a.log"), "one missing, one existing: not the same");
}

/* out_guard_check over the outputs -o O1 and --incremental O2 (NULL: not
 * given) and the inputs named. */
static int verdict(const char *o1, const char *o2, int npaths, char **paths)
{
    out_guard g = { 0 };
    out_guard_output(&g, "-o", o1);
    out_guard_output(&g, "--incremental", o2);
    int rc = out_guard_check(&g, npaths, paths);
    out_guard_free(&g);
    return rc;
}

Test(out_guard, check_refuses_an_output_that_is_an_input)
{
    cr_expect_eq(verdict("link.log", NULL, 1, (char *[]){ "a.log" }), -1);
    cr_expect_eq(verdict("r.jsonl", "./r.jsonl", 0, NULL), -1, "two outputs, one file");
    cr_expect_eq(verdict("sub/r.jsonl", "-", 2, (char *[]){ "sub", "a.log" }), 0,
                 "a new report inside a walked directory is allowed (and skipped)");
    cr_expect_eq(verdict("a.log", NULL, 1, (char *[]){ "." }), 0,
                 "an existing output inside a walked directory is replaced (and skipped by the walk)");
    cr_expect_eq(verdict(NULL, "a.log", 1, (char *[]){ "." }), 0, "... unless it is the cache (read as one)");
    cr_expect_eq(verdict("/dev/null", "/dev/null", 0, NULL), 0, "a device is written in place and replaces nothing");

    out_guard g = { 0 };
    out_guard_output(&g, "--report", "k");
    out_guard_input(&g, "--key-file", "./k");
    cr_expect_eq(out_guard_check(&g, 0, NULL), -1, "an output not made yet against an input not there either");
    out_guard_free(&g);
}

Test(out_guard, skip_outputs_and_their_temporary_files)
{
    out_guard g = { 0 };
    out_guard_output(&g, "-o", "sub/r.jsonl");
    int fd = open("sub/r.jsonl.tmp.abcdef", O_CREAT | O_WRONLY, 0600);
    cr_assert_geq(fd, 0);
    out_guard_opened(&g, fd);
    cr_expect(out_guard_skip(&g, "sub/r.jsonl.tmp.abcdef", NULL));
    cr_expect(!out_guard_skip(&g, "a.log", NULL));
    struct stat st;
    cr_assert_eq(stat("a.log", &st), 0);
    cr_expect(!out_guard_skip(&g, "sub/r.jsonl.tmp.x", &st), "decided by inode, not by name");
    cr_expect(!out_guard_skip(NULL, "a.log", NULL));
    close(fd);
    out_guard_free(&g);
}

Test(out_guard, claims)
{
    out_guard g = { 0 };
    struct stat a, s;
    cr_assert_eq(stat("a.log", &a), 0);
    cr_assert_eq(stat("sub", &s), 0);
    const char *other;
    char name[64];
    for (int i = 0; i < 500; i++) {   /* through a few growths of the table */
        snprintf(name, sizeof name, "/out/f%d", i);
        cr_expect_eq(out_guard_claim(&g, name, "in", &s, &other), 0);
    }
    cr_expect_eq(out_guard_claim(&g, "/out/x.log", "a/x.log", &a, &other), 0);
    cr_expect_eq(out_guard_claim(&g, "/out/x.log", "a/./x.log", &a, &other), 1, "the same input again");
    cr_expect_eq(out_guard_claim(&g, "/out/x.log", "b/x.log", &s, &other), -1);
    cr_expect_str_eq(other, "a/x.log");
    cr_expect_eq(out_guard_claim(&g, "/out/f7", "in", &s, &other), 1);
    out_guard_free(&g);
}
