/*
 * rewrite_ahead.c -- replay: the writing side of a rewrite whose reader
 * ran ahead in a walker thread (pii_rewrite_read, see rewrite_int.h).
 * Its events are pulled from the walk's queue in the file's turn and
 * applied as the direct rewrite applies them, so that what is told and
 * written is what pii_archive_rewrite tells and writes, in the same order.
 *
 * The walker read on without knowing where the applier would stop; when
 * it stops, the walk is stopped and whatever it queued after is dropped.
 */
#include <stdlib.h>

#include "rewrite_int.h"

/* One pulled event into the applier; non-zero when it wants no more. */
static int apply_pulled(rw_apply *ap, const pii_pf_ev *pe)
{
    rw_ev ev = { 0 };
    if (pe->kind == PII_PF_MEMBER) {
        ev = (rw_ev){ .kind = RW_MEMBER, .vpath = pe->vpath, .rd = pe->rd, .rud = pe->rud };
    } else if (pe->kind == PII_PF_MSG) {
        ev = (rw_ev){ .kind = RW_MSG, .vpath = pe->vpath, .text = pe->msg };
    } else if (rw_event_parse(pe->rec, pe->len, pe->obj, &ev) < 0) {
        if (ev.entry)
            archive_entry_free(ev.entry);
        return 1;   /* not this reader's walk */
    }
    return rw_apply_ev(ap, &ev);
}

int pii_archive_rewrite_ahead(pii_pf_item *item, const char *path, int fd, FILE *out, const pii_src_limits *lim,
                              int threads, pii_rewrite_fn fn, pii_member_msg msg, void *ud)
{
    (void)path, (void)fd, (void)lim;   /* the walk read the file, under the same limits */
    rw_apply *ap = malloc(sizeof *ap);
    if (!ap) {
        pii_prefetch_cancel(item);
        msg(ud, path, "out of memory", 1);
        return PII_RW_FAILED;
    }
    rw_apply_init(ap, out, threads, fn, msg, ud, true);
    pii_pf_ev ev;
    int stop = 0;
    while (!stop && pii_prefetch_next(item, &ev) != PII_PF_END)
        stop = apply_pulled(ap, &ev);
    /* the walk's own failure (out of memory) is told here; the applier
     * then fails the file if the walk did not reach its end */
    pii_prefetch_finish(item, stop, msg, ud);
    int rc = rw_apply_end(ap);
    free(ap);
    return rc;
}
