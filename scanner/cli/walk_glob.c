/*
 * walk_glob.c -- --include / --exclude patterns (semantics in walk_glob.h).
 *
 * fnmatch(3) does the matching: its rules are the shell's, which is what
 * users type, and it is well tested.  FNM_PATHNAME only for patterns with a
 * '/', so that "*.log" matches a name at any depth while "nginx" followed
 * by "/" and "*.gz" names the files directly in nginx, not in nginx/old.
 */
#include "walk_glob.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int walk_globs_add(walk_globs *g, bool include, const char *pattern, char *err, size_t errlen)
{
    size_t n = strlen(pattern);
    bool dirs_only = false;
    while (n > 0 && pattern[n - 1] == '/') {
        dirs_only = true;
        n--;
    }
    if (n == 0) {
        snprintf(err, errlen, "--%s: empty pattern '%s'", include ? "include" : "exclude", pattern);
        return -1;
    }
    if (include && dirs_only) {
        /* Directories are always entered, so such an include would keep
         * no file at all. */
        snprintf(err, errlen, "--include: '%s' matches directories only; to keep the files below one, write '%.*s/*'",
                 pattern, (int)n, pattern);
        return -1;
    }
    walk_glob **v = include ? &g->inc : &g->exc;
    size_t *cnt = include ? &g->ninc : &g->nexc;
    walk_glob *nv = realloc(*v, (*cnt + 1) * sizeof *nv);
    char *copy = strndup(pattern, n);
    if (!nv || !copy) {
        free(copy);
        if (nv)
            *v = nv;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* A leading "./" means "below the named directory", as in find(1). */
    const char *pat = copy;
    while (strncmp(pat, "./", 2) == 0)
        pat += 2;
    memmove(copy, pat, strlen(pat) + 1);
    nv[*cnt] = (walk_glob){ copy, dirs_only, strchr(copy, '/') != NULL };
    *v = nv;
    ++*cnt;
    return 0;
}

void walk_globs_free(walk_globs *g)
{
    for (size_t i = 0; i < g->ninc; i++)
        free((char *)g->inc[i].pat);
    for (size_t i = 0; i < g->nexc; i++)
        free((char *)g->exc[i].pat);
    free(g->inc);
    free(g->exc);
    *g = (walk_globs){ 0 };
}

static bool any_match(const walk_glob *v, size_t n, const char *rel, const char *name, bool is_dir)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i].dirs_only && !is_dir)
            continue;
        if (v[i].has_slash ? fnmatch(v[i].pat, rel, FNM_PATHNAME) == 0 : fnmatch(v[i].pat, name, 0) == 0)
            return true;
    }
    return false;
}

bool walk_globs_keep(const walk_globs *g, const char *rel, const char *name, bool is_dir)
{
    if (!g)
        return true;
    if (any_match(g->exc, g->nexc, rel, name, is_dir))
        return false;
    return is_dir || g->ninc == 0 || any_match(g->inc, g->ninc, rel, name, is_dir);
}
