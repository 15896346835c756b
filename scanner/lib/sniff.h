/*
 * sniff.h -- what kind of bytes a file holds, judged from its first block:
 * NUL bytes (binary) and UTF-8 validity (GBK logs are common in China; their
 * Chinese keys and hotwords will not match UTF-8 literals, which the user
 * should know).  Both still get scanned: personal data in a binary file or a
 * GBK file is still personal data.
 */
#ifndef PIISCAN_CLI_SNIFF_H
#define PIISCAN_CLI_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sniff {
    bool has_nul;
    bool bad_utf8;
    size_t nul_at;         /* offsets from the start of the file */
    size_t bad_at;
    size_t off;            /* bytes seen so far */
    unsigned char pend[4]; /* a sequence cut by the end of the last block */
    size_t npend;
    bool started;          /* past the continuation bytes a cut file may start with */
    bool utf16;            /* starts with a UTF-16 byte-order mark */
    unsigned char head[2]; /* the first two bytes, however the blocks fall */
} sniff;

/* p[0,n) starts with a UTF-16 byte-order mark (FF FE or FE FF): text that
 * piiscan cannot read (every other byte is NUL), as Windows and Excel
 * write "Unicode text". */
bool sniff_utf16_bom(const unsigned char *p, size_t n);

/* Inspect the next block of a file (blocks in order, zero-initialised
 * state); a multi-byte sequence cut between blocks is joined up. */
void sniff_block(sniff *s, const unsigned char *buf, size_t n);

#endif
