/*
 * skip_shapes.c -- shapes of digits that hold no personal data, stepped
 * over by the tokenizer from their bytes instead of built into a compound
 * and shown to every matcher.
 *
 * Most compounds in logs are such shapes (the bench's 20 MiB: 630,000
 * compounds, 1.4% of them yielding a finding), and building one costs
 * several hundred instructions.  Each shape here is one that no matcher
 * can keep, as long as nothing is joined to it on either side (the
 * compound would then be another) -- when in doubt, return 0 and let the
 * general way decide.  test_shortcuts checks, on every corpus file and on
 * generated text, that detection with these shortcuts gives exactly what
 * exhaustive detection gives.
 */
#include "engine_int.h"
#include "validate.h"

static bool digits_at(const uint8_t *p, size_t n) { return pii_all_digits((const char *)p, n); }

/* Is p[0..19) "dddd-dd-dd dd:dd:dd" or "dddd-dd-ddTdd:dd:dd"? */
static bool iso_datetime(const uint8_t *p)
{
    return digits_at(p, 4) && p[4] == '-' && digits_at(p + 5, 2) && p[7] == '-' && digits_at(p + 8, 2) &&
           (p[10] == ' ' || p[10] == 'T') && digits_at(p + 11, 2) && p[13] == ':' && digits_at(p + 14, 2) &&
           p[16] == ':' && digits_at(p + 17, 2);
}

/* A byte after e that a compound would grow into (compound.c's joins),
 * or no byte at all (the window's edge): the general way decides. */
static bool joins_right(const pii_view *v, size_t e)
{
    const uint8_t *p = v->p;
    if (e + 1 >= v->len)
        return true;
    uint8_t b = p[e], a = p[e + 1];
    if (pii_is_alnum(b))
        return true;
    if (b == '.' || b == ':' || b == '-')
        return pii_is_alnum(a) || a == ':';
    return (b == ' ' || b == '/') && pii_is_digit(a);
}

/* The same on the left of a seed at i: a word, an escape, or a separator
 * that would join a word before. */
static bool joins_left(const pii_view *v, size_t i, size_t floor)
{
    const uint8_t *p = v->p;
    if (i == 0)
        return v->left_open;
    uint8_t b = p[i - 1];
    if (b == '\\' || b == '%' || (i > floor && pii_is_alnum(b)))
        return true;
    if (i < 2)
        return false;
    uint8_t a = p[i - 2];
    if (b == ' ' || b == '/')
        return pii_is_digit(a);
    return (b == '.' || b == ':' || b == '-') && (pii_is_alnum(a) || a == ':');
}

/* The end of a line head of shape, n bytes, at seed i -- with room bytes
 * left, under context gating, in a view without a folded map, nothing
 * joined before it -- or 0. */
static inline size_t head_end(const pii_view *v, size_t i, size_t floor, size_t room, bool (*shape)(const uint8_t *),
                              size_t n)
{
    return v->near && !v->map && v->len - i >= room && shape(v->p + i) && !joins_left(v, i, floor) ? i + n : 0;
}

/* The end of the digits from d, looking at no more than max + 1 of them
 * (so that one too many can be told). */
static size_t digits_end(const pii_view *v, size_t d, size_t max)
{
    size_t lim = d + max + 1 < v->len ? d + max + 1 : v->len;
    while (d < lim && pii_is_digit(v->p[d]))
        d++;
    return d;
}

/* Log times -- 2024-03-15 08:00:00, ISO 8601's 2024-03-15T08:00:00 with
 * up to three decimals and Z -- are in nearly every line of a log and each
 * is a compound of six or seven words that no matcher keeps: a date is
 * personal only as a birth date, under a key or hotword, and the other
 * forms (phones, cards, IPs, coordinates with four or more decimals) have
 * no such shape.  Recognised from their bytes, they are stepped over for
 * about a tenth of what building and matching them cost.  Returns the end
 * of the time, or 0 when the general way must take the seed: not gated by
 * context (view->near unset), a birth-date key or hotword in reach, more
 * decimals, a zone written "-05:00" (its '-' joins), or anything joined
 * on either side. */
size_t pii_skip_log_time(pii_emitter *em, size_t i, size_t floor)
{
    const pii_view *v = em->view;
    const uint8_t *p = v->p;
    size_t e = head_end(v, i, floor, 24, iso_datetime, 19);
    if (!e)
        return 0;
    if (p[e] == '.' && pii_is_digit(p[e + 1])) {
        size_t d = digits_end(v, e + 1, 3);
        if (d - e - 1 > 3)
            return 0;   /* four decimals: match_date_gps's coordinate form */
        e = d;
    }
    if (p[e] == 'Z')
        e++;
    if (joins_right(v, e))
        return 0;
    em->gated = true;
    em->near_known = false;
    em->near_lo = (uint32_t)i;
    em->near_hi = (uint32_t)e;
    return pii_near_mask(em) & (1u << PIISCAN_BIRTH_DATE) ? 0 : e;
}

/* Is p[0..18) "dd-dd dd:dd:dd.ddd", the time of Android's logcat lines
 * (threadtime format: "03-15 08:00:00.009 29052  2980 I Tag: ...")? */
static bool logcat_time(const uint8_t *p)
{
    return digits_at(p, 2) && p[2] == '-' && digits_at(p + 3, 2) && p[5] == ' ' && digits_at(p + 6, 2) &&
           p[8] == ':' && digits_at(p + 9, 2) && p[11] == ':' && digits_at(p + 12, 2) && p[14] == '.' &&
           digits_at(p + 15, 3);
}

/* Logcat's line head: the time, and the process and thread ids that a
 * single space joins to it (the ids are right-aligned in five columns, so
 * a short id stands apart after two spaces).  Built, it was a compound of
 * up to eight words and about a fifth of a logcat file's cost.  Nothing
 * in it is kept, whatever its digits, when each id has at most 5 digits,
 * nothing joins on either side and no UTF-8 follows (年 after an id):
 *   - no match starts in the time: after "dd-" the numeric boundary fails
 *     (a '-' after digits), after ':' or the first word no numeric form
 *     fits (groups need a ' ' or '-' after a word of 3 or more digits,
 *     single forms 7 digits), and the milliseconds follow a '.' after
 *     digits, which no numeric or dotted match may start at (so not the
 *     3-4-4 mobile "138 1234 5678" that ms, pid and tid can spell);
 *   - from the ids, two words of at most 5 digits, no form fits: mobiles
 *     need 11 digits (3-4-4, or 86 and 11), landlines 7 or 8 after the
 *     area code, cards 13 or more, IMEIs and IDs three groups or 6-13;
 *   - no date (a 4- or 8-digit year with '-', '/' or '.', or 年 right
 *     after), no coordinate (three decimals, 4 are needed), no address,
 *     MAC or UUID (no colon, dash or dot runs of those shapes).
 * Returns the end of what is stepped over, or 0 for the general way. */
size_t pii_skip_logcat_time(pii_emitter *em, size_t i, size_t floor)
{
    const pii_view *v = em->view;
    size_t e = head_end(v, i, floor, 32, logcat_time, 18);
    /* The ids: each after one space, of at most 5 digits (a longer one
     * goes the general way). */
    for (int k = 0; e && k < 2 && e + 1 < v->len && v->p[e] == ' ' && pii_is_digit(v->p[e + 1]); k++) {
        size_t d = digits_end(v, e + 1, 5);
        e = d - e - 1 > 5 ? 0 : d;
    }
    /* A byte of UTF-8 next: "2980 1990年3月7日" makes the id a year (a
     * birth date under 生日); joins_right knows only ASCII joins. */
    return e && !joins_right(v, e) && v->p[e] < 0x80 ? e : 0;
}

/* Decimals -- prices, durations, ratios: 3.14, 0.785, 7630.07 -- two
 * digit words joined by a dot, which only match_date_gps looks at: as a
 * coordinate (1-3 digits, then 4-16 decimals; not stepped over here) or
 * as a date, which needs three words (1990.3.7) or a year alone before
 * 年 (a word after a dot is the decimals of a number, never a year).  No
 * word here has the 7 digits a number needs.  The compound builder asks,
 * with the seed's digit word [wl, hi) already scanned and followed by a
 * dot (asking at every seed cost more than it saved). */
/* The end of the digit word after the separator at s (fewer than max
 * digits), or 0 when none or a longer one is there. */
static size_t next_digits(const pii_view *v, size_t s, size_t max)
{
    size_t b = digits_end(v, s + 1, max - 1);
    return b == s + 1 || b > s + max || b == v->len ? 0 : b;
}

size_t pii_skip_decimal(const pii_view *v, size_t wl, size_t hi, size_t floor)
{
    const uint8_t *p = v->p;
    size_t ilen = hi - wl;
    if (v->exhaustive || v->map || ilen >= 7)
        return 0;
    size_t b = next_digits(v, hi, 6);
    size_t flen = b ? b - hi - 1 : 0;
    if (!b || (ilen <= 3 && flen >= 4))
        return 0;
    /* A third word of 1-3 digits after short ones: a version (8.2.6,
     * 122.0.1).  A fourth makes an IPv4 address, which match_net leaves
     * only after a product's slash: Chrome/122.0.0.0, Version/17.1.2.3. */
    size_t c = ilen <= 3 && flen <= 3 && p[b] == '.' ? next_digits(v, b, 3) : 0;
    if (c) {
        b = c;
        size_t d = p[b] == '.' ? next_digits(v, b, 3) : 0;
        if (d && wl >= 2 && p[wl - 1] == '/' && pii_is_alnum(p[wl - 2]))
            b = d;
    }
    return joins_left(v, wl, floor) || joins_right(v, b) ? 0 : b;
}

/* Times and counters written with colons -- 10:30, 08:00:00, nginx's
 * 15/Mar/2024:08:00:00 -- two to five digit words joined by single
 * colons: no date has colons, an IPv6 address or a MAC needs more of
 * them (or "::"), and no word has the 7 digits a number needs. */
size_t pii_skip_colons(const pii_view *v, size_t wl, size_t hi, size_t floor)
{
    const uint8_t *p = v->p;
    if (v->exhaustive || v->map || hi - wl >= 7)
        return 0;
    size_t e = hi;
    for (int words = 1; e < v->len && p[e] == ':'; words++) {
        size_t b = next_digits(v, e, 6);
        if (!b || words == 5)
            return 0;   /* "::", a letter or a long word next, or a sixth word */
        e = b;
    }
    return e == hi || joins_left(v, wl, floor) || joins_right(v, e) ? 0 : e;
}

/* Long runs of digits -- epoch seconds and milliseconds (1710460800273),
 * snowflake ids (1754372553715128232), order numbers -- standing alone:
 * unless match_numeric could take them whole (a mobile, an ID, a card
 * number by its issuer, an ICCID, a landline; all 15 and 16 digits), a
 * lone word of digits is looked at only by match_hexid (an OAID of 32 or
 * 64 hex digits under its key; the 14 of a MEID start with A-F), by
 * match_net (a bare MAC: 12) and by match_date_gps (8 digits: 19900307),
 * and 7 or 8 digits may be a landline's local part. */
bool pii_skip_number(const pii_view *v, size_t wl, size_t hi, size_t floor)
{
    size_t n = hi - wl;
    if (v->exhaustive || v->map || n < 9 || n == 12 || n == 32 || n == 64)
        return false;
    if (pii_numeric_possible((const char *)v->p + wl, n))
        return false;
    return !joins_left(v, wl, floor) && !joins_right(v, hi);
}
