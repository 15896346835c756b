/*
 * archive_rewrite.h -- write a redacted copy of a container in its own
 * format: a .gz stays gzip (same stored name and time), tar (under any
 * compression), zip, 7z and cpio keep member names, order, timestamps and
 * permissions; nested containers are rewritten inside their parents.
 *
 * Each member's bytes go through the caller's function (redaction or
 * reveal) into a temporary file, because tar needs a member's size before
 * its data.  A member that cannot be rewritten (encrypted, corrupt, over a
 * limit, nested too deep) fails the whole file: a copy with one member
 * left as it was would leak exactly what the user asked to remove.
 */
#ifndef PIISCAN_ARCHIVE_REWRITE_H
#define PIISCAN_ARCHIVE_REWRITE_H

#include <stdio.h>
#include <time.h>

#include "gz_deflate.h"
#include "src_container.h"
#include "src_prefetch.h"

/* Copy one member's stream rd to out, transformed; 0, or non-zero to fail
 * the file (the function reports why). */
typedef int (*pii_rewrite_fn)(void *ud, const char *vpath, piiscan_read_fn rd, void *rud, FILE *out);

enum { PII_RW_OK = 0, PII_RW_FAILED = -1, PII_RW_UNWRITABLE = -2 };

/* Rewrite the container open on fd (named path, read from offset 0) into
 * out; gzip (a .gz, a .tar.gz, nested ones) is deflated on `threads`
 * threads (0: all online CPUs, 1: the calling thread).  Returns PII_RW_OK,
 * PII_RW_FAILED (reasons went to msg; out holds garbage), or
 * PII_RW_UNWRITABLE when the format (rar, or one nested inside) cannot be
 * written here (msg was called with the reason). */
int pii_archive_rewrite(const char *path, int fd, FILE *out, const pii_src_limits *lim, int threads,
                        pii_rewrite_fn fn, pii_member_msg msg, void *ud);
/* The same for an input whose first bytes head[0..n) were already read from
 * fd (standard input through a pipe, read to tell its kind). */
int pii_archive_rewrite_head(const char *path, int fd, const uint8_t *head, size_t n, FILE *out,
                             const pii_src_limits *lim, int threads, pii_rewrite_fn fn, pii_member_msg msg, void *ud);

/* ---- a container rewritten in two halves ----
 *
 * Inflating is the slow part of reading a .gz or a .tar.gz, and one
 * deflate stream cannot be split, so for a run of compressed files and
 * archives the reading half runs ahead in a walker thread (src_prefetch.h)
 * while the writing half, in the thread that feeds the redaction, makes
 * the copies in order.  The two together tell and write what
 * pii_archive_rewrite does (rewrite_int.h: one rewrite, three modes). */

/* How the copy of a stream is compressed: what the reading half learns
 * from the original's header and the writing half needs. */
typedef struct pii_stream_spec {
    int code;                 /* ARCHIVE_FILTER_GZIP, _XZ, ... */
    pii_gz_level level;       /* gzip: the original's, from its XFL byte */
    time_t mtime;             /* gzip: stored time (0: none) */
    char name[256];           /* gzip: stored name ("": none), cut where pii_gz_header cuts it */
} pii_stream_spec;

/* A compressing stream on out for spec, deflated (gzip) on threads as in
 * pii_archive_rewrite; NULL if it cannot be made. */
FILE *pii_stream_writer(const pii_stream_spec *s, FILE *out, int threads);

/* What both halves say when the copy's stream cannot be made, closed or
 * flushed. */
#define PII_RW_NO_WRITER_MSG "this compression cannot be written here; nothing written"
#define PII_RW_CLOSE_MSG "cannot write the compressed stream"
#define PII_RW_FLUSH_MSG "write error"

/* The reading half, a pii_walk_fn: reads the container on fd (from its
 * offset) as pii_archive_rewrite does, and where that would write or
 * tell, queues an event: leaves as members (fn), everything else as
 * records (rec), archive entries as owned objects.  msg is not used. */
int pii_rewrite_read(const char *path, int fd, const pii_src_limits *lim, pii_member_fn fn, pii_member_msg msg,
                     pii_record_fn rec, void *ud);

/* The writing half: replay item (added with pii_rewrite_read for the file
 * named path) into out, through fn, with msg and ud, as
 * pii_archive_rewrite would have, and return what it would have.  fd and
 * lim are not used (the walk read the file, under its pool's limits).
 * Frees item. */
int pii_archive_rewrite_ahead(pii_pf_item *item, const char *path, int fd, FILE *out, const pii_src_limits *lim,
                              int threads, pii_rewrite_fn fn, pii_member_msg msg, void *ud);

/* Write every member of the container on fd as a plain file under dir
 * (created), nested containers as NAME.d directories; member names that
 * are absolute or contain ".." are never created (an error through msg).
 * 0, or -1 if anything failed or was skipped as an error. */
int pii_archive_extract(const char *path, int fd, const char *dir, const pii_src_limits *lim, pii_rewrite_fn fn,
                        pii_member_msg msg, void *ud);

#endif
