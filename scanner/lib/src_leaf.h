/*
 * src_leaf.h -- reading one archive member under the expansion limits
 * (internal to src_container.c and archive_rewrite.c).
 *
 * Every decompressed byte of a top-level file, at any nesting depth, is
 * pulled through pii_leaf_pull, so the limits are enforced in one place.
 * A limit or a data error ends the member's stream early (read returns 0)
 * and is remembered in the leaf: callers report it with the member's name
 * after the consumer is done, instead of the consumer seeing an anonymous
 * read error.
 */
#ifndef PIISCAN_SRC_LEAF_H
#define PIISCAN_SRC_LEAF_H

#include <archive.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "src_container.h"
#include "src_gzip.h"

/* State shared by all levels of one top-level file. */
typedef struct pii_src_ctx {
    const pii_src_limits *lim;
    struct archive *top;    /* its raw byte count measures compressed input */
    const pii_gz *top_gz;   /* unless ISA-L inflates top's input: then this */
    uint64_t total;         /* decompressed bytes pulled so far */
} pii_src_ctx;

enum { PII_LEAF_OK, PII_LEAF_TOTAL, PII_LEAF_RATIO, PII_LEAF_ERROR };

typedef struct pii_leaf {
    pii_src_ctx *c;
    struct archive *a;
    uint64_t n;             /* decompressed bytes of this member */
    int64_t raw0;           /* top->raw bytes when the member started */
    int why;                /* PII_LEAF_* */
    bool fatal;             /* the archive cannot go on after this member */
    bool eof;
    const uint8_t *blk;     /* libarchive's current data block (valid until the next one is asked for) */
    size_t blk_len, blk_pos;
    uint64_t blk_off;       /* member offset of blk[0] (a sparse hole before it reads as zeros) */
    uint64_t out;           /* member offset of the next byte handed out */
    char err[256];
    unsigned char head[PII_HEAD_BYTES];
    size_t hn, hpos;        /* head bytes held, bytes replayed */
    unsigned char buf[64 << 10];   /* for an inner archive reading this one */
} pii_leaf;

/* Start reading the current member of a. */
void pii_leaf_start(pii_leaf *l, pii_src_ctx *c, struct archive *a);
/* Fill the head (up to PII_HEAD_BYTES) and return the member's kind. */
int pii_leaf_peek(pii_leaf *l, const char *name);
/* piiscan_read_fn over the member: the head, then the rest. */
ssize_t pii_leaf_read(void *ud, void *buf, size_t cap);
/* Why the member ended early, as a sentence; "" if it did not. */
void pii_leaf_why(const pii_leaf *l, char *msg, size_t cap);

/* Is kind a compression of a single stream (gzip .. compress)? */
int pii_kind_is_stream(int kind);
/* A reader for a container of this kind, with every filter.  A compressed
 * stream is read as one raw member (whatever it holds is sniffed by the
 * caller, not guessed by libarchive: its tar reader takes a block of zeros
 * for an empty archive); an archive kind gets the archive formats only
 * (none that bids on arbitrary text, such as mtree). */
struct archive *pii_archive_reader(int kind);
/* Open a on the top-level input (seekable when its fd is and nothing was
 * taken from it). */
int pii_archive_open_fd(struct archive *a, const pii_fdin *in);
/* Open a on the member that outer is reading (nested container). */
int pii_archive_open_leaf(struct archive *a, pii_leaf *outer);
/* Open a, a reader for kind, on the member outer is reading or else on in;
 * head[0..hn) are the stream's first bytes, still to be read from the source.  A gzip
 * stream is inflated by ISA-L when it can be (src_gzip.h; not with
 * lim->zlib_gzip): *gz is then that layer, owned by a; otherwise NULL and
 * libarchive's filters read the stream. */
int pii_archive_open(struct archive *a, int kind, pii_fdin *in, pii_leaf *outer, const uint8_t *head, size_t hn,
                     const pii_src_limits *lim, const pii_gz **gz);

#endif
