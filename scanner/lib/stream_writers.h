/*
 * stream_writers.h -- stdio streams that compress into another stream, so
 * a redacted member can be written through the same FILE * interface
 * whether it ends up plain, gzip'ed or inside an xz/bzip2/zstd/lz4 stream
 * (internal to the rewrite).  fclose finishes the compressed stream
 * and returns EOF if anything failed; the underlying stream stays open.
 */
#ifndef PIISCAN_STREAM_WRITERS_H
#define PIISCAN_STREAM_WRITERS_H

#include <stdio.h>
#include <time.h>

#include "gz_deflate.h"

/* One gzip member with the stored name (NULL: none) and time, deflated
 * (ISA-L when built in, else zlib) at the level hint, which the header's
 * XFL byte states, on `threads` threads (0: all online CPUs; 1: the
 * calling thread, one plain deflate stream). */
FILE *pii_gzip_writer(FILE *out, const char *name, time_t mtime, int threads, pii_gz_level level);
/* A single stream compressed with the libarchive filter `code`
 * (ARCHIVE_FILTER_XZ, ...); NULL if it cannot be written. */
FILE *pii_filter_writer(FILE *out, int code);
/* libarchive write callback that appends to a FILE * (client data). */
long pii_fwrite_cb(void *a, void *ud, const void *buf, size_t n);

#endif
