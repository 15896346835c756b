/*
 * prefetch_order.c -- the ordered queue of inputs behind those being read
 * ahead (prefetch_order.h): a ring of fixed-size entries, copied in and
 * out, so that queuing an input allocates nothing of the queue's own.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "prefetch_order.h"

struct pii_order {
    pii_order_ops ops;
    void *ud;
    size_t size;              /* bytes per entry */
    unsigned cap;             /* entries that may wait (0: none) */
    unsigned slots;           /* entries the ring holds: cap, or 1 (see hold) */
    unsigned head, n;         /* oldest entry's slot, entries waiting */
    /* slots x size bytes, aligned for any entry: the callbacks use
     * entries where they lie */
    _Alignas(max_align_t) unsigned char ring[];
};

pii_order *pii_order_new_depth(unsigned depth, size_t entry_size, const pii_order_ops *ops, void *ud)
{
    unsigned slots = depth ? depth : 1;
    pii_order *q = malloc(sizeof *q + (size_t)slots * entry_size);
    if (q)
        *q = (pii_order){ .ops = *ops, .ud = ud, .size = entry_size, .cap = depth, .slots = slots };
    return q;
}

pii_order *pii_order_new(unsigned walkers, size_t entry_size, const pii_order_ops *ops, void *ud)
{
    return pii_order_new_depth(2 * walkers, entry_size, ops, ud);
}

void pii_order_free(pii_order *q)
{
    if (!q)
        return;
    pii_order_discard(q);
    free(q);
}

static unsigned char *slot(pii_order *q, unsigned i)
{
    return q->ring + (size_t)((q->head + i) % q->slots) * q->size;
}

/* The oldest entry's turn: it leaves the queue whatever the turn returns
 * (its slot is reused by the next put only, and a turn never puts). */
static int take_turn(pii_order *q)
{
    void *e = slot(q, 0);
    q->head = (q->head + 1) % q->slots;
    q->n--;
    return q->ops.turn(q->ud, e);
}

/* Queue entry (kept already), then take the oldest turns while the queue
 * is full.  A full queue always takes a turn, stopped or not, so between
 * two calls at most cap - 1 entries wait and the ring (of cap slots, or
 * one with no walkers) has room for the entry stored before the turn it
 * causes. */
static int hold(pii_order *q, const void *entry)
{
    int rc = 0;
    memcpy(slot(q, q->n++), entry, q->size);
    while (!rc && q->n && q->n >= q->cap)
        rc = take_turn(q);
    return rc;
}

int pii_order_put(pii_order *q, void *entry, bool ahead)
{
    if (!q->n && !ahead)
        return q->ops.turn(q->ud, entry);
    if (q->ops.keep && q->ops.keep(q->ud, entry) != 0) {
        int rc = pii_order_drain(q);
        if (rc) {
            if (q->ops.drop)
                q->ops.drop(q->ud, entry);
            return rc;
        }
        return q->ops.turn(q->ud, entry);
    }
    return hold(q, entry);
}

int pii_order_take(pii_order *q) { return q->n ? take_turn(q) : 0; }

int pii_order_drain(pii_order *q)
{
    int rc = 0;
    while (!rc && q->n)
        rc = take_turn(q);
    return rc;
}

void pii_order_discard(pii_order *q)
{
    for (; q->n; q->n--, q->head = (q->head + 1) % q->slots)
        if (q->ops.drop)
            q->ops.drop(q->ud, slot(q, 0));
}

unsigned pii_order_waiting(const pii_order *q) { return q->n; }
