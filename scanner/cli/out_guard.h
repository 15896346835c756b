/*
 * out_guard.h -- no output of a run may replace a file the run reads.
 *
 * scan and redact both write files named on the command line (-o, --report,
 * --incremental) next to files they read (the PATH arguments, --key-file,
 * --policy).  An output that is one of those files would be replaced by a
 * report and the original lost, so such a run is refused before anything is
 * opened for writing.  "The same file" is decided by device and inode for
 * files that exist (links and other spellings of a path included), and by
 * the resolved parent directory plus the name for an output not yet made.
 *
 * An output that does not exist yet but lies inside a directory to be
 * walked (scan -o dir/report.jsonl dir) is allowed: the walker skips it and
 * the temporary file it is written through (out_guard_skip).
 *
 * redact also claims every copy it writes (out_guard_claim): two inputs
 * that map to the same copy would otherwise leave only the last one.
 */
#ifndef PIISCAN_CLI_OUT_GUARD_H
#define PIISCAN_CLI_OUT_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* One file named on the command line, as far as it can be resolved. */
typedef struct og_file {
    const char *opt;       /* how it was named: "-o", "--key-file", "PATH"... */
    const char *path;      /* as given */
    bool exists;           /* stat() succeeded (links followed) */
    mode_t mode;
    dev_t dev;
    ino_t ino;
    char *real;            /* realpath, or realpath(parent)/name; NULL if neither resolves */
} og_file;

/* Resolve path into f (which owns f->real afterwards).  -1: out of memory. */
int og_file_init(og_file *f, const char *opt, const char *path);
void og_file_free(og_file *f);
/* a and b are the same file, or would be once the missing one is made. */
bool og_same(const og_file *a, const og_file *b);

typedef struct og_claim og_claim;

typedef struct out_guard {
    og_file *outs;         /* outputs */
    size_t nouts;
    og_file *ins;          /* files read: PATH arguments, key, policy */
    size_t nins;
    struct { dev_t dev; ino_t ino; } open[4];   /* temporary files of outputs being written */
    size_t nopen;
    og_claim **claims;     /* redact's copies: hash table of the real destination paths */
    size_t nclaims, capclaims;
    bool oom;              /* a registration failed: out_guard_check refuses */
} out_guard;

/* Register files (a NULL path is ignored; "-" is standard input or output,
 * never a file). */
void out_guard_output(out_guard *g, const char *opt, const char *path);
void out_guard_input(out_guard *g, const char *opt, const char *path);

/* With the npaths PATH arguments registered as inputs: 0 when no output
 * is an input or another output; else -1 after "piiscan: OUTPUT: ..."
 * naming both files (or "out of memory") on stderr. */
int out_guard_check(out_guard *g, int npaths, char *const *paths);

/* fd is an output's temporary file, open while the inputs are walked. */
void out_guard_opened(out_guard *g, int fd);

/* A file met in a walked directory (st NULL when the walk did not stat it)
 * is one of this run's outputs or their temporary files: not to be read. */
bool out_guard_skip(const out_guard *g, const char *path, const struct stat *st);

/* redact: the copy at real (its resolved path) is to be written from
 * input.  0: first claim; 1: input already wrote it (the same file, by
 * device and inode); -1: another input did (*other names it), or out of
 * memory (*other NULL). */
int out_guard_claim(out_guard *g, const char *real, const char *input, const struct stat *st, const char **other);

void out_guard_free(out_guard *g);

#endif
