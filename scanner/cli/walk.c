#include "walk.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int skip_dots(const struct dirent *d)
{
    return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static const char *kind_of(mode_t m)
{
    if (S_ISFIFO(m))
        return "FIFO";
    if (S_ISCHR(m))
        return "character device";
    if (S_ISBLK(m))
        return "block device";
    if (S_ISSOCK(m))
        return "socket";
    return "special file";
}

static int walk_dir(const char *path, size_t rel_off, const walk_ops *ops, void *ud);

/* rel_off: where, in path, the part below the command-line directory
 * starts (the globs' relative path); 0 for a path named on the command
 * line. */
static int visit(const char *path, size_t rel_off, const struct stat *st, bool top, const walk_ops *ops, void *ud)
{
    char msg[96];
    if (S_ISLNK(st->st_mode) && !top) {
        ops->note(ud, path, "symbolic link not followed");
        return 0;
    }
    if (S_ISDIR(st->st_mode)) {
        if (top) {
            size_t plen = strlen(path);
            rel_off = plen + !(plen > 0 && path[plen - 1] == '/');
        }
        return walk_dir(path, rel_off, ops, ud);
    }
    if (S_ISREG(st->st_mode))
        return ops->file(ud, path, st);
    snprintf(msg, sizeof msg, "%s skipped (not a regular file)", kind_of(st->st_mode));
    ops->error(ud, path, msg);
    return 0;
}

/* path is this run's report, cache or one of their temporary files,
 * which the run is writing (or replaces at its end): said, not read. */
static bool own_output(const walk_ops *ops, const char *path, const struct stat *st, void *ud)
{
    if (!out_guard_skip(ops->outputs, path, st))
        return false;
    ops->note(ud, path, "skipped: an output of this run");
    return true;
}

/* An entry of a directory, unless the globs leave it out.  Its type comes
 * from the directory when it can (no lstat for a regular file when the
 * caller does not want one). */
static int visit_entry(const char *child, size_t rel_off, const struct dirent *d, const walk_ops *ops, void *ud)
{
    const char *rel = child + rel_off;
    struct stat st;
    bool known = d->d_type != DT_UNKNOWN && d->d_type != DT_LNK;
    if (known && !walk_globs_keep(ops->globs, rel, d->d_name, d->d_type == DT_DIR))
        return 0;
    if (d->d_type == DT_REG && !ops->stat_files)
        return own_output(ops, child, NULL, ud) ? 0 : ops->file(ud, child, NULL);
    if (lstat(child, &st) < 0) {
        ops->error(ud, child, strerror(errno));
        return 0;
    }
    if (!known && !walk_globs_keep(ops->globs, rel, d->d_name, S_ISDIR(st.st_mode)))
        return 0;
    if (S_ISREG(st.st_mode) && own_output(ops, child, &st, ud))
        return 0;
    return visit(child, rel_off, &st, false, ops, ud);
}

static int walk_dir(const char *path, size_t rel_off, const walk_ops *ops, void *ud)
{
    struct dirent **list;
    int n = scandir(path, &list, skip_dots, by_name);
    if (n < 0) {
        ops->error(ud, path, strerror(errno));
        return 0;
    }
    size_t plen = strlen(path);
    bool slash = plen > 0 && path[plen - 1] == '/';
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (rc == 0) {
            size_t need = plen + strlen(list[i]->d_name) + 2;
            char *child = malloc(need);
            if (!child) {
                ops->error(ud, path, "out of memory");
                rc = 1;
            } else {
                snprintf(child, need, "%s%s%s", path, slash ? "" : "/", list[i]->d_name);
                rc = visit_entry(child, rel_off, list[i], ops, ud);
                free(child);
            }
        }
        free(list[i]);
    }
    free(list);
    return rc;
}

int walk_path(const char *path, const walk_ops *ops, void *ud)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        ops->error(ud, path, strerror(errno));
        return 0;
    }
    return visit(path, 0, &st, true, ops, ud);
}
