/*
 * match_address.c -- Chinese postal addresses (CN_ADDRESS).
 *
 * An address is anchored on a division name (a Hyperscan literal hit, or a
 * hash lookup on decoded text) and read left to right over one "region":
 * Han characters, digits, letters and - # (no punctuation, quotes, commas),
 * at most REGION_MAX bytes.  Inside it:
 *   chain    division names back to back (广东省深圳市南山区), checked for
 *            hierarchy by GB/T 2260 code prefix;
 *   road     路 街 大道 巷 胡同 弄 道;
 *   area     小区 花园 大厦 村 镇 街道 ...;
 *   numbered a number (digits, letters, Chinese numerals) followed by a
 *            house-level marker: "firm" ones (号 号楼 单元 室 栋 幢 弄) or
 *            "soft" ones (楼 层 座 组) that only count next to firm evidence.
 * The span runs from the chain to the last numbered element (or the last
 * road when there is no number).  Text between the chain and the first
 * number that names an organisation (人民政府, 有限公司, 医院 ...) rejects
 * the region: those are institutions, not somebody's address.
 * Structure decides the flags: full structure is reported on its own, a
 * bare road or a lone number needs an address key or hotword.
 */
#include "cjk_int.h"

#define REGION_MAX 240
#define CHAIN_MAX 6
#define ROAD_BACK 10      /* Han characters of a road name before its marker */

static const char *const ROAD[] = { "大道", "大街", "胡同", "路", "街", "巷", "弄", "道", NULL };
static const char *const AREA[] = { "街道", "小区", "花园", "公寓", "大厦", "广场", "新村", "社区", "中心",
                                    "苑", "园", "村", "里", "镇", "乡", "城", "庄", NULL };
static const char *const FIRM[] = { "号楼", "号院", "单元", "号", "室", "栋", "幢", "弄", NULL };
static const char *const SOFT[] = { "楼", "层", "座", "组", NULL };
/* 号 followed by these is a metro line, a document, a typhoon ... */
static const char *const NOT_HOUSE[] = { "线", "文", "令", "台", "机", "码", "称", "召", "外", "角", "字",
                                         "选手", "种子", NULL };
/* A number after these is an ordinal or a date, not a house number. */
static const char *const NOT_NUMBER_AFTER[] = { "第", "月", "周", "约", NULL };
/* Not roads: 道路 (a road, generic), 路线, 路过, 道理 ... */
static const char *const NOT_ROAD[] = { "道路", "路线", "路过", "路上", "路径", "道理", "街头", "街坊", NULL };
static const char *const ORG[] = { "公安", "政府", "法院", "检察院", "公司", "集团", "银行", "分行", "支行", "医院",
                                   "卫生院", "学校", "大学", "学院", "中学", "小学", "幼儿园", "委员会", "管委会",
                                   "局", "厅", "电视台", "日报", "晚报", "人大", "政协", "协会", "商会", "研究所",
                                   "研究院", "派出所", "事务所", "办事处", "图书馆", "博物馆", "体育馆", "火车站",
                                   "机场", "代表团", "市场", "区块链", "军区", "海关", "税务", "供电",
                                   "联社", "工会", "党委", "纪委", NULL };
static const char *const CN_DIGITS[] = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百",
                                         "零", "〇", "两", NULL };

static bool fw_alnum(const uint8_t *p, size_t i, size_t n)
{
    return i + 3 <= n && p[i] == 0xEF &&
           ((p[i + 1] == 0xBC && ((p[i + 2] >= 0x90 && p[i + 2] <= 0x99) || (p[i + 2] >= 0xA1 && p[i + 2] <= 0xBA) ||
                                  p[i + 2] == 0x8D || p[i + 2] == 0x83)) ||
            (p[i + 1] == 0xBD && p[i + 2] >= 0x81 && p[i + 2] <= 0x9A));
}

/* Width of one region character at p[i], 0 when it ends the region. */
static size_t region_char(const uint8_t *p, size_t i, size_t n)
{
    if (pii_han_at(p, i, n) || fw_alnum(p, i, n))
        return 3;
    uint8_t b = p[i];
    return pii_is_alnum(b) || b == '-' || b == '#' ? 1 : 0;
}

/* End of the region starting at s; a single blank between two region
 * characters is part of it (广东省 深圳市). */
static size_t region_end(const pii_view *v, size_t s)
{
    size_t i = s, lim = v->len < s + REGION_MAX ? v->len : s + REGION_MAX;
    while (i < lim) {
        size_t w = region_char(v->p, i, v->len);
        if (!w && v->p[i] == ' ' && i > s && i + 1 < lim && region_char(v->p, i + 1, v->len))
            w = 1;
        if (!w)
            break;
        i += w;
    }
    return i;
}

/* Is `child` inside the division `parent` (by code prefix)? */
static bool code_within(uint32_t parent, uint32_t child)
{
    if (parent % 10000 == 0)
        return child / 10000 == parent / 10000 && child != parent;
    if (parent % 100 == 0)
        return child / 100 == parent / 100 && child != parent;
    return false;
}

static bool names_nested(const pii_cjk *t, long a, long b)
{
    const pii_cjk_name *x = &t->names[a], *y = &t->names[b];
    for (uint32_t i = 0; i < x->ncodes; i++)
        for (uint32_t j = 0; j < y->ncodes; j++)
            if (code_within(t->codes[x->first + i], t->codes[y->first + j]))
                return true;
    return false;
}

typedef struct addr_scan {
    size_t chain_end;
    int levels;            /* names in the chain */
    bool consistent;       /* every name inside the previous one */
    int firm, soft, roads, areas;
    size_t num_end;        /* end of the last numbered element */
    size_t road_end;       /* end of the last road marker */
    size_t first_num;      /* start of the first numbered element */
    bool org;
} addr_scan;

/* Division names back to back from s. */
static void read_chain(const pii_cjk *t, const pii_view *v, size_t s, size_t rend, addr_scan *a)
{
    long prev = -1, idx;
    size_t pos = s, n;
    a->consistent = true;
    while (a->levels < CHAIN_MAX) {
        size_t q = pos;
        if (q > s && q < rend && v->p[q] == ' ')
            q++;
        if (!(n = pii_cjk_longest_name(t, v->p, q, rend, &idx)))
            break;
        if (prev >= 0 && !names_nested(t, prev, idx))
            a->consistent = false;
        prev = idx;
        pos = q + n;
        a->levels++;
    }
    a->chain_end = pos;
}

/* A number ending at q: digits/letters/-/# or Chinese numerals. Start, or q. */
static size_t number_start(const uint8_t *p, size_t lo, size_t q, bool *digit)
{
    size_t i = q;
    *digit = false;
    while (i > lo) {
        if (pii_is_alnum(p[i - 1]) || p[i - 1] == '-' || p[i - 1] == '#') {
            *digit |= pii_is_digit(p[i - 1]);
            i--;
        } else if (i >= lo + 3 && (fw_alnum(p, i - 3, q) || pii_cjk_word_at(p, i - 3, q, CN_DIGITS) == 3)) {
            *digit = true;
            i -= 3;
        } else
            break;
    }
    return i;
}

static bool house_ok(const pii_view *v, size_t lo, size_t ns, size_t q, size_t ml, bool digit)
{
    const uint8_t *p = v->p;
    if (ns == q || (!digit && (q - ns > 2)))
        return false;   /* letters only: A座, B栋 */
    if (ns >= lo + 3 && pii_cjk_word_at(p, ns - 3, ns, NOT_NUMBER_AFTER))
        return false;
    if (p[q] == 0xE5 && pii_at(p, q, v->len, "号", 3) && ml == 3 && pii_cjk_word_at(p, q + 3, v->len, NOT_HOUSE))
        return false;
    return true;
}

/* Bare room digits right after the last house marker ("2单元501"). */
static size_t trailing_room(const pii_view *v, size_t i, size_t lim)
{
    size_t j = i;
    while (j < lim && j - i <= 6 && (pii_is_digit(v->p[j]) || v->p[j] == '-'))
        j++;
    if (j == i || j - i > 6 || !pii_is_digit(v->p[j - 1]) || (j < v->len && pii_is_alnum(v->p[j])))
        return i;
    return j;
}

/* 道 alone is a road only before a number (弥敦道123号); 报道, 知道 are not. */
static bool road_ok(const uint8_t *p, size_t i, size_t m, size_t rend)
{
    if (m != 3 || !pii_at(p, i, rend, "道", 3))
        return true;
    return i + 3 < rend && (pii_is_digit(p[i + 3]) || fw_alnum(p, i + 3, rend) || pii_cjk_word_at(p, i + 3, rend, CN_DIGITS));
}

static void read_elements(const pii_view *v, size_t from, size_t rend, addr_scan *a)
{
    const uint8_t *p = v->p;
    size_t i = from, n = v->len, m;
    a->first_num = rend;
    while (i < rend) {
        bool digit;
        if ((m = pii_cjk_word_at(p, i, rend, FIRM)) || (m = pii_cjk_word_at(p, i, rend, SOFT))) {
            bool firm = pii_cjk_word_at(p, i, rend, FIRM) != 0;
            size_t ns = number_start(p, from, i, &digit);
            if (house_ok(v, from, ns, i, m, digit)) {
                if (ns < a->first_num)
                    a->first_num = ns;
                firm ? a->firm++ : a->soft++;
                a->num_end = trailing_room(v, i + m, rend);
                i = a->num_end;
                continue;
            }
        }
        if (pii_cjk_word_at(p, i, rend, NOT_ROAD)) {
            i += 6;
            continue;
        }
        if (pii_at(p, i, rend, "街道", 6)) {
            a->areas++;
            i += 6;
            continue;
        }
        if ((m = pii_cjk_word_at(p, i, rend, ROAD)) && i > from && road_ok(p, i, m, rend)) {
            a->roads++;
            a->road_end = i + m;
            i += m;
            continue;
        }
        if ((m = pii_cjk_word_at(p, i, rend, AREA)) && i > from) {
            a->areas++;
            i += m;
            continue;
        }
        if (a->firm + a->soft == 0 && a->roads == 0 && pii_cjk_word_at(p, i, rend, ORG))
            a->org = true;
        i += (i + 3 <= n && (p[i] & 0x80)) ? 3 : 1;
    }
}

/* Emit when the structure allows; returns the span end or 0. */
static size_t decide(pii_emitter *em, size_t s, const addr_scan *a)
{
    const pii_view *v = em->view;
    int firm = a->firm + (a->firm || a->roads || a->areas ? a->soft : 0);
    size_t end = firm ? a->num_end : a->road_end;
    if (a->org || end <= s || (!firm && !a->roads))
        return 0;
    if ((s == 0 && v->left_open) || (end >= v->len && v->right_open))
        return 0;
    bool strong = a->consistent && a->levels > 0 &&
                  ((a->roads && firm) || (a->levels >= 2 && firm) || firm >= 2 || (a->areas && firm) ||
                   (a->levels >= 3 && a->roads));
    float score = strong ? (a->levels >= 3 ? 0.9f : 0.85f) : 0.7f;
    pii_emit(em, (uint32_t)s, (uint32_t)end, PIISCAN_CN_ADDRESS, score, strong ? 0 : PII_F_NEED_CTX);
    return end;
}

size_t pii_addr_from_admin(const pii_cjk *t, pii_emitter *em, size_t s)
{
    const pii_view *v = em->view;
    size_t rend = region_end(v, s);
    if (rend >= v->len && v->right_open)
        return s + 1;
    addr_scan a = { 0 };
    read_chain(t, v, s, rend, &a);
    if (!a.levels)
        return s + 1;
    read_elements(v, a.chain_end, rend, &a);
    size_t end = decide(em, s, &a);
    return end ? end : a.chain_end;
}

size_t pii_addr_from_road(const pii_cjk *t, pii_emitter *em, size_t end, size_t floor)
{
    (void)t;
    const pii_view *v = em->view;
    const uint8_t *p = v->p;
    /* end is just past 号: step back over it, the number and the road. */
    if (end < 3 + 1 + 3)
        return 0;
    size_t i = end - 3;
    while (i > 0 && (pii_is_digit(p[i - 1]) || p[i - 1] == '-'))
        i--;
    size_t road = i;
    for (const char *const *r = ROAD; *r; r++) {
        size_t l = strlen(*r);
        if (i >= l && pii_at(p, i - l, v->len, *r, l)) {
            road = i - l;
            break;
        }
    }
    if (road == i)
        return 0;
    size_t s = road;
    while (s >= 3 && s - 3 >= floor && road - s < 3 * ROAD_BACK && pii_han_at(p, s - 3, v->len))
        s -= 3;
    if (s == road || (s == 0 && v->left_open))
        return 0;
    /* The name of the road must be all we took: stop at a delimiter. */
    if (s > floor && s > 0 && (pii_is_alnum(p[s - 1]) || (p[s - 1] & 0x80)))
        if (!(s >= 3 && p[s - 3] == 0xEF && p[s - 2] == 0xBC))
            return 0;
    size_t rend = region_end(v, s);
    if (rend >= v->len && v->right_open)
        return 0;
    addr_scan a = { 0 };
    a.consistent = true;
    read_elements(v, s, rend, &a);
    a.levels = 0;
    return decide(em, s, &a);
}
