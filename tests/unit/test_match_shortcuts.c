/*
 * test_match_shortcuts.c -- the matchers' early rejections (single words
 * ruled out by length and first digits, net forms by separator counts,
 * coordinates by decimal count, grouped numbers by group lengths) are
 * optimizations only.  Each is skipped in exhaustive mode, so detection
 * both ways must give exactly the same candidates; this feeds both a soup
 * of tokens at those edges: digit words of every length from 7 to 21 with
 * the prefixes the forms look at, addresses with one separator too few or
 * too many, coordinates with 3 to 17 decimals.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

#include "both_ways.h"

TestSuite(match_shortcuts, .init = setup, .fini = teardown);

/* Fixed tokens: valid values of each form next to near misses. */
static const char *const TOKENS[] = {
    /* cards, IMEI, IDs, ICCID, phones, single and grouped */
    "4111111111111111", "6222020012345678", "5500005555555559", "378282246310005", "6011111111111117",
    "3530111333300000", "4111 1111 1111 1111", "3782 822463 10005", "6222 0200 1234 5678", "4111-1111-1111-1111",
    "490154203237518", "35-209900-176148-1", "49015420 323751 8", "3520990017614823", "460073135928555",
    "11010519491231002X", "11010519491231002x", "110105491231002", "110105 19491231 002X", "89860312345678901234",
    "8986031234567890123F", "898603123456789012G", "13812345678", "8613812345678", "008613812345678",
    "+8613812345678", "(+86) 138 1234 5678", "86 138 1234 5678", "138-1234-5678", "0755-12345678",
    "010-62345678-123", "(0755)1234567", "(010) 62345678", "075512345678", "01062345678",
    /* IPv4 */
    "192.168.1.1", "127.0.0.1", "10.0.0.255", "8.8.8.8", "Chrome/120.0.0.0", "1.2.3.4.5", "256.1.1.1", "1.2.3",
    "0.1.2.3", "224.0.0.1",
    /* IPv6 */
    "2001:db8:85a3:0:0:8a2e:370:7334", "fe80::1ff:fe23:4567:890a", "::ffff:192.0.2.1", "1:2:3:4:5:6",
    "1:2:3:4:5:6:7:8", "a:b:c:d:e:f:1.2.3.4", "1::", "::2:3", "2001:db8::1", "1:2:3:4:5:6:7",
    /* MAC */
    "00:1A:2B:3C:4D:5E", "00-1A-2B-3C-4D-5E", "001A.2B3C.4D5E", "001a2b3c4d5e", "01:00:5e:00:00:fb",
    "02:00:00:00:00:00", "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:11", "aa-bb-cc-dd-ee-f1", "Aa:bb:cc:dd:ee:ff",
    /* coordinates, dates */
    "31.230416,121.473701", "39.9042", "39.904", "116.4074123456789012", "-33.8688,151.2093", "1.2345",
    "123.4567890123456", "123.45678901234567", "37.42199,-122.08399", "12.3456.7", "3286.07", "0.785",
    "1990-03-07", "19900307", "1990.3.7", "1990/3/7", "1990年3月7日",
    /* separators, keys and hotwords */
    " ", " ", "-", ".", ":", "::", "/", ",", "=", "\"", "\n", "lat=", "imei=", "card=", "birthday=", "mac=",
    "ip=", "iccid=", "tel=", "uid=", "idfa=", "trace_id=",
    /* context-only forms right under their key */
    "tel=075587654321", "tel=01062345678", "phone: 02087654321", "imei=3520990017614823", "imsi=460073135928555",
    "card=6222020012345678", "lat=39.9042", "birthday=19900307", "iccid=8986031234567890123G",
};
#define NTOK (sizeof TOKENS / sizeof TOKENS[0])

/* Leading digits the single-word forms look at. */
static const char *const PREFIXES[] = {
    "1", "13", "17", "18", "0", "010", "0755", "86", "0086", "8986", "62", "6", "8", "4", "5", "3", "35", "37",
    "460", "9", "2",
};
#define NPREFIX (sizeof PREFIXES / sizeof PREFIXES[0])

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) { return xorshift(&rng); }

/* A digit word of 7-21 characters with one of PREFIXES, sometimes ending
 * in X or holding a hex letter; returns its length. */
static size_t digit_word(char *out)
{
    const char *pre = PREFIXES[next() % NPREFIX];
    size_t n = 7 + next() % 15, k = strlen(pre);
    memcpy(out, pre, k);
    for (; k < n; k++)
        out[k] = (char)('0' + next() % 10);
    if (next() % 6 == 0)
        out[n - 1] = 'X';
    else if (next() % 8 == 0)
        out[4 + next() % (n - 4)] = "aBcdEf"[next() % 6];
    return n;
}

/* A coordinate-shaped word: 1-4 integer digits, a dot, 1-18 decimals. */
static size_t decimal_word(char *out)
{
    size_t n = 0, ni = 1 + next() % 4, nd = 1 + next() % 18;
    if (next() % 4 == 0)
        out[n++] = '-';
    for (size_t i = 0; i < ni; i++)
        out[n++] = (char)('0' + next() % 10);
    out[n++] = '.';
    for (size_t i = 0; i < nd; i++)
        out[n++] = (char)('0' + next() % 10);
    return n;
}

Test(match_shortcuts, generated_matcher_edges)
{
    static uint8_t buf[8192];
    size_t total = 0;
    for (int round = 0; round < 300; round++) {
        size_t len = 0;
        while (len < sizeof buf - 64) {   /* the longest token and a separator always fit */
            uint64_t r = next() % 8;
            if (r == 0)
                len += digit_word((char *)buf + len);
            else if (r == 1)
                len += decimal_word((char *)buf + len);
            else {
                const char *t = TOKENS[next() % NTOK];
                size_t n = strlen(t);
                memcpy(buf + len, t, n);
                len += n;
            }
            buf[len++] = (uint8_t)" \n,;=-:./"[next() % 9];
        }
        char what[32];
        snprintf(what, sizeof what, "round %d", round);
        total += same_both_ways(what, buf, len, 0.5);
        same_both_ways(what, buf, len, 0.0);
    }
    cr_assert_gt(total, 1000, "the soup holds findings (%zu)", total);
    /* Every matcher whose shortcuts are checked here did find something. */
    const piiscan_type want[] = { PIISCAN_BANK_CARD, PIISCAN_IMEI, PIISCAN_CN_RESIDENT_ID, PIISCAN_ICCID,
                                  PIISCAN_CN_MOBILE, PIISCAN_CN_LANDLINE, PIISCAN_IPV4, PIISCAN_IPV6,
                                  PIISCAN_MAC, PIISCAN_GPS, PIISCAN_BIRTH_DATE };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert_gt(seen[want[i]], 0, "no %s in the soup", piiscan_type_name(want[i]));
}
