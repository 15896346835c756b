/*
 * compound.c -- group the bytes around a digit seed into a "compound":
 * alphanumeric words joined by single separators.
 *
 * Identifiers are written with internal separators (138-1234-5678,
 * d0:50:99:84:a2:a0, 192.0.2.1, 6655C2D7-B181-...) and sit next to other
 * tokens that must not be glued to them.  Building the compound once and
 * letting every matcher look at its segments keeps the boundary logic in one
 * place: a match over segments [a,b) knows exactly which separator and which
 * kind of word lies on each side (pii_left_ok / pii_right_ok).
 *
 * Joining rules: '.', ':', '-' join any two words; "::" joins hex words
 * (IPv6); '/' and ' ' join only a digit word to a word starting with a digit
 * (dates 1990/3/7, grouped numbers 138 1234 5678) so that prose and paths do
 * not turn into one huge compound.
 */
#include "engine_int.h"

#define MAX_WORD 96      /* longest word that can be (part of) an identifier */
#define MAX_LEFT_WORDS 48

/* Per byte: PII_SEG_DIGIT, PII_SEG_HEX (digit or a-f/A-F), PII_SEG_ALNUM,
 * PII_SEG_UPPER / PII_SEG_LOWER for letters.  One lookup classifies a byte
 * for the word scan and the segment class at once. */
static const uint8_t W[256] = {
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  0,  0,  0,  0,  0,  0,
     0, 14, 14, 14, 14, 14, 14, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,  0,  0,  0,  0,  0,
     0, 22, 22, 22, 22, 22, 22, 20, 20, 20, 20, 20, 20, 20, 20, 20,
    20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
};

/* Per separator (as stored in seg[].sep): its PII_SEP_* bit, and a count
 * in its byte lane of pii_compound.nseps. */
static const uint8_t SEP_BIT[256] = {
    ['.'] = PII_SEP_DOT, [':'] = PII_SEP_COLON, ['D'] = PII_SEP_COLON, ['-'] = PII_SEP_DASH,
    [' '] = PII_SEP_SPACE, ['/'] = PII_SEP_SLASH,
};
static const uint32_t SEP_LANE[256] = { [':'] = 1, ['.'] = 1u << 8, ['-'] = 1u << 16, ['D'] = 1u << 24 };
_Static_assert(PII_MAX_SEGS < 256, "a lane holds the count of every separator");

static bool word_all_digits(const uint8_t *p, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        if (!pii_is_digit(p[i]))
            return false;
    return true;
}

/* May word [llo,lhi) be joined to the word starting at rlo by separator s? */
static bool joinable(const uint8_t *p, size_t llo, size_t lhi, uint8_t s, size_t rlo)
{
    switch (s) {
    case '.': case ':': case '-': case 'D':
        return true;
    case ' ': case '/':
        return pii_is_digit(p[rlo]) && word_all_digits(p, llo, lhi);
    default:
        return false;
    }
}

/* Scan the word at p[i..] and classify it in the same pass. */
static size_t word_scan(const uint8_t *p, size_t i, size_t len, uint8_t *cls)
{
    size_t lim = i + MAX_WORD + 1 < len ? i + MAX_WORD + 1 : len;
    uint8_t all = 0xFF, any = 0;
    while (i < lim && W[p[i]]) {
        all &= W[p[i]];
        any |= W[p[i]];
        i++;
    }
    *cls = (uint8_t)((all & (PII_SEG_DIGIT | PII_SEG_HEX)) | PII_SEG_ALNUM | (any & (PII_SEG_UPPER | PII_SEG_LOWER)));
    return i;
}

/* Separator starting at p[i] that is followed by a word; 0 if none. */
static uint8_t sep_at(const uint8_t *p, size_t i, size_t len, size_t *next)
{
    if (i >= len)
        return 0;
    uint8_t s = p[i];
    if (s == ':' && i + 1 < len && p[i + 1] == ':') {
        if (i + 2 < len && pii_is_alnum(p[i + 2])) {
            *next = i + 2;
            return 'D';
        }
        return 0;
    }
    if (s != '.' && s != ':' && s != '-' && s != '/' && s != ' ')
        return 0;
    if (i + 1 < len && pii_is_alnum(p[i + 1])) {
        *next = i + 1;
        return s;
    }
    return 0;
}

size_t pii_escape_letters(const uint8_t *p, size_t wl, size_t hi)
{
    if (wl == 0 || wl >= hi)
        return 0;
    if (p[wl - 1] == '%')   /* URL encoding: two hex digits */
        return hi - wl >= 2 && pii_is_hex(p[wl]) && pii_is_hex(p[wl + 1]) ? 2 : 0;
    if (p[wl - 1] != '\\')
        return 0;
    /* "\\bob" is a backslash and bob (DOMAIN\\bob in JSON): an escape
     * needs an odd run of backslashes. */
    size_t k = wl - 1;
    while (k > 0 && p[k - 1] == '\\')
        k--;
    if ((wl - k) % 2 == 0)
        return 0;
    switch (p[wl]) {
    case 'n': case 'r': case 't':   /* not \b and \f: rare in text, and DOMAIN\bob is not */
        return 1;
    case 'u':
        if (hi - wl < 5)
            return 0;
        for (size_t k = 1; k <= 4; k++)
            if (!pii_is_hex(p[wl + k]))
                return 0;
        return 5;
    default:
        return 0;
    }
}

/* Walk left from the word starting at wl over joinable words. */
static size_t find_start(const uint8_t *p, size_t wl, size_t floor)
{
    for (int k = 0; k < MAX_LEFT_WORDS && wl > floor + 1; k++) {
        size_t pe = wl - 1;      /* separator position */
        uint8_t s = p[pe];
        if (s == ':' && pe > floor && p[pe - 1] == ':') {
            s = 'D';
            pe--;
        }
        if (pe <= floor || !pii_is_alnum(p[pe - 1]))
            break;
        size_t ps = pe;
        while (ps > floor && pii_is_alnum(p[ps - 1]) && pe - ps <= MAX_WORD)
            ps--;
        if (pe - ps > MAX_WORD || (ps == floor && ps > 0 && pii_is_alnum(p[ps - 1])))
            break;
        if (!joinable(p, ps, pe, s, wl))
            break;
        wl = ps;
    }
    return wl;
}

/* Is the word [wl, e), under 7 characters and holding the seed digit, a
 * lone word: one that no join rule glues to a neighbour, so that its
 * compound is that single short segment, which no matcher keeps (ports,
 * pids, counters, durations, "v2", "x64", "wx_d2f499")?  Most seeds in logs
 * are in such words; deciding here spares the compound.  The test is
 * conservative on the neighbouring bytes: '.' and '-' join any two words,
 * ' ' and '/' only a digit word to a word starting with a digit; ':' on
 * either side (times, "::" of IPv6) and 1990年 go the full way.  The
 * seed is the first digit since floor, so the word starts before it only
 * with letters and, being short, right after floor or a non-word byte. */
static bool lone_short_word(const pii_view *v, size_t wl, size_t e, size_t floor)
{
    const uint8_t *p = v->p;
    size_t len = v->len;
    /* ':' joins a word before it (10:30) and "::" opens IPv6; after a
     * quote or blank it is only a key's separator ("dur_ms":3714). */
    if (wl > 0 && p[wl - 1] == ':' && (wl < 2 || p[wl - 2] == ':' || pii_is_alnum(p[wl - 2])))
        return false;
    if (wl > floor + 1) {
        uint8_t s = p[wl - 1];
        if ((s == '.' || s == '-') ? pii_is_alnum(p[wl - 2])
                                   : (s == ' ' || s == '/') && pii_is_digit(p[wl - 2]) && pii_is_digit(p[wl]))
            return false;
    }
    if (e + 1 < len) {
        uint8_t s = p[e];
        if (s == ':' && (p[e + 1] == ':' || pii_is_alnum(p[e + 1])))
            return false;
        if ((s == '.' || s == '-') ? pii_is_alnum(p[e + 1]) : (s == ' ' || s == '/') && pii_is_digit(p[e + 1]))
            return false;
    }
    return !(e < len && e - wl == 4 && p[e] == 0xE5);
}

bool pii_compound_build(const pii_view *v, size_t seed, size_t floor, pii_compound *c, size_t *next)
{
    const uint8_t *p = v->p;
    size_t len = v->len;
    size_t wl = seed;
    while (wl > floor && W[p[wl - 1]] && seed - wl <= MAX_WORD)
        wl--;
    uint8_t cls;
    size_t hi = word_scan(p, wl, len, &cls);   /* the seed's word, scanned once */
    size_t esc = wl > 0 && (p[wl - 1] == '\\' || p[wl - 1] == '%') && hi - wl <= MAX_WORD
                     ? pii_escape_letters(p, wl, hi) : 0;
    if (esc) {
        wl += esc;
        if (wl == hi) {
            *next = hi;
            return false;
        }
        hi = word_scan(p, wl, len, &cls);
    }
    if (hi - wl > MAX_WORD || (!esc && wl > floor && W[p[wl - 1]])) {
        /* Far too long for any identifier (hashes of hashes, 100 MB digit
         * lines): skip the whole alphanumeric run. */
        while (hi < len && W[p[hi]])
            hi++;
        *next = hi;
        return false;
    }
    if (hi - wl < 7 && !v->exhaustive && pii_is_digit(p[seed]) && lone_short_word(v, wl, hi, floor)) {
        *next = hi;
        return false;
    }
    size_t dec = 0;
    if (!esc && hi < len && (cls & PII_SEG_DIGIT))
        dec = p[hi] == '.' ? pii_skip_decimal(v, wl, hi, floor) : p[hi] == ':' ? pii_skip_colons(v, wl, hi, floor) : 0;
    if (dec) {
        *next = dec;
        return false;
    }
    if (!esc && hi - wl >= 9 && (cls & PII_SEG_DIGIT) && pii_skip_number(v, wl, hi, floor)) {
        *next = hi;
        return false;
    }
    size_t start = esc ? wl : find_start(p, wl, floor);
    if (start != wl) {
        wl = start;
        hi = word_scan(p, wl, len, &cls);
    }

    c->nseg = 0;
    c->seps = 0;
    c->nseps = 0;
    c->cls_any = 0;
    c->lens = 0;
    c->overflow = false;
    c->lead_dcolon = wl >= 2 && p[wl - 1] == ':' && p[wl - 2] == ':';
    c->trail_dcolon = false;
    c->after_escape = esc != 0;
    c->start = (uint32_t)(c->lead_dcolon ? wl - 2 : wl);
    if (c->lead_dcolon)
        c->seps |= PII_SEP_COLON;

    size_t lo = wl;
    for (;;) {
        int k = c->nseg++;
        c->seg[k].lo = (uint32_t)lo;
        c->seg[k].hi = (uint32_t)hi;
        c->seg[k].cls = cls;
        c->seg[k].sep = 0;
        c->cls_any |= cls;
        c->lens |= 1u << (hi - lo < 31 ? hi - lo : 31);
        size_t nx = 0;
        uint8_t s = sep_at(p, hi, len, &nx);
        if (!s || ((s == ' ' || s == '/') && !((cls & PII_SEG_DIGIT) && pii_is_digit(p[nx]))))
            break;
        uint8_t ncls;
        size_t nhi = word_scan(p, nx, len, &ncls);
        if (nhi - nx > MAX_WORD)
            break;
        if (c->nseg == PII_MAX_SEGS) {
            c->overflow = true;
            break;
        }
        c->seg[k].sep = s;
        c->seps |= SEP_BIT[s];
        c->nseps += SEP_LANE[s];
        lo = nx;
        hi = nhi;
        cls = ncls;
    }
    size_t end = c->seg[c->nseg - 1].hi;
    if (!c->overflow && end + 1 < len && p[end] == ':' && p[end + 1] == ':') {
        c->trail_dcolon = true;
        c->seps |= PII_SEP_COLON;
        end += 2;
    }
    c->end = (uint32_t)end;
    if (c->overflow) {
        /* Skip the rest of the over-long compound so it is not re-seeded
         * in the middle with a fake left boundary. */
        size_t e = end;
        while (e < len && (pii_is_alnum(p[e]) || p[e] == '.' || p[e] == ':' || p[e] == '-'))
            e++;
        *next = e;
    } else {
        *next = end;
    }
    return true;
}

/* The real byte before view offset pos; -1 when unknown (window edge). */
static int byte_before(const pii_view *v, size_t pos)
{
    if (pos > 0)
        return v->p[pos - 1];
    return v->left_open ? -1 : v->left_byte;
}

static int byte_after(const pii_view *v, size_t pos)
{
    if (pos < v->len)
        return v->p[pos];
    return v->right_open ? -1 : v->right_byte;
}

/* Is separator s, with a word of class other on its far side, a boundary
 * for a match of this kind?  left: the separator precedes the match. */
static bool sep_ok(int kind, uint8_t s, uint8_t other, bool left)
{
    bool digits = other & PII_SEG_DIGIT;
    switch (kind) {
    case PII_BK_NUMERIC:
        /* 1.13812345678 and 13812345678.5 are decimals; 2024-13812345678
         * and 138-1234-5678-9 are longer numbers. */
        if (s == '.')
            return !left && !digits;
        return !((s == '-' || s == '/') && digits);
    case PII_BK_DOTTED:
        return s != '.';
    case PII_BK_COLON:
        return s != ':' && s != 'D';
    case PII_BK_HEX:
        return s == ' ' || s == '/' || (s == ':' && !(other & PII_SEG_HEX));
    default:
        return true;
    }
}

bool pii_left_ok(const pii_view *v, const pii_compound *c, int a, int kind)
{
    if (a == 0) {
        if (c->lead_dcolon && (kind == PII_BK_COLON || kind == PII_BK_HEX))
            return false;
        if (c->after_escape)
            return true;
        int b = byte_before(v, c->seg[0].lo);
        if (b < 0 || (b < 128 && pii_is_alnum((uint8_t)b)))
            return false;
        if (b == '.' && (kind == PII_BK_NUMERIC || kind == PII_BK_DOTTED)) {
            size_t pos = c->seg[0].lo;
            if (pos >= 2 && pii_is_digit(v->p[pos - 2]))
                return false;
        }
        return true;
    }
    return sep_ok(kind, c->seg[a - 1].sep, c->seg[a - 1].cls, true);
}

bool pii_right_ok(const pii_view *v, const pii_compound *c, int b, int kind)
{
    if (b == c->nseg) {
        if (c->overflow)
            return false;
        if (c->trail_dcolon && (kind == PII_BK_COLON || kind == PII_BK_HEX))
            return false;
        size_t pos = c->trail_dcolon ? c->end : c->seg[b - 1].hi;
        int x = byte_after(v, pos);
        if (x < 0 || (x < 128 && pii_is_alnum((uint8_t)x)))
            return false;
        return true;
    }
    return sep_ok(kind, c->seg[b - 1].sep, c->seg[b].cls, false);
}
