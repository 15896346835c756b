/*
 * match_docs.c -- letter-prefixed document numbers: Hong Kong ID, Taiwan ID
 * (both checksummed, reported on their own), PRC passports and exit-entry
 * permits (no checksum: they need a key or hotword).
 */
#include <string.h>

#include "engine_int.h"
#include "validate.h"

static bool upper(uint8_t b) { return b >= 'A' && b <= 'Z'; }

static bool digits_at(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!pii_is_digit(s[i]))
            return false;
    return true;
}

/* Letters used after a prefix letter in the newer passport/permit series
 * (I and O are never used). */
static bool series_letter(uint8_t b) { return upper(b) && b != 'I' && b != 'O'; }

static bool passport_shape(const uint8_t *s, size_t n)
{
    if (n != 9)
        return false;
    if ((s[0] == 'E' || s[0] == 'G') && digits_at(s + 1, 8))
        return true;
    if (s[0] == 'E' && series_letter(s[1]) && digits_at(s + 2, 7))
        return true;
    if ((s[0] == 'D' || s[0] == 'S' || s[0] == 'P') && s[1] == 'E' && digits_at(s + 2, 7))
        return true;
    if (s[0] == 'K' && (s[1] == 'J' || pii_is_digit(s[1])) && digits_at(s + 2, 7))
        return true;
    return s[0] == 'M' && s[1] == 'A' && digits_at(s + 2, 7);
}

static bool permit_shape(const uint8_t *s, size_t n)
{
    if (n == 9 && s[0] == 'C' && (digits_at(s + 1, 8) || (series_letter(s[1]) && digits_at(s + 2, 7))))
        return true;
    return (s[0] == 'H' || s[0] == 'M') && (n == 9 || n == 11) && digits_at(s + 1, n - 1);
}

/* A123456(3): the check character in parentheses right after the word. */
static bool hkid_paren(pii_emitter *em, const pii_compound *c, int a)
{
    const pii_view *v = em->view;
    uint32_t lo = c->seg[a].lo, hi = c->seg[a].hi;
    size_t n = hi - lo;
    if (a + 1 != c->nseg || (n != 7 && n != 8) || hi + 3 > v->len)
        return false;
    const uint8_t *p = v->p;
    if (p[hi] != '(' || p[hi + 2] != ')' || !(pii_is_digit(p[hi + 1]) || p[hi + 1] == 'A'))
        return false;
    if (hi + 3 == v->len ? v->right_open : (p[hi + 3] < 128 && pii_is_alnum(p[hi + 3])))
        return false;
    char buf[10];
    memcpy(buf, p + lo, n);
    buf[n] = (char)p[hi + 1];
    if (!pii_hkid_ok(buf, n + 1))
        return false;
    pii_emit(em, lo, hi + 3, PIISCAN_HKID, 0.9f, 0);
    return true;
}

static void doc_word(pii_emitter *em, const pii_compound *c, int a)
{
    uint32_t lo = c->seg[a].lo, hi = c->seg[a].hi;
    const uint8_t *s = em->view->p + lo;
    size_t n = hi - lo;
    if (!upper(s[0]) || n < 7 || n > 11)
        return;
    if (!pii_left_ok(em->view, c, a, PII_BK_ALNUM))
        return;
    if (hkid_paren(em, c, a))
        return;
    if (!pii_right_ok(em->view, c, a + 1, PII_BK_ALNUM))
        return;
    if ((n == 8 || n == 9) && pii_hkid_ok((const char *)s, n))
        pii_emit(em, lo, hi, PIISCAN_HKID, 0.9f, 0);
    if (n == 10 && pii_twid_ok((const char *)s, n))
        pii_emit(em, lo, hi, PIISCAN_TW_ID, 0.9f, 0);
    if (passport_shape(s, n))
        pii_emit(em, lo, hi, PIISCAN_CN_PASSPORT, 0.8f, PII_F_NEED_CTX);
    if (permit_shape(s, n))
        pii_emit(em, lo, hi, PIISCAN_HK_MACAU_PERMIT, 0.8f, PII_F_NEED_CTX);
}

void pii_match_docs(pii_emitter *em, const pii_compound *c)
{
    for (int a = 0; a < c->nseg; a++)
        if (!(c->seg[a].cls & PII_SEG_DIGIT))
            doc_word(em, c, a);
}
