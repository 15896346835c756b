/*
 * src_container.h -- compressed files and archives as sources of streams.
 *
 * A container (gzip, xz, bzip2, zstd, lz4, lzip, compress single streams;
 * tar under any of those; zip, 7z, cpio, rar) is walked member by member,
 * nested containers are opened from inside their parent (no temporary
 * files), and every leaf is handed out as a read function with its virtual
 * path: members joined with "!/" (DESIGN.md section 5), e.g.
 *     dumps.tar.gz!/2024/users.csv.gz!/users.csv
 * A single compressed stream is named after its container without the
 * compression suffix (x.log.gz!/x.log).
 *
 * Input is untrusted: expansion is bounded in total and in ratio, nesting
 * in depth; links, encrypted members, corrupt and truncated data are
 * reported through the message callback, never silently dropped.
 */
#ifndef PIISCAN_SRC_CONTAINER_H
#define PIISCAN_SRC_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "piiscan.h"

typedef struct pii_src_limits {
    int max_depth;       /* containers inside containers (default 4) */
    uint64_t max_total;  /* decompressed bytes per top-level file (64 GiB) */
    double max_ratio;    /* decompressed / compressed per member (1000) */
    bool zlib_gzip;      /* gzip through libarchive's zlib filter, never
                            ISA-L (tests compare the two inflaters) */
} pii_src_limits;

void pii_src_limits_init(pii_src_limits *l);

/* Set one limit from an option value: name is "max-depth" (1..64),
 * "max-expansion" (bytes, K/M/G/T suffixes) or "max-ratio" (> 1).
 * 0, or -1 with a message in err. */
int pii_src_limits_set(pii_src_limits *l, const char *name, const char *value, char *err, size_t errlen);

/* l set from the public form (piiscan.h), which has all but the tests'
 * inflater switch (left off). */
void pii_src_limits_from(pii_src_limits *l, const piiscan_limits *pub);

enum pii_kind {
    PII_KIND_PLAIN = 0,
    PII_KIND_GZIP,
    PII_KIND_XZ,
    PII_KIND_BZIP2,
    PII_KIND_ZSTD,
    PII_KIND_LZ4,
    PII_KIND_LZIP,
    PII_KIND_COMPRESS,
    PII_KIND_ZIP,
    PII_KIND_TAR,
    PII_KIND_7Z,
    PII_KIND_CPIO,
    PII_KIND_RAR,
};

/* Bytes of a stream's head that pii_container_kind needs (tar: 512). */
#define PII_HEAD_BYTES PIISCAN_HEAD_BYTES

/* The container kind of a stream starting with head[0..n), by magic bytes
 * (a tar without the ustar magic by its header checksum); PII_KIND_PLAIN
 * for anything else.  name may be NULL; it only breaks ties that magic
 * bytes cannot. */
int pii_container_kind(const uint8_t *head, size_t n, const char *name);
const char *pii_kind_name(int kind);

/* The top-level input: fd read from its current offset, after pre[0..npre),
 * bytes already taken from it (a pipe gives its first bytes up only once,
 * and they are needed to tell its kind).  npre == 0 for a seekable file.
 * live: a plain text stream from a pipe or socket, which may pause (`tail
 * -f`): a read that finds it paused (quiet for PIISCAN_PAUSE_MS; see
 * src_leaf.c) fails with EAGAIN, and the next one waits (window.h). */
typedef struct pii_fdin {
    int fd;
    const uint8_t *pre;
    size_t npre, used;
    bool live, waited;
    int64_t since_ms;      /* live: when the reads since the last pause began (0: not yet) */
} pii_fdin;

ssize_t pii_fdin_read(pii_fdin *in, void *buf, size_t cap);

/* Is fd a pipe or a socket -- an input that can pause?  A pipe's buffer
 * is grown to 1 MiB (Linux; best effort), so that the writer at its other
 * end runs ahead of this process's reader rather than in step with it. */
bool pii_pipe_setup(int fd);

/* Called for every leaf stream, in archive order.  It may read rd to the
 * end or stop early; non-zero stops the walk (pii_source_walk returns it,
 * so use a positive value).  rd ends early (0) when a limit is hit or the
 * data is corrupt; the message callback then says so. */
typedef int (*pii_member_fn)(void *ud, const char *vpath, piiscan_read_fn rd, void *rud);
/* Skipped members (encrypted, links; directories are silent), limits hit,
 * corrupt or truncated data, each naming the member.  is_error: something
 * was not scanned. */
typedef void (*pii_member_msg)(void *ud, const char *vpath, const char *msg, int is_error);

/* Walk the container open on fd (read from its current offset; seeking is
 * used when it works, for zip's central directory) named path.  Returns
 * fn's non-zero value if it stopped the walk, -1 if an error was reported,
 * otherwise 0. */
int pii_source_walk(const char *path, int fd, const pii_src_limits *lim, pii_member_fn fn, pii_member_msg msg,
                    void *ud);
/* The same for an input whose first bytes head[0..n) were already read
 * from fd (a pipe, such as stdin, read to tell its kind): they are given
 * back to the container reader before the rest of fd. */
int pii_source_walk_head(const char *path, int fd, const uint8_t *head, size_t n, const pii_src_limits *lim,
                         pii_member_fn fn, pii_member_msg msg, void *ud);

/* Name of the stream inside the single compressed stream whose virtual
 * path is vpath: its last component without the compression suffix
 * (".gz", ".xz", ".bz2", ".zst", ".lz4", ".lz", ".Z", and .tgz-like forms
 * become .tar); fallback (the name stored in the stream, if any) when
 * there is no such suffix, else the component plus ".out". */
void pii_stream_name(const char *vpath, const char *fallback, char *out, size_t cap);

/* Is a member name dangerous to create on disk ("..", absolute)? */
int pii_member_name_unsafe(const char *name);

#endif
