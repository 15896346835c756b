/*
 * match_email.c -- e-mail addresses from Hyperscan match ends.
 *
 * The Hyperscan expression is compiled without start-of-match (40x faster on
 * this pattern), and reports every end offset.  Only the end whose next byte
 * cannot continue the domain is kept; the start is found by walking back
 * over the domain to '@' and over the local part, as RFC 5321 limits them.
 */

#include "engine_int.h"

static bool dom_ch(uint8_t b) { return pii_is_alnum(b) || b == '-' || b == '.'; }
static bool local_ch(uint8_t b)
{
    return pii_is_alnum(b) || b == '.' || b == '_' || b == '%' || b == '+' || b == '-';
}

/* File-name suffixes that follow an '@' in asset names (icon@2x.png).
 * Called for every e-mail-shaped match, so a suffix of another length
 * costs one comparison, and the rest one case-folded compare each. */
static bool asset_tld(const uint8_t *s, size_t n)
{
    static const struct { uint8_t len; char name[6]; } bad[] = {
        { 2, "js" },  { 2, "gz" },  { 2, "so" },  { 3, "png" }, { 3, "jpg" }, { 3, "gif" },
        { 3, "svg" }, { 3, "ico" }, { 3, "css" }, { 3, "map" }, { 3, "xml" }, { 3, "txt" },
        { 3, "log" }, { 3, "mp4" }, { 3, "mp3" }, { 3, "ttf" }, { 3, "pdf" }, { 3, "zip" },
        { 3, "jar" }, { 4, "jpeg" }, { 4, "webp" }, { 4, "json" }, { 4, "woff" }, { 5, "woff2" },
    };
    if (n < 2 || n > 5)
        return false;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (bad[i].len != n)
            continue;
        size_t k = 0;
        while (k < n && (s[k] | 0x20) == (uint8_t)bad[i].name[k])
            k++;
        if (k == n)
            return true;
    }
    return false;
}

void pii_match_email(const pii_view *v, uint32_t end, pii_vec_cand *out, int *oom)
{
    const uint8_t *p = v->p;
    if (end >= v->len ? v->right_open : (pii_is_alnum(p[end]) || p[end] == '-' ||
                                         (p[end] == '.' && end + 1 < v->len && pii_is_alnum(p[end + 1]))))
        return;
    size_t at = end;
    while (at > 0 && dom_ch(p[at - 1]) && end - at < 255)
        at--;
    if (at == 0 || p[at - 1] != '@')
        return;
    size_t dom = at;
    at--;
    size_t lo = at;
    while (lo > 0 && local_ch(p[lo - 1]) && at - lo < 64)
        lo--;
    if (lo > 0 && local_ch(p[lo - 1]))
        return;   /* local part longer than 64: not an address */
    if (lo == 0 && v->left_open)
        return;
    lo += pii_escape_letters(p, lo, at);   /* "mail\nzhang@..." */
    while (lo < at && p[lo] == '.')
        lo++;
    if (lo == at || p[at - 1] == '.')
        return;
    /* Domain: labels of 1..63, no leading/trailing '-', TLD of letters. */
    size_t tld = end;
    while (tld > dom && p[tld - 1] != '.')
        tld--;
    if (tld == dom || end - tld < 2 || asset_tld(p + tld, end - tld))
        return;
    for (size_t i = tld; i < end; i++)
        if (!pii_is_alpha(p[i]))
            return;
    size_t lab = dom;
    for (size_t i = dom; i <= end; i++) {
        if (i == end || p[i] == '.') {
            if (i == lab || i - lab > 63 || p[lab] == '-' || p[i - 1] == '-')
                return;
            lab = i + 1;
        }
    }
    pii_emitter em = { .view = v, .out = out, .oom = 0 };
    pii_emit(&em, (uint32_t)lo, end, PIISCAN_EMAIL, 0.9f, 0);
    if (em.oom)
        *oom = 1;
}
