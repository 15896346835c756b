/*
 * walk.h -- expand command-line paths into the regular files to scan.
 *
 * Directories are walked recursively in byte order of names (stable output
 * across runs and machines); symbolic links met inside a directory are not
 * followed (loops, and links out of the audited tree), links named on the
 * command line are.  Everything that is not a regular file or directory is
 * reported, never opened (opening a FIFO would block the whole run).
 */
#ifndef PIISCAN_CLI_WALK_H
#define PIISCAN_CLI_WALK_H

#include <stdbool.h>
#include <sys/stat.h>

#include "out_guard.h"
#include "walk_glob.h"

typedef struct walk_ops {
    /* A regular file to scan; return non-zero to stop the walk.  st is
     * NULL for a file met in a directory when !stat_files. */
    int (*file)(void *ud, const char *path, const struct stat *st);
    /* Could not be scanned: counts as an error. */
    void (*error)(void *ud, const char *path, const char *msg);
    /* Worth telling, not an error. */
    void (*note)(void *ud, const char *path, const char *msg);
    /* false: a directory entry whose type says regular file is handed to
     * file() without an lstat (a system call per file); the type of the
     * others is still checked. */
    bool stat_files;
    /* --include / --exclude for entries met in directories; NULL: none. */
    const walk_globs *globs;
    /* This run's outputs: a file met in a directory that is one of them
     * or their temporary files is skipped with a note (a run must not
     * read its own report); NULL: none. */
    const out_guard *outputs;
} walk_ops;

/* Returns non-zero if a callback stopped the walk. */
int walk_path(const char *path, const walk_ops *ops, void *ud);

#endif
