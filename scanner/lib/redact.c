/*
 * redact.c -- the redactor (piiscan.h, "de-identification"): made from a
 * ruleset, a policy and a key, and one input's turn: what the file is,
 * from one read of its head, and its copy through the caller's begin,
 * open and end.  Where the copy goes is the caller's business (a mirror
 * tree, a temporary name renamed when complete); what goes into it is
 * the library's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "redact_int.h"

void piiscan_redact_options_init(piiscan_redact_options *o)
{
    memset(o, 0, sizeof *o);
    piiscan_scan_options_init(&o->scan);
    piiscan_limits_init(&o->limits);
}

int piiscan_redactor_new(piiscan_redactor **out, const piiscan_ruleset *rs, const piiscan_policy *p,
                         const piiscan_key *k, const piiscan_redact_options *o, const piiscan_redact_ops *ops,
                         void *ud)
{
    piiscan_redactor *rd = calloc(1, sizeof *rd);
    *out = NULL;
    if (!rd)
        return -1;
    rd->o = *o;
    rd->ops = *ops;
    rd->ud = ud;
    rd->pol = &p->pol;
    rd->kr = k ? &k->kr : NULL;
    const char *keyed;
    rd->ops_ahead = pii_policy_needs_key(rd->pol, &keyed);
    pii_src_limits_from(&rd->lim, &o->limits);
    rd->o.scan.note = pii_redact_note;
    rd->o.scan.paused = pii_redact_paused;
    if (piiscan_pipeline_new(&rd->pl, rs, &rd->o.scan, o->threads) < 0 || pii_redact_inputs_init(rd) < 0) {
        piiscan_redactor_free(rd);
        return -1;
    }
    *out = rd;
    return 0;
}

void piiscan_redactor_free(piiscan_redactor *rd)
{
    if (!rd)
        return;
    pii_redact_inputs_free(rd);
    piiscan_pipeline_free(rd->pl);
    free(rd);
}

/* A container is rewritten member by member; anything else is one stream
 * (UTF-16 and GBK text included: the pipeline decodes them and encodes the
 * copy back, text_decode.h). */
enum pii_head_kind pii_redact_head_kind(int fd, const char *path)
{
    unsigned char head[PII_HEAD_BYTES];
    ssize_t n = pread(fd, head, sizeof head, 0);
    if (n <= 0)
        return PII_HEAD_PLAIN;
    return pii_container_kind(head, (size_t)n, path) != PII_KIND_PLAIN ? PII_HEAD_CONTAINER : PII_HEAD_PLAIN;
}

int pii_redact_open(const char *path, pii_redact_input *in)
{
    in->opened = true;
    in->fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
    in->err = in->fd < 0 ? errno : 0;
    return in->fd;
}

void pii_redact_drop(pii_redact_input *in)
{
    if (in->item)
        pii_prefetch_cancel(in->item);
    if (in->opened && in->fd >= 0)
        close(in->fd);
    in->item = NULL;
    in->opened = false;
}

/* The copy of path, open on fd (read ahead as item, if given), into out;
 * true when it is complete. */
static bool copy_input(piiscan_redactor *rd, const char *path, int fd, pii_pf_item *item, enum pii_head_kind kind,
                       FILE *out, const char *unpack_dir)
{
    if (kind == PII_HEAD_CONTAINER)
        return pii_redact_container(rd, path, fd, item, out, unpack_dir) == 0;
    if (pii_redact_fd(rd, fd, out) == 0)
        return true;
    char msg[sizeof rd->failmsg + 32];
    snprintf(msg, sizeof msg, "%s; nothing written", rd->failmsg);
    rd->ops.message(rd->ud, path, msg, 1);
    return false;
}

void pii_redact_turn(piiscan_redactor *rd, const char *path, void *tag, pii_redact_input *in)
{
    if (rd->ops.begin(rd->ud, path, tag) != 0) {
        pii_redact_drop(in);
        return;
    }
    if (!in->opened)
        pii_redact_open(path, in);
    if (in->fd < 0) {
        rd->ops.message(rd->ud, path, strerror(in->err), 1);
        pii_redact_drop(in);
        return;
    }
    enum pii_head_kind kind = in->item ? PII_HEAD_CONTAINER : pii_redact_head_kind(in->fd, path);
    const char *unpack_dir = NULL;
    FILE *out = rd->ops.open(rd->ud, path, tag, &unpack_dir);
    if (!out) {
        pii_redact_drop(in);
        return;
    }
    rd->path = path;
    pii_pf_item *item = in->item;
    in->item = NULL;   /* the rewrite frees it */
    bool ok = copy_input(rd, path, in->fd, item, kind, out, unpack_dir);
    rd->ops.end(rd->ud, path, tag, ok);
    pii_redact_drop(in);
}
