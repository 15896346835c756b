/*
 * outfile.h -- write a file so that it appears complete or not at all:
 * a temporary file in the destination directory, fsync, then rename.
 * A crash or a full disk leaves at most a temporary file, never a
 * half-written report under the final name, and a SIGINT, SIGTERM,
 * SIGHUP or SIGPIPE not even that (outfile_init).  An existing device,
 * FIFO or socket (/dev/null, /dev/stdout) is written in place.
 */
#ifndef PIISCAN_CLI_OUTFILE_H
#define PIISCAN_CLI_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

typedef struct outfile {
    FILE *fp;
    char *path;
    char *tmp;
    char *iobuf;   /* fp's buffer, freed after fclose */
    int slot;      /* where tmp is listed for signal cleanup (-1: not listed) */
} outfile;

#define OUTFILE_BUF (256u << 10)

/* Once, first thing, while the process has one thread: reads the umask,
 * and makes SIGINT, SIGTERM, SIGHUP and SIGPIPE remove the temporary
 * files being written before the process ends by the signal (signals
 * ignored at start, as under nohup, stay ignored). */
void outfile_init(void);
/* 0 or -1 (errno set).  The stream gets an OUTFILE_BUF buffer.  A regular
 * file that is replaced keeps its permission bits; a new one gets 0666
 * under the umask. */
int outfile_open(outfile *o, const char *path);
/* The same; a new file gets mode (0600 for a report of raw values) under
 * the umask. */
int outfile_open_mode(outfile *o, const char *path, mode_t mode);
/* Flush, fsync, rename into place. 0 or -1 (errno set; temp removed). */
int outfile_commit(outfile *o);
/* Discard the temporary file. */
void outfile_abort(outfile *o);
/* Standard output gets a buffer of size bytes (at most OUTFILE_BUF),
 * unless it is a terminal (a person typing sees each line come back).
 * Call before anything is written to it. */
void outfile_buffer_stdout(size_t size);

#endif
