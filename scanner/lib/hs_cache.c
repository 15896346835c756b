/*
 * hs_cache.c -- keep the compiled Hyperscan database between runs.
 *
 * Compiling the detector database (thousands of division names, keys and
 * hotwords) costs about 0.1 s, more than scanning a typical log file;
 * deserialising it costs well under a millisecond.  The cache file is named
 * by an XXH3 hash of the Hyperscan version and of every pattern, flag and
 * id, so any change of rules or library gives a new name.  A file that does
 * not load (other CPU features, other library, damage) is simply recompiled
 * over.  Every failure here is silent: the cache is only an optimisation,
 * and the start-up self-test still checks whatever database is used.
 *
 * Location: $PIISCAN_CACHE_DIR, else $XDG_CACHE_HOME/piiscan, else
 * $HOME/.cache/piiscan; PIISCAN_CACHE_DIR set to "" disables the cache.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "hs_cache.h"

static int cache_dir(char *out, size_t cap)
{
    const char *d = getenv("PIISCAN_CACHE_DIR");
    if (d)
        return *d && (size_t)snprintf(out, cap, "%s", d) < cap ? 0 : -1;
    const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
    int n = x && *x ? snprintf(out, cap, "%s/piiscan", x) : h && *h ? snprintf(out, cap, "%s/.cache/piiscan", h) : -1;
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

uint64_t pii_hs_cache_key(const char *const *pat, const unsigned *flags, size_t n)
{
    XXH3_state_t *st = XXH3_createState();
    if (!st)
        return 0;
    XXH3_64bits_reset(st);
    const char *v = hs_version();
    XXH3_64bits_update(st, v, strlen(v) + 1);
    for (size_t i = 0; i < n; i++) {
        XXH3_64bits_update(st, pat[i], strlen(pat[i]) + 1);
        XXH3_64bits_update(st, &flags[i], sizeof flags[i]);
    }
    uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
}

static int cache_path(uint64_t key, char *out, size_t cap)
{
    char dir[4096];
    if (!key || cache_dir(dir, sizeof dir) < 0)
        return -1;
    int n = snprintf(out, cap, "%s/hs-%016llx.db", dir, (unsigned long long)key);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

hs_database_t *pii_hs_cache_load(uint64_t key)
{
    char path[4200];
    if (cache_path(key, path, sizeof path) < 0)
        return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0)
        return NULL;
    hs_database_t *db = NULL;
    char *buf = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() && st.st_size > 0 &&
        st.st_size < (64 << 20) && (buf = malloc((size_t)st.st_size)) != NULL &&
        read(fd, buf, (size_t)st.st_size) == st.st_size &&
        hs_deserialize_database(buf, (size_t)st.st_size, &db) != HS_SUCCESS)
        db = NULL;
    free(buf);
    close(fd);
    return db;
}

void pii_hs_cache_store(uint64_t key, const hs_database_t *db)
{
    char path[4200], dir[4096], tmp[4300];
    if (cache_path(key, path, sizeof path) < 0 || cache_dir(dir, sizeof dir) < 0)
        return;
    /* mkdir -p, private: the database reveals nothing, but nobody else
     * should be able to plant one. */
    for (char *s = strchr(dir + 1, '/');; s = strchr(s + 1, '/')) {
        if (s)
            *s = 0;
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
            return;
        if (!s)
            break;
        *s = '/';
    }
    char *bytes = NULL;
    size_t len = 0;
    if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS)
        return;
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        bool ok = write(fd, bytes, len) == (ssize_t)len;
        ok = close(fd) == 0 && ok;
        if (!ok || rename(tmp, path) != 0)
            unlink(tmp);
    }
    free(bytes);
}
