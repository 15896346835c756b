/*
 * src_prefetch.h -- walk containers in background threads, ahead of the
 * thread that scans them, and replay each walk there in order.
 */
#ifndef PII_SRC_PREFETCH_H
#define PII_SRC_PREFETCH_H

#include "src_container.h"

typedef struct pii_prefetch pii_prefetch;
typedef struct pii_pf_item pii_pf_item;

/* A pool of nthreads (1..64) walker threads using the limits lim (kept by
 * pointer: it must outlive the pool).  NULL when out of resources. */
pii_prefetch *pii_prefetch_new(unsigned nthreads, const pii_src_limits *lim);

/* Stop every walk still running, join the threads and free the items no
 * replay has taken (their events are dropped unseen). */
void pii_prefetch_free(pii_prefetch *pf);

/* Queue the container open on fd (positioned at its start) named path: a
 * free thread walks it as pii_source_walk would, into a bounded queue.
 * The item owns fd from here on, even on failure.  NULL when out of memory. */
pii_pf_item *pii_prefetch_add(pii_prefetch *pf, const char *path, int fd);

/* In the calling thread, give item's members and messages to fn and msg,
 * in the walk's order, with rd reading the member's bytes; then free the
 * item.  Returns what pii_source_walk would have: fn's non-zero value if
 * it stopped the walk (the walker thread is stopped too), -1 if an error
 * was reported, otherwise 0.  Two differences from a direct walk, both
 * from the walker reading every member to its end in 1 MiB reads: a
 * member fn leaves unfinished is still decompressed (a damaged one is
 * reported as reading it whole finds it), and where --max-ratio cuts a
 * member depends on those read sizes. */
int pii_prefetch_replay(pii_pf_item *item, pii_member_fn fn, pii_member_msg msg, void *ud);

#endif
