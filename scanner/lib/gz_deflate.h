/*
 * gz_deflate.h -- raw deflate with ISA-L when it is built in, zlib
 * otherwise, and the gzip framing around it (internal to gz_parallel.c
 * and stream_writers.c, which write gzip members).
 *
 * ISA-L's deflater is 2-4 times faster than zlib's at a similar size
 * (bench/deflate_speed.c, bench/README.md "Deflaters"), and deflating is
 * what bounds `redact FILE.gz`.  Both engines sit behind one small
 * zlib-like interface, so the writers do not care which one runs: the
 * CMake switch that picks the inflater (PIISCAN_ISAL) picks this too.
 *
 * The level is a hint, not a number: the output mirrors the compression
 * of the input, which its gzip header's XFL byte tells (RFC 1952: 4 for
 * the fastest level, 2 for the best, 0 otherwise), and each engine maps
 * the hint to its own levels.
 */
#ifndef PIISCAN_GZ_DEFLATE_H
#define PIISCAN_GZ_DEFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef enum pii_gz_level {
    PII_GZ_DEFAULT = 0,   /* gzip -6's size class */
    PII_GZ_FASTEST,       /* gzip -1's */
    PII_GZ_BEST           /* the engine's best */
} pii_gz_level;

/* The hint a member header's XFL byte gives, and the XFL for a hint. */
pii_gz_level pii_gz_level_of_xfl(unsigned xfl);
unsigned pii_gz_xfl_of_level(pii_gz_level level);

/* "ISA-L" or "zlib": the engine this build deflates with. */
const char *pii_deflater_engine(void);

typedef struct pii_deflater pii_deflater;

/* A raw deflate state (no zlib or gzip wrapper) for this level; NULL when
 * out of memory.  Reused across streams: see pii_deflater_start. */
pii_deflater *pii_deflater_new(pii_gz_level level);
void pii_deflater_free(pii_deflater *d);

/* Begin a new raw deflate stream whose matches may reach back into dict
 * (the dictlen <= 32768 bytes that precede it; 0: none).  dict must stay
 * unchanged until the stream's first pii_deflater_run returns.  false on
 * an engine error. */
bool pii_deflater_start(pii_deflater *d, const unsigned char *dict, size_t dictlen);

typedef enum pii_defl_flush {
    PII_DEFL_MORE,   /* more input follows: output may lag behind input */
    PII_DEFL_SYNC,   /* flush to a byte boundary; the stream goes on */
    PII_DEFL_END     /* this is the last input: end the stream (BFINAL) */
} pii_defl_flush;

/* Input and output of pii_deflater_run, advanced by it. */
typedef struct pii_defl_buf {
    const unsigned char *in;
    size_t in_left;
    unsigned char *out;
    size_t out_left;
} pii_defl_buf;

/* Deflate b->in into b->out under flush.  1: all input is taken and the
 * flush (for PII_DEFL_END, the stream) is complete; 0: call again with
 * the same flush and more output room (the rest of b->out may be too
 * small for the engine); -1: engine error. */
int pii_deflater_run(pii_deflater *d, pii_defl_buf *b, pii_defl_flush flush);

/* CRC-32 of gzip (ISA-L's folding implementation when built in),
 * continued from crc (0 to start); and zlib's combination of the CRCs of
 * two pieces, the second len2 bytes long. */
uint32_t pii_gz_crc32(uint32_t crc, const void *p, size_t n);
uint32_t pii_gz_crc32_combine(uint32_t crc1, uint32_t crc2, uint64_t len2);

/* Longest member header pii_gz_header writes: 10 bytes and a name of up
 * to 255 bytes with its terminator. */
enum { PII_GZ_HEADER_MAX = 10 + 256 };

/* An RFC 1952 member header into h: deflate, FNAME with name (NULL or
 * empty: none; longer names are cut at 255 bytes), MTIME (0 when mtime
 * is not positive), XFL for level, OS 3 (Unix).  Returns its length. */
size_t pii_gz_header(unsigned char h[PII_GZ_HEADER_MAX], const char *name, time_t mtime, pii_gz_level level);

/* The member trailer: CRC-32, then the length modulo 2^32 (ISIZE). */
void pii_gz_trailer(unsigned char t[8], uint32_t crc, uint64_t total);

#endif
