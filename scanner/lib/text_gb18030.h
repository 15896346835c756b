/*
 * text_gb18030.h -- GBK text read as UTF-8 and written back as it was.
 *
 * Excel on Chinese Windows saves "CSV (逗号分隔)" in GBK, and so do many
 * older systems' logs and exports.  Read as bytes, such a file yields its
 * ASCII identifiers but none of its Chinese column names, hotwords, names
 * or addresses.  The input filter decodes it (GB18030, the superset of GBK
 * and GB2312) to UTF-8 for detection, and the output filter encodes a
 * redacted copy back, so that the copy is GBK again and, outside the
 * replaced values, the same bytes.
 *
 * The choice is made at the first byte that is not ASCII (ASCII reads the
 * same in both): valid UTF-8 there means UTF-8, bytes that decode as
 * GB18030 mean GB18030, anything else (binary, Latin-1) stays raw bytes as
 * before.  A byte that does not decode later on is carried through as a
 * private-use character (U+F780 + byte - 0x80) that matches nothing and
 * is written back as that byte, so the round trip loses nothing; a file
 * that holds those private-use characters itself (never seen in GBK) is
 * flagged, and a redaction refuses it.
 */
#ifndef PII_TEXT_GB18030_H
#define PII_TEXT_GB18030_H

#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "piiscan.h"

enum { PII_GB_UNDECIDED, PII_GB_UTF8, PII_GB_RAW, PII_GB_DECODE };

#define PII_GB_IN (64u << 10)

typedef struct pii_gbin {
    piiscan_read_fn rd;
    void *ud;
    int mode;                   /* PII_GB_* */
    bool eof;                   /* the source is at its end */
    bool clash;                 /* the text holds U+F780..U+F7FF itself */
    iconv_t cd;
    uint64_t decoded_at;        /* source offset where decoding began */
    uint64_t escaped;           /* bytes that did not decode */
    size_t lo, hi;              /* undecoded source bytes in[lo, hi) */
    size_t cap;
    unsigned char *in;          /* made when decoding begins */
} pii_gbin;

/* A read function over rd: UTF-8 out of GB18030 text, else rd's bytes. */
void pii_gbin_init(pii_gbin *g, piiscan_read_fn rd, void *ud);
ssize_t pii_gbin_read(void *g, void *buf, size_t cap);
void pii_gbin_free(pii_gbin *g);

typedef struct pii_gbout {
    piiscan_write_fn wr;
    void *ud;
    const pii_gbin *in;         /* encodes once in decodes */
    iconv_t cd;
    unsigned char pend[4];      /* a UTF-8 sequence cut by the end of a write */
    size_t npend;
} pii_gbout;

/* A write function over wr: once in decodes GB18030, UTF-8 written is
 * encoded back to GB18030 (and the private-use escapes to their bytes);
 * before that, and for other text, bytes pass as they are.  -1 (errno
 * EILSEQ) for text GB18030 cannot hold. */
void pii_gbout_init(pii_gbout *g, const pii_gbin *in, piiscan_write_fn wr, void *ud);
int pii_gbout_write(void *g, const void *buf, size_t n);
/* At the end: 0, or -1 when a cut sequence is left. */
int pii_gbout_finish(pii_gbout *g);
void pii_gbout_free(pii_gbout *g);

#endif
