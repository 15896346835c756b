/* test_cli_outfile.c -- outputs that appear complete or not at all
 * (outfile.c): commit renames the temporary file into place, abort leaves
 * the old file as it was, a replaced file keeps its permission bits, a
 * directory or a missing one is refused, a device is written in place,
 * a SIGTERM that arrives the moment the temporary file is created still
 * removes it, and so does the SIGPIPE of a reader that quit. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "file_text.h"
#include "outfile.h"

static char dir[PATH_MAX];

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/piiscan-of.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    cr_assert(mkdtemp(dir));
    cr_assert_eq(chdir(dir), 0);
}

static void teardown(void)
{
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(outfile, .init = setup, .fini = teardown);

/* The names in directory d, other than . and .., joined by spaces. */
static const char *entries(const char *d)
{
    static char names[4096];
    size_t n = 0;
    names[0] = '\0';
    DIR *dp = opendir(d);
    cr_assert(dp);
    for (struct dirent *e; (e = readdir(dp)) != NULL;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 && n < sizeof names)
            n += (size_t)snprintf(names + n, sizeof names - n, "%s ", e->d_name);
    closedir(dp);
    return names;
}

Test(outfile, commit_renames_into_place)
{
    file_put("rep", "old\n");
    outfile o;
    cr_assert_eq(outfile_open(&o, "rep"), 0);
    fputs("new\n", o.fp);
    cr_expect_str_eq(file_text("rep", NULL), "old\n", "the old file stays until commit");
    cr_expect_str_neq(entries("."), "rep ", "a temporary file while writing");
    cr_assert_eq(outfile_commit(&o), 0);
    cr_expect_str_eq(file_text("rep", NULL), "new\n");
    cr_expect_str_eq(entries("."), "rep ");
}

Test(outfile, abort_leaves_the_old_file)
{
    file_put("rep", "old\n");
    outfile o;
    cr_assert_eq(outfile_open(&o, "rep"), 0);
    fputs("half", o.fp);
    outfile_abort(&o);
    cr_expect_str_eq(file_text("rep", NULL), "old\n");
    cr_expect_str_eq(entries("."), "rep ");
}

Test(outfile, a_replaced_file_keeps_its_mode)
{
    file_put("rep", "old\n");
    cr_assert_eq(chmod("rep", 0604), 0);
    outfile o;
    cr_assert_eq(outfile_open_mode(&o, "rep", 0600), 0);
    cr_assert_eq(outfile_commit(&o), 0);
    struct stat st;
    cr_assert_eq(stat("rep", &st), 0);
    cr_expect_eq(st.st_mode & 07777, 0604, "mode %o", (unsigned)(st.st_mode & 07777));
}

Test(outfile, a_new_file_gets_the_mode_under_the_umask)
{
    mode_t old = umask(022);
    outfile o;
    cr_assert_eq(outfile_open_mode(&o, "raw", 0600), 0);
    cr_assert_eq(outfile_commit(&o), 0);
    cr_assert_eq(outfile_open(&o, "rep"), 0);
    cr_assert_eq(outfile_commit(&o), 0);
    umask(old);
    struct stat st;
    cr_assert_eq(stat("raw", &st), 0);
    cr_expect_eq(st.st_mode & 07777, 0600, "mode %o", (unsigned)(st.st_mode & 07777));
    cr_assert_eq(stat("rep", &st), 0);
    cr_expect_eq(st.st_mode & 07777, 0644, "mode %o", (unsigned)(st.st_mode & 07777));
}

Test(outfile, a_directory_is_refused_and_a_device_written_in_place)
{
    cr_assert_eq(mkdir("d", 0777), 0);
    outfile o;
    errno = 0;
    cr_expect_eq(outfile_open(&o, "d"), -1);
    cr_expect_eq(errno, EISDIR);
    cr_expect_eq(outfile_open(&o, "missing/rep"), -1, "a missing directory");
    cr_assert_eq(outfile_open(&o, "/dev/null"), 0);
    cr_expect_null(o.tmp, "no temporary file beside a device");
    fputs("x\n", o.fp);
    cr_expect_eq(outfile_commit(&o), 0);
    struct stat st;
    cr_assert_eq(stat("/dev/null", &st), 0);
    cr_expect(S_ISCHR(st.st_mode), "/dev/null is still a device");
    cr_expect_str_eq(entries("."), "d ");
}

/* A child opens an output and waits; the parent sends SIGTERM the moment
 * inotify reports the temporary file.  Registering the name after mkstemp
 * left the file behind in about one run in ten; 100 runs. */
Test(outfile, sigterm_as_the_temporary_file_appears_removes_it)
{
    for (int run = 0; run < 100; run++) {
        char sub[32];
        snprintf(sub, sizeof sub, "r%d", run);
        cr_assert_eq(mkdir(sub, 0777), 0);
        int in = inotify_init1(IN_CLOEXEC);
        if (in < 0)
            cr_skip_test("inotify: %s", strerror(errno));
        cr_assert_geq(inotify_add_watch(in, sub, IN_CREATE), 0);
        pid_t pid = fork();
        cr_assert_geq(pid, 0);
        if (pid == 0) {
            char path[64];
            snprintf(path, sizeof path, "%s/rep", sub);
            outfile_init();
            outfile o;
            if (outfile_open(&o, path) != 0)
                _exit(3);
            for (;;)
                pause();
        }
        struct pollfd pfd = { .fd = in, .events = POLLIN };
        int ready = poll(&pfd, 1, 10000);
        kill(pid, ready == 1 ? SIGTERM : SIGKILL);   /* no child left paused */
        int st;
        cr_assert_eq(waitpid(pid, &st, 0), pid);
        close(in);
        cr_assert_eq(ready, 1, "run %d: no file created in 10 s", run);
        cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "run %d: ended by SIGTERM (status %#x)", run, st);
        cr_assert_str_eq(entries(sub), "", "run %d: left behind: %s", run, entries(sub));
    }
}

/* A child writes an output's worth to a pipe nobody reads: the SIGPIPE
 * ends it (by that signal, as before) and its temporary file is gone. */
Test(outfile, sigpipe_removes_the_temporary_file)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    close(fds[0]);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        outfile_init();
        outfile o;
        if (outfile_open(&o, "rep") != 0)
            _exit(3);
        fputs("half a report\n", o.fp);
        fflush(o.fp);
        for (;;)
            if (write(fds[1], "x", 1) < 0)
                _exit(4);   /* EPIPE without the signal */
    }
    close(fds[1]);
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "ended by SIGPIPE (status %#x)", st);
    cr_expect_str_eq(entries("."), "", "left behind: %s", entries("."));
}
