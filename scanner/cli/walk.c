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

static int walk_dir(const char *path, const walk_ops *ops, void *ud);

static int visit(const char *path, const struct stat *st, bool top, const walk_ops *ops, void *ud)
{
    char msg[96];
    if (S_ISLNK(st->st_mode) && !top) {
        ops->note(ud, path, "symbolic link not followed");
        return 0;
    }
    if (S_ISDIR(st->st_mode))
        return walk_dir(path, ops, ud);
    if (S_ISREG(st->st_mode))
        return ops->file(ud, path, st);
    snprintf(msg, sizeof msg, "%s skipped (not a regular file)", kind_of(st->st_mode));
    ops->error(ud, path, msg);
    return 0;
}

static int walk_dir(const char *path, const walk_ops *ops, void *ud)
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
                struct stat st;
                if (list[i]->d_type == DT_REG && !ops->stat_files)
                    rc = ops->file(ud, child, NULL);
                else if (lstat(child, &st) < 0)
                    ops->error(ud, child, strerror(errno));
                else
                    rc = visit(child, &st, false, ops, ud);
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
    return visit(path, &st, true, ops, ud);
}
