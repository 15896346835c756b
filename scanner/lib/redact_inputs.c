/*
 * redact_inputs.c -- the redactor's inputs in order, containers read
 * ahead (piiscan.h, "de-identification").
 *
 * With two threads or more, compressed files and archives are inflated
 * ahead by walker threads (archive_rewrite.h, the two halves): each file
 * is still taken in its turn, and the files found after one being read
 * ahead wait in an ordered queue (prefetch_order.h), so that copies,
 * messages and the report keep the order of the walk.  An entry is the
 * queue's fixed part followed by the caller's tag.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive_rewrite.h"
#include "redact_int.h"

/* An input or a message in its turn: at once, or after waiting behind a
 * file being read ahead. */
typedef struct entry {
    const char *path;
    pii_redact_input in;
    const char *msg;              /* a message about path, else NULL */
    int is_error;
    char *own_path, *own_msg;     /* copies of path and msg while it waits (the caller's last for its call only) */
} entry;

/* Where the caller's tag starts: aligned for anything it may hold. */
#define TAG_OFF ((sizeof(entry) + _Alignof(max_align_t) - 1) / _Alignof(max_align_t) * _Alignof(max_align_t))

static void *tag_of(entry *e) { return (unsigned char *)e + TAG_OFF; }

/* An input's turn.  Redact never stops the queue: every input gets its
 * turn and its message, whatever failed before. */
static int take_turn(void *ud, void *entry_)
{
    piiscan_redactor *rd = ud;
    entry *e = entry_;
    if (e->msg)
        rd->ops.message(rd->ud, e->path, e->msg, e->is_error);
    else
        pii_redact_turn(rd, e->path, tag_of(e), &e->in);
    free(e->own_path);
    free(e->own_msg);
    return 0;
}

/* e waits for its turn: its path and message are copied, as the caller's
 * last only for the call that gave them.  Out of memory, the queue takes
 * the turns before e and e's at once instead. */
static int keep_strings(void *ud, void *entry_)
{
    entry *e = entry_;
    (void)ud;
    e->own_path = strdup(e->path);
    e->own_msg = e->msg ? strdup(e->msg) : NULL;
    if (!e->own_path || (e->msg && !e->own_msg)) {
        free(e->own_path);
        free(e->own_msg);
        e->own_path = e->own_msg = NULL;
        return -1;
    }
    e->path = e->own_path;
    e->msg = e->own_msg;
    return 0;
}

/* Only for a redactor freed with inputs waiting (no turn stops the queue,
 * so only when the caller did not finish). */
static void drop_entry(void *ud, void *entry_)
{
    entry *e = entry_;
    (void)ud;
    pii_redact_drop(&e->in);
    free(e->own_path);
    free(e->own_msg);
}

/* Walker threads for compressed files (pii_prefetch_walkers), so that a
 * directory of .gz files is not inflated one file at a time by the thread
 * that feeds the pipeline (started at the first such file), and the queue
 * that keeps the order behind them: without walkers (one thread, or no
 * memory for a queue as long) every input is taken at once. */
int pii_redact_inputs_init(piiscan_redactor *rd)
{
    static const pii_order_ops ops = { take_turn, keep_strings, drop_entry };
    size_t a = _Alignof(max_align_t);
    rd->entry_size = (TAG_OFF + rd->o.tag_size + a - 1) / a * a;
    if (!(rd->scratch = malloc(rd->entry_size)))
        return -1;
    unsigned k = pii_prefetch_walkers(rd->o.threads);
    if (k && (rd->q = pii_order_new(k, rd->entry_size, &ops, rd)) != NULL)
        rd->walkers = k;
    else if (!(rd->q = pii_order_new(0, rd->entry_size, &ops, rd)))
        return -1;
    return 0;
}

void pii_redact_inputs_free(piiscan_redactor *rd)
{
    pii_order_free(rd->q);
    pii_prefetch_free(rd->pf);
    free(rd->scratch);
}

/* Give a container to a walker, starting the pool at the first; false
 * when it cannot be (then it is read in its turn, as with one thread). */
static bool read_ahead(piiscan_redactor *rd, const char *path, pii_redact_input *in)
{
    if (!rd->pf && !(rd->pf = pii_prefetch_new(rd->walkers, &rd->lim))) {
        rd->walkers = 0;
        return false;
    }
    int fd = dup(in->fd);   /* the walker's own; in->fd stays for a rewrite it defers */
    return fd >= 0 && (in->item = pii_prefetch_add_walk(rd->pf, path, fd, pii_rewrite_read)) != NULL;
}

/* A fresh entry in the scratch buffer (a turn taken at once runs on it;
 * one that waits is copied into the queue). */
static entry *new_entry(piiscan_redactor *rd, const char *path)
{
    memset(rd->scratch, 0, rd->entry_size);
    entry *e = (entry *)(void *)rd->scratch;
    e->path = path;
    e->in.fd = -1;
    return e;
}

int piiscan_redact_file(piiscan_redactor *rd, const char *path, const void *tag)
{
    entry *e = new_entry(rd, path);
    if (rd->o.tag_size)
        memcpy(tag_of(e), tag, rd->o.tag_size);
    /* Opened now only to be read ahead: with one thread, a file is opened
     * in its turn, after the caller has decided where its copy goes. */
    if (rd->walkers && pii_redact_open(path, &e->in) >= 0 &&
        pii_redact_head_kind(e->in.fd, path) == PII_HEAD_CONTAINER)
        read_ahead(rd, path, &e->in);
    return pii_order_put(rd->q, e, e->in.item != NULL);
}

int piiscan_redact_message(piiscan_redactor *rd, const char *path, const char *msg, int is_error)
{
    entry *e = new_entry(rd, path);
    e->msg = msg;
    e->is_error = is_error;
    return pii_order_put(rd->q, e, false);
}

int piiscan_redact_finish(piiscan_redactor *rd) { return pii_order_drain(rd->q); }
