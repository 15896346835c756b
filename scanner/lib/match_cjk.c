/*
 * match_cjk.c -- Chinese addresses and personal names: set-up and the
 * per-window driver.
 *
 * pii_cjk_init loads the tables and adds our Hyperscan expressions: every
 * division name as a literal (anchors of CN_ADDRESS) and one regex for a
 * road with a house number (addresses without a division, under a key).
 * Names need no expression of their own: they hang off the name keys and
 * hotwords of patterns/detectors.conf, which Hyperscan already reports, and
 * off the cells of name columns in the stream's field map.
 *
 * JSON writers often escape non-ASCII ("\u5e7f\u4e1c\u7701...").  Runs of
 * such escapes are decoded into a small stack buffer with an offset map, the
 * same trick as detect.c's full-width path, so that spans are reported in
 * the original bytes.  Division names in the decoded text are found by hash
 * lookup since Hyperscan only saw the escapes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cjk_int.h"

#define ESC_RUN_MAX 480   /* decoded bytes per escaped run */

static const char ROAD_RE[] =
    "(?:\\xe5\\xa4\\xa7\\xe9\\x81\\x93|\\xe5\\xa4\\xa7\\xe8\\xa1\\x97|\\xe8\\x83\\xa1\\xe5\\x90\\x8c|"
    "\\xe8\\xb7\\xaf|\\xe8\\xa1\\x97|\\xe5\\xb7\\xb7|\\xe5\\xbc\\x84|\\xe9\\x81\\x93)"   /* 大道 大街 胡同 路 街 巷 弄 道 */
    "[0-9]{1,5}(?:-[0-9]{1,4})?\\xe5\\x8f\\xb7";                                           /* 号 */

static int add_expr(struct piiscan_ruleset *rs, char *text, uint32_t aux)
{
    pii_hs_expr *e = text ? pii_ruleset_new_expr(rs) : NULL;
    if (!e) {
        free(text);
        return -1;
    }
    e->kind = PII_HS_CJK;
    e->text = text;
    e->hsflags = 0;
    e->aux = aux;
    return 0;
}

int pii_cjk_init(struct piiscan_ruleset *rs, char *err, size_t errlen)
{
    pii_cjk *t;
    if (pii_cjk_tables_new(&t, err, errlen) < 0)
        return -1;
    rs->cjk = t;
    for (size_t k = 0; k < t->nnames; k++)
        if (add_expr(rs, pii_hs_escape(t->names[k].s, t->names[k].len), (PII_CJK_ADMIN << 24) | (uint32_t)k) < 0)
            goto oom;
    if (add_expr(rs, strdup(ROAD_RE), PII_CJK_ROAD << 24) < 0)
        goto oom;
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

void pii_cjk_free(struct piiscan_ruleset *rs)
{
    pii_cjk_tables_free(rs->cjk);
    rs->cjk = NULL;
}

static int hexval(uint8_t b)
{
    if (pii_is_digit(b))
        return b - '0';
    b |= 0x20;
    return b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
}

/* The code point of a \uXXXX escape at p[i] (not a surrogate), else 0. */
static uint32_t esc_at(const uint8_t *p, size_t i, size_t n)
{
    if (i + 6 > n || p[i] != '\\' || p[i + 1] != 'u')
        return 0;
    uint32_t cp = 0;
    for (int k = 2; k < 6; k++) {
        int h = hexval(p[i + k]);
        if (h < 0)
            return 0;
        cp = cp << 4 | (uint32_t)h;
    }
    return (cp >= 0x80 && (cp < 0xD800 || cp > 0xDFFF)) ? cp : 0;
}

size_t pii_cjk_unescape(const uint8_t *p, size_t i, size_t n, uint8_t *buf, size_t cap, uint32_t *map, int *han)
{
    size_t o = 0;
    *han = 0;
    while (i < n && o + 3 <= cap) {
        uint32_t cp = esc_at(p, i, n);
        if (cp) {
            size_t w = cp < 0x800 ? 2 : 3;
            if (w == 2) {
                buf[o] = (uint8_t)(0xC0 | cp >> 6);
                buf[o + 1] = (uint8_t)(0x80 | (cp & 0x3F));
            } else {
                buf[o] = (uint8_t)(0xE0 | cp >> 12);
                buf[o + 1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
                buf[o + 2] = (uint8_t)(0x80 | (cp & 0x3F));
                *han += pii_han_at(buf, o, o + 3) != 0;
            }
            for (size_t k = 0; k < w; k++)
                map[o + k] = (uint32_t)i;
            o += w;
            i += 6;
        } else if (pii_is_alnum(p[i]) || p[i] == '-' || p[i] == '#' || p[i] == ' ') {
            map[o] = (uint32_t)i;
            buf[o++] = p[i++];
        } else
            break;
    }
    map[o] = (uint32_t)i;
    return o;
}

/* Addresses inside runs of \uXXXX escapes. */
static void escaped_addresses(const pii_cjk *t, pii_emitter *em)
{
    const pii_view *v = em->view;
    const uint8_t *p = v->p;
    uint8_t buf[ESC_RUN_MAX + 4];
    uint32_t map[ESC_RUN_MAX + 5];
    size_t i = 0;
    while (i + 6 <= v->len) {
        const uint8_t *q = memchr(p + i, '\\', v->len - i);
        if (!q)
            break;
        i = (size_t)(q - p);
        uint32_t cp = esc_at(p, i, v->len);
        if (cp < 0x3400 || cp > 0x9FFF) {
            i++;
            continue;
        }
        int han;
        size_t n = pii_cjk_unescape(p, i, v->len, buf, ESC_RUN_MAX, map, &han);
        size_t next = map[n];
        if (han >= 4) {
            pii_view sv = { .p = buf, .len = n, .map = map, .left_open = i == 0 && v->left_open,
                            .right_open = next >= v->len && v->right_open };
            pii_emitter sub = { .view = &sv, .out = em->out };
            size_t covered = 0;
            for (size_t j = 0; j < n;) {
                long idx;
                if (j >= covered && pii_cjk_longest_name(t, buf, j, n, &idx)) {
                    size_t c = pii_addr_from_admin(t, &sub, j);
                    covered = c > covered ? c : covered;
                }
                j += buf[j] < 0x80 ? 1 : buf[j] < 0xE0 ? 2 : 3;
            }
            em->oom |= sub.oom;
        }
        i = next > i ? next : i + 1;
    }
}

/* memchr runs at memory speed; memmem's two-way search does not. */
static bool has_json_escape(const uint8_t *p, size_t len)
{
    const uint8_t *e = p + len;
    while ((p = memchr(p, '\\', (size_t)(e - p))) != NULL && p + 1 < e) {
        if (p[1] == 'u')
            return true;
        p += 2;
    }
    return false;
}

/* Cells under a name column (姓名, receiver_name, "user.name"): the header
 * or key path is the key, far from the value. */
static void name_columns(const struct piiscan_ruleset *rs, pii_emitter *em, const pii_hit *hits, size_t nhits,
                         const pii_fieldmap *fm, const pii_tracker *tr)
{
    const uint32_t name = 1u << PIISCAN_PERSON_NAME;
    for (size_t i = 0; i < fm->n; i++) {
        const pii_field *f = &fm->v[i];
        const pii_colinfo *ci = f->col != PII_COL_NONE ? pii_tracker_col(tr, f->col) : NULL;
        if (ci && (ci->keymask & name))
            pii_name_in_field(rs, em, hits, nhits, f->off, (ci->wholemask & name) != 0);
    }
}

void pii_match_cjk(const struct piiscan_ruleset *rs, const pii_view *v, const pii_hit *hits, size_t nhits,
                   const pii_fieldmap *fm, const pii_tracker *tr, pii_vec_cand *out, int *oom)
{
    const pii_cjk *t = rs->cjk;
    if (!t)
        return;
    pii_emitter em = { .view = v, .out = out, .oom = 0 };
    const uint32_t addr = 1u << PIISCAN_CN_ADDRESS, name = 1u << PIISCAN_PERSON_NAME;
    size_t covered = 0, lit_floor = 0;
    for (size_t i = 0; i < nhits; i++) {
        const pii_hs_expr *e = &rs->expr[hits[i].id];
        size_t end = hits[i].end;
        if (e->kind == PII_HS_LITERAL) {
            uint32_t m = e->keymask | e->hotmask;
            if (m & addr)
                lit_floor = end;
            if (m & name)
                pii_name_after(rs, &em, hits, nhits, end, e->len, (e->keymask & name) != 0,
                               (e->hotmask & name) != 0, e->ascii);
        } else if (e->kind == PII_HS_CJK && PII_CJK_KIND(e->aux) == PII_CJK_ADMIN) {
            size_t s = end - t->names[PII_CJK_INDEX(e->aux)].len;
            if (s >= covered) {
                size_t c = pii_addr_from_admin(t, &em, s);
                covered = c > covered ? c : covered;
            }
        } else if (e->kind == PII_HS_CJK && PII_CJK_KIND(e->aux) == PII_CJK_ROAD && end > covered) {
            size_t c = pii_addr_from_road(t, &em, end, lit_floor);
            covered = c > covered ? c : covered;
        }
    }
    if (!v->map && has_json_escape(v->p, v->len))
        escaped_addresses(t, &em);
    if (fm && tr && !v->map)
        name_columns(rs, &em, hits, nhits, fm, tr);
    if (em.oom)
        *oom = 1;
}
