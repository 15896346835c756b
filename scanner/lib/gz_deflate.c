/*
 * gz_deflate.c -- raw deflate with ISA-L or zlib, and gzip framing (see
 * gz_deflate.h).
 *
 * Both engines are driven the same way: pii_deflater_run calls the engine
 * until it reports the job done, the output full, or no progress.  zlib
 * says "done" itself (Z_STREAM_END; or input consumed with output room
 * left, which means the flush was written).  ISA-L is asked through its
 * state: a sync flush is complete when it is back to ZSTATE_NEW_HDR with
 * nothing buffered (the state isal_deflate_set_dict requires), the stream
 * when it reaches ZSTATE_END.  ISA-L writes nothing into fewer than 8
 * free bytes, so "no progress" with little room is a request for room,
 * and an error only with plenty of it.
 */
#include "gz_deflate.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#ifdef PIISCAN_HAVE_ISAL
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#endif

/* Output room below which an engine that moved nothing may only be
 * asking for more: ISA-L wants 8 free bytes for its bit buffer and
 * writes a block header (up to 328 bytes) in one piece when it can. */
#define ROOM_SLACK 1024
/* Largest piece handed to an engine in one call (their counts are 32-bit). */
#define PIECE (1u << 30)

pii_gz_level pii_gz_level_of_xfl(unsigned xfl)
{
    return xfl == 4 ? PII_GZ_FASTEST : xfl == 2 ? PII_GZ_BEST : PII_GZ_DEFAULT;
}

unsigned pii_gz_xfl_of_level(pii_gz_level level)
{
    return level == PII_GZ_FASTEST ? 4 : level == PII_GZ_BEST ? 2 : 0;
}

static uint32_t piece(size_t n)
{
    return n < PIECE ? (uint32_t)n : PIECE;
}

/* b's input for an engine: never NULL (an empty one may be), as the
 * engines may hand it to memcpy. */
static unsigned char *in_ptr(const pii_defl_buf *b)
{
    static const unsigned char none[1];
    return (unsigned char *)(uintptr_t)(b->in ? b->in : none);
}

/* Move b past what an engine took and gave. */
static void advance(pii_defl_buf *b, size_t took, size_t gave)
{
    if (took) {
        b->in += took;
        b->in_left -= took;
    }
    b->out += gave;
    b->out_left -= gave;
}

#ifdef PIISCAN_HAVE_ISAL

/* ISA-L's levels are 0-3 (3 the smallest output).  For each hint, the
 * fastest level whose output is at most ~3% larger than zlib's at the
 * matching gzip level, measured on the bench input with
 * bench/deflate_speed.c (bench/README.md, "Deflaters"): level 1 is 8%
 * smaller than gzip -1 at 4.9x its speed (level 0 is 23% larger); level
 * 3 is 2.8% larger than gzip -6 at 7x its speed (level 2, 5% larger, is
 * only 1.6x faster than 3).  Nothing in ISA-L comes closer to gzip -9
 * than level 3 (4% larger). */
static const uint32_t isal_level[] = {
    [PII_GZ_DEFAULT] = 3,
    [PII_GZ_FASTEST] = 1,
    [PII_GZ_BEST] = 3,
};
/* Each level's working memory: ISA-L's default size for it. */
static const uint32_t isal_buf_size[] = { 0, ISAL_DEF_LVL1_DEFAULT, ISAL_DEF_LVL2_DEFAULT, ISAL_DEF_LVL3_DEFAULT };

struct pii_deflater {
    struct isal_zstream z;
    uint8_t *level_buf;
};

const char *pii_deflater_engine(void)
{
    return "ISA-L";
}

pii_deflater *pii_deflater_new(pii_gz_level level)
{
    pii_deflater *d = malloc(sizeof *d);
    uint32_t lv = isal_level[level <= PII_GZ_BEST ? level : PII_GZ_DEFAULT], size = isal_buf_size[lv];
    uint8_t *buf = size ? malloc(size) : NULL;
    if (!d || (size && !buf)) {
        free(d);
        free(buf);
        return NULL;
    }
    isal_deflate_init(&d->z);
    d->z.level = lv;
    d->z.level_buf = buf;
    d->z.level_buf_size = size;
    d->z.gzip_flag = IGZIP_DEFLATE;   /* raw: the writers frame the member */
    d->z.hist_bits = 0;               /* the full 32 KiB window */
    d->level_buf = buf;
    return d;
}

void pii_deflater_free(pii_deflater *d)
{
    if (d) {
        free(d->level_buf);
        free(d);
    }
}

bool pii_deflater_start(pii_deflater *d, const unsigned char *dict, size_t dictlen)
{
    isal_deflate_reset(&d->z);   /* keeps level, level buffer and raw mode */
    /* ISA-L copies the dictionary into its history; it never writes dict. */
    return dictlen == 0 ||
           isal_deflate_set_dict(&d->z, (uint8_t *)(uintptr_t)dict, (uint32_t)dictlen) == COMP_OK;
}

/* One isal_deflate call: 1 done, 0 not yet, -1 error. */
static int engine_step(pii_deflater *d, pii_defl_buf *b, pii_defl_flush flush)
{
    struct isal_zstream *z = &d->z;
    z->next_in = in_ptr(b);
    z->avail_in = piece(b->in_left);
    z->next_out = b->out;
    z->avail_out = piece(b->out_left);
    bool last_piece = z->avail_in == b->in_left;
    z->flush = flush == PII_DEFL_SYNC && last_piece ? SYNC_FLUSH : NO_FLUSH;
    z->end_of_stream = flush == PII_DEFL_END && last_piece;
    uint32_t in0 = z->avail_in, out0 = z->avail_out;
    if (isal_deflate(z) != COMP_OK)
        return -1;
    advance(b, in0 - z->avail_in, out0 - z->avail_out);
    if (b->in_left)
        return 0;
    const struct isal_zstate *st = &z->internal_state;
    switch (flush) {
    case PII_DEFL_END:
        return st->state == ZSTATE_END;
    case PII_DEFL_SYNC:
        return st->state == ZSTATE_NEW_HDR && st->b_bytes_processed == st->b_bytes_valid;
    default:
        return 1;
    }
}

uint32_t pii_gz_crc32(uint32_t crc, const void *p, size_t n)
{
    return crc32_gzip_refl(crc, p, n);
}

#else /* zlib */

static const int zlib_level[] = {
    [PII_GZ_DEFAULT] = Z_DEFAULT_COMPRESSION,
    [PII_GZ_FASTEST] = Z_BEST_SPEED,
    [PII_GZ_BEST] = Z_BEST_COMPRESSION,
};

struct pii_deflater {
    z_stream z;
};

const char *pii_deflater_engine(void)
{
    return "zlib";
}

pii_deflater *pii_deflater_new(pii_gz_level level)
{
    pii_deflater *d = calloc(1, sizeof *d);
    int lv = zlib_level[level <= PII_GZ_BEST ? level : PII_GZ_DEFAULT];
    if (d && deflateInit2(&d->z, lv, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(d);
        d = NULL;
    }
    return d;
}

void pii_deflater_free(pii_deflater *d)
{
    if (d) {
        deflateEnd(&d->z);
        free(d);
    }
}

bool pii_deflater_start(pii_deflater *d, const unsigned char *dict, size_t dictlen)
{
    return deflateReset(&d->z) == Z_OK &&
           (dictlen == 0 || deflateSetDictionary(&d->z, dict, (uInt)dictlen) == Z_OK);
}

static int engine_step(pii_deflater *d, pii_defl_buf *b, pii_defl_flush flush)
{
    z_stream *z = &d->z;
    z->next_in = in_ptr(b);
    z->avail_in = piece(b->in_left);
    z->next_out = b->out;
    z->avail_out = piece(b->out_left);
    bool last_piece = z->avail_in == b->in_left;
    int zf = !last_piece ? Z_NO_FLUSH : flush == PII_DEFL_END ? Z_FINISH : flush == PII_DEFL_SYNC ? Z_SYNC_FLUSH
                                                                                                  : Z_NO_FLUSH;
    uInt in0 = z->avail_in, out0 = z->avail_out;
    int rc = deflate(z, zf);
    if (rc == Z_STREAM_ERROR)
        return -1;
    advance(b, in0 - z->avail_in, out0 - z->avail_out);
    if (b->in_left)
        return 0;
    return zf == Z_FINISH ? rc == Z_STREAM_END : z->avail_out > 0;
}

uint32_t pii_gz_crc32(uint32_t crc, const void *p, size_t n)
{
    const unsigned char *q = p;
    uLong c = crc;
    while (n > 0) {
        uint32_t k = piece(n);
        c = crc32(c, q, k);
        q += k;
        n -= k;
    }
    return (uint32_t)c;
}

#endif

int pii_deflater_run(pii_deflater *d, pii_defl_buf *b, pii_defl_flush flush)
{
    for (;;) {
        size_t in0 = b->in_left, out0 = b->out_left;
        int r = engine_step(d, b, flush);
        if (r != 0)
            return r;
        if (b->in_left == in0 && b->out_left == out0)
            return b->out_left < ROOM_SLACK ? 0 : -1;   /* stuck with room: the engine refused */
        if (b->out_left == 0)
            return 0;
    }
}

uint32_t pii_gz_crc32_combine(uint32_t crc1, uint32_t crc2, uint64_t len2)
{
    return (uint32_t)crc32_combine(crc1, crc2, (z_off_t)len2);
}

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

size_t pii_gz_header(unsigned char h[PII_GZ_HEADER_MAX], const char *name, time_t mtime, pii_gz_level level)
{
    size_t nl = name ? strnlen(name, PII_GZ_HEADER_MAX - 11) : 0;
    h[0] = 0x1f;
    h[1] = 0x8b;
    h[2] = 8;                   /* CM: deflate */
    h[3] = nl ? 0x08 : 0;       /* FLG: FNAME */
    put_le32(h + 4, mtime > 0 ? (uint32_t)mtime : 0);
    h[8] = (unsigned char)pii_gz_xfl_of_level(level);
    h[9] = 3;                   /* OS: Unix */
    if (!nl)
        return 10;
    memcpy(h + 10, name, nl);
    h[10 + nl] = 0;
    return 11 + nl;
}

void pii_gz_trailer(unsigned char t[8], uint32_t crc, uint64_t total)
{
    put_le32(t, crc);
    put_le32(t + 4, (uint32_t)(total & 0xffffffffu));
}
