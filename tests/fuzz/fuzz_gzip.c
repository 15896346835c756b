/*
 * fuzz_gzip.c -- the ISA-L gzip layer (src_gzip.c) on any bytes, read in
 * chunks of 1 to 700 bytes, checked against zlib on the same bytes: where
 * zlib inflates every member cleanly (CRC-32 and length included), the
 * layer must give the same bytes and no error.  Members follow each other
 * as long as the next bytes start a gzip header that libarchive would take
 * (deflate, no reserved flags), the rule both readers share.  (Where zlib
 * finds an error the layer is only required not to crash: ISA-L may accept
 * some malformed Huffman tables that zlib rejects, and the bytes are then
 * scanned, which is no loss.)
 *
 * The input is the stream itself, so the .gz files of corpora/ are seeds;
 * the chunk sizes are seeded by its length.
 */
#include <archive.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "src_gzip.h"

#define OUT_CAP (4u << 20)   /* inflating more than this proves nothing new */

typedef struct src {
    const uint8_t *p;
    size_t len, pos;
    unsigned rng;
} src;

static ssize_t chunked(void *ud, void *buf, size_t cap, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    src *s = ud;
    s->rng = s->rng * 1103515245u + 12345u;
    size_t n = 1 + (s->rng >> 16) % 700;
    if (n > cap)
        n = cap;
    if (n > s->len - s->pos)
        n = s->len - s->pos;
    memcpy(buf, s->p + s->pos, n);
    s->pos += n;
    return (ssize_t)n;
}

static int starts_member(const uint8_t *p, size_t n)
{
    return n >= 4 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8 && (p[3] & 0xe0) == 0;
}

/* zlib's reading: 1 clean, 0 error; *outn bytes into out. */
static int zlib_read(const uint8_t *in, size_t n, uint8_t *out, size_t *outn)
{
    size_t pos = 0;
    *outn = 0;
    while (starts_member(in + pos, n - pos)) {
        z_stream z;
        memset(&z, 0, sizeof z);
        if (inflateInit2(&z, 15 + 16) != Z_OK)
            abort();
        z.next_in = (Bytef *)(uintptr_t)(in + pos);
        z.avail_in = (uInt)(n - pos);
        z.next_out = out + *outn;
        z.avail_out = (uInt)(OUT_CAP - *outn);
        int r = inflate(&z, Z_FINISH);
        *outn = OUT_CAP - z.avail_out;
        pos = n - z.avail_in;
        inflateEnd(&z);
        if (r != Z_STREAM_END)
            return 0;   /* an error, truncation, or too large to compare */
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    src s = { data, size, 0, (unsigned)size };
    pii_gz *g = pii_gz_new(s.p, s.len < 512 ? s.len : 512, chunked, &s);
    if (!g)
        return 0;
    static uint8_t want[OUT_CAP], got[OUT_CAP];
    size_t wn;
    int clean = zlib_read(s.p, s.len, want, &wn);
    struct archive *a = archive_read_new();
    archive_read_support_format_raw(a);
    size_t gn = 0;
    int ok = 0;
    struct archive_entry *e;
    if (pii_gz_open(a, g) == ARCHIVE_OK && archive_read_next_header(a, &e) == ARCHIVE_OK) {
        la_ssize_t k;
        while (gn < OUT_CAP && (k = archive_read_data(a, got + gn, OUT_CAP - gn)) > 0)
            gn += (size_t)k;
        ok = gn < OUT_CAP && k == 0;
    }
    archive_read_free(a);
    /* zlib read it cleanly: so must ISA-L (libarchive's raw format finds
     * no member in an empty stream, so that case has nothing to compare) */
    if (clean && wn > 0 && wn < OUT_CAP && (!ok || gn != wn || memcmp(got, want, wn) != 0))
        abort();
    return 0;
}
