/*
 * text_decode.h -- text that is not UTF-8 read as UTF-8, and a redacted
 * copy written back in its own encoding.
 *
 * Excel on Chinese Windows saves "CSV (逗号分隔)" in GBK, and so do many
 * older systems' logs and exports; Windows "Unicode text" (Notepad,
 * PowerShell, SQL Server exports) is UTF-16 with a byte-order mark.  Read
 * as bytes, GBK yields its ASCII identifiers but none of its Chinese column
 * names, hotwords, names or addresses, and UTF-16 yields nothing.  The input
 * filter decodes such text to UTF-8 for detection, and the output filter
 * encodes a redacted copy back, so that the copy is in the original's
 * encoding and, outside the replaced values, the same bytes.
 *
 * UTF-16 is told by its byte-order mark at the start of the stream.
 * Otherwise the choice is made at the first byte that is not ASCII (ASCII
 * reads the same in both): valid UTF-8 there means UTF-8, bytes that
 * decode as GB18030 (the superset of GBK and GB2312) mean GB18030,
 * anything else (binary, Latin-1) stays raw bytes as before.  A byte that
 * does not decode later on is carried through as a private-use character
 * (U+F700 + byte) that matches nothing and is written back as that byte,
 * so the round trip loses nothing; a text that holds those private-use
 * characters itself (never seen in practice) is flagged, and a redaction
 * refuses it.
 */
#ifndef PII_TEXT_DECODE_H
#define PII_TEXT_DECODE_H

#include <iconv.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "piiscan.h"

enum { PII_TEXT_UNDECIDED, PII_TEXT_UTF8, PII_TEXT_RAW, PII_TEXT_DECODE };

#define PII_TEXT_IN (64u << 10)

typedef struct pii_textin {
    piiscan_read_fn rd;
    void *ud;
    _Atomic int mode;           /* PII_TEXT_*: read by the copy's writer on another thread */
    bool eof;                   /* the source is at its end */
    bool clash;                 /* the text holds U+F700..U+F7FF itself */
    bool started;               /* the first read is done */
    bool nul;                   /* a NUL byte came before the first non-ASCII one */
    bool src_paused;            /* a live source paused and was not read since */
    bool pause_next;            /* ... and that is told on the next read (EAGAIN) */
    const char *charset;        /* what is decoded: "GB18030", "UTF-16LE", "UTF-16BE" */
    size_t unit;                /* bytes of its code unit: escaped together */
    iconv_t cd;
    uint64_t escaped;           /* bytes that did not decode */
    size_t lo, hi;              /* undecoded source bytes in[lo, hi) */
    size_t cap;
    unsigned char *in;          /* made when decoding begins */
    size_t nout, outlo;         /* decoded bytes out[outlo, nout) not yet read */
    unsigned char out[64];
} pii_textin;

/* A read function over rd: UTF-8 out of GB18030 or UTF-16 text, else
 * rd's bytes. */
void pii_textin_init(pii_textin *g, piiscan_read_fn rd, void *ud);
ssize_t pii_textin_read(void *g, void *buf, size_t cap);
void pii_textin_free(pii_textin *g);

typedef struct pii_textout {
    piiscan_write_fn wr;
    void *ud;
    const pii_textin *in;         /* encodes once in decodes */
    iconv_t cd;
    unsigned char pend[4];      /* a UTF-8 sequence cut by the end of a write */
    size_t npend;
} pii_textout;

/* A write function over wr: once in decodes, UTF-8 written is encoded
 * back to in's charset (and the private-use escapes to their bytes);
 * before that, and for other text, bytes pass as they are.  -1 (errno
 * EILSEQ) for text the charset cannot hold. */
void pii_textout_init(pii_textout *g, const pii_textin *in, piiscan_write_fn wr, void *ud);
int pii_textout_write(void *g, const void *buf, size_t n);
/* At the end: 0, or -1 when a cut sequence is left. */
int pii_textout_finish(pii_textout *g);
void pii_textout_free(pii_textout *g);

#endif
