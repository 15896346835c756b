/*
 * redact_int.h -- the redactor's insides (piiscan.h, "de-identification"),
 * shared by its files: redact.c makes it and takes one input's turn,
 * redact_stream.c copies a stream or a container through the operators,
 * redact_inputs.c keeps the inputs in order while containers are read
 * ahead, redact_policy.c holds the policy and key objects.
 */
#ifndef PII_REDACT_INT_H
#define PII_REDACT_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "ops.h"
#include "piiscan.h"
#include "policy.h"
#include "prefetch_order.h"
#include "src_container.h"
#include "src_prefetch.h"

struct piiscan_policy {
    pii_policy pol;
};

struct piiscan_key {
    pii_keyring kr;
};

struct piiscan_redactor {
    piiscan_redact_options o;
    piiscan_redact_ops ops;
    void *ud;
    const pii_policy *pol;
    const pii_keyring *kr;        /* NULL: no key */
    bool ops_ahead;               /* the workers make the replacements (prepare.c): only when the
                                   * policy has a keyed operator (hash, encrypt, fpe); with masks
                                   * alone, making the finding's text and context twice costs more.
                                   * (Which operator a finding gets depends on its context, so
                                   * with one keyed operator the workers make all of them.) */
    pii_src_limits lim;           /* o.limits, in the containers' form */
    piiscan_pipeline *pl;         /* windows of each stream over o.threads */
    const char *path;             /* the stream being copied: findings name it */
    char failmsg[256];            /* why the last copy failed */
    unsigned walkers;             /* read-ahead threads to start at the first container (0: none) */
    pii_prefetch *pf;             /* started at the first container, with walkers */
    pii_order *q;                 /* inputs waiting for their turn behind those read ahead */
    size_t entry_size;            /* bytes of one of q's entries, the caller's tag included */
    unsigned char *scratch;       /* an entry being made (entry_size bytes) */
};

/* An input file as its turn finds it: opened ahead of its turn or not,
 * read ahead by a walker or not. */
typedef struct pii_redact_input {
    bool opened;                  /* fd and err hold what open() gave */
    int fd, err;
    pii_pf_item *item;            /* its stream, read ahead by a walker (which owns a descriptor of its own) */
} pii_redact_input;

/* redact.c */
enum pii_head_kind { PII_HEAD_PLAIN, PII_HEAD_CONTAINER };
/* What the input on fd is, from one read of its head. */
enum pii_head_kind pii_redact_head_kind(int fd, const char *path);
/* Open path into in (read-only, never a controlling terminal); in->fd. */
int pii_redact_open(const char *path, pii_redact_input *in);
/* An input whose turn came to nothing: its walk stopped, its file closed. */
void pii_redact_drop(pii_redact_input *in);
/* path's turn: through the caller's begin, open and end. */
void pii_redact_turn(piiscan_redactor *rd, const char *path, void *tag, pii_redact_input *in);

/* redact_inputs.c */
/* The ordered queue and, with two threads or more, walkers to start at the
 * first container; -1 when out of memory. */
int pii_redact_inputs_init(piiscan_redactor *rd);
void pii_redact_inputs_free(piiscan_redactor *rd);

/* redact_stream.c */
/* Copy the stream rd to out through the operators (or reveal); 0, or -1
 * with rd->failmsg. */
int pii_redact_stream(piiscan_redactor *r, piiscan_read_fn rd, void *rud, FILE *out);
/* The same from a file descriptor. */
int pii_redact_fd(piiscan_redactor *r, int fd, FILE *out);
/* A container written back in its own format (from what a walker read
 * ahead, if item, which it frees), or, when it cannot be and unpack_dir
 * is given, unpacked redacted there.  0, or -1 (said). */
int pii_redact_container(piiscan_redactor *r, const char *path, int fd, pii_pf_item *item, FILE *out,
                         const char *unpack_dir);
/* Messages of a container's members, as the caller's message. */
void pii_redact_member_msg(void *ud, const char *vpath, const char *msg, int is_error);

/* The pipeline's note on a stream (text read as GBK or UTF-16), told as
 * a message on the input being redacted. */
void pii_redact_note(void *ud, const char *msg);
/* The stream's input paused (piiscan_scan_options.paused): flush its copy. */
void pii_redact_paused(void *ud);

#endif
