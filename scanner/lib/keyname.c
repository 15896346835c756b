/*
 * keyname.c -- the key-literal rule shared by inline keys and column names
 * (see keyname.h).  Inline keys get their literal positions from the
 * Hyperscan pass; a column name is classified once, when the column is
 * first seen, by trying every key literal of the table on it.
 */
#include "keyname.h"

#include <stdlib.h>
#include <string.h>

static bool lower(uint8_t b) { return b >= 'a' && b <= 'z'; }
static bool upper(uint8_t b) { return b >= 'A' && b <= 'Z'; }

bool pii_key_left_edge(const uint8_t *p, size_t st, size_t lim)
{
    return st == lim || !pii_is_alnum(p[st - 1]) || (lower(p[st - 1]) && upper(p[st]));
}

bool pii_key_right_edge(const uint8_t *p, size_t en, size_t lim)
{
    return en == lim || !pii_is_alpha(p[en]) || (upper(p[en]) && lower(p[en - 1]));
}

int pii_key_literal_fit(const pii_hs_expr *e, const uint8_t *p, size_t ks, size_t ke, size_t st, size_t en)
{
    if (!e->ascii)
        return PII_KEYFIT_PART;
    bool l = pii_key_left_edge(p, st, ks), r = pii_key_right_edge(p, en, ke);
    if (l && r)
        return PII_KEYFIT_WHOLE;
    return (e->len > 3 && (l || r)) ? PII_KEYFIT_PART : PII_KEYFIT_NO;
}

static uint8_t fold(uint8_t b) { return upper(b) ? (uint8_t)(b | 0x20) : b; }

static bool eq_fold(const uint8_t *a, const char *lit, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fold(a[i]) != fold((uint8_t)lit[i]))
            return false;
    return true;
}

/* A literal may name the key at more than one place ("phone_phone2"); the
 * masks are unions over every literal and place, so the order of the work
 * does not matter.  Names are tried place by place against only the
 * literals that start with the byte found there: with every column of
 * every file classified once (20,000 small JSON files make 300,000 names),
 * going through all ~3,600 expressions for each was a sixth of the run. */
void pii_key_classify(const struct piiscan_ruleset *rs, const uint8_t *name, size_t len, uint32_t *keymask,
                      uint32_t *wholemask)
{
    *keymask = *wholemask = 0;
    if (!rs->keylit)
        return;
    for (size_t st = 0; st < len; st++) {
        uint8_t b = fold(name[st]);
        for (uint32_t j = rs->keylit_at[b]; j < rs->keylit_at[b + 1]; j++) {
            const pii_hs_expr *e = &rs->expr[rs->keylit[j]];
            if (e->len > len - st || (*wholemask & e->keymask) == e->keymask)
                continue;   /* does not fit, or nothing left to learn from it */
            if (!eq_fold(name + st, e->text, e->len))
                continue;
            int fit = pii_key_literal_fit(e, name, 0, len, st, st + e->len);
            if (fit != PII_KEYFIT_NO)
                *keymask |= e->keymask;
            if (fit == PII_KEYFIT_WHOLE)
                *wholemask |= e->keymask;
        }
    }
}

static bool is_key_literal(const pii_hs_expr *e) { return e->kind == PII_HS_LITERAL && e->keymask && e->len > 0; }

int pii_key_index_build(struct piiscan_ruleset *rs)
{
    uint32_t count[257] = { 0 };
    for (size_t k = 0; k < rs->nexpr; k++)
        if (is_key_literal(&rs->expr[k]))
            count[fold((uint8_t)rs->expr[k].text[0]) + 1]++;
    for (int b = 1; b <= 256; b++)
        count[b] += count[b - 1];
    memcpy(rs->keylit_at, count, sizeof count);
    free(rs->keylit);
    if (!(rs->keylit = malloc((count[256] ? count[256] : 1) * sizeof *rs->keylit)))
        return -1;
    for (size_t k = 0; k < rs->nexpr; k++)
        if (is_key_literal(&rs->expr[k]))
            rs->keylit[count[fold((uint8_t)rs->expr[k].text[0])]++] = (uint32_t)k;
    return 0;
}
