/*
 * outfile.h -- write a file so that it appears complete or not at all:
 * a temporary file in the destination directory, fsync, then rename.
 * A crash or a full disk leaves at most a temporary file, never a
 * half-written report under the final name.  An existing device, FIFO or
 * socket (/dev/null, /dev/stdout) is written in place.
 */
#ifndef PIISCAN_CLI_OUTFILE_H
#define PIISCAN_CLI_OUTFILE_H

#include <stdio.h>

typedef struct outfile {
    FILE *fp;
    char *path;
    char *tmp;
    char *iobuf;   /* fp's buffer, freed after fclose */
} outfile;

#define OUTFILE_BUF (256u << 10)

/* 0 or -1 (errno set).  The stream gets an OUTFILE_BUF buffer. */
int outfile_open(outfile *o, const char *path);
/* Flush, fsync, rename into place. 0 or -1 (errno set; temp removed). */
int outfile_commit(outfile *o);
/* Discard the temporary file. */
void outfile_abort(outfile *o);

#endif
