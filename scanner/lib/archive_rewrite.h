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

#include "src_container.h"

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

/* Write every member of the container on fd as a plain file under dir
 * (created), nested containers as NAME.d directories; member names that
 * are absolute or contain ".." are never created (an error through msg).
 * 0, or -1 if anything failed or was skipped as an error. */
int pii_archive_extract(const char *path, int fd, const char *dir, const pii_src_limits *lim, pii_rewrite_fn fn,
                        pii_member_msg msg, void *ud);

#endif
