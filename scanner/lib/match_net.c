/*
 * match_net.c -- IPv4, IPv6 and MAC addresses.
 *
 * Network addresses are the tokens most easily confused with other dotted
 * or colon-separated things (version strings, OIDs, times, C++ scopes, parts
 * of longer hex runs), so each match must cover a maximal run of its own
 * separator: an IPv4 address preceded or followed by ".digits" is a version
 * string, a MAC preceded or followed by ":hex" is part of an IPv6 address.
 */
#include <arpa/inet.h>
#include <string.h>

#include "engine_int.h"
#include "validate.h"

static size_t seglen(const pii_compound *c, int k) { return c->seg[k].hi - c->seg[k].lo; }

static int octet(const uint8_t *s, size_t n)
{
    if (n == 0 || n > 3)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v <= 255 ? v : -1;
}

static void ipv4(pii_emitter *em, const pii_compound *c, int a)
{
    if (a + 3 >= c->nseg)
        return;
    int o[4];
    for (int k = 0; k < 4; k++) {
        int j = a + k;
        if (!(c->seg[j].cls & PII_SEG_DIGIT) || (k < 3 && c->seg[j].sep != '.'))
            return;
        o[k] = octet(em->view->p + c->seg[j].lo, seglen(c, j));
        if (o[k] < 0)
            return;
    }
    /* Never personal: this host, loopback (the 127.0.0.1 of every access
     * log), multicast/reserved, broadcast.  Decided before the boundary
     * tests, which cost more. */
    if (o[0] == 0 || o[0] == 127 || o[0] >= 224)
        return;
    /* Product/version tokens: Chrome/120.0.0.0, Version/17.1.2.3. */
    uint32_t lo = c->seg[a].lo;
    const uint8_t *p = em->view->p;
    if (a == 0 && lo >= 2 && p[lo - 1] == '/' && pii_is_alnum(p[lo - 2]))
        return;
    if (!pii_left_ok(em->view, c, a, PII_BK_DOTTED) || !pii_right_ok(em->view, c, a + 4, PII_BK_DOTTED))
        return;
    bool private = o[0] == 10 || (o[0] == 172 && o[1] >= 16 && o[1] < 32) ||
                   (o[0] == 192 && o[1] == 168) || (o[0] == 169 && o[1] == 254);
    pii_emit(em, c->seg[a].lo, c->seg[a + 3].hi, PIISCAN_IPV4, private ? 0.65f : 0.8f, 0);
}

static void ipv6(pii_emitter *em, const pii_compound *c, int a)
{
    if (a > 0 && (c->seg[a - 1].sep == ':' || c->seg[a - 1].sep == 'D' || c->seg[a - 1].sep == '.'))
        return;   /* only from the start of a run */
    int b = a, colons = 0;
    bool dcolon = false;
    while (b < c->nseg) {
        uint8_t s = c->seg[b].sep;
        b++;
        if (s == ':')
            colons++;
        else if (s == 'D')
            colons += 2, dcolon = true;
        else if (s != '.')
            break;
    }
    uint32_t lo = c->seg[a].lo, hi = c->seg[b - 1].hi;
    if (a == 0 && c->lead_dcolon) {
        lo -= 2;
        colons += 2;
        dcolon = true;
    }
    if (b == c->nseg && c->trail_dcolon) {
        hi += 2;
        colons += 2;
        dcolon = true;
    }
    /* Without "::" an address spells out 8 groups (7 colons), or 6 before
     * a dotted IPv4 tail: times (08:00:00.009) never get to inet_pton. */
    if (colons < 2 || hi - lo > 45 || (!dcolon && colons < 6))
        return;
    char buf[48];
    memcpy(buf, em->view->p + lo, hi - lo);
    buf[hi - lo] = 0;
    struct in6_addr in;
    if (inet_pton(AF_INET6, buf, &in) != 1)
        return;
    static const uint8_t zero[16];
    if (memcmp(in.s6_addr, zero, 15) == 0 && in.s6_addr[15] <= 1)
        return;   /* :: and ::1 */
    if (memcmp(in.s6_addr + 8, zero, 8) == 0)
        return;   /* a prefix (fe80::, 2001:db8::), no host: interface id zero */
    /* left_ok/right_ok with the colon rule (a run is maximal by construction,
     * but the real neighbours must still be boundaries). */
    if (!pii_left_ok(em->view, c, a, PII_BK_DOTTED) || !pii_right_ok(em->view, c, b, PII_BK_DOTTED))
        return;
    pii_emit(em, lo, hi, PIISCAN_IPV6, 0.8f, 0);
}

static int hexval(uint8_t b) { return pii_is_digit(b) ? b - '0' : (b | 0x20) - 'a' + 10; }

static void mac_emit(pii_emitter *em, uint32_t lo, uint32_t hi, const uint8_t oct[6], int flags)
{
    if (!pii_mac_ok(oct))
        return;
    if (pii_mac_placeholder(oct))
        flags |= PII_F_PLACEHOLDER;
    /* Locally administered (randomised) addresses are still identifiers,
     * only per network or per app. */
    float score = (oct[0] & 2) ? 0.75f : 0.85f;
    pii_emit(em, lo, hi, PIISCAN_MAC, score, flags);
}

static void mac(pii_emitter *em, const pii_compound *c, int a)
{
    const uint8_t *p = em->view->p;
    uint8_t s = c->seg[a].sep, oct[6];
    int cls_all = PII_SEG_HEX;
    if ((s == ':' || s == '-') && a + 5 < c->nseg) {
        for (int k = 0; k < 6; k++) {
            int j = a + k;
            if (seglen(c, j) != 2 || !(c->seg[j].cls & PII_SEG_HEX) || (k < 5 && c->seg[j].sep != s))
                return;
            cls_all |= c->seg[j].cls;
            oct[k] = (uint8_t)(hexval(p[c->seg[j].lo]) << 4 | hexval(p[c->seg[j].lo + 1]));
        }
        int kind = s == ':' ? PII_BK_COLON : PII_BK_HEX;
        if (!pii_left_ok(em->view, c, a, kind) || !pii_right_ok(em->view, c, a + 6, kind))
            return;
        if ((cls_all & PII_SEG_UPPER) && (cls_all & PII_SEG_LOWER))
            return;   /* mixed case: a hash fragment, not a printed address */
        mac_emit(em, c->seg[a].lo, c->seg[a + 5].hi, oct, 0);
    } else if (s == '.' && a + 2 < c->nseg) {
        for (int k = 0; k < 3; k++) {
            int j = a + k;
            if (seglen(c, j) != 4 || !(c->seg[j].cls & PII_SEG_HEX) || (k < 2 && c->seg[j].sep != '.'))
                return;
            const uint8_t *q = p + c->seg[j].lo;
            oct[2 * k] = (uint8_t)(hexval(q[0]) << 4 | hexval(q[1]));
            oct[2 * k + 1] = (uint8_t)(hexval(q[2]) << 4 | hexval(q[3]));
        }
        if (!pii_left_ok(em->view, c, a, PII_BK_DOTTED) || !pii_right_ok(em->view, c, a + 3, PII_BK_DOTTED))
            return;
        mac_emit(em, c->seg[a].lo, c->seg[a + 2].hi, oct, 0);
    }
}

static void mac_bare(pii_emitter *em, const pii_compound *c, int a)
{
    if (seglen(c, a) != 12 || !(c->seg[a].cls & PII_SEG_HEX))
        return;
    if (!pii_left_ok(em->view, c, a, PII_BK_HEX) || !pii_right_ok(em->view, c, a + 1, PII_BK_HEX))
        return;
    const uint8_t *q = em->view->p + c->seg[a].lo;
    uint8_t oct[6];
    for (int k = 0; k < 6; k++)
        oct[k] = (uint8_t)(hexval(q[2 * k]) << 4 | hexval(q[2 * k + 1]));
    mac_emit(em, c->seg[a].lo, c->seg[a].hi, oct, PII_F_NEED_CTX);
}

/* Every segment start, for the forms the compound allows.  Kept out of
 * line: most compounds are decided by the gate in pii_match_net, and they
 * should not pay for the registers and stack frame of the forms. */
__attribute__((noinline)) static void net_forms(pii_emitter *em, const pii_compound *c, bool dots, bool colons,
                                                bool macs, bool bare)
{
    for (int a = 0; a < c->nseg; a++) {
        if (dots && (c->seg[a].cls & PII_SEG_DIGIT))
            ipv4(em, c, a);
        if (c->seg[a].cls & PII_SEG_HEX) {
            if (colons)
                ipv6(em, c, a);
            if (macs)
                mac(em, c, a);
            if (bare)
                mac_bare(em, c, a);
        }
    }
}

void pii_match_net(pii_emitter *em, const pii_compound *c)
{
    /* Which forms the compound's separators and segment lengths leave
     * possible, counted once: an IPv4 address needs three dots, an IPv6
     * one "::" or six colons, a MAC five ':' or '-' between 2-character
     * groups, two dots between 4-character groups, or a 12-character
     * word not joined by '-' or '.'.  Log times and dates (2024-03-15
     * 08:00:00) have none of these and are done here, before any
     * per-segment attempt. */
    pii_sep_count n = pii_sep_counts(c);   /* counted by the builder */
    bool all = em->view->exhaustive;
    bool dots = c->nseg >= 4 && (c->seps & PII_SEP_DOT) && (all || n.dot >= 3);
    bool colons = (c->seps & PII_SEP_COLON) && (all || n.dcolon || n.colon >= 6);
    bool macs = c->nseg >= 3 && (c->seps & (PII_SEP_COLON | PII_SEP_DASH | PII_SEP_DOT)) &&
                (all || ((c->lens & 1u << 2) && (n.colon >= 5 || n.dash >= 5)) || ((c->lens & 1u << 4) && n.dot >= 2));
    bool bare = all || pii_bare_mac_possible(c);
    if (dots || colons || macs || bare)
        net_forms(em, c, dots, colons, macs, bare);
}
