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

#include <sys/stat.h>

typedef struct walk_ops {
    /* A regular file to scan; return non-zero to stop the walk. */
    int (*file)(void *ud, const char *path, const struct stat *st);
    /* Could not be scanned: counts as an error. */
    void (*error)(void *ud, const char *path, const char *msg);
    /* Worth telling, not an error. */
    void (*note)(void *ud, const char *path, const char *msg);
} walk_ops;

/* Returns non-zero if a callback stopped the walk. */
int walk_path(const char *path, const walk_ops *ops, void *ud);

#endif
