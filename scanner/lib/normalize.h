/*
 * normalize.h -- canonical form of a detected value.
 *
 * The normalized value is what fingerprints and (later) keyed operators work
 * on, so that "138-1234-5678", "+86 138 1234 5678" and "１３８１２３４５６７８"
 * are the same person: separators and country prefixes dropped, full-width
 * digits folded to ASCII, hex lowercased (MAC, UUIDs, MEID), the resident ID
 * check character uppercased, e-mail lowercased.
 */
#ifndef PII_NORMALIZE_H
#define PII_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "piiscan.h"

/* Writes at most cap-1 bytes plus NUL; returns the normalized length. */
size_t pii_normalize(piiscan_type t, const uint8_t *v, size_t n, char *out, size_t cap);

/* Fold full-width digits/letters and the full-width colon, hyphen, plus and
 * parentheses to ASCII.  map (may be NULL) receives, for each output byte,
 * the offset of the input byte it came from.  Returns output length. */
size_t pii_fold_fullwidth(const uint8_t *v, size_t n, uint8_t *out, size_t cap,
                          uint32_t *map);

#endif
