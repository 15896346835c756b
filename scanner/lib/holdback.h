/*
 * holdback.h -- a stdio stream that keeps the last bytes written to it from
 * reaching its destination until it is closed as complete.
 *
 * `redact -` writes an archive or a .gz to standard output as it goes, and
 * standard output cannot be renamed into place like a file.  What makes
 * such an output look complete comes at its very end (a gzip trailer with
 * CRC and length, tar's end blocks, zip's central directory), so holding
 * the tail back and dropping it on failure leaves a stream that every
 * reader rejects instead of a shorter one that passes `gzip -t`.
 */
#ifndef PIISCAN_HOLDBACK_H
#define PIISCAN_HOLDBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct holdback holdback;

/* A stream into out that holds back its last `keep` bytes; NULL when out
 * of memory.  *hb is what holdback_close takes. */
FILE *holdback_open(FILE *out, size_t keep, holdback **hb);
/* Close fp: with complete, write the held bytes and flush out; without,
 * drop them.  0, or -1 on a write error (or when not complete). */
int holdback_close(FILE *fp, holdback *hb, bool complete);

#endif
