/*
 * match_name.c -- personal names (PERSON_NAME), only where something says a
 * name is there: the value of a name key (姓名, 收货人, realName ...) or the
 * words right after a name hotword (我叫, 联系人：).  A bare pair of Han
 * characters in free text is never a name to us: every second word would be.
 *
 * The surname table bounds the span: a single surname plus one or two
 * characters, or a compound surname (欧阳, 诸葛 ...) plus one or two.  After
 * a hotword in running text the name must end at punctuation, a non-Han
 * character or a sentence particle (我是张三啊); after the weakest
 * hotword, 我是 ("I am ..."), only the 100 most common single surnames are
 * trusted.  Under a key whose literal is a
 * whole word (name, full_name, consignee), a Latin-script name of two to
 * four capitalised words is accepted as well.  A cell of a name column in
 * a CSV, JSON or SQL file is a key value too: the header is the key.
 */
#include "cjk_int.h"

#define NAME_MAX_HAN 4
#define ESC_MAX 48

static const char *const PARTICLE[] = { "啊", "呀", "吧", "哦", "呢", "嘛", "啦", "哈", "电", "手", "住", NULL };
static const char *const TITLE[] = { "先生", "女士", "小姐", "老师", "经理", "师傅", "同学", "阿姨", "医生", "主任",
                                     "总", "某", "哥", "姐", "叔", "姨", "工", "们", "氏", NULL };

static bool upper(uint8_t b) { return b >= 'A' && b <= 'Z'; }
static bool lower(uint8_t b) { return b >= 'a' && b <= 'z'; }

static bool titled(const uint8_t *p, size_t lo, size_t hi)
{
    for (size_t i = lo + 3; i < hi; i += 3)
        if (pii_cjk_word_at(p, i, hi, TITLE))
            return true;
    return false;
}

/* Han-script name at vs: its end, or 0. */
static size_t han_name(const pii_cjk *t, const pii_view *v, size_t vs, bool key, bool strict)
{
    uint32_t c[NAME_MAX_HAN + 2];
    size_t k = 0;
    while (k < NAME_MAX_HAN + 2 && (c[k] = pii_han_at(v->p, vs + 3 * k, v->len)))
        k++;
    if (k < 2)
        return 0;
    bool compound = pii_cjk_compound(t, c[0], c[1]);
    int sn = pii_cjk_surname(t, c[0]);
    if (!compound && (sn == PII_SURNAME_NONE || (strict && sn != PII_SURNAME_TOP)))
        return 0;
    size_t lo = compound ? 3 : 2, hi = compound ? 4 : 3;
    if (!compound && key && k == 4 && pii_cjk_surname(t, c[1]))
        hi = 4;   /* a married woman's 冠姓: 陈李美玲 */
    for (size_t L = lo; L <= hi; L++) {
        size_t end = vs + 3 * L;
        bool run_ends = L == k;
        bool particle = !key && L < k && pii_cjk_word_at(v->p, end, v->len, PARTICLE);
        if ((run_ends || particle) && !titled(v->p, vs + (compound ? 3 : 0), end))
            return (end >= v->len && v->right_open) ? 0 : end;
    }
    return 0;
}

/* Latin-script name: 2-4 capitalised words, single blanks.  End, or 0. */
static size_t latin_name(const pii_view *v, size_t vs)
{
    const uint8_t *p = v->p;
    size_t i = vs, words = 0;
    for (;;) {
        if (i >= v->len || !upper(p[i]))
            return 0;
        size_t w = i++;
        while (i < v->len && (lower(p[i]) || upper(p[i]) || p[i] == '\'' || p[i] == '-') && i - w < 24)
            i++;
        if (i - w < 2)
            return 0;
        words++;
        if (i + 1 < v->len && p[i] == ' ' && upper(p[i + 1]) && words < 4) {
            i++;
            continue;
        }
        break;
    }
    if (words < 2 || i >= v->len || pii_is_alnum(p[i]) || p[i] == '.' || p[i] == '@' || p[i] == '_')
        return 0;   /* running text, a file or host name, an address */
    return i;
}

/* Does a key/hotword literal of any type overlap [lo,hi)?  (收货人：姓名 ...) */
static bool over_literal(const struct piiscan_ruleset *rs, const pii_hit *h, size_t nh, size_t lo, size_t hi)
{
    size_t a = 0, b = nh;
    while (a < b) {
        size_t mid = (a + b) / 2;
        if (h[mid].end > lo)
            b = mid;
        else
            a = mid + 1;
    }
    for (; a < nh && h[a].end < hi + 64; a++) {
        const pii_hs_expr *e = &rs->expr[h[a].id];
        if (e->kind == PII_HS_LITERAL && h[a].end - e->len < hi)
            return true;
    }
    return false;
}

/* A key value or hotword tail of \uXXXX escapes. */
static void escaped(const pii_cjk *t, pii_emitter *em, size_t vs, bool key)
{
    uint8_t buf[ESC_MAX + 4];
    uint32_t map[ESC_MAX + 5];
    int han;
    const pii_view *v = em->view;
    size_t n = pii_cjk_unescape(v->p, vs, v->len, buf, ESC_MAX, map, &han);
    if (han < 2)
        return;
    pii_view sv = { .p = buf, .len = n, .map = map,
                    .right_open = map[n] >= v->len && v->right_open };
    size_t end = han_name(t, &sv, 0, key, false);
    if (!end)
        return;
    pii_emitter sub = { .view = &sv, .out = em->out };
    pii_emit(&sub, 0, (uint32_t)end, PIISCAN_PERSON_NAME, 0.8f, PII_F_NEED_CTX);
    if (sub.oom)
        em->oom = 1;
}

static bool quote_or_blank(uint8_t b) { return b == '"' || b == '\'' || b == ' ' || b == '\t'; }

/* Value start after a key token ending at j: blanks/quotes, a separator,
 * blanks/quotes.  0 when there is no separator. */
static size_t after_separator(const uint8_t *p, size_t j, size_t n)
{
    for (int k = 0; k < 3 && j < n && quote_or_blank(p[j]); k++)
        j++;
    if (j < n && (p[j] == ':' || p[j] == '='))
        j++;
    else if (pii_at(p, j, n, "：", 3))
        j += 3;
    else
        return 0;
    for (int k = 0; k < 3 && j < n && (quote_or_blank(p[j]) || p[j] == '['); k++)
        j++;
    return j;
}

static void try_value(const struct piiscan_ruleset *rs, pii_emitter *em, const pii_hit *hits, size_t nhits,
                      size_t vs, bool key, bool latin, bool strict)
{
    const pii_cjk *t = rs->cjk;
    const pii_view *v = em->view;
    if (vs + 1 < v->len && v->p[vs] == '\\' && v->p[vs + 1] == 'u') {
        escaped(t, em, vs, key);
        return;
    }
    size_t end = han_name(t, v, vs, key, strict);
    if (!end && latin)
        end = latin_name(v, vs);
    if (end && !over_literal(rs, hits, nhits, vs, end))
        pii_emit(em, (uint32_t)vs, (uint32_t)end, PIISCAN_PERSON_NAME, 0.8f, PII_F_NEED_CTX);
}

void pii_name_after(const struct piiscan_ruleset *rs, pii_emitter *em, const pii_hit *hits, size_t nhits,
                    size_t end, size_t lit_len, bool key, bool hot, bool ascii)
{
    const pii_view *v = em->view;
    const uint8_t *p = v->p;
    if (key) {
        size_t j = end;
        while (j < v->len && j - end < 24 && (pii_is_alnum(p[j]) || p[j] == '_' || p[j] == '-' || p[j] == '.'))
            j++;
        size_t st = end - lit_len;
        bool whole = ascii && (st == 0 || !pii_is_alnum(p[st - 1]) || (lower(p[st - 1]) && upper(p[st]))) &&
                     (j == end || p[end] == '_' || p[end] == '-' || upper(p[end]));
        size_t vs = after_separator(p, j, v->len);
        if (vs) {
            try_value(rs, em, hits, nhits, vs, true, whole, false);
            return;
        }
    }
    if (hot) {
        size_t j = end;
        bool strict = lit_len == 6 && pii_at(p, end - 6, v->len, "我是", 6);
        if (pii_at(p, j, v->len, "：", 3))
            j += 3;
        else if (j < v->len && p[j] == ':')
            j++;
        if (j < v->len && p[j] == ' ')
            j++;
        try_value(rs, em, hits, nhits, j, false, false, strict);
    }
}

void pii_name_in_field(const struct piiscan_ruleset *rs, pii_emitter *em, const pii_hit *hits, size_t nhits,
                       size_t vs, bool latin)
{
    if (vs < em->view->len)
        try_value(rs, em, hits, nhits, vs, true, latin, false);
}
