/* out_guard.c -- outputs that would replace inputs; see out_guard.h. */
#include "out_guard.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* realpath of the parent plus the name: where a file not yet made will be.
 * NULL when the parent cannot be resolved (then opening it fails anyway). */
/* Where a file not made yet will be: the resolved parent plus its name. */
static char *future_real(const char *path)
{
    char real[PATH_MAX];
    return cli_future_realpath(path, real) == 0 ? strdup(real) : NULL;
}

int og_file_init(og_file *f, const char *opt, const char *path)
{
    struct stat st;
    memset(f, 0, sizeof *f);
    f->opt = opt;
    f->path = path;
    if (stat(path, &st) == 0) {
        f->exists = true;
        f->mode = st.st_mode;
        f->dev = st.st_dev;
        f->ino = st.st_ino;
        f->real = realpath(path, NULL);
        if (!f->real && errno == ENOMEM)
            return -1;
        return 0;
    }
    errno = 0;
    f->real = future_real(path);
    return !f->real && errno == ENOMEM ? -1 : 0;
}

void og_file_free(og_file *f)
{
    free(f->real);
    f->real = NULL;
}

bool og_same(const og_file *a, const og_file *b)
{
    if (a->exists || b->exists)
        return a->exists && b->exists && a->dev == b->dev && a->ino == b->ino;
    return a->real && b->real && !strcmp(a->real, b->real);
}

static void add(out_guard *g, og_file **v, size_t *n, const char *opt, const char *path)
{
    if (!path || !strcmp(path, "-"))
        return;
    og_file *nv = realloc(*v, (*n + 1) * sizeof **v);
    if (!nv) {
        g->oom = true;
        return;
    }
    *v = nv;
    if (og_file_init(&nv[*n], opt, path) < 0) {
        og_file_free(&nv[*n]);
        g->oom = true;
        return;
    }
    (*n)++;
}

void out_guard_output(out_guard *g, const char *opt, const char *path) { add(g, &g->outs, &g->nouts, opt, path); }
void out_guard_input(out_guard *g, const char *opt, const char *path) { add(g, &g->ins, &g->nins, opt, path); }

/* A device, FIFO or socket is written in place (outfile.h): /dev/null as
 * two outputs, or /dev/stdout, replaces nothing. */
static bool replaceable(const og_file *f) { return !f->exists || S_ISREG(f->mode); }

static int refuse(const og_file *out, const char *what, const og_file *other)
{
    char msg[PATH_MAX + 200];
    snprintf(msg, sizeof msg, "the %s file %s %s (%s); refusing to run, nothing written", out->opt, what,
             other->path, other->opt);
    cli_say(out->path, "%s", msg);
    return -1;
}

int out_guard_check(out_guard *g, int npaths, char *const *paths)
{
    for (int i = 0; i < npaths; i++)
        out_guard_input(g, "PATH", paths[i]);
    if (g->oom) {
        fprintf(stderr, "piiscan: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < g->nouts; i++) {
        const og_file *o = &g->outs[i];
        if (!replaceable(o))
            continue;
        for (size_t j = 0; j < i; j++)
            if (og_same(o, &g->outs[j]))
                return refuse(o, "is also the output", &g->outs[j]);
        for (size_t j = 0; j < g->nins; j++) {
            const og_file *in = &g->ins[j];
            /* An output inside a walked directory (`scan -o piiscan.sarif
             * .`, run every night) is not refused: the user named it as
             * the output, and the walk skips it and its temporary file
             * (out_guard_skip), so it is never read as an input. */
            if (og_same(o, in))
                return refuse(o, "is the input", in);
        }
    }
    return 0;
}

void out_guard_opened(out_guard *g, int fd)
{
    struct stat st;
    if (g->nopen < sizeof g->open / sizeof g->open[0] && fstat(fd, &st) == 0) {
        g->open[g->nopen].dev = st.st_dev;
        g->open[g->nopen].ino = st.st_ino;
        g->nopen++;
    }
}

bool out_guard_skip(const out_guard *g, const char *path, const struct stat *st)
{
    if (!g || (!g->nouts && !g->nopen))
        return false;
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    /* Only a name that starts like an output's (the output, or its
     * NAME.tmp.XXXXXX) is worth a system call when the walk made none. */
    struct stat own;
    if (!st) {
        bool like = false;
        for (size_t i = 0; i < g->nouts && !like; i++) {
            const char *on = strrchr(g->outs[i].path, '/');
            on = on ? on + 1 : g->outs[i].path;
            like = !strncmp(name, on, strlen(on));
        }
        if (!like || lstat(path, &own) < 0)
            return false;
        st = &own;
    }
    for (size_t i = 0; i < g->nouts; i++)
        if (g->outs[i].exists && g->outs[i].dev == st->st_dev && g->outs[i].ino == st->st_ino)
            return true;
    for (size_t i = 0; i < g->nopen; i++)
        if (g->open[i].dev == st->st_dev && g->open[i].ino == st->st_ino)
            return true;
    return false;
}

struct og_claim {
    char *real;
    char *input;
    dev_t dev;
    ino_t ino;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static og_claim **slot(og_claim **tab, size_t cap, const char *real)
{
    size_t i = (size_t)hash_str(real) & (cap - 1);
    while (tab[i] && strcmp(tab[i]->real, real) != 0)
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

static int grow(out_guard *g)
{
    size_t cap = g->capclaims ? g->capclaims * 2 : 64;
    og_claim **tab = calloc(cap, sizeof *tab);
    if (!tab)
        return -1;
    for (size_t i = 0; i < g->capclaims; i++)
        if (g->claims[i])
            *slot(tab, cap, g->claims[i]->real) = g->claims[i];
    free(g->claims);
    g->claims = tab;
    g->capclaims = cap;
    return 0;
}

int out_guard_claim(out_guard *g, const char *real, const char *input, const struct stat *st, const char **other)
{
    *other = NULL;
    /* A table at most half full keeps the probe sequences short. */
    if ((g->nclaims + 1) * 2 > g->capclaims && grow(g) < 0)
        return -1;
    og_claim **s = slot(g->claims, g->capclaims, real);
    if (*s) {
        if ((*s)->dev == st->st_dev && (*s)->ino == st->st_ino)
            return 1;
        *other = (*s)->input;
        return -1;
    }
    og_claim *c = calloc(1, sizeof *c);
    if (!c || !(c->real = strdup(real)) || !(c->input = strdup(input))) {
        if (c)
            free(c->real);
        free(c);   /* c->input was the last to fail */
        return -1;
    }
    c->dev = st->st_dev;
    c->ino = st->st_ino;
    *s = c;
    g->nclaims++;
    return 0;
}

void out_guard_free(out_guard *g)
{
    for (size_t i = 0; i < g->nouts; i++)
        og_file_free(&g->outs[i]);
    for (size_t i = 0; i < g->nins; i++)
        og_file_free(&g->ins[i]);
    for (size_t i = 0; i < g->capclaims; i++) {
        if (g->claims[i]) {
            free(g->claims[i]->real);
            free(g->claims[i]->input);
            free(g->claims[i]);
        }
    }
    free(g->outs);
    free(g->ins);
    free(g->claims);
    memset(g, 0, sizeof *g);
}
