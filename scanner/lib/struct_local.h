/*
 * struct_local.h -- a window of a JSON stream tracked on its own, by
 * whichever thread detects it, and merged into the stream's tracker in
 * stream order.
 *
 * The structure tracker is the one part of detection that depends on
 * everything before a window: its parser state, its column table (column
 * ids are given in first-seen order) and its per-column value counts.  Read
 * on one thread for every window, it capped JSON Lines at what that thread
 * could parse.  But between two records of JSON Lines the parser state is
 * always the same (outside any value, depth 0), so a window that starts
 * there can be parsed from that state with a table of its own: column
 * infos, and so detection, depend only on column names.  What it gets
 * wrong -- ids and value ordinals -- is local and mapped when the window
 * is delivered; whether the state really was that one is only known then,
 * and a window where it was not is tracked and detected again.
 */
#ifndef PII_STRUCT_LOCAL_H
#define PII_STRUCT_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine_int.h"

/* Is t, fed up to a window's end, a JSON stream's tracker between two
 * records?  Then the next window likely starts there, and may be tracked
 * on its own. */
bool pii_tracker_at_record_end(const pii_tracker *t);

/* Before a window is tracked on its own in lt (a tracker of its own, from
 * pii_tracker_new, reused window after window): p[0,n) are the bytes that
 * come right before its accept range (at_start: p[0] is the stream's
 * first), of which the last line is read to guess the field the window
 * starts in.  Any thread; the window's reader has those bytes at hand
 * even when the line is longer than the window's overlap. */
void pii_local_guess(pii_tracker *lt, const uint8_t *p, size_t n, bool at_start);

/* Track window w from a record boundary at acc_lo into map, in lt as
 * pii_local_guess left it.  false when that line did not end between
 * records: the window most likely does not start there; it is not tracked
 * (nor worth detecting), and pii_local_merge will refuse it. */
bool pii_local_feed(pii_tracker *lt, const pii_window *w, pii_fieldmap *map);

/* In stream order, in place of feeding w to the stream's tracker t: if t
 * stands where lt assumed it would (a record boundary, the guessed field),
 * give lt's new columns ids in t in the order they first appear, map the
 * column and value ordinal of the n candidates c (detected with lt's map)
 * to t's, add lt's value counts and take over its state; true.  false: t
 * stood elsewhere, nothing that matters changed (columns may have been
 * added that feeding w to t adds in the same order), and the window must
 * be fed to t and detected again. */
bool pii_local_merge(pii_tracker *t, pii_tracker *lt, pii_cand *c, size_t n);

#endif
