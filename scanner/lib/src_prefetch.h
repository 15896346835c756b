/*
 * src_prefetch.h -- walk containers in background threads, ahead of the
 * thread that scans them, and replay each walk there in order.
 */
#ifndef PII_SRC_PREFETCH_H
#define PII_SRC_PREFETCH_H

#include "src_container.h"

typedef struct pii_prefetch pii_prefetch;
typedef struct pii_pf_item pii_pf_item;

/* A record a walk puts among its members and messages, for whatever the
 * replaying thread needs to know that is neither (how a member is to be
 * written back, say): rec[0..len) is copied, handed to the replay in walk
 * order, and freed after.  obj (may be NULL) is an object that goes with
 * it, owned by the queue from the call on (even when it fails) and freed
 * with drop unless the replay takes it: what a flat copy cannot carry (an
 * archive_entry).  Non-zero stops the walk. */
typedef void (*pii_drop_fn)(void *obj);
typedef int (*pii_record_fn)(void *ud, const void *rec, size_t len, void *obj, pii_drop_fn drop);

/* The walk a walker thread runs for an item: pii_source_walk's form, plus
 * records.  Its return value is the replay's (unless the replay stops it). */
typedef int (*pii_walk_fn)(const char *path, int fd, const pii_src_limits *lim, pii_member_fn fn,
                           pii_member_msg msg, pii_record_fn rec, void *ud);

/* How many walker threads a run on `threads` detection threads (0: one
 * per online CPU) reads ahead with: none below two, so that one thread
 * walks as it always did; else up to four, as each inflates ~650 MB/s,
 * more than one thread scans or redacts. */
unsigned pii_prefetch_walkers(int threads);

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
/* The same with another walk than pii_source_walk. */
pii_pf_item *pii_prefetch_add_walk(pii_prefetch *pf, const char *path, int fd, pii_walk_fn walk);

/* In the calling thread, give item's members and messages to fn and msg,
 * in the walk's order, with rd reading the member's bytes; then free the
 * item.  Returns what pii_source_walk would have: fn's non-zero value if
 * it stopped the walk (the walker thread is stopped too), -1 if an error
 * was reported, otherwise 0.  Two differences from a direct walk, both
 * from the walker reading every member to its end in 256 KiB reads: a
 * member fn leaves unfinished is still decompressed (a damaged one is
 * reported as reading it whole finds it), and where --max-ratio cuts a
 * member depends on those read sizes. */
int pii_prefetch_replay(pii_pf_item *item, pii_member_fn fn, pii_member_msg msg, void *ud);
/* The same, with the walk's records given to rec in their place (a
 * non-zero value from rec stops the walk and is returned, as fn's is; rec
 * owns the objects it is given). */
int pii_prefetch_replay_records(pii_pf_item *item, pii_member_fn fn, pii_member_msg msg, pii_record_fn rec,
                                void *ud);

/* ---- the same replay, pulled: for a caller that must decide, event by
 * event, how far to go (archive_rewrite's writing half) ---- */

enum { PII_PF_END, PII_PF_MEMBER, PII_PF_MSG, PII_PF_RECORD };

/* One event of a walk.  Strings, rec and the member's reader are valid
 * until the next pii_prefetch_next on the item; obj is the caller's. */
typedef struct pii_pf_ev {
    int kind;                 /* PII_PF_* */
    const char *vpath;        /* MEMBER, MSG */
    const char *msg;          /* MSG */
    int is_error;             /* MSG */
    const void *rec;          /* RECORD: rec[0..len) */
    size_t len;
    void *obj;                /* RECORD: its object (NULL: none), now the caller's to free */
    piiscan_read_fn rd;       /* MEMBER: its bytes, as the walk's reader gave them */
    void *rud;
} pii_pf_ev;

/* The next event of item's walk, waiting for it (the rest of a member
 * not read is dropped); PII_PF_END once the walk is over and replayed. */
int pii_prefetch_next(pii_pf_item *item, pii_pf_ev *ev);
/* End a pulled replay: stopped (non-zero) stops the walk where it is.
 * Frees item and returns what pii_prefetch_replay would have (stopped,
 * if non-zero; -1 after telling msg the walk ran out of memory). */
int pii_prefetch_finish(pii_pf_item *item, int stopped, pii_member_msg msg, void *ud);

/* Stop item's walk and free it, replaying nothing: for an input that turns
 * out not to be wanted when its turn comes.  Like a replay, it waits for
 * the walker, so it is for the oldest item not yet replayed (an item that
 * no thread has taken is never walked). */
void pii_prefetch_cancel(pii_pf_item *item);

#endif
