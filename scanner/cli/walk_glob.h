/*
 * walk_glob.h -- --include / --exclude: which entries of a walked directory
 * are scanned.
 *
 * A GLOB without '/' is matched (fnmatch(3)) against the name of each file
 * and directory met while walking a directory, at any depth; a GLOB with
 * '/' against the entry's path below the directory named on the command
 * line, where '*', '?' and '[...]' do not match '/'.  A trailing '/' makes
 * an --exclude GLOB match directories only.  An excluded directory is not
 * entered.
 * With any --include, only files (and other non-directories) matching one
 * are kept; directories are always entered, or no file below could match.
 * Paths named on the command line are never filtered: naming a file is
 * asking for it.
 */
#ifndef PIISCAN_CLI_WALK_GLOB_H
#define PIISCAN_CLI_WALK_GLOB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct walk_glob {
    const char *pat;     /* as given, without a trailing '/' (copy owned) */
    bool dirs_only;      /* written with a trailing '/' */
    bool has_slash;      /* matched against the relative path, not the name */
} walk_glob;

typedef struct walk_globs {
    walk_glob *inc, *exc;
    size_t ninc, nexc;
} walk_globs;

/* Add a pattern; -1 with a message in err (an empty GLOB, an --include
 * of directories only) or on memory exhaustion. */
int walk_globs_add(walk_globs *g, bool include, const char *pattern, char *err, size_t errlen);
void walk_globs_free(walk_globs *g);

/* Is the entry called name, at path rel below the command-line directory,
 * to be visited?  g may be NULL (keep everything). */
bool walk_globs_keep(const walk_globs *g, const char *rel, const char *name, bool is_dir);

#endif
