/*
 * inc_cache.h -- `scan --incremental FILE`: remember which files a run
 * scanned completely, so that the next run skips those that have not
 * changed since.
 *
 * "Unchanged" is decided from lstat/stat alone, as make and git do: same
 * size, modification time, status-change time and inode (all in
 * nanoseconds where the file system has them).  Hashing the contents would
 * mean reading every byte again, which is most of what a scan costs.  A
 * file rewritten in place keeps its inode but gets a new mtime and ctime;
 * a rotated log (renamed) gets a new ctime: both are scanned again.  A
 * file changed less than two seconds before it was scanned is not recorded
 * (file times advance in clock ticks, so a second change within the same
 * tick would go unseen).
 *
 * The cache is only as good as the run that wrote it, so a file is recorded
 * only when it was scanned without any error (an archive: with no error in
 * any member), and the cache is replaced (temporary file, fsync, rename)
 * only after the report is complete.  Files the run did not meet are
 * dropped from it.  The first line carries an identity of what decides
 * findings (piiscan's version and detector table, --types,
 * --min-confidence); when that differs, everything is scanned again.
 */
#ifndef PIISCAN_CLI_INC_CACHE_H
#define PIISCAN_CLI_INC_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

typedef struct inc_cache inc_cache;

/* Read the cache at path (a missing file is an empty cache).  -1 with a
 * message in err when the file cannot be read or is not a cache written by
 * piiscan.  *reset: the file was made under another identity and is
 * ignored. */
int inc_cache_open(inc_cache **out, const char *path, uint64_t identity, bool *reset, char *err, size_t errlen);

/* path has the same size, times and inode as when it was last scanned:
 * it is carried over into the new cache and need not be scanned. */
bool inc_cache_unchanged(inc_cache *c, const char *path, const struct stat *st);

/* path has the same size, times and inode as recorded, but is not carried
 * over (the caller decides with other files, and then calls
 * inc_cache_unchanged). */
bool inc_cache_known(const inc_cache *c, const char *path, const struct stat *st);

/* path is recorded at all, whatever its state now, even in a cache made
 * under another identity (an earlier run wrote it). */
bool inc_cache_has(const inc_cache *c, const char *path);

/* path is a file this run wrote (redact's copy), st taken after it was
 * complete: recorded as it is, with no "changed just now" rule (nobody
 * else writes it). -1: out of memory. */
int inc_cache_wrote(inc_cache *c, const char *path, const struct stat *st);

/* path is about to be scanned, st taken before it was opened (a change
 * during the scan then shows next time).  -1: out of memory. */
int inc_cache_scanning(inc_cache *c, const char *path, const struct stat *st);

/* An error was reported for path, or for a member path!/... of it: the
 * file it belongs to is not recorded.  Thread-safe (errors are delivered
 * by the pipeline's threads). */
void inc_cache_failed(inc_cache *c, const char *path);

/* Write the new cache in place of the old one.  -1 with errno set. */
int inc_cache_commit(inc_cache *c);

/* Number of files carried over unchanged. */
size_t inc_cache_skipped(const inc_cache *c);

/* inc_cache_open and inc_cache_commit as the commands use them: an error
 * printed as "piiscan: FILE: ...", and notes (a reset cache, how many
 * files were skipped) unless quiet; verb says what is not done again
 * ("scanned").  0 or -1. */
int inc_cache_start(inc_cache **out, const char *file, uint64_t identity, bool quiet, const char *verb);
int inc_cache_finish(inc_cache *c, bool quiet, const char *verb);

void inc_cache_free(inc_cache *c);

#endif
