/*
 * tokfilter.h -- a writer that replaces `encrypt` tokens (TYPE_ENC_…) by the
 * values they encrypt, for `piiscan reveal`.  Tokens are found on the byte
 * stream (they are not personal data, so the scanner does not report them);
 * the tail of the buffer is held back until a token cut by a write boundary
 * is complete.
 */
#ifndef PII_TOKFILTER_H
#define PII_TOKFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ops.h"
#include "piiscan.h"

#define TOKFILTER_HOLD 8192   /* longer than any token */

typedef struct tokfilter {
    const pii_keyring *kr;
    piiscan_write_fn wr;
    void *wud;
    uint8_t *buf;
    size_t len, cap;
    bool failed_write;
    char failmsg[256];
} tokfilter;

void tokfilter_init(tokfilter *t, const pii_keyring *kr, piiscan_write_fn wr, void *wud);
/* 0, or -1 (write error or undecryptable token: failmsg says which). */
int tokfilter_write(tokfilter *t, const void *data, size_t len);
/* Write out what is held up to its last newline (a live input paused):
 * 0, or -1 as tokfilter_write. */
int tokfilter_flush_lines(tokfilter *t);
int tokfilter_finish(tokfilter *t);
void tokfilter_free(tokfilter *t);

#endif
