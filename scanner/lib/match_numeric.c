/*
 * match_numeric.c -- digit identifiers: mobile and landline numbers, resident
 * IDs, bank cards, IMEI/IMEISV, IMSI, ICCID.
 *
 * A digit string is classified by its length and prefix and then validated
 * (checksums, prefix tables, real dates), which is exact where a regex would
 * only be a superset.  Grouped forms (138 1234 5678, 35-209900-176148-1,
 * 6222 0200 1234 5678) are recognised from the compound's segments, so the
 * separators must be consistent within one value.
 */
#include <string.h>

#include "engine_int.h"
#include "validate.h"

#define MAXD 40

typedef struct digits {
    char d[MAXD + 1];
    size_t n;
} digits;

static const uint8_t *P(const pii_emitter *em) { return em->view->p; }

/* Concatenate segments [a,b) (no separators) into out; false if too long. */
static bool collect(const pii_emitter *em, const pii_compound *c, int a, int b, digits *out)
{
    out->n = 0;
    for (int k = a; k < b; k++) {
        size_t l = c->seg[k].hi - c->seg[k].lo;
        if (out->n + l > MAXD)
            return false;
        memcpy(out->d + out->n, P(em) + c->seg[k].lo, l);
        out->n += l;
    }
    out->d[out->n] = 0;
    return true;
}

static size_t seglen(const pii_compound *c, int k) { return c->seg[k].hi - c->seg[k].lo; }
static bool segdig(const pii_compound *c, int k) { return (c->seg[k].cls & PII_SEG_DIGIT) != 0; }

static bool is_cc_prefix(const pii_emitter *em, const pii_compound *c, int k)
{
    size_t l = seglen(c, k);
    const uint8_t *s = P(em) + c->seg[k].lo;
    return (l == 2 && s[0] == '8' && s[1] == '6') ||
           (l == 4 && memcmp(s, "0086", 4) == 0);
}

/* Start of the span when a '+' precedes segment k (only for seg 0 or after a
 * non-joining separator it is outside the compound). */
static uint32_t with_plus(const pii_emitter *em, const pii_compound *c, int k)
{
    uint32_t lo = c->seg[k].lo;
    return (lo > 0 && P(em)[lo - 1] == '+') ? lo - 1 : lo;
}

/* "(+86)", "(86)", "(0086)" optionally followed by one space, ending right
 * before pos.  Returns the position of '(' or SIZE_MAX when absent. */
static size_t paren_cc_before(const uint8_t *p, size_t pos)
{
    size_t i = pos;
    if (i > 0 && p[i - 1] == ' ')
        i--;
    if (i < 4 || p[i - 1] != ')')
        return SIZE_MAX;
    i--;
    if (i >= 4 && memcmp(p + i - 4, "0086", 4) == 0)
        i -= 4;
    else if (i >= 2 && p[i - 2] == '8' && p[i - 1] == '6')
        i -= 2;
    else
        return SIZE_MAX;
    if (i > 0 && p[i - 1] == '+')
        i--;
    if (i == 0 || p[i - 1] != '(')
        return SIZE_MAX;
    return i - 1;
}

/* "(010)" or "(0755)", optionally followed by a space, ending before pos:
 * returns the position of '(' and the area code in *area, or SIZE_MAX. */
static size_t paren_area_before(const uint8_t *p, size_t pos, digits *area)
{
    size_t i = pos;
    if (i > 0 && p[i - 1] == ' ')
        i--;
    if (i < 5 || p[i - 1] != ')')
        return SIZE_MAX;
    size_t e = --i;
    while (i > 0 && pii_is_digit(p[i - 1]) && e - i < 5)
        i--;
    if (i == 0 || p[i - 1] != '(' || e - i < 3 || e - i > 4 || p[i] != '0')
        return SIZE_MAX;
    memcpy(area->d, p + i, e - i);
    area->n = e - i;
    area->d[area->n] = 0;
    if (i >= 2 && pii_is_alnum(p[i - 2]))
        return SIZE_MAX;
    return i - 1;
}

static void mobile_single(pii_emitter *em, const pii_compound *c, int a, const char *d, size_t n)
{
    const uint8_t *p = P(em);
    uint32_t lo = c->seg[a].lo, hi = c->seg[a].hi;
    if (n == 11 && d[0] == '1') {
        if (!pii_cn_mobile_ok(d))
            return;
        uint32_t start = lo;
        if (a == 0) {
            size_t par = paren_cc_before(p, lo);
            if (par != SIZE_MAX)
                start = (uint32_t)par;
        }
        pii_emit(em, start, hi, PIISCAN_CN_MOBILE, 0.85f, 0);
    } else if ((n == 13 && memcmp(d, "86", 2) == 0) || (n == 15 && memcmp(d, "0086", 4) == 0)) {
        if (d[n - 11] == '1' && pii_cn_mobile_ok(d + n - 11))
            pii_emit(em, with_plus(em, c, a), hi, PIISCAN_CN_MOBILE, 0.8f, 0);
    }
}

/* Mobile written as 3-4-4 groups or 11 digits, starting at segment a.
 * Returns the number of segments used (0: no match). */
static int mobile_body(const pii_emitter *em, const pii_compound *c, int a, uint8_t sep)
{
    digits d;
    if (a < c->nseg && seglen(c, a) == 11 && segdig(c, a)) {
        collect(em, c, a, a + 1, &d);
        return (d.d[0] == '1' && pii_cn_mobile_ok(d.d)) ? 1 : 0;
    }
    if (a + 2 < c->nseg && seglen(c, a) == 3 && seglen(c, a + 1) == 4 && seglen(c, a + 2) == 4 &&
        segdig(c, a) && segdig(c, a + 1) && segdig(c, a + 2) &&
        c->seg[a].sep == c->seg[a + 1].sep && (c->seg[a].sep == ' ' || c->seg[a].sep == '-') &&
        (sep == 0 || sep == ' ' || sep == '-')) {
        collect(em, c, a, a + 3, &d);
        return (d.d[0] == '1' && pii_cn_mobile_ok(d.d)) ? 3 : 0;
    }
    return 0;
}

static void mobile_grouped(pii_emitter *em, const pii_compound *c, int a)
{
    bool cc = is_cc_prefix(em, c, a) && a + 1 < c->nseg && (c->seg[a].sep == ' ' || c->seg[a].sep == '-');
    int body = cc ? a + 1 : a;
    if (!cc && seglen(c, a) != 3)
        return;
    int used = mobile_body(em, c, body, cc ? c->seg[a].sep : 0);
    if (!used)
        return;
    int b = body + used;
    if (!pii_left_ok(em->view, c, a, PII_BK_NUMERIC) || !pii_right_ok(em->view, c, b, PII_BK_NUMERIC))
        return;
    /* The span takes a '+' before the country code, or a "(+86) " before
     * the first group (looked for only once the number is known). */
    uint32_t start = c->seg[a].lo;
    if (cc) {
        start = with_plus(em, c, a);
    } else if (a == 0) {
        size_t par = paren_cc_before(P(em), c->seg[a].lo);
        if (par != SIZE_MAX)
            start = (uint32_t)par;
    }
    pii_emit(em, start, c->seg[b - 1].hi, PIISCAN_CN_MOBILE, 0.85f, 0);
}

static void landline(pii_emitter *em, const pii_compound *c, int a)
{
    digits area, local, all;
    /* area-local with '-' or ' ', optional "-ext" */
    if (a + 1 < c->nseg && segdig(c, a) && segdig(c, a + 1) &&
        (c->seg[a].sep == '-' || c->seg[a].sep == ' ') &&
        (seglen(c, a) == 3 || seglen(c, a) == 4) && P(em)[c->seg[a].lo] == '0' &&
        (seglen(c, a + 1) == 7 || seglen(c, a + 1) == 8)) {
        collect(em, c, a, a + 1, &area);
        collect(em, c, a, a + 2, &all);
        collect(em, c, a + 1, a + 2, &local);
        if (pii_cn_area_code_len(area.d, area.n) != (int)area.n || !pii_cn_landline_ok(all.d, all.n))
            return;
        int b = a + 2;
        bool right = pii_right_ok(em->view, c, b, PII_BK_NUMERIC);
        if (!right && c->seg[a + 1].sep == '-' && b < c->nseg && segdig(c, b) && seglen(c, b) <= 5)
            right = pii_right_ok(em->view, c, b + 1, PII_BK_NUMERIC);   /* extension */
        if (pii_left_ok(em->view, c, a, PII_BK_NUMERIC) && right)
            pii_emit(em, c->seg[a].lo, c->seg[a + 1].hi, PIISCAN_CN_LANDLINE, 0.75f, 0);
        return;
    }
    /* (010)62345678 */
    size_t l = seglen(c, a);
    if (a == 0 && segdig(c, a) && (l == 7 || l == 8)) {
        size_t par = paren_area_before(P(em), c->seg[a].lo, &area);
        if (par == SIZE_MAX || pii_cn_area_code_len(area.d, area.n) != (int)area.n)
            return;
        collect(em, c, a, a + 1, &local);
        memcpy(all.d, area.d, area.n);
        memcpy(all.d + area.n, local.d, local.n);
        all.n = area.n + local.n;
        all.d[all.n] = 0;
        if (pii_cn_landline_ok(all.d, all.n) && pii_right_ok(em->view, c, 1, PII_BK_NUMERIC))
            pii_emit(em, (uint32_t)par, c->seg[a].hi, PIISCAN_CN_LANDLINE, 0.75f, 0);
    }
}

static void card(pii_emitter *em, uint32_t lo, uint32_t hi, const char *d, size_t n)
{
    if (n < 13 || n > 19)
        return;
    /* Outside UnionPay (6, 8: reported on its BIN alone, with context) a
     * card needs both an issuer and Luhn; the issuer table rules out the
     * long ids of logs before the checksum is computed. */
    bool cup = d[0] == '6' || d[0] == '8';
    pii_card_brand br = pii_card_brand_of(d, n);
    if (!cup && br == PII_CARD_NONE)
        return;   /* epoch-ms and snowflake ids: no issuer, no Luhn needed */
    bool luhn = pii_luhn_ok(d, n);
    if (!luhn && !cup)
        return;
    if (br != PII_CARD_NONE && luhn)
        pii_emit(em, lo, hi, PIISCAN_BANK_CARD, 0.9f, 0);
    else if (br == PII_CARD_UNIONPAY || (d[0] == '6' && d[1] == '2' && n >= 16))
        pii_emit(em, lo, hi, PIISCAN_BANK_CARD, 0.8f, PII_F_NEED_CTX);
}

/* Could a word of n characters at d (all decimal digits when all) be one
 * of the single-word forms of single_digits()?  Decided from its length and
 * first digits, before the boundary tests and validators: most long words
 * of logs are epoch-ms times, snowflake ids and hex trace ids, which fit no
 * form (their 1x start is no card issuer's). */
static bool single_possible(const char *d, size_t n, bool all)
{
    if (n == 18 || ((n == 19 || n == 20) && memcmp(d, "8986", 4) == 0))
        return true;   /* resident ID (may end in X), ICCID (may hold hex) */
    if (!all)
        return false;
    if ((n == 11 && d[0] == '1') || (n == 13 && d[0] == '8') || n == 15 || n == 16)
        return true;   /* mobile, +86 mobile; IMEI, IMSI, old ID, 0086 mobile; IMEISV */
    if (d[0] == '0' && n >= 10 && n <= 12)
        return true;   /* landline */
    return n >= 13 && n <= 19 && memcmp(d, "8986", 4) != 0 &&
           (d[0] == '6' || d[0] == '8' || pii_card_brand_of(d, n) != PII_CARD_NONE);
}

bool pii_numeric_possible(const char *d, size_t n) { return single_possible(d, n, true); }

/* The word is read in place: a single segment is contiguous in the view,
 * so there is nothing to collect. */
__attribute__((noinline)) static void single_digits(pii_emitter *em, const pii_compound *c, int a)
{
    uint32_t lo = c->seg[a].lo, hi = c->seg[a].hi;
    const char *d = (const char *)P(em) + lo;
    size_t n = hi - lo;
    bool all = segdig(c, a);
    if (n > MAXD || !pii_left_ok(em->view, c, a, PII_BK_NUMERIC) || !pii_right_ok(em->view, c, a + 1, PII_BK_NUMERIC))
        return;
    if (n == 18 && (all || ((d[17] | 0x20) == 'x' && pii_all_digits(d, 17)))) {
        if (pii_cn_id_ok(d, 18))
            pii_emit(em, lo, hi, PIISCAN_CN_RESIDENT_ID, 0.95f, 0);
    }
    if (n >= 19 && n <= 20 && memcmp(d, "8986", 4) == 0 && pii_all_hex(d, n)) {
        bool luhn = false;
        if (pii_iccid_ok(d, n, &luhn))
            pii_emit(em, lo, hi, PIISCAN_ICCID, 0.9f, luhn ? 0 : PII_F_NEED_CTX);
    }
    if (!all)
        return;
    mobile_single(em, c, a, d, n);
    if (d[0] == '0' && n >= 10 && n <= 12 && pii_cn_landline_ok(d, n))
        pii_emit(em, lo, hi, PIISCAN_CN_LANDLINE, 0.7f, PII_F_NEED_CTX);
    if (n == 15) {
        if (pii_imei_ok(d))
            pii_emit(em, lo, hi, PIISCAN_IMEI, 0.9f, pii_all_same(d + 8, 6) ? PII_F_PLACEHOLDER : 0);
        else if (pii_imei_rbi_ok(d) && d[14] == '0')
            pii_emit(em, lo, hi, PIISCAN_IMEI, 0.8f, PII_F_NEED_CTX);   /* spare digit 0 */
        if (pii_cn_id_ok(d, 15))
            pii_emit(em, lo, hi, PIISCAN_CN_RESIDENT_ID, 0.9f, PII_F_NEED_CTX);
        if (pii_imsi_cn_ok(d))
            pii_emit(em, lo, hi, PIISCAN_IMSI, 0.85f, PII_F_NEED_CTX);
    }
    if (n == 16 && pii_imeisv_ok(d))
        pii_emit(em, lo, hi, PIISCAN_IMEI, 0.85f, PII_F_NEED_CTX);
    if (memcmp(d, "8986", 4) != 0)
        card(em, lo, hi, d, n);
}

/* Grouped digit forms other than phones: cards, IMEI, resident IDs. */
static void grouped(pii_emitter *em, const pii_compound *c, int a)
{
    uint8_t s = c->seg[a].sep;
    if (s != ' ' && s != '-')
        return;
    /* Every form's first group has 2, 4, 6 or 8 digits (IMEI 2-6-6-1 and
     * 8-6-1, cards 4-4-4-4, 4-6-5 and 6-13, IDs 6-8-4 and 6-4-4-4); the
     * "200 45555" (status, size) and "009 29052" (ms, pid) of logs have 3. */
    size_t l0 = seglen(c, a);
    if (!em->view->exhaustive && l0 != 2 && l0 != 4 && l0 != 6 && l0 != 8)
        return;
    int len[8], k = 0;
    while (a + k < c->nseg && k < 8) {
        int j = a + k;
        bool last_x = (c->seg[j].cls & PII_SEG_ALNUM) && !segdig(c, j) && seglen(c, j) == 4 &&
                      (P(em)[c->seg[j].hi - 1] | 0x20) == 'x' && pii_all_digits((const char *)P(em) + c->seg[j].lo, 3);
        if (!segdig(c, j) && !last_x)
            break;
        len[k++] = (int)seglen(c, j);
        if (last_x || (c->seg[j].sep != s))
            break;
    }
    if (k < 2 || !pii_left_ok(em->view, c, a, PII_BK_NUMERIC))
        return;
    digits d;
    for (int g = k; g >= 2; g--) {
        if (!pii_right_ok(em->view, c, a + g, PII_BK_NUMERIC) && !(g < k && s == ' '))
            continue;
        bool fours = true;
        for (int i = 0; i < g - 1; i++)
            fours &= len[i] == 4;
        bool cardshape = (fours && len[g - 1] >= 1 && len[g - 1] <= 4) ||
                         (g == 3 && len[0] == 4 && len[1] == 6 && (len[2] == 5 || len[2] == 4)) ||
                         (g == 2 && len[0] == 6 && len[1] == 13);
        bool imeishape = (g == 4 && len[0] == 2 && len[1] == 6 && len[2] == 6 && (len[3] == 1 || len[3] == 2)) ||
                         (g == 3 && len[0] == 8 && len[1] == 6 && (len[2] == 1 || len[2] == 2));
        bool idshape = (g == 3 && len[0] == 6 && len[1] == 8 && len[2] == 4) ||
                       (g == 4 && len[0] == 6 && len[1] == 4 && len[2] == 4 && len[3] == 4);
        /* The groups' lengths decide the form; most grouped numbers (a
         * status and a size, "200 45555") have none, and are not copied. */
        if ((!cardshape && !imeishape && !idshape) || !collect(em, c, a, a + g, &d))
            continue;
        uint32_t lo = c->seg[a].lo, hi = c->seg[a + g - 1].hi;
        if (cardshape && pii_all_digits(d.d, d.n))
            card(em, lo, hi, d.d, d.n);
        if (imeishape && d.n == 15 && pii_imei_ok(d.d))
            pii_emit(em, lo, hi, PIISCAN_IMEI, 0.9f, 0);
        if (imeishape && d.n == 16 && pii_imeisv_ok(d.d))
            pii_emit(em, lo, hi, PIISCAN_IMEI, 0.85f, PII_F_NEED_CTX);
        if (idshape && d.n == 18 && pii_cn_id_ok(d.d, 18))
            pii_emit(em, lo, hi, PIISCAN_CN_RESIDENT_ID, 0.95f, 0);
    }
}

/* The grouped forms starting at segment a. */
__attribute__((noinline)) static void grouped_forms(pii_emitter *em, const pii_compound *c, int a)
{
    mobile_grouped(em, c, a);
    landline(em, c, a);
    grouped(em, c, a);
}

/* The forms themselves (single_digits, grouped_forms) are kept out of
 * line: most compounds are ruled out here, by lengths, classes and first
 * digits, and should not pay for the stack frame of the forms. */
void pii_match_numeric(pii_emitter *em, const pii_compound *c)
{
    const uint8_t *p = P(em);
    bool all = em->view->exhaustive;
    for (int a = 0; a < c->nseg; a++) {
        size_t l = seglen(c, a);
        /* Every single-word form has at least 7 digits; grouped forms are
         * joined by a space or a dash. */
        const char *d = (const char *)p + c->seg[a].lo;
        if (l >= 7 && pii_is_digit((uint8_t)d[0]) && (all || single_possible(d, l, segdig(c, a))))
            single_digits(em, c, a);
        if (!segdig(c, a))
            continue;
        /* Every grouped form has a group of 3 or more after the first
         * (3-4-4, 4-4-4-4, 6-8-4, 0755-1234567, 86 138...); times and
         * dates (2024-03-15 08:00) have none.  Without one, only the
         * (010)62345678 landline form is left, and its local number is the
         * first word. */
        uint8_t s = c->seg[a].sep;
        bool group_next = (s == ' ' || s == '-') && a + 1 < c->nseg && seglen(c, a + 1) >= 3;
        if (all || group_next)
            grouped_forms(em, c, a);
        else if (a == 0 && (l == 7 || l == 8))
            landline(em, c, a);
    }
}
