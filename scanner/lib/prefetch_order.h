/*
 * prefetch_order.h -- take inputs in the order a walk finds them while
 * some of them are read ahead by walker threads (src_prefetch.h).
 *
 * A command that reads containers ahead must still handle every input, and
 * say every message, in walk order: reports, copies and stderr keep the
 * order of the command line.  An input found after one being read ahead
 * therefore waits here for its turn.  The queue knows nothing of what an
 * entry is: the caller's callbacks take a turn, make an entry outlive the
 * walk callback that found it, and release one that never gets its turn.
 * Scan and redact differ only in those callbacks (scan stops when its
 * report fails; redact never stops and copies the walk's strings).
 */
#ifndef PII_PREFETCH_ORDER_H
#define PII_PREFETCH_ORDER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pii_order pii_order;

typedef struct pii_order_ops {
    /* It is entry's turn: handle it and release what it owns.  Non-zero
     * stops the queue: the call that took this turn takes no other and
     * returns the value.  A turn must not use the queue itself. */
    int (*turn)(void *ud, void *entry);
    /* entry is about to wait for its turn, copied into the queue: make it
     * own whatever it points to that lasts only as long as the caller's
     * call (a walk's path, a buffer reused for the next file).  Non-zero
     * when it cannot: the entries before it then take their turns and it
     * takes its own at once, as if nothing had been read ahead (or, if
     * one of those turns stops the queue, it is dropped).  NULL:
     * entries own everything already. */
    int (*keep)(void *ud, void *entry);
    /* entry will never get its turn (the queue is discarded after a
     * stop): release what it owns.  NULL: nothing to release. */
    void (*drop)(void *ud, void *entry);
} pii_order_ops;

/* A queue of entries of entry_size bytes (of any alignment) for a pool of
 * `walkers` walker threads.  It is full at 2 x walkers entries, where the
 * put that fills it takes the oldest turn: enough to keep every walker
 * busy with one item while another waits, little held in memory (the
 * depth both commands had).  With no walkers nothing ever waits.  ops is
 * copied; ud is given to every callback.  NULL when out of memory. */
pii_order *pii_order_new(unsigned walkers, size_t entry_size, const pii_order_ops *ops, void *ud);

/* The same with a queue full at `depth` entries (0: nothing waits): for
 * inputs read ahead by more threads than walk containers, such as small
 * files (read_ahead.h), whose reads must start well before their turn. */
pii_order *pii_order_new_depth(unsigned depth, size_t entry_size, const pii_order_ops *ops, void *ud);

/* Discard what still waits (drop on each, in order) and free q; q may be
 * NULL. */
void pii_order_free(pii_order *q);

/* Give entry (entry_size bytes; the queue may change it through keep, and
 * copies it when it waits) its turn in walk order: at once when nothing
 * waits and it is not read ahead (`ahead`: a walker reads it, and its
 * turn is put off so that the walk runs while the next inputs are found),
 * else queued, the oldest entries
 * then taking their turns while the queue is full.  Returns the non-zero
 * value of a turn that stopped it, else 0. */
int pii_order_put(pii_order *q, void *entry, bool ahead);

/* Take the oldest waiting turn, if any: its value (0 when none waits). */
int pii_order_take(pii_order *q);

/* Take every waiting turn, oldest first, until one stops the queue (its
 * value is returned; what is left keeps waiting) or none is left (0). */
int pii_order_drain(pii_order *q);

/* Drop what still waits, oldest first, without its turn (after a stop). */
void pii_order_discard(pii_order *q);

/* How many entries wait. */
unsigned pii_order_waiting(const pii_order *q);

#endif
