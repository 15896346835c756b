/*
 * src_gzip.c -- gzip inflated by ISA-L under libarchive (see src_gzip.h).
 *
 * One read callback fills an output buffer: members are started by
 * reading their header with isal_read_gzip_header, then inflated with
 * crc_flag ISAL_GZIP_NO_HDR_VER, which makes ISA-L check the trailer's
 * CRC-32 and ISIZE itself.  Input is refilled only when the inflater has
 * less than a little left, by moving that rest to the front: ISA-L keeps
 * partial headers, trailers and bits in its own state, never pointers
 * into our buffer, so moving the rest between calls is safe.
 */
#include "src_gzip.h"

#include <errno.h>

#ifdef PIISCAN_HAVE_ISAL

#include <isa-l/igzip_lib.h>
#include <stdlib.h>
#include <string.h>

/* 128 KiB of input per read keeps the decoder on its fast path (it wants
 * some lookahead) with few calls; 256 KiB of output per callback is a few
 * calls per scan window. */
#define GZ_IN (128u << 10)
#define GZ_OUT (256u << 10)
/* Below this much unread input, a refill moves the rest to the front. */
#define GZ_LOW (8u << 10)

struct pii_gz {
    struct inflate_state s;
    struct isal_gzip_header h;
    pii_gz_src_fn src;
    void *ud;
    uint64_t in_read;     /* compressed bytes read from src */
    bool src_eof;
    bool in_member;       /* between a header and its checked trailer */
    bool done;
    time_t mtime;         /* the first member's */
    unsigned xflags;      /* the first member's XFL byte */
    const char *err;      /* to report once the bytes before it are out */
    char src_err[300];
    char name[4096 + 1];  /* the first member's name; always terminated */
    uint8_t in[GZ_IN];
    uint8_t out[GZ_OUT];
};

bool pii_gz_available(void)
{
    return true;
}

/* What libarchive's gzip filter requires before it bids: deflate, and no
 * reserved flag bits.  ISA-L does not look at those bits, so without this
 * check a stream libarchive calls "not compressed" would be inflated. */
static bool libarchive_would_bid(const uint8_t *h, size_t n)
{
    return n >= 4 && h[0] == 0x1f && h[1] == 0x8b && h[2] == 8 && (h[3] & 0xe0) == 0;
}

static void header_init(pii_gz *g, bool keep_name)
{
    isal_gzip_header_init(&g->h);
    g->h.name = keep_name ? g->name : NULL;
    g->h.name_buf_len = keep_name ? (uint32_t)sizeof g->name - 1 : 0;
}

pii_gz *pii_gz_new(const uint8_t *head, size_t n, pii_gz_src_fn src, void *ud)
{
    if (!libarchive_would_bid(head, n))
        return NULL;
    pii_gz *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    /* The whole first header must be in head: parse a copy of it (the
     * stream itself is read from its start again below). */
    memcpy(g->in, head, n < sizeof g->in ? n : sizeof g->in);
    isal_inflate_init(&g->s);
    g->s.next_in = g->in;
    g->s.avail_in = (uint32_t)(n < sizeof g->in ? n : sizeof g->in);
    header_init(g, true);
    if (isal_read_gzip_header(&g->s, &g->h) != ISAL_DECOMP_OK) {
        free(g);
        return NULL;
    }
    g->mtime = (time_t)g->h.time;
    g->xflags = g->h.xflags;
    isal_inflate_init(&g->s);
    g->src = src;
    g->ud = ud;
    return g;
}

uint64_t pii_gz_in_bytes(const pii_gz *g)
{
    return g->in_read - g->s.avail_in;
}

const char *pii_gz_name(const pii_gz *g)
{
    return g->name[0] ? g->name : NULL;
}

time_t pii_gz_mtime(const pii_gz *g)
{
    return g->mtime;
}

unsigned pii_gz_xflags(const pii_gz *g)
{
    return g->xflags;
}

/* Top the input up to a full buffer (or the end of the source), keeping
 * the unread rest.  -1 with the source's error in g->err. */
static int refill(pii_gz *g)
{
    if (g->s.avail_in)
        memmove(g->in, g->s.next_in, g->s.avail_in);
    g->s.next_in = g->in;
    while (!g->src_eof && g->s.avail_in < sizeof g->in) {
        ssize_t k = g->src(g->ud, g->in + g->s.avail_in, sizeof g->in - g->s.avail_in, g->src_err,
                           sizeof g->src_err);
        if (k < 0) {
            g->err = g->src_err;
            return -1;
        }
        if (k == 0)
            g->src_eof = true;
        g->s.avail_in += (uint32_t)k;
        g->in_read += (uint64_t)k;
    }
    return 0;
}

/* Start the next member: 1 when its header is read, 0 at the end of the
 * stream (nothing left, or bytes that are not a gzip header: ignored like
 * libarchive's filter ignores them), -1 with g->err set. */
static int start_member(pii_gz *g)
{
    if (g->s.avail_in < 4 && !g->src_eof && refill(g) < 0)
        return -1;
    if (!libarchive_would_bid(g->s.next_in, g->s.avail_in))
        return 0;
    uint8_t *next = g->s.next_in;
    uint32_t avail = g->s.avail_in;
    isal_inflate_reset(&g->s);
    g->s.next_in = next;
    g->s.avail_in = avail;
    header_init(g, false);   /* the name was taken from the first header */
    for (;;) {
        int r = isal_read_gzip_header(&g->s, &g->h);
        if (r == ISAL_DECOMP_OK)
            break;
        if (r != ISAL_END_INPUT) {
            g->err = "corrupt gzip member header";
            return -1;
        }
        if (g->src_eof) {
            g->err = "truncated gzip input (in a member header)";
            return -1;
        }
        if (refill(g) < 0)
            return -1;
    }
    g->s.crc_flag = ISAL_GZIP_NO_HDR_VER;
    g->in_member = true;
    return 1;
}

static const char *inflate_error(int r)
{
    switch (r) {
    case ISAL_INCORRECT_CHECKSUM:
        return "gzip CRC-32 or length check failed (the decompressed data is corrupt)";
    case ISAL_INVALID_BLOCK:
    case ISAL_INVALID_SYMBOL:
    case ISAL_INVALID_LOOKBACK:
        return "gzip decompression failed (invalid deflate data)";
    default:
        return "gzip decompression failed";
    }
}

/* Inflate into g->out until something came out or the stream ended.
 * An error is kept in g->err, to be reported after the bytes inflated
 * before it (they are as good as the bytes of earlier calls). */
static void fill_out(pii_gz *g)
{
    while (g->s.avail_out == sizeof g->out && !g->done && !g->err) {
        if (g->s.avail_in < GZ_LOW && !g->src_eof && refill(g) < 0)
            return;
        if (!g->in_member) {
            int r = start_member(g);
            g->done = r == 0;
            continue;
        }
        uint32_t in_before = g->s.avail_in;
        int r = isal_inflate(&g->s);
        if (r != ISAL_DECOMP_OK) {
            g->err = inflate_error(r);
        } else if (g->s.block_state == ISAL_BLOCK_FINISH) {
            g->in_member = false;
        } else if (g->s.avail_out == sizeof g->out && g->s.avail_in == in_before) {
            /* No progress: the inflater wants input that is not there. */
            if (g->src_eof)
                g->err = "truncated gzip input";
            else if (g->s.avail_in == sizeof g->in)
                g->err = "gzip decompression made no progress";
            else
                refill(g);
        }
    }
}

static la_ssize_t gz_read_cb(struct archive *a, void *ud, const void **out)
{
    pii_gz *g = ud;
    g->s.next_out = g->out;
    g->s.avail_out = (uint32_t)sizeof g->out;
    fill_out(g);
    size_t n = sizeof g->out - g->s.avail_out;
    if (n == 0 && g->err) {
        archive_set_error(a, EILSEQ, "%s", g->err);
        return ARCHIVE_FATAL;
    }
    *out = g->out;
    return (la_ssize_t)n;
}

static int gz_close_cb(struct archive *a, void *ud)
{
    (void)a;
    free(ud);
    return ARCHIVE_OK;
}

int pii_gz_open(struct archive *a, pii_gz *g)
{
    archive_read_set_read_callback(a, gz_read_cb);
    archive_read_set_close_callback(a, gz_close_cb);
    archive_read_set_callback_data(a, g);
    return archive_read_open1(a);
}

#else /* no ISA-L: libarchive's zlib filter reads every gzip stream */

bool pii_gz_available(void)
{
    return false;
}

pii_gz *pii_gz_new(const uint8_t *head, size_t n, pii_gz_src_fn src, void *ud)
{
    (void)head, (void)n, (void)src, (void)ud;
    return NULL;
}

int pii_gz_open(struct archive *a, pii_gz *g)
{
    (void)g;
    archive_set_error(a, ENOSYS, "built without ISA-L");
    return ARCHIVE_FATAL;
}

uint64_t pii_gz_in_bytes(const pii_gz *g)
{
    (void)g;
    return 0;
}

const char *pii_gz_name(const pii_gz *g)
{
    (void)g;
    return NULL;
}

time_t pii_gz_mtime(const pii_gz *g)
{
    (void)g;
    return 0;
}

unsigned pii_gz_xflags(const pii_gz *g)
{
    (void)g;
    return 0;
}

#endif
