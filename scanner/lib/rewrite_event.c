/*
 * rewrite_event.c -- a rewrite's events (rewrite_int.h) as the records of
 * a walk (src_prefetch.h): a flat copy of the numbers and strings, and the
 * member's archive_entry as an owned object with its destructor.  An entry
 * (names, times to the nanosecond, modes, owners, links, xattrs, ACLs,
 * sparse map) is never taken apart here: what a field-by-field copy
 * forgot would silently be missing from the copies.
 */
#include <stdlib.h>
#include <string.h>

#include "rewrite_int.h"

typedef struct rec_head {
    int kind, code, why;
    int has_vpath, has_text;
    size_t vlen, tlen;
} rec_head;

static void drop_entry(void *obj)
{
    archive_entry_free(obj);
}

int rw_event_record(const rw_ev *ev, pii_record_fn rec, void *ud)
{
    rec_head h = { ev->kind, ev->code, ev->why, ev->vpath != NULL, ev->text != NULL,
                   ev->vpath ? strlen(ev->vpath) : 0, ev->text ? strlen(ev->text) : 0 };
    size_t spec = ev->kind == RW_STREAM ? sizeof ev->spec : 0;
    size_t len = sizeof h + spec + h.vlen + 1 + h.tlen + 1;
    unsigned char small[1024];
    unsigned char *b = len <= sizeof small ? small : malloc(len);
    if (!b) {
        if (ev->entry)
            archive_entry_free(ev->entry);
        return 1;
    }
    unsigned char *p = b;
    memcpy(p, &h, sizeof h);
    p += sizeof h;
    memcpy(p, &ev->spec, spec);
    p += spec;
    memcpy(p, h.has_vpath ? ev->vpath : "", h.vlen + 1);
    p += h.vlen + 1;
    memcpy(p, h.has_text ? ev->text : "", h.tlen + 1);
    int stop = rec(ud, b, len, ev->entry, ev->entry ? drop_entry : NULL);
    if (b != small)
        free(b);
    return stop;
}

int rw_event_parse(const void *rec, size_t len, void *obj, rw_ev *ev)
{
    rec_head h;
    memset(ev, 0, sizeof *ev);
    ev->entry = obj;
    if (len < sizeof h)
        return -1;
    memcpy(&h, rec, sizeof h);
    size_t spec = h.kind == RW_STREAM ? sizeof ev->spec : 0;
    if (len != sizeof h + spec + h.vlen + 1 + h.tlen + 1)
        return -1;
    const char *p = (const char *)rec + sizeof h;
    memcpy(&ev->spec, p, spec);
    p += spec;
    ev->kind = h.kind;
    ev->code = h.code;
    ev->why = h.why;
    ev->vpath = h.has_vpath ? p : NULL;
    p += h.vlen + 1;
    ev->text = h.has_text ? p : NULL;
    return 0;
}
