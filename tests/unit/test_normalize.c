/*
 * test_normalize.c -- canonical forms (normalize.c) and type names (types.c).
 *
 * The property that matters: every spelling of one value gives the same
 * string, and distinct values never collapse into one.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "normalize.h"
#include "piiscan.h"

static const char *norm(piiscan_type t, const char *v)
{
    static char out[256];
    size_t n = pii_normalize(t, (const uint8_t *)v, strlen(v), out, sizeof out);
    cr_assert_eq(n, strlen(out), "returned length must match the string");
    return out;
}

#define NORM(t, in, want)                                                                \
    cr_expect_str_eq(norm(PIISCAN_##t, in), want, "%s(%s)", #t, in)

Test(normalize, mobile_prefixes_and_separators)
{
    NORM(CN_MOBILE, "13812345678", "13812345678");
    NORM(CN_MOBILE, "138-1234-5678", "13812345678");
    NORM(CN_MOBILE, "138 1234 5678", "13812345678");
    NORM(CN_MOBILE, "+86 138 1234 5678", "13812345678");
    NORM(CN_MOBILE, "+8613812345678", "13812345678");
    NORM(CN_MOBILE, "0086-13812345678", "13812345678");
    NORM(CN_MOBILE, "008613812345678", "13812345678");
    NORM(CN_MOBILE, "86-13812345678", "13812345678");
    NORM(CN_MOBILE, "(+86)13812345678", "13812345678");
    NORM(CN_MOBILE, "(86) 138-1234-5678", "13812345678");
}

Test(normalize, mobile_fullwidth)
{
    NORM(CN_MOBILE, "１３８１２３４５６７８", "13812345678");
    NORM(CN_MOBILE, "＋８６ １３８－１２３４－５６７８", "13812345678");
    NORM(CN_MOBILE, "（＋86）13812345678", "13812345678");
}

Test(normalize, mobile_never_shortens_other_numbers)
{
    /* Only a real country prefix is dropped. */
    NORM(CN_MOBILE, "1381234567890", "1381234567890");
    NORM(CN_MOBILE, "7713812345678", "7713812345678");
}

Test(normalize, landline)
{
    NORM(CN_LANDLINE, "010-12345678", "01012345678");
    NORM(CN_LANDLINE, "(010) 1234 5678", "01012345678");
    NORM(CN_LANDLINE, "0755-8765-4321", "075587654321");
    NORM(CN_LANDLINE, "（０２１）６２３４５６７８", "02162345678");
    NORM(CN_LANDLINE, "+86 10 1234 5678", "01012345678");
    NORM(CN_LANDLINE, "0086-755-87654321", "075587654321");
}

Test(normalize, resident_id)
{
    NORM(CN_RESIDENT_ID, "11010519491231002x", "11010519491231002X");
    NORM(CN_RESIDENT_ID, "11010519491231002X", "11010519491231002X");
    NORM(CN_RESIDENT_ID, "110105 19491231 002x", "11010519491231002X");
    NORM(CN_RESIDENT_ID, "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X");
    NORM(CN_RESIDENT_ID, "440524188001010014", "440524188001010014");
}

Test(normalize, digit_ids)
{
    NORM(BANK_CARD, "6200 0000 0000 0005", "6200000000000005");
    NORM(BANK_CARD, "6200-0000-0000-0005", "6200000000000005");
    NORM(IMEI, "35-209900-176148-1", "352099001761481");
    NORM(IMEI, "３５２０９９００１７６１４８１", "352099001761481");
    NORM(IMSI, "460 00 1234567890", "460001234567890");
    NORM(ICCID, "8986 0012 3456 7890 1234", "89860012345678901234");
    NORM(ICCID, "89860ab2345678901234f", "89860AB2345678901234F");
}

Test(normalize, mac)
{
    NORM(MAC, "D0:50:99:84:A2:A0", "d0509984a2a0");
    NORM(MAC, "d0-50-99-84-a2-a0", "d0509984a2a0");
    NORM(MAC, "D050.9984.A2A0", "d0509984a2a0");
    NORM(MAC, "d0509984a2a0", "d0509984a2a0");
}

Test(normalize, device_ids)
{
    NORM(IDFA, "6655C2D7-B181-457B-A58A-BF8E9EDF41D8",
         "6655c2d7-b181-457b-a58a-bf8e9edf41d8");
    NORM(GAID, "38400000-8cf0-11bd-b23e-10b96e40000d",
         "38400000-8cf0-11bd-b23e-10b96e40000d");
    NORM(OAID, "214B7F61ABCDEF00", "214b7f61abcdef00");
    NORM(ANDROID_ID, "9774D56D682E549C", "9774d56d682e549c");
    NORM(MEID, "AF0123450ABCDE", "af0123450abcde");
    NORM(MEID, "AF-012345-0ABCDE", "af0123450abcde");
    /* Dashes that do not make a UUID are separators. */
    NORM(IDFV, "6655C2D7B181-457B", "6655c2d7b181457b");
}

Test(normalize, email_ip)
{
    NORM(EMAIL, "Zhang.San@Example.COM", "zhang.san@example.com");
    NORM(IPV4, "192.168.1.20", "192.168.1.20");
    NORM(IPV6, "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1");
    NORM(IPV6, "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1");
    NORM(IPV6, "FE80::1%eth0", "fe80::1%eth0");
    NORM(IPV6, "::ffff:192.0.2.1", "::ffff:192.0.2.1");
    /* Not an address: lowercased, otherwise left alone. */
    NORM(IPV6, "DEAD::BEEF::1", "dead::beef::1");
}

Test(normalize, documents)
{
    NORM(HKID, "A123456(3)", "A1234563");
    NORM(HKID, "a123456(3)", "A1234563");
    NORM(HKID, "A123456（3）", "A1234563");
    NORM(HKID, "CA182361(1)", "CA1823611");
    NORM(CN_PASSPORT, "E12345678", "E12345678");
    NORM(TW_ID, "A123456789", "A123456789");
}

Test(normalize, gps)
{
    NORM(GPS, "39.984154, 116.307490", "39.984154,116.307490");
    NORM(GPS, "-33.8688,151.2093", "-33.8688,151.2093");
}

Test(normalize, birth_date_forms)
{
    NORM(BIRTH_DATE, "1990/3/7", "1990-03-07");
    NORM(BIRTH_DATE, "1990年3月7日", "1990-03-07");
    NORM(BIRTH_DATE, "1990年03月07日", "1990-03-07");
    NORM(BIRTH_DATE, "19900307", "1990-03-07");
    NORM(BIRTH_DATE, "1990.03.07", "1990-03-07");
    NORM(BIRTH_DATE, "1990-3-7", "1990-03-07");
    NORM(BIRTH_DATE, "１９９０年３月７日", "1990-03-07");
    NORM(BIRTH_DATE, "2000-02-29", "2000-02-29");
}

Test(normalize, birth_date_unparseable_kept)
{
    NORM(BIRTH_DATE, "19900230", "19900230");     /* no Feb 30 */
    NORM(BIRTH_DATE, "1900-02-29", "1900-02-29"); /* 1900 not leap: kept as is */
    NORM(BIRTH_DATE, "1990/13/01", "1990/13/01");
    NORM(BIRTH_DATE, "1990-03-07x", "1990-03-07x");
    NORM(BIRTH_DATE, "March 7", "March7");
}

Test(normalize, others_as_is)
{
    NORM(CN_ADDRESS, "广东省深圳市南山区科技园路12号", "广东省深圳市南山区科技园路12号");
    NORM(PERSON_NAME, "张三", "张三");
    NORM(IPV4, "10.0.0.1", "10.0.0.1");
}

Test(normalize, truncates_to_cap)
{
    char out[8];
    memset(out, 'Z', sizeof out);
    size_t n = pii_normalize(PIISCAN_EMAIL, (const uint8_t *)"ABCDEFGHIJ", 10, out,
                             sizeof out);
    cr_assert_eq(n, 7);
    cr_assert_str_eq(out, "abcdefg");
    cr_assert_eq(pii_normalize(PIISCAN_EMAIL, (const uint8_t *)"x", 1, out, 0), 0);
    /* A date that no longer fits is left as is rather than overflowing. */
    n = pii_normalize(PIISCAN_BIRTH_DATE, (const uint8_t *)"19900307", 8, out, sizeof out);
    cr_assert_eq(n, 7);
    cr_assert_str_eq(out, "1990030");
}

Test(fold, fullwidth_and_map)
{
    const char *in = "a１ｂ：Ｚ，"; /* full-width comma must stay */
    uint8_t out[32];
    uint32_t map[32];
    size_t n = pii_fold_fullwidth((const uint8_t *)in, strlen(in), out, sizeof out, map);
    cr_assert_eq(n, 5 + 3);
    cr_assert_eq(memcmp(out, "a1b:Z\xEF\xBC\x8C", n), 0);
    cr_assert_eq(map[0], 0);
    cr_assert_eq(map[1], 1);
    cr_assert_eq(map[2], 4);
    cr_assert_eq(map[3], 7);
    cr_assert_eq(map[4], 10);
    cr_assert_eq(map[5], 13);
}

Test(fold, truncated_sequence_passes_through)
{
    const uint8_t in[] = {'1', 0xEF, 0xBC};
    uint8_t out[8];
    size_t n = pii_fold_fullwidth(in, sizeof in, out, sizeof out, NULL);
    cr_assert_eq(n, 3);
    cr_assert_eq(memcmp(out, in, 3), 0);
    n = pii_fold_fullwidth((const uint8_t *)"１２３", 9, out, 2, NULL);
    cr_assert_eq(n, 2);
    cr_assert_eq(memcmp(out, "12", 2), 0);
}

Test(types, names_round_trip)
{
    for (int t = 0; t < PIISCAN_TYPE_COUNT; t++) {
        const char *name = piiscan_type_name((piiscan_type)t);
        cr_assert_not_null(name);
        cr_assert_eq(piiscan_type_from_name(name), t, "%s", name);
    }
    cr_assert_str_eq(piiscan_type_name(PIISCAN_CN_RESIDENT_ID), "CN_RESIDENT_ID");
    cr_assert_str_eq(piiscan_type_name(PIISCAN_HK_MACAU_PERMIT), "HK_MACAU_PERMIT");
    cr_assert_str_eq(piiscan_type_name(PIISCAN_PERSON_NAME), "PERSON_NAME");
    cr_assert_eq(piiscan_type_from_name("cn_mobile"), PIISCAN_CN_MOBILE);
}

Test(types, unknown)
{
    cr_assert_null(piiscan_type_name(PIISCAN_TYPE_COUNT));
    cr_assert_null(piiscan_type_name((piiscan_type)-1));
    cr_assert_eq(piiscan_type_from_name("PHONE"), -1);
    cr_assert_eq(piiscan_type_from_name("CN_MOBILEX"), -1);
    cr_assert_eq(piiscan_type_from_name(""), -1);
    cr_assert_eq(piiscan_type_from_name(NULL), -1);
}
