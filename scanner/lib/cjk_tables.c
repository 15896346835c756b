/*
 * cjk_tables.c -- the division-name and surname tables behind CN_ADDRESS and
 * PERSON_NAME, parsed once per ruleset from the embedded data files
 * (patterns/data/cn_divisions.tsv, cn_surnames.tsv).
 *
 * Division names go into an open-addressing hash so that a chain like
 * 广东省深圳市南山区 can be walked name by name without Hyperscan (the
 * decoded \uXXXX path has no Hyperscan hits); each name keeps every code it
 * can stand for, which is what the hierarchy check compares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cjk_int.h"

extern const unsigned char pii_embed_cn_divisions[];
extern const size_t pii_embed_cn_divisions_len;
extern const unsigned char pii_embed_cn_surnames[];
extern const size_t pii_embed_cn_surnames_len;

static uint32_t fnv(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

long pii_cjk_lookup(const pii_cjk *t, const uint8_t *p, size_t n)
{
    size_t mask = t->nslot - 1;
    for (size_t h = fnv(p, n) & mask;; h = (h + 1) & mask) {
        uint32_t s = t->slot[h];
        if (!s)
            return -1;
        const pii_cjk_name *nm = &t->names[s - 1];
        if (nm->len == n && memcmp(nm->s, p, n) == 0)
            return (long)(s - 1);
    }
}

size_t pii_cjk_longest_name(const pii_cjk *t, const uint8_t *p, size_t i, size_t lim, long *idx)
{
    size_t n = 0;
    while (n < t->max_name && pii_han_at(p, i + n, lim))
        n += 3;
    for (; n >= 6; n -= 3) {
        long k = pii_cjk_lookup(t, p + i, n);
        if (k >= 0) {
            *idx = k;
            return n;
        }
    }
    return 0;
}

size_t pii_cjk_word_at(const uint8_t *p, size_t i, size_t n, const char *const *words)
{
    for (; *words; words++) {
        size_t l = strlen(*words);
        if (pii_at(p, i, n, *words, l))
            return l;
    }
    return 0;
}

int pii_cjk_surname(const pii_cjk *t, uint32_t cp)
{
    if (cp < 0x3400 || cp >= 0xA000)
        return PII_SURNAME_NONE;
    uint32_t k = cp - 0x3400;
    return (t->surname[k >> 2] >> ((k & 3) * 2)) & 3;
}

bool pii_cjk_compound(const pii_cjk *t, uint32_t a, uint32_t b)
{
    for (size_t i = 0; i < t->ncompound; i++)
        if (t->compound[i][0] == a && t->compound[i][1] == b)
            return true;
    return false;
}

/* ---- loading ---- */

typedef struct line_iter {
    const char *p, *end;
    int no;
} line_iter;

/* Next non-comment line as [*s, *e); false at the end. */
static bool next_line(line_iter *it, const char **s, const char **e)
{
    while (it->p < it->end) {
        const char *a = it->p, *nl = memchr(a, '\n', (size_t)(it->end - a));
        const char *b = nl ? nl : it->end;
        it->p = nl ? nl + 1 : it->end;
        it->no++;
        if (b > a && b[-1] == '\r')
            b--;
        if (b == a || *a == '#')
            continue;
        *s = a;
        *e = b;
        return true;
    }
    return false;
}

static int add_name(pii_cjk *t, const char *s, size_t n, uint32_t code, size_t *pool_off)
{
    long k = pii_cjk_lookup(t, (const uint8_t *)s, n);
    if (k < 0) {
        size_t mask = t->nslot - 1, h = fnv((const uint8_t *)s, n) & mask;
        while (t->slot[h])
            h = (h + 1) & mask;
        pii_cjk_name *nm = &t->names[t->nnames];
        memcpy(t->pool + *pool_off, s, n);
        t->pool[*pool_off + n] = 0;
        *nm = (pii_cjk_name){ t->pool + *pool_off, (uint32_t)n, 0, 0 };
        *pool_off += n + 1;
        t->slot[h] = (uint32_t)++t->nnames;
        k = (long)(t->nnames - 1);
        if (n > t->max_name)
            t->max_name = n;
    }
    t->codes[t->ncodes++] = code;
    return (int)k;
}

static bool all_han(const char *s, size_t n)
{
    if (n < 6 || n % 3)
        return false;
    for (size_t i = 0; i < n; i += 3)
        if (!pii_han_at((const uint8_t *)s, i, n))
            return false;
    return true;
}

/* Rows are grouped by name after loading: codes of one name must be
 * contiguous, so rows are read twice (count, then place). */
static int load_divisions(pii_cjk *t, char *err, size_t errlen)
{
    const char *text = (const char *)pii_embed_cn_divisions;
    size_t rows = 0, bytes = pii_embed_cn_divisions_len;
    line_iter it = { text, text + bytes, 0 };
    const char *s, *e;
    while (next_line(&it, &s, &e))
        rows++;
    if (rows == 0)
        rows = 1;   /* an empty table still gets valid (unused) arrays */
    t->nslot = 1;
    while (t->nslot < 4 * rows)
        t->nslot <<= 1;
    t->pool = malloc(bytes + 2 * rows);
    t->names = calloc(2 * rows, sizeof *t->names);
    t->codes = calloc(2 * rows, sizeof *t->codes);
    t->slot = calloc(t->nslot, sizeof *t->slot);
    uint32_t *rowcode = calloc(2 * rows, sizeof *rowcode);
    int *rowname = calloc(2 * rows, sizeof *rowname);
    if (!t->pool || !t->names || !t->codes || !t->slot || !rowcode || !rowname) {
        free(rowcode);
        free(rowname);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* First pass: names into the hash, one (name, code) pair per form. */
    size_t pool_off = 0, npairs = 0;
    it = (line_iter){ text, text + bytes, 0 };
    while (next_line(&it, &s, &e)) {
        const char *t1 = memchr(s, '\t', (size_t)(e - s));
        const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(e - t1 - 1)) : NULL;
        char *end;
        unsigned long code = strtoul(s, &end, 10);
        if (!t1 || !t2 || end != t1 || t1 - s != 6 || code < 110000 || code > 829999 ||
            !all_han(t1 + 1, (size_t)(t2 - t1 - 1)) || (t2 + 1 < e && !all_han(t2 + 1, (size_t)(e - t2 - 1)))) {
            snprintf(err, errlen, "cn_divisions.tsv line %d: malformed row", it.no);
            free(rowcode);
            free(rowname);
            return -1;
        }
        rowcode[npairs] = (uint32_t)code;
        rowname[npairs++] = add_name(t, t1 + 1, (size_t)(t2 - t1 - 1), (uint32_t)code, &pool_off);
        if (t2 + 1 < e) {
            rowcode[npairs] = (uint32_t)code;
            rowname[npairs++] = add_name(t, t2 + 1, (size_t)(e - t2 - 1), (uint32_t)code, &pool_off);
        }
    }
    /* Second pass: lay the codes out contiguously per name. */
    for (size_t i = 0; i < npairs; i++)
        t->names[rowname[i]].ncodes++;
    uint32_t off = 0;
    for (size_t k = 0; k < t->nnames; k++) {
        t->names[k].first = off;
        off += t->names[k].ncodes;
        t->names[k].ncodes = 0;
    }
    for (size_t i = 0; i < npairs; i++) {
        pii_cjk_name *nm = &t->names[rowname[i]];
        t->codes[nm->first + nm->ncodes++] = rowcode[i];
    }
    free(rowcode);
    free(rowname);
    return 0;
}

static int load_surnames(pii_cjk *t, char *err, size_t errlen)
{
    const char *text = (const char *)pii_embed_cn_surnames;
    line_iter it = { text, text + pii_embed_cn_surnames_len, 0 };
    const char *s, *e;
    while (next_line(&it, &s, &e)) {
        const char *tab = memchr(s, '\t', (size_t)(e - s));
        size_t n = tab ? (size_t)(tab - s) : (size_t)(e - s);
        const char *cls = tab ? tab + 1 : e;
        size_t cl = (size_t)(e - cls);
        const uint8_t *u = (const uint8_t *)s;
        if (n == 3 && pii_han_at(u, 0, 3) && (cl == 0 || (cl == 3 && !memcmp(cls, "top", 3)))) {
            uint32_t k = pii_han_at(u, 0, 3) - 0x3400;
            int v = cl ? PII_SURNAME_TOP : PII_SURNAME_RARE;
            t->surname[k >> 2] = (uint8_t)((t->surname[k >> 2] & ~(3u << ((k & 3) * 2))) | ((unsigned)v << ((k & 3) * 2)));
        } else if (n == 6 && all_han(s, 6) && cl == 8 && !memcmp(cls, "compound", 8) &&
                   t->ncompound < sizeof t->compound / sizeof t->compound[0]) {
            t->compound[t->ncompound][0] = pii_han_at(u, 0, 6);
            t->compound[t->ncompound++][1] = pii_han_at(u, 3, 6);
        } else {
            snprintf(err, errlen, "cn_surnames.tsv line %d: malformed row", it.no);
            return -1;
        }
    }
    return 0;
}

void pii_cjk_tables_free(pii_cjk *t)
{
    if (!t)
        return;
    free(t->pool);
    free(t->names);
    free(t->codes);
    free(t->slot);
    free(t);
}

int pii_cjk_tables_new(pii_cjk **out, char *err, size_t errlen)
{
    pii_cjk *t = calloc(1, sizeof *t);
    *out = NULL;
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (load_divisions(t, err, errlen) < 0 || load_surnames(t, err, errlen) < 0) {
        pii_cjk_tables_free(t);
        return -1;
    }
    *out = t;
    return 0;
}
