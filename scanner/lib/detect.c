/*
 * detect.c -- drive the tokenizer over a view: find seeds at SIMD speed,
 * build a compound around each, and let every matcher look at it.
 *
 * Full-width digits (１３８…, common in Chinese chat and forms) are folded to
 * ASCII into a small local buffer that becomes a view of its own; its offset
 * map sends every span back to the original bytes, so reports and redaction
 * point at what is really in the file.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "normalize.h"
#include "tokenize.h"

void pii_emit(pii_emitter *em, uint32_t lo, uint32_t hi, piiscan_type t, float score, int flags)
{
    pii_vec_cand *o = em->out;
    if (o->n == o->cap) {
        size_t ncap = o->cap ? o->cap * 2 : 256;
        pii_cand *nv = realloc(o->v, ncap * sizeof *nv);
        if (!nv) {
            em->oom = 1;
            return;
        }
        o->v = nv;
        o->cap = ncap;
    }
    if (em->gated && (flags & PII_F_NEED_CTX) && !(pii_near_mask(em) & (1u << t)))
        return;   /* resolve would drop it: no key or hotword can be in reach */
    if (em->view->map) {
        lo = em->view->map[lo];
        hi = em->view->map[hi];
    }
    pii_cand *c = &o->v[o->n++];
    memset(c, 0, sizeof *c);
    c->start = lo;
    c->end = hi;
    c->type = (uint8_t)t;
    c->flags = (uint8_t)flags;
    c->score = score;
}

/* How far before a candidate the context stage looks for a literal: a key
 * token (at most 64 bytes, context.c) behind quotes, blanks and a separator,
 * or a hotword within 32 bytes; with room for the prefixes a matcher may
 * add in front of a compound ("(+86) "). */
#define CTX_REACH 128

/* How far before a compound a matcher may start a candidate: the prefixes
 * it takes in ("(+86) ", "(0755) "). */
#define PREFIX_REACH 16

/* Types some column is a key for, among the columns of the fields a
 * candidate from the compound [lo, hi) can start in (context.c gives a
 * candidate the column of the field at its start).  Only the fields near
 * the compound count: a JSON line has a dozen keys, and one of them naming
 * a type must not keep that type's context-only candidates alive in every
 * other value.  Fields are visited in order, once. */
static uint32_t column_types(const pii_ctx_hits *h, size_t *cur, uint32_t lo, uint32_t hi)
{
    const pii_fieldmap *fm = h->fm;
    if (!fm || !fm->n)
        return 0;
    uint32_t from = lo > PREFIX_REACH ? lo - PREFIX_REACH : 0;
    size_t i = *cur;
    while (i + 1 < fm->n && fm->v[i + 1].off <= from)
        i++;
    *cur = i;
    uint32_t mask = 0;
    for (; i < fm->n && fm->v[i].off < hi; i++) {
        const pii_colinfo *ci = fm->v[i].col != PII_COL_NONE ? pii_tracker_col(h->tr, fm->v[i].col) : NULL;
        if (ci)
            mask |= ci->keymask;
    }
    return mask;
}

/* Types for which some key or hotword literal ends within reach of the
 * compound [lo, hi), or whose key names a column the compound is in.
 * Compounds come in increasing order, so the hits before reach are
 * skipped once. */
static uint32_t near_types(const pii_ctx_hits *h, size_t *from, size_t *field, uint32_t lo, uint32_t hi)
{
    size_t i = *from;
    while (i < h->n && (size_t)h->v[i].end + CTX_REACH < lo)
        i++;
    *from = i;
    uint32_t mask = column_types(h, field, lo, hi);
    for (; i < h->n && h->v[i].end <= hi; i++)
        mask |= h->v[i].mask;
    return mask;
}

uint32_t pii_near_types(pii_emitter *em)
{
    em->near_mask = near_types(em->view->near, &em->hit_lo, &em->field_lo, em->near_lo, em->near_hi);
    em->near_known = true;
    return em->near_mask;
}

/* Every candidate of match_hexid.c needs context. */
#define HEXID_TYPES ((1u << PIISCAN_IDFA) | (1u << PIISCAN_IDFV) | (1u << PIISCAN_GAID) | (1u << PIISCAN_OAID) | \
                     (1u << PIISCAN_ANDROID_ID) | (1u << PIISCAN_MEID))

/* Could match_net.c find anything?  Its forms need three dots (IPv4), a
 * "::" or six colons (IPv6), five ':' or '-', or two dots between
 * 4-character groups (MAC), or a 12-character word not joined by '-' or
 * '.' (bare MAC).  Most compounds with three segments or a colon are
 * times, dates, versions and UUIDs that it would only count and reject.
 * Kept a superset of the gate in pii_match_net, branch-free: these shapes
 * alternate at random. */
static bool net_possible(const pii_compound *c)
{
    pii_sep_count n = pii_sep_counts(c);
    return (n.dot >= 3) | ((n.dot >= 2) & ((c->lens >> 4) & 1)) | (n.colon >= 5) | (n.dash >= 5) | n.dcolon |
           pii_bare_mac_possible(c);
}

static void run_matchers(pii_emitter *em, const pii_compound *c)
{
    /* Most compounds in logs are short lone numbers (ports, counters,
     * durations): no identifier is a single word under 7 characters, except
     * a year written 1990年 (birth dates). */
    if (c->nseg == 1 && !c->lead_dcolon && !c->trail_dcolon) {
        uint32_t lo = c->seg[0].lo, hi = c->seg[0].hi;
        if (hi - lo < 7 && !(hi - lo == 4 && hi < em->view->len && em->view->p[hi] == 0xE5))
            return;
    }
    /* Each matcher only where its shortest form could fit (the forms are
     * listed in the matcher files): most compounds are times, versions,
     * prices and ids that need only one or two of them. */
    if (em->view->near) {
        em->gated = true;
        em->near_known = false;
        em->near_lo = c->start;
        em->near_hi = c->end;
    }
    bool all = em->view->exhaustive;
    bool grouped = (c->seps & (PII_SEP_SPACE | PII_SEP_DASH)) != 0;
    /* 7+ digits, or groups of digit words; without a word of digits only
     * an 18-character ID ending in X or a 19-20 character ICCID holding
     * hex (UUIDs, hex trace ids) */
    bool numeric = (c->cls_any & PII_SEG_DIGIT) ? (c->lens >> 7) || grouped : (c->lens & 7u << 18) != 0;
    if (all || numeric)
        pii_match_numeric(em, c);
    if (all || net_possible(c))
        pii_match_net(em, c);
    if (all || (((c->nseg >= 5 && (c->seps & PII_SEP_DASH)) || (c->lens >> 14)) &&
                (!em->gated || (pii_near_mask(em) & HEXID_TYPES))))
        pii_match_hexid(em, c);
    if (all || (c->cls_any & PII_SEG_UPPER))
        pii_match_docs(em, c);
    if (all || (c->seps & PII_SEP_DOT) || (c->lens & (1u << 4 | 1u << 8)))   /* dates: 1990, 19900307 */
        pii_match_date_gps(em, c);
}

/* Full-width character at p[i]: 1 digit, 2 other foldable, 0 none. */
static int fw_kind(const uint8_t *p, size_t i, size_t len)
{
    if (i + 2 >= len || p[i] != 0xEF || p[i + 1] != 0xBC)
        return 0;
    uint8_t b = p[i + 2];
    if (b >= 0x90 && b <= 0x99)
        return 1;
    return (b == 0x8B || b == 0x8D) ? 2 : 0;   /* ＋ － */
}

#define FW_MAX 120

static size_t fullwidth(const pii_view *v, size_t i, pii_vec_cand *out, int *oom)
{
    const uint8_t *p = v->p;
    size_t r = i;
    while (r < v->len && r - i < FW_MAX) {
        int k = fw_kind(p, r, v->len);
        if (k)
            r += 3;
        else if (pii_is_digit(p[r]) || p[r] == ' ' || p[r] == '-')
            r++;
        else
            break;
    }
    if (r - i < 3 * 4)
        return i + 3;   /* too short to hold an identifier */
    uint8_t buf[FW_MAX + 4];
    uint32_t map[FW_MAX + 5];
    size_t n = pii_fold_fullwidth(p + i, r - i, buf, sizeof buf, map);
    for (size_t j = 0; j < n; j++)
        map[j] += (uint32_t)i;
    map[n] = (uint32_t)r;
    if (v->map)   /* never nested: the folded view holds no 0xEF */
        return r;
    pii_view sub = {
        .p = buf, .len = n, .map = map, .exhaustive = v->exhaustive,
        .left_open = i == 0 && v->left_open,
        .left_byte = i > 0 ? p[i - 1] : v->left_byte,
        .right_open = r == v->len && v->right_open,
        .right_byte = r < v->len ? p[r] : v->right_byte,
    };
    pii_tokenize_view(&sub, 0, n, out, oom);
    return r;
}

void pii_tokenize_view(const pii_view *v, size_t from, size_t to, pii_vec_cand *out, int *oom)
{
    pii_emitter em = { .view = v, .out = out, .oom = 0 };
    size_t i = from, floor = from;
    pii_seeds seeds;
    pii_seeds_init(&seeds, v->p, to);
    for (;;) {
        i = pii_seeds_next(&seeds, i);
        if (i >= to)
            break;
        if (v->p[i] == 0xEF) {
            i = fw_kind(v->p, i, v->len) == 1 ? fullwidth(v, i, out, oom) : i + 1;
            floor = i;
            continue;
        }
        if (v->p[i] == ':') {
            /* Words on both sides with no digit (a digit would have been
             * a seed already): cc:cf:bd:eb:ca:fc, fe80::abcd.  Build from
             * the word before; anything else is a plain colon. */
            bool word_before = i > floor && pii_is_alnum(v->p[i - 1]);
            bool word_after = i + 1 < to && (pii_is_alnum(v->p[i + 1]) || v->p[i + 1] == ':');
            if (!word_before || !word_after) {
                i++;
                continue;
            }
            i--;
        }
        /* p[i + 4] or p[i + 2] == '-': the tests every seed pays for log
         * times (2024-03-15 08:00:00) and logcat's (03-15 08:00:00.000) */
        size_t t = 0;
        if (!v->exhaustive && i + 4 < to)
            t = v->p[i + 4] == '-'   ? pii_skip_log_time(&em, i, floor)
                : v->p[i + 2] == '-' ? pii_skip_logcat_time(&em, i, floor)
                                     : 0;
        if (t) {
            i = floor = t;
            continue;
        }
        pii_compound c;
        size_t next = i + 1;
        if (pii_compound_build(v, i, floor, &c, &next))
            run_matchers(&em, &c);
        if (next <= i)
            next = i + 1;
        i = floor = next;
    }
    if (em.oom)
        *oom = 1;
}
