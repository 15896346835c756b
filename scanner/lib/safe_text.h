/*
 * safe_text.h -- text from outside (scanned data, file names) written so
 * that it cannot act on a terminal: control characters and broken UTF-8
 * are shown as '?'.  One line stays one line, and a crafted name or log
 * line cannot inject escape sequences.  Shared by the human-readable
 * reports and the command line's messages.
 */
#ifndef PIISCAN_SAFE_TEXT_H
#define PIISCAN_SAFE_TEXT_H

#include <stdio.h>

/* Writes s made safe (fp NULL: only measures); returns its width in
 * display columns (CJK counts two). */
size_t pii_put_safe(FILE *fp, const char *s);

#endif
