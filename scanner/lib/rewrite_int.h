/*
 * rewrite_int.h -- the rewrite of a container as a stream of events
 * (internal to archive_rewrite.c, rewrite_apply.c, rewrite_event.c and
 * rewrite_ahead.c).
 *
 * One implementation serves three modes.  The reader (archive_rewrite.c)
 * reads the container and, wherever the copy is to be written, emits an
 * event: an archive level begins, its writer is made like its reader, a
 * member's header, a member's data begins and ends, a compressing writer
 * begins and ends, a member holds a container one level deeper, a leaf
 * goes through the transform, a message, a stop.  The applier
 * (rewrite_apply.c) writes the copy from those events, keeping a stack of
 * outputs per level (archive writer, temporary file, compressing writer).
 *
 *   direct  the reader's events are applied as they are emitted, in one
 *           thread (--threads 1, --extract-unwritable, standard input);
 *   record  the reader runs in a walker thread (src_prefetch.c) and its
 *           events are queued: members as members, the rest as records,
 *           entries as owned archive_entry clones (rewrite_event.c);
 *   replay  the feeding thread pulls the queued events in the file's turn
 *           and applies them (rewrite_ahead.c).
 *
 * Everything written, and everything told about writing, is the
 * applier's, so the three modes write and tell the same.  The one thing
 * the reader of a recorded walk cannot know is where the applier will
 * stop: the direct rewrite stops reading at the first member it cannot
 * write and then tells only what cut each enclosing member short.  So
 * the applier tells that itself, from RW_CUT events: the reader sends one
 * whenever what it has read of an enclosing member changes what would be
 * told of it, before the event at which the applier may stop.
 */
#ifndef PIISCAN_REWRITE_INT_H
#define PIISCAN_REWRITE_INT_H

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdio.h>

#include "archive_rewrite.h"

enum rw_ev_kind {
    RW_ARCHIVE,      /* vpath: an archive level begins (no writer yet) */
    RW_FORMAT,       /* code, text: the reader's format and its name; the writer is made like it */
    RW_HEADER,       /* entry, vpath: a member without data, its header written */
    RW_DATA,         /* vpath: a member with data begins: its temporary file */
    RW_DATA_END,     /* entry: the member's header (with the size written) and data into the archive */
    RW_ARCHIVE_END,  /* the level's writer is closed */
    RW_STREAM,       /* spec, vpath: a compressing writer on the output */
    RW_STREAM_END,   /* ... closed */
    RW_NEST,         /* vpath: the member's content is a container, rewritten one level deeper */
    RW_NEST_END,     /* ... done: what cut the member short is told (but a corrupt end: the inner said it) */
    RW_CUT,          /* code: the nesting (0: outermost) whose member was cut; why (PII_LEAF_*), text */
    RW_MEMBER,       /* vpath, rd, rud: a leaf through the transform */
    RW_LEAF_DONE,    /* what cut the leaf short was told (RW_MSG before this) */
    RW_MSG,          /* vpath, text: an error the reader tells */
    RW_ABORT,        /* code: PII_RW_*: the reader stopped at a failure it told */
    RW_FINISH,       /* the reader is done: the output is flushed */
};

typedef struct rw_ev {
    int kind;
    int code;
    int why;
    const char *vpath;
    const char *text;
    struct archive_entry *entry;  /* RW_HEADER, RW_DATA_END: the event's own (the applier frees it); NULL: none could be made */
    pii_stream_spec spec;         /* RW_STREAM */
    piiscan_read_fn rd;           /* RW_MEMBER */
    void *rud;
} rw_ev;

/* Levels of outputs: at most three per nesting level (member data,
 * nested container, its archive or stream writer), nesting at most 64. */
#define RW_MAX_LEVELS 200

typedef struct rw_level {
    int kind;             /* RW_ARCHIVE, RW_DATA, RW_STREAM, RW_NEST */
    FILE *out;            /* where this level's content goes (RW_DATA: the temporary file; RW_STREAM: the writer) */
    struct archive *o;    /* RW_ARCHIVE: its writer, once made */
    char *vpath;
    int why;              /* RW_NEST: the last RW_CUT's */
    char *cut;
} rw_level;

typedef struct rw_apply {
    FILE *out;
    int threads;
    pii_rewrite_fn fn;
    pii_member_msg msg;
    void *ud;
    bool replay;          /* events come from a walk that read on without knowing where this stops */
    bool tail;            /* the transform failed: stop at RW_LEAF_DONE */
    bool stopped;         /* at a failure, or done (RW_FINISH) */
    int rc;               /* PII_RW_OK, or the failure the rewrite returns */
    int n;                /* levels */
    rw_level lv[RW_MAX_LEVELS];
} rw_apply;

void rw_apply_init(rw_apply *ap, FILE *out, int threads, pii_rewrite_fn fn, pii_member_msg msg, void *ud,
                   bool replay);
/* Apply ev (its entry is freed here); non-zero once the rewrite has
 * stopped (ap->rc says how) and no more events are wanted. */
int rw_apply_ev(rw_apply *ap, rw_ev *ev);
/* The events are over: what the rewrite returns (a walk that ended with
 * neither RW_FINISH nor RW_ABORT failed, its reason told by the walk). */
int rw_apply_end(rw_apply *ap);

/* ---- events as prefetch records (rewrite_event.c) ---- */

/* Queue ev through rec (ud: the walk's); ev->entry goes with it as an
 * owned object.  The walk's answer: non-zero to stop. */
int rw_event_record(const rw_ev *ev, pii_record_fn rec, void *ud);
/* The event in rec[0..len) and obj, pointing into rec; -1 if it is not one. */
int rw_event_parse(const void *rec, size_t len, void *obj, rw_ev *ev);

#endif
