/*
 * src_gzip.h -- gzip streams inflated by ISA-L and handed to libarchive
 * already inflated (internal to src_leaf.c, archive_rewrite.c and tests).
 *
 * libarchive inflates gzip with zlib; ISA-L's inflater is 2.4 to 2.8 times
 * faster on the same data (bench/inflate_speed.c), and gzip input is
 * otherwise the one thread that the scan pipeline waits for.  The layer
 * is a libarchive read callback: libarchive still reads everything above
 * it (the raw format for x.log.gz, tar for x.tar.gz, a further filter if
 * the inflated bytes are compressed again), so member walking, the
 * expansion limits and their messages stay in src_container.c and
 * src_leaf.c, whichever inflater runs.
 *
 * It reads what libarchive's gzip filter reads: every member of a
 * multi-member file, and it stops quietly where the bytes after a member
 * are not another gzip header (padding, trailing garbage), as that filter
 * does.  Unlike that filter it checks each member's CRC-32 and length
 * (ISIZE) and reports a mismatch, and on any error it first hands over
 * the bytes inflated before it, so that they are scanned too.
 */
#ifndef PIISCAN_SRC_GZIP_H
#define PIISCAN_SRC_GZIP_H

#include <archive.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

typedef struct pii_gz pii_gz;

/* Compressed bytes: like read(2), 0 at the end; -1 with a sentence in err
 * on an error. */
typedef ssize_t (*pii_gz_src_fn)(void *ud, void *buf, size_t cap, char *err, size_t errlen);

/* Is ISA-L built in (CMake found libisal)? */
bool pii_gz_available(void);

/* A layer for the gzip stream whose first n bytes are head (not consumed
 * yet), reading it through src.  NULL when ISA-L is not built in, when
 * head does not hold a whole gzip header that libarchive's gzip filter
 * would also accept, or when out of memory: the caller then lets
 * libarchive's own filter read the stream, as before. */
pii_gz *pii_gz_new(const uint8_t *head, size_t n, pii_gz_src_fn src, void *ud);

/* Open a (a reader with the formats wanted on the inflated bytes) on g.
 * a owns g from this call on, whatever it returns: g lives until a is
 * closed or freed.  (A layer never opened is released with free().) */
int pii_gz_open(struct archive *a, pii_gz *g);

/* Compressed bytes the inflater has consumed so far (for --max-ratio). */
uint64_t pii_gz_in_bytes(const pii_gz *g);

/* The file name stored in the first member's header, or NULL. */
const char *pii_gz_name(const pii_gz *g);
/* Its modification time (0: not stored). */
time_t pii_gz_mtime(const pii_gz *g);
/* Its XFL byte: 4 when written at the fastest level (gzip -1), 2 at the
 * best (gzip -9), else 0 (redact writes the copy at the same level). */
unsigned pii_gz_xflags(const pii_gz *g);

#endif
