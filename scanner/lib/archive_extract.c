/*
 * archive_extract.c -- redacted members of a container that cannot be
 * written back, as plain files in a directory (pii_archive_extract in
 * archive_rewrite.h).  Member names come from untrusted input: a name that
 * is absolute or climbs with ".." is refused, never sanitized into some
 * other path, and files are created with O_EXCL | O_NOFOLLOW so that a
 * planted link cannot redirect a write.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive_rewrite.h"

typedef struct ex {
    const char *dir;
    size_t plen;          /* length of the top-level path in vpaths */
    pii_rewrite_fn fn;
    pii_member_msg msg;
    void *ud;
    int failed;
} ex;

/* "a.rar!/x/y.tar!/z.txt" under dir -> dir/x/y.tar.d/z.txt; -1 if a
 * component is unsafe. */
static int out_path(const ex *x, const char *vpath, char **out)
{
    const char *rel = vpath + x->plen + 2;   /* past "!/" */
    size_t cap = strlen(x->dir) + 2 * strlen(rel) + 2;
    char *p = malloc(cap), *q;
    if (!p)
        return -1;
    q = p + sprintf(p, "%s/", x->dir);
    for (const char *s = rel; *s;) {
        const char *bang = strstr(s, "!/");
        size_t k = bang ? (size_t)(bang - s) : strlen(s);
        char *part = strndup(s, k);
        int bad = !part || !*part || pii_member_name_unsafe(part);
        free(part);
        if (bad) {
            free(p);
            return -1;
        }
        memcpy(q, s, k);
        q += k;
        if (bang)
            q += sprintf(q, ".d/");
        s += k + (bang ? 2 : 0);
    }
    *q = 0;
    *out = p;
    return 0;
}

static int mkdirs_for(char *file)
{
    for (char *s = strchr(file + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        int rc = mkdir(file, 0777);
        *s = '/';
        if (rc < 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

static int on_member(void *ud, const char *vpath, piiscan_read_fn rd, void *rud)
{
    ex *x = ud;
    char *path, msg[300];
    if (out_path(x, vpath, &path) < 0) {
        x->msg(x->ud, vpath, "member name is absolute or contains '..'; not extracted", 1);
        x->failed = 1;
        return 0;
    }
    int fd = mkdirs_for(path) < 0 ? -1 : open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    FILE *fp = fd < 0 ? NULL : fdopen(fd, "w");
    if (!fp) {
        snprintf(msg, sizeof msg, "cannot create %.200s: %s", path, strerror(errno));
        x->msg(x->ud, vpath, msg, 1);
        if (fd >= 0)
            close(fd);
        x->failed = 1;
        free(path);
        return 0;
    }
    int bad = x->fn(x->ud, vpath, rd, rud, fp) != 0;
    if (fclose(fp) != 0 && !bad) {
        snprintf(msg, sizeof msg, "cannot write %.200s", path);
        x->msg(x->ud, vpath, msg, 1);
        bad = 1;
    }
    if (bad) {
        unlink(path);   /* no half-redacted member */
        x->failed = 1;
    }
    free(path);
    return 0;
}

static void on_msg(void *ud, const char *vpath, const char *msg, int is_error)
{
    ex *x = ud;
    x->msg(x->ud, vpath, msg, is_error);
}

int pii_archive_extract(const char *path, int fd, const char *dir, const pii_src_limits *lim, pii_rewrite_fn fn,
                        pii_member_msg msg, void *ud)
{
    ex x = { dir, strlen(path), fn, msg, ud, 0 };
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        char m[300];
        snprintf(m, sizeof m, "cannot create %.200s: %s", dir, strerror(errno));
        msg(ud, path, m, 1);
        return -1;
    }
    int rc = pii_source_walk(path, fd, lim, on_member, on_msg, &x);
    return rc != 0 || x.failed ? -1 : 0;
}
