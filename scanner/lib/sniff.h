/*
 * sniff.h -- what kind of bytes a file holds, judged from its first block:
 * NUL bytes (binary) and UTF-8 validity (GBK logs are common in China; their
 * Chinese keys and hotwords will not match UTF-8 literals, which the user
 * should know).  Both still get scanned: personal data in a binary file or a
 * GBK file is still personal data.
 */
#ifndef PII_SNIFF_H
#define PII_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "piiscan.h"

/* The state is the public one (piiscan.h, "what kind of text"). */
typedef piiscan_sniff sniff;

/* p[0,n) starts with a UTF-16 byte-order mark (FF FE or FE FF): text that
 * piiscan cannot read (every other byte is NUL), as Windows and Excel
 * write "Unicode text". */
bool sniff_utf16_bom(const unsigned char *p, size_t n);

/* Inspect the next block of a file (blocks in order, zero-initialised
 * state); a multi-byte sequence cut between blocks is joined up. */
void sniff_block(sniff *s, const unsigned char *buf, size_t n);

#endif
