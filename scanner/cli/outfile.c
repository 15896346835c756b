#include "outfile.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary files being written, so that a SIGINT, SIGTERM, SIGHUP or
 * SIGPIPE (Ctrl-C, a cron timeout, a closed terminal, a reader that quit)
 * does not leave them behind.  The handler may run on any thread at any
 * moment, so it may neither lock nor follow pointers that another thread
 * frees: each slot holds its name in place, and its state says whether
 * the name is complete (LIVE).  A writer claims a FREE slot (CLAIMED while
 * it fills it), publishes it, and frees it only after the file is renamed
 * or removed: the handler then at worst unlinks a name that is gone
 * (ENOENT).  With more files in flight than slots, the rest are simply
 * not cleaned up on a signal. */
#define LIVE_SLOTS 64
enum { SLOT_FREE, SLOT_CLAIMED, SLOT_LIVE };

static struct {
    int state;
    char name[PATH_MAX];
} live[LIVE_SLOTS];

/* Claims a slot for a mkstemp template and creates the file there:
 * mkstemp fills in the slot's own copy of the name, so no moment passes
 * with the file on disk and the handler unaware of it (registering after
 * mkstemp left the file behind for about one SIGTERM in ten sent as it
 * appeared).  The final name is copied back into tmpl.  The handler skips
 * a name still ending in XXXXXX.  A signal while mkstemp runs may unlink
 * a name it is trying: normally one no file has yet; only if mkstemp met
 * an existing file of that random name (and retries) is that another's
 * file, a 62^6-to-one chance on top of the signal's timing.  Returns the
 * descriptor and sets *slot (-1 with every slot taken: the file is then
 * simply not known). */
static int live_mkstemp(char *tmpl, int *slot)
{
    size_t n = strlen(tmpl);
    *slot = -1;
    if (n >= PATH_MAX)   /* no slot holds it */
        return mkstemp(tmpl);
    for (int i = 0; i < LIVE_SLOTS; i++) {
        int expect = SLOT_FREE;
        if (__atomic_compare_exchange_n(&live[i].state, &expect, SLOT_CLAIMED, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
            memcpy(live[i].name, tmpl, n + 1);
            __atomic_store_n(&live[i].state, SLOT_LIVE, __ATOMIC_RELEASE);
            int fd = mkstemp(live[i].name);
            if (fd < 0) {
                __atomic_store_n(&live[i].state, SLOT_FREE, __ATOMIC_RELEASE);
                return -1;
            }
            memcpy(tmpl, live[i].name, n + 1);
            *slot = i;
            return fd;
        }
    }
    return mkstemp(tmpl);
}

/* The template's XXXXXX not yet replaced: no file of ours has that name. */
static bool unfilled(const char *name)
{
    size_t n = strlen(name);
    return n >= 6 && memcmp(name + n - 6, "XXXXXX", 6) == 0;
}

static void live_drop(int slot)
{
    if (slot < 0)
        return;
    __atomic_store_n(&live[slot].state, SLOT_FREE, __ATOMIC_RELEASE);
}

/* unlink(2), strlen(3) and raise(3) are async-signal-safe; the default
 * disposition is back (SA_RESETHAND), so the process ends by the signal
 * as it would have, and its parent sees that. */
static void on_fatal_signal(int sig)
{
    int e = errno;
    for (int i = 0; i < LIVE_SLOTS; i++)
        if (__atomic_load_n(&live[i].state, __ATOMIC_ACQUIRE) == SLOT_LIVE && !unfilled(live[i].name))
            unlink(live[i].name);
    errno = e;
    raise(sig);
}

/* umask(2) can only be read by setting it, which is not thread-safe:
 * outfile_init reads it while the process has one thread. */
static mode_t saved_umask;
static bool umask_known;

static mode_t current_umask(void)
{
    if (!umask_known) {   /* outfile_init not called: a single-threaded test */
        saved_umask = umask(0);
        umask(saved_umask);
        umask_known = true;
    }
    return saved_umask;
}

void outfile_init(void)
{
    (void)current_umask();
    /* SIGPIPE too: `piiscan redact --report R - | head` ends by it (status
     * 141, as before) but without leaving R's temporary file. */
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = (int)SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        /* A signal ignored by whoever started us (nohup) stays ignored. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            (void)sigaction(sigs[i], &sa, NULL);
    }
}

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

void outfile_buffer_stdout(size_t size)
{
    static char buf[OUTFILE_BUF];
    if (!isatty(STDOUT_FILENO))
        (void)setvbuf(stdout, buf, _IOFBF, size < sizeof buf ? size : sizeof buf);
}

static void close_fp(outfile *o)
{
    o->fp = NULL;
    free(o->iobuf);   /* after fclose: it flushed from it */
    o->iobuf = NULL;
}

int outfile_open(outfile *o, const char *path) { return outfile_open_mode(o, path, 0666); }

int outfile_open_mode(outfile *o, const char *path, mode_t mode)
{
    memset(o, 0, sizeof *o);
    o->slot = -1;
    /* A device, FIFO or socket (/dev/null, /dev/stdout, a pipe) is written
     * in place: renaming over it would replace the device node. */
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
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
    int fd = live_mkstemp(o->tmp, &o->slot);
    if (fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        outfile_abort(o);
        errno = e;
        return -1;
    }
    /* mkstemp creates 0600.  A file that is replaced keeps its mode (a
     * report someone made private stays private); a new one gets the
     * usual mode under umask. */
    if (exists)
        (void)fchmod(fd, st.st_mode & 07777);
    else
        (void)fchmod(fd, mode & 0666 & ~current_umask());
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
    live_drop(o->slot);
    o->slot = -1;
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
    live_drop(o->slot);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}
