/*
 * gz_parallel.h -- one gzip member deflated on several threads, the way
 * pigz does it (internal to stream_writers.c, which puts a FILE * in front).
 *
 * The uncompressed stream is cut into blocks; each block is deflated raw on
 * a worker thread or the writer's (gz_deflate.c: ISA-L when built in,
 * else zlib) with the 32 KiB before it as a preset dictionary, so the ratio
 * stays close to one deflate stream, and ends on a byte boundary (a sync
 * flush; the last ends the stream), so the blocks concatenated in order are
 * one deflate stream.  Header and trailer (CRC-32 combined from the blocks'
 * CRCs, ISIZE) are written here: the result is one standard gzip member
 * that gzip, zcat and zlib read like any other.
 */
#ifndef PIISCAN_GZ_PARALLEL_H
#define PIISCAN_GZ_PARALLEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "gz_deflate.h"

typedef struct pii_gzpar pii_gzpar;

/* Uncompressed bytes per block: pigz's size, large enough that the sync
 * flush and the dictionary set-up cost well under 1%. */
enum { PII_GZPAR_BLOCK = 128 << 10 };

/* A member written to out with the stored name (NULL: none) and time;
 * deflated on up to threads (>= 1) threads: the writer's (the caller of
 * pii_gzpar_write and _close), which deflates queued blocks whenever it
 * would wait, and threads - 1 workers, started only when a second block
 * is needed, with at most 2 * threads blocks in memory.  block: bytes per block, 0 for
 * PII_GZPAR_BLOCK.  level: the compression, also stated in the header's
 * XFL byte.  NULL when out of memory. */
pii_gzpar *pii_gzpar_new(FILE *out, const char *name, time_t mtime, int threads, size_t block,
                         pii_gz_level level);

/* Append n bytes: 0, or -1 once anything failed (writing out, memory,
 * the deflater); the failure sticks. */
int pii_gzpar_write(pii_gzpar *g, const void *buf, size_t n);

/* Finish the member (last block, trailer), stop the workers and free g:
 * 0, or -1 if any write or compression failed.  out stays open. */
int pii_gzpar_close(pii_gzpar *g);

/* Stop and free g, writing nothing more (the member stays unfinished). */
void pii_gzpar_discard(pii_gzpar *g);

/* Blocks the writer has deflated itself so far (for tests). */
uint64_t pii_gzpar_writer_blocks(const pii_gzpar *g);

#endif
