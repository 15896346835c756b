#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_open(outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    /* A device, FIFO or socket (/dev/null, /dev/stdout, a pipe) is written
     * in place: renaming over it would replace the device node. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            errno = EISDIR;
            return -1;
        }
        if (!(o->fp = fopen(path, "w")))
            return -1;
        return 0;
    }
    size_t n = strlen(path) + 16;
    o->path = strdup(path);
    o->tmp = malloc(n);
    if (!o->path || !o->tmp) {
        outfile_abort(o);
        errno = ENOMEM;
        return -1;
    }
    /* Same directory as the target, so rename() stays atomic. */
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        outfile_abort(o);
        errno = e;
        return -1;
    }
    /* mkstemp creates 0600; a report gets the usual mode under umask. */
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, 0666 & ~um);
    if (!(o->fp = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        outfile_abort(o);
        errno = e;
        return -1;
    }
    return 0;
}

int outfile_commit(outfile *o)
{
    int rc = 0;
    if (!o->tmp) {   /* written in place */
        rc = fflush(o->fp) != 0 || ferror(o->fp) ? -1 : 0;
        int e = errno;
        if (fclose(o->fp) != 0)
            rc = -1, e = errno;
        o->fp = NULL;
        errno = e;
        return rc;
    }
    if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0)
        rc = -1;
    int e = errno;
    if (fclose(o->fp) != 0 && rc == 0) {
        rc = -1;
        e = errno;
    }
    o->fp = NULL;
    if (rc == 0 && rename(o->tmp, o->path) != 0) {
        rc = -1;
        e = errno;
    }
    if (rc != 0)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    errno = e;
    return rc;
}

void outfile_abort(outfile *o)
{
    if (o->fp)
        fclose(o->fp);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}
