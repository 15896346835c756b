/*
 * match_date_gps.c -- birth dates and GPS coordinates.
 *
 * A date is personal only as a date of birth and a single decimal is a GPS
 * coordinate only under a lat/lng key, so both are emitted as context-needing
 * candidates; a lat,lng pair with five or more decimals (about one metre) is
 * specific enough to report on its own.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "validate.h"

static size_t seglen(const pii_compound *c, int k) { return c->seg[k].hi - c->seg[k].lo; }
static bool segdig(const pii_compound *c, int k) { return (c->seg[k].cls & PII_SEG_DIGIT) != 0; }

static int num(const uint8_t *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* 1990年3月7日 (日 optional); returns the end offset or 0. */
static size_t cjk_date(const uint8_t *p, size_t len, size_t i, int *m, int *d)
{
    static const uint8_t NIAN[] = { 0xE5, 0xB9, 0xB4 }, YUE[] = { 0xE6, 0x9C, 0x88 }, RI[] = { 0xE6, 0x97, 0xA5 };
    if (i + 3 > len || memcmp(p + i, NIAN, 3) != 0)
        return 0;
    i += 3;
    size_t s = i;
    while (i < len && pii_is_digit(p[i]) && i - s < 3)
        i++;
    if (i - s < 1 || i - s > 2 || i + 3 > len || memcmp(p + i, YUE, 3) != 0)
        return 0;
    *m = num(p + s, i - s);
    i += 3;
    s = i;
    while (i < len && pii_is_digit(p[i]) && i - s < 3)
        i++;
    if (i - s < 1 || i - s > 2)
        return 0;
    *d = num(p + s, i - s);
    if (i + 3 <= len && memcmp(p + i, RI, 3) == 0)
        i += 3;
    else if (i == len || pii_is_digit(p[i]))
        return 0;
    return i;
}

static void dates(pii_emitter *em, const pii_compound *c, int a)
{
    const uint8_t *p = em->view->p;
    uint32_t lo = c->seg[a].lo;
    if (!segdig(c, a) || !pii_left_ok(em->view, c, a, PII_BK_NUMERIC))
        return;
    if (seglen(c, a) == 8 && pii_right_ok(em->view, c, a + 1, PII_BK_NUMERIC)) {
        const uint8_t *s = p + lo;
        if (pii_date_ok(num(s, 4), num(s + 4, 2), num(s + 6, 2)))
            pii_emit(em, lo, c->seg[a].hi, PIISCAN_BIRTH_DATE, 0.8f, PII_F_NEED_CTX);
        return;
    }
    if (seglen(c, a) != 4)
        return;
    int y = num(p + lo, 4), m = 0, d = 0;
    uint8_t s = c->seg[a].sep;
    if ((s == '-' || s == '/' || s == '.') && a + 2 < c->nseg && c->seg[a + 1].sep == s &&
        segdig(c, a + 1) && segdig(c, a + 2) && seglen(c, a + 1) <= 2 && seglen(c, a + 2) <= 2 &&
        pii_right_ok(em->view, c, a + 3, s == '.' ? PII_BK_DOTTED : PII_BK_NUMERIC)) {
        m = num(p + c->seg[a + 1].lo, seglen(c, a + 1));
        d = num(p + c->seg[a + 2].lo, seglen(c, a + 2));
        if (pii_date_ok(y, m, d))
            pii_emit(em, lo, c->seg[a + 2].hi, PIISCAN_BIRTH_DATE, 0.8f, PII_F_NEED_CTX);
        return;
    }
    if (a + 1 == c->nseg) {
        size_t e = cjk_date(p, em->view->len, c->seg[a].hi, &m, &d);
        if (e && pii_date_ok(y, m, d))
            pii_emit(em, lo, (uint32_t)e, PIISCAN_BIRTH_DATE, 0.8f, PII_F_NEED_CTX);
    }
}

typedef struct coord {
    double v;
    int decimals;
} coord;

/* Parse [-]ddd.dddd at p[i..len); returns the end or 0. */
static size_t parse_coord(const uint8_t *p, size_t len, size_t i, coord *out)
{
    size_t s = i;
    if (i < len && p[i] == '-')
        i++;
    size_t ds = i;
    while (i < len && pii_is_digit(p[i]) && i - ds < 4)
        i++;
    if (i - ds < 1 || i - ds > 3 || i >= len || p[i] != '.')
        return 0;
    i++;
    size_t fs = i;
    while (i < len && pii_is_digit(p[i]) && i - fs < 16)
        i++;
    if (i - fs < 1 || (i < len && (pii_is_alnum(p[i]) || p[i] == '.')))
        return 0;
    out->decimals = (int)(i - fs);
    if (out->decimals < 4)
        return 0;   /* never a coordinate here: skip strtod */
    char buf[32];
    memcpy(buf, p + s, i - s);
    buf[i - s] = 0;
    out->v = strtod(buf, NULL);
    out->decimals = (int)(i - fs);
    return i;
}

static bool lat_ok(double v) { return v >= -90.0 && v <= 90.0; }
static bool lng_ok(double v) { return v >= -180.0 && v <= 180.0; }

static bool placeholder(double a, double b)
{
    /* The Android emulator's default position (Googleplex). */
    return (a > 37.4219 && a < 37.4220 && b > -122.0841 && b < -122.0839) ||
           (b > 37.4219 && b < 37.4220 && a > -122.0841 && a < -122.0839);
}

static void gps(pii_emitter *em, const pii_compound *c, int a)
{
    const uint8_t *p = em->view->p;
    size_t len = em->view->len;
    if (a + 1 >= c->nseg || c->seg[a].sep != '.' || !segdig(c, a) || !segdig(c, a + 1) || seglen(c, a) > 3)
        return;
    /* The decimals are segment a + 1, and parse_coord takes 4 to 16 of
     * them: prices (3286.07) and durations (0.785) end here, before the
     * boundary tests. */
    size_t decimals = seglen(c, a + 1);
    if (!em->view->exhaustive && (decimals < 4 || decimals > 16))
        return;
    if (!pii_left_ok(em->view, c, a, PII_BK_DOTTED) || !pii_right_ok(em->view, c, a + 2, PII_BK_DOTTED))
        return;
    uint32_t lo = c->seg[a].lo;
    if (a == 0 && lo > 0 && p[lo - 1] == '-' && (lo < 2 || !pii_is_alnum(p[lo - 2])))
        lo--;
    coord x;
    size_t e = parse_coord(p, len, lo, &x);
    if (!e || e != c->seg[a + 1].hi)
        return;
    /* A second coordinate after a comma makes a pair. */
    if (a + 2 == c->nseg && e < len && p[e] == ',') {
        size_t j = e + 1;
        while (j < len && p[j] == ' ' && j - e < 3)
            j++;
        coord y;
        size_t e2 = parse_coord(p, len, j, &y);
        if (e2 && (e2 < len || !em->view->right_open) && x.decimals >= 5 && y.decimals >= 5 &&
            ((lat_ok(x.v) && lng_ok(y.v)) || (lng_ok(x.v) && lat_ok(y.v)))) {
            bool ph = placeholder(x.v, y.v);
            pii_emit(em, lo, (uint32_t)e2, PIISCAN_GPS, 0.8f, ph ? PII_F_PLACEHOLDER : 0);
            /* The first coordinate alone as well: the pair wins wherever it
             * stands, but over the lat and lng cells of a CSV it is no
             * value (detect_window.c drops it) and each cell is its own. */
            pii_emit(em, lo, (uint32_t)e, PIISCAN_GPS, 0.8f, PII_F_NEED_CTX | (ph ? PII_F_PLACEHOLDER : 0));
            return;
        }
        if (e2 && placeholder(x.v, y.v)) {
            pii_emit(em, lo, (uint32_t)e2, PIISCAN_GPS, 0.8f, PII_F_PLACEHOLDER);
            return;
        }
    }
    if (x.decimals >= 4 && lng_ok(x.v)) {
        bool ph = (x.v > 37.4219 && x.v < 37.4220) || (x.v > -122.0841 && x.v < -122.0839);
        pii_emit(em, lo, (uint32_t)e, PIISCAN_GPS, 0.8f, PII_F_NEED_CTX | (ph ? PII_F_PLACEHOLDER : 0));
    }
}

void pii_match_date_gps(pii_emitter *em, const pii_compound *c)
{
    /* A coordinate is 1-3 digits, a dot and 4-16 decimals (gps): most
     * dotted compounds (versions, prices, durations) lack one of the two
     * segment lengths and are not walked for coordinates at all. */
    bool coords = (c->seps & PII_SEP_DOT) &&
                  (em->view->exhaustive || ((c->lens & 0xEu) && (c->lens & 0x1FFF0u)));   /* bits 1-3, 4-16 */
    /* A date is only a birth date under its key or hotword: log times are
     * not parsed when none is in reach (detect.c). */
    bool want_dates = (c->lens & (1u << 4 | 1u << 8)) &&
                      (!em->gated || (pii_near_mask(em) & (1u << PIISCAN_BIRTH_DATE)));
    if (!coords && !want_dates)
        return;
    for (int a = 0; a < c->nseg; a++) {
        size_t l = seglen(c, a);
        if (want_dates && (l == 4 || l == 8))
            dates(em, c, a);
        if (coords)
            gps(em, c, a);
    }
}
