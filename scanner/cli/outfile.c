#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* stdio's default buffer is the file system's block, 4 KiB: a redacted
 * copy of a large file then costs one write(2) per 4 KiB.  glibc ignores
 * the size unless it is given the buffer, so the buffer is ours and lives
 * until the stream is closed.  Best effort: without it the stream still
 * works. */
static void give_buffer(outfile *o)
{
    if ((o->iobuf = malloc(OUTFILE_BUF)) != NULL && setvbuf(o->fp, o->iobuf, _IOFBF, OUTFILE_BUF) != 0) {
        free(o->iobuf);
        o->iobuf = NULL;
    }
}

static void close_fp(outfile *o)
{
    o->fp = NULL;
    free(o->iobuf);   /* after fclose: it flushed from it */
    o->iobuf = NULL;
}

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
        give_buffer(o);
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
    give_buffer(o);
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
        close_fp(o);
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
    close_fp(o);
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
    close_fp(o);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}
