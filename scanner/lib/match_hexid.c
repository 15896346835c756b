/*
 * match_hexid.c -- hex device identifiers that carry no checksum: UUID-shaped
 * advertising and vendor IDs (IDFA, IDFV, GAID, OAID), Android ID, OAID's
 * 16/32/64-hex forms and MEID.
 *
 * None of these can be told from a trace id or a hash by its shape, so every
 * candidate here needs a key or hotword (PII_F_NEED_CTX); the context stage
 * decides which type, if any, the value is.
 */
#include "engine_int.h"
#include "validate.h"

static size_t seglen(const pii_compound *c, int k) { return c->seg[k].hi - c->seg[k].lo; }

static bool all_zero(const uint8_t *p, uint32_t lo, uint32_t hi)
{
    for (uint32_t i = lo; i < hi; i++)
        if (p[i] != '0' && p[i] != '-')
            return false;
    return true;
}

static void uuid(pii_emitter *em, const pii_compound *c, int a)
{
    static const int shape[5] = { 8, 4, 4, 4, 12 };
    if (a + 4 >= c->nseg)
        return;
    for (int k = 0; k < 5; k++) {
        int j = a + k;
        if (seglen(c, j) != (size_t)shape[k] || !(c->seg[j].cls & PII_SEG_HEX) || (k < 4 && c->seg[j].sep != '-'))
            return;
    }
    if (!pii_left_ok(em->view, c, a, PII_BK_HEX) || !pii_right_ok(em->view, c, a + 5, PII_BK_HEX))
        return;
    uint32_t lo = c->seg[a].lo, hi = c->seg[a + 4].hi;
    int flags = PII_F_NEED_CTX | (all_zero(em->view->p, lo, hi) ? PII_F_PLACEHOLDER : 0);
    pii_emit(em, lo, hi, PIISCAN_IDFA, 0.85f, flags);
    pii_emit(em, lo, hi, PIISCAN_IDFV, 0.85f, flags);
    pii_emit(em, lo, hi, PIISCAN_GAID, 0.85f, flags);
    pii_emit(em, lo, hi, PIISCAN_OAID, 0.85f, flags);
}

static void hexword(pii_emitter *em, const pii_compound *c, int a)
{
    size_t n = seglen(c, a);
    if (!(c->seg[a].cls & PII_SEG_HEX) || n < 14)
        return;
    if (!pii_left_ok(em->view, c, a, PII_BK_HEX) || !pii_right_ok(em->view, c, a + 1, PII_BK_HEX))
        return;
    uint32_t lo = c->seg[a].lo, hi = c->seg[a].hi;
    const char *s = (const char *)em->view->p + lo;
    int zero = all_zero(em->view->p, lo, hi) ? PII_F_PLACEHOLDER : 0;
    if (n == 16) {
        pii_emit(em, lo, hi, PIISCAN_ANDROID_ID, 0.85f, PII_F_NEED_CTX | zero);
        pii_emit(em, lo, hi, PIISCAN_OAID, 0.85f, PII_F_NEED_CTX | zero);
    } else if (n == 32 || n == 64) {
        pii_emit(em, lo, hi, PIISCAN_OAID, 0.85f, PII_F_NEED_CTX | zero);
    } else if ((n == 14 || n == 15) && pii_meid_ok(s, n)) {
        pii_emit(em, lo, hi, PIISCAN_MEID, 0.85f, PII_F_NEED_CTX);
    }
    if (n == 15 && zero)
        pii_emit(em, lo, hi, PIISCAN_OAID, 0.85f, PII_F_NEED_CTX | zero);
}

void pii_match_hexid(pii_emitter *em, const pii_compound *c)
{
    bool uuids = c->nseg >= 5 && (c->seps & PII_SEP_DASH);
    for (int a = 0; a < c->nseg; a++) {
        if (uuids)
            uuid(em, c, a);
        hexword(em, c, a);
    }
}
