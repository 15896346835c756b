/*
 * context.c -- does a candidate sit under a telling key, or near a hotword?
 *
 * Key form: walking back from the value over quotes and blanks must reach a
 * separator (= : ：), and the word before it (the key token, e.g. user_phone,
 * "手机号", deviceImei) must contain a key literal of the candidate's type
 * by the rule of keyname.h (whole components for short ASCII literals,
 * prefix or suffix components for longer ones), which column names follow
 * too.
 * Hotword: a hotword literal of the type ending at most 32 bytes before the
 * value, on the same line, for values that do not sit under a key at all.
 * Inside a CSV cell, a JSON or SQL string the hotword must be in the same
 * field: the neighbouring cell's words are about another value.
 * The literal positions come from the Hyperscan pass (hits, sorted by end).
 */
#include <string.h>

#include "engine_int.h"
#include "keyname.h"

#define HOTWORD_REACH 32
#define KEY_MAX 64

static bool key_ch(uint8_t b) { return pii_is_alnum(b) || b == '_' || b == '-' || b == '.' || b >= 0x80; }
static bool quote_or_blank(uint8_t b) { return b == '"' || b == '\'' || b == ' ' || b == '\t'; }

/* End of the key token before a value starting at s, or 0 if none. */
static size_t key_end(const uint8_t *p, size_t s)
{
    size_t i = s;
    for (int k = 0; k < 3 && i > 0 && (quote_or_blank(p[i - 1]) || p[i - 1] == '['); k++)
        i--;
    if (i >= 3 && p[i - 3] == 0xEF && p[i - 2] == 0xBC && p[i - 1] == 0x9A)
        i -= 3;   /* full-width colon */
    else if (i > 0 && (p[i - 1] == '=' || p[i - 1] == ':'))
        i--;
    else
        return 0;
    for (int k = 0; k < 3 && i > 0 && quote_or_blank(p[i - 1]); k++)
        i--;
    return (i > 0 && key_ch(p[i - 1])) ? i : 0;
}

/* Punctuation that ends a key written in Chinese: CJK symbols (U+3000-303F),
 * general punctuation (U+2000-206F) and full-width forms other than letters
 * and digits (U+FF00-FFEF). */
static bool cjk_punct(const uint8_t *c)
{
    if (c[0] == 0xE3 && c[1] == 0x80)
        return true;
    if (c[0] == 0xE2 && (c[1] == 0x80 || c[1] == 0x81))
        return true;
    if (c[0] == 0xEF && (c[1] >= 0xBC && c[1] <= 0xBF)) {
        bool digit = c[1] == 0xBC && c[2] >= 0x90 && c[2] <= 0x99;
        bool upper = c[1] == 0xBC && c[2] >= 0xA1 && c[2] <= 0xBA;
        bool lower = c[1] == 0xBD && c[2] >= 0x81 && c[2] <= 0x9A;
        return !(digit || upper || lower);
    }
    return false;
}

#define KEY_MAX_CJK 8   /* 手机号码, 收货人姓名; longer is a sentence, not a key */

static size_t key_start(const uint8_t *p, size_t k)
{
    size_t i = k;
    int cjk = 0;
    while (i > 0 && key_ch(p[i - 1]) && k - i < KEY_MAX) {
        if (p[i - 1] < 0x80) {
            i--;
            continue;
        }
        size_t j = i - 1;   /* find the lead byte of this character */
        while (j > 0 && (p[j] & 0xC0) == 0x80 && i - j < 4)
            j--;
        if ((p[j] & 0xC0) != 0xC0 || (i - j == 3 && cjk_punct(p + j)) || ++cjk > KEY_MAX_CJK)
            break;
        i = j;
    }
    /* Do not let a multi-byte character be cut in half. */
    while (i < k && (p[i] & 0xC0) == 0x80)
        i++;
    return i;
}

/* First hit with end > x. */
static size_t first_after(const pii_hit *h, size_t n, size_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (h[mid].end > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* 1: under a key of the candidate's type; 0: under some other key; -1: no key. */
/* The key token before a value and the types it is a key for; computed once
 * per start offset, shared by all candidates there (a UUID is a candidate
 * for four types). */
typedef struct key_info {
    uint32_t start;
    size_t k, ks;      /* k == 0: the value is under no key at all */
    uint32_t mask;
} key_info;

static void key_scan(const struct piiscan_ruleset *rs, const uint8_t *p, const pii_hit *h, size_t nh,
                     uint32_t start, key_info *ki)
{
    ki->start = start;
    ki->mask = 0;
    ki->k = key_end(p, start);
    if (!ki->k)
        return;
    size_t k = ki->k, ks = ki->ks = key_start(p, k);
    for (size_t i = first_after(h, nh, ks); i < nh && h[i].end <= k; i++) {
        const pii_hs_expr *e = &rs->expr[h[i].id];
        if (e->kind != PII_HS_LITERAL || !e->keymask || h[i].end < ks + e->len || (e->keymask & ~ki->mask) == 0)
            continue;
        if (pii_key_literal_fit(e, p, ks, k, h[i].end - e->len, h[i].end))
            ki->mask |= e->keymask;
    }
}

/* 1: under a key of the candidate's type; 0: under some other key; -1: no key. */
static int find_key(const key_info *ki, pii_cand *c)
{
    if (!ki->k)
        return -1;
    if (!(ki->mask & (1u << c->type)))
        return 0;
    c->ctx_kind = 1;
    c->ctx_lo = (uint32_t)ki->ks;
    c->ctx_hi = (uint32_t)ki->k;
    return 1;
}

static bool find_hotword(const struct piiscan_ruleset *rs, const uint8_t *p, size_t len, const pii_hit *h,
                         size_t nh, size_t floor, pii_cand *c)
{
    size_t s = c->start, from = s > HOTWORD_REACH ? s - HOTWORD_REACH : 0;
    if (from < floor)
        from = floor;
    uint32_t bit = 1u << c->type;
    size_t i = first_after(h, nh, from > 0 ? from - 1 : 0);
    for (; i < nh && h[i].end <= s; i++) {
        const pii_hs_expr *e = &rs->expr[h[i].id];
        if (e->kind != PII_HS_LITERAL || !(e->hotmask & bit) || h[i].end < floor + e->len)
            continue;
        size_t st = h[i].end - e->len, en = h[i].end;
        if (memchr(p + en, '\n', s - en))
            continue;
        if (e->ascii && !(pii_key_left_edge(p, st, 0) && (en == len || !pii_is_alpha(p[en]))))
            continue;
        c->ctx_kind = 2;
        c->ctx_lo = (uint32_t)st;
        c->ctx_hi = (uint32_t)en;
        return true;
    }
    return false;
}

/* Where the field of a candidate starts (0: not in a field); cur as for
 * pii_fieldmap_seek. */
static size_t field_floor(const pii_fieldmap *fm, size_t *cur, uint32_t off)
{
    const pii_field *f = fm && fm->n ? pii_fieldmap_seek(fm, cur, off) : NULL;
    return f && (f->col != PII_COL_NONE || f->quote != PII_Q_NONE) ? f->off : 0;
}

void pii_context_apply(const struct piiscan_ruleset *rs, const uint8_t *p, size_t len, const pii_hit *hits,
                       size_t nhits, const pii_fieldmap *fm, pii_cand *c, size_t n)
{
    /* A value under its own key (span_id=..., "trace":"...") is labelled by
     * that key; a hotword elsewhere on the line must not relabel it. */
    key_info ki = { .start = UINT32_MAX };
    size_t cur = 0;
    for (size_t i = 0; i < n; i++) {
        if (c[i].ctx_kind == 3)
            continue;   /* under a telling column already */
        if (c[i].start != ki.start)
            key_scan(rs, p, hits, nhits, c[i].start, &ki);
        int k = find_key(&ki, &c[i]);
        if (k < 0)
            find_hotword(rs, p, len, hits, nhits, field_floor(fm, &cur, c[i].start), &c[i]);
    }
}

size_t pii_context_columns(const pii_fieldmap *fm, const pii_tracker *tr, pii_cand *c, size_t n)
{
    size_t k = 0, cur = 0;   /* candidates come mostly in order of start */
    for (size_t i = 0; i < n; i++) {
        const pii_field *f = pii_fieldmap_seek(fm, &cur, c[i].start);
        if (pii_fieldmap_runs_on(fm, f, c[i].end))
            continue;   /* a span over two cells is no value of either */
        pii_cand *d = &c[k++];
        *d = c[i];
        if (!f)
            continue;
        d->quote = f->quote;
        const pii_colinfo *ci = f->col != PII_COL_NONE ? pii_tracker_col(tr, f->col) : NULL;
        if (ci && (ci->keymask & (1u << d->type))) {
            d->ctx_kind = 3;
            d->ctx_lo = f->col;
            d->ctx_hi = f->row;   /* for the column's share (emit.c) */
        }
    }
    return k;
}
