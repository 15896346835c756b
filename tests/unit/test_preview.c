/*
 * test_preview.c -- masked previews (preview.c).
 *
 * Each style is checked exactly, and for every type we check the property
 * that matters most: the full normalized value never shows through.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "normalize.h"
#include "piiscan.h"

static const char *pv(piiscan_type t, const char *norm)
{
    static char out[128];
    size_t n = piiscan_preview(t, norm, strlen(norm), out, sizeof out);
    cr_assert_eq(n, strlen(out));
    return out;
}

#define PV(t, in, want) cr_expect_str_eq(pv(PIISCAN_##t, in), want, "%s(%s)", #t, in)

Test(preview, phones)
{
    PV(CN_MOBILE, "13812345678", "138****5678");
    PV(CN_LANDLINE, "01012345678", "010****5678");
    PV(CN_LANDLINE, "02162345678", "021****5678");
    PV(CN_LANDLINE, "075587654321", "0755****4321");
    PV(CN_LANDLINE, "87654321", "****4321");
}

Test(preview, resident_id_hides_region_and_birth_date)
{
    PV(CN_RESIDENT_ID, "11010519491231002X", "1****************X");
    PV(CN_RESIDENT_ID, "110105491231002", "1*************2");
    cr_expect_null(strstr(pv(PIISCAN_CN_RESIDENT_ID, "11010519491231002X"), "1949"));
}

Test(preview, cards_and_sim)
{
    PV(BANK_CARD, "6200000000000005", "620000******0005");
    PV(BANK_CARD, "6205500000000000004", "620550*********0004");
    PV(IMEI, "352099001761481", "35***********81");
    PV(IMSI, "460001234567890", "460**********90");
    PV(ICCID, "89860012345678901234", "89****************34");
}

Test(preview, network)
{
    PV(EMAIL, "zhang.san@example.com", "z***@example.com");
    PV(IPV4, "192.168.1.20", "192.168.*.*");
    PV(IPV6, "2001:db8::1", "2001::*");
    PV(IPV6, "::1", "::*");
    PV(MAC, "d0509984a2a0", "d0:50:99:**:**:**");
}

Test(preview, device_ids)
{
    PV(IDFA, "6655c2d7-b181-457b-a58a-bf8e9edf41d8", "6655****");
    PV(GAID, "38400000-8cf0-11bd-b23e-10b96e40000d", "3840****");
    PV(ANDROID_ID, "9774d56d682e549c", "9774****");
    PV(MEID, "af0123450abcde", "af01****");
    PV(OAID, "214b7f61abcdef00214b7f61abcdef00", "214b****");
}

Test(preview, documents)
{
    PV(HKID, "A1234563", "A***3");
    PV(TW_ID, "A123456789", "A***9");
    PV(CN_PASSPORT, "E12345678", "E***8");
    PV(HK_MACAU_PERMIT, "C12345678", "C***8");
}

Test(preview, gps_birth_date)
{
    PV(GPS, "39.984154,116.307490", "40.0,116.3");
    PV(GPS, "-33.8688,151.2093", "-33.9,151.2");
    PV(GPS, "lat=39.95", "lat=40.0");
    PV(GPS, "-0.04,0.96", "0.0,1.0");
    PV(BIRTH_DATE, "1990-03-07", "1990-**-**");
}

Test(preview, text)
{
    PV(PERSON_NAME, "张三丰", "张**");
    PV(PERSON_NAME, "张", "*");
    PV(CN_ADDRESS, "广东省深圳市南山区科技园路12号", "广东省***");
    PV(CN_ADDRESS, "北京", "***");
}

Test(preview, too_short_shows_nothing)
{
    /* Head + tail of a short value would be all of it. */
    PV(CN_MOBILE, "1381234", "****");
    PV(BANK_CARD, "6200000000", "****");
    PV(IMEI, "35209900", "****");
    PV(CN_RESIDENT_ID, "1101", "****");
    PV(EMAIL, "@example.com", "****");
    PV(EMAIL, "nobody", "****");
    PV(IPV4, "10", "****");
    PV(MAC, "d05099", "****");
    PV(HKID, "A12", "****");
    PV(ANDROID_ID, "9774d5", "****");
    PV(BIRTH_DATE, "March", "****");
    PV(CN_MOBILE, "", "****");
}

Test(preview, never_contains_whole_value)
{
    static const struct {
        piiscan_type t;
        const char *raw;
    } cases[] = {
        {PIISCAN_CN_RESIDENT_ID, "11010519491231002x"},
        {PIISCAN_CN_MOBILE, "+86 138 1234 5678"},
        {PIISCAN_CN_LANDLINE, "010-12345678"},
        {PIISCAN_EMAIL, "zhang.san@example.com"},
        {PIISCAN_IPV4, "192.168.1.20"},
        {PIISCAN_IPV6, "2001:db8:85a3::8a2e:370:7334"},
        {PIISCAN_MAC, "d0:50:99:84:a2:a0"},
        {PIISCAN_IMEI, "352099001761481"},
        {PIISCAN_MEID, "AF0123450ABCDE"},
        {PIISCAN_IMSI, "460001234567890"},
        {PIISCAN_ICCID, "89860012345678901234"},
        {PIISCAN_ANDROID_ID, "9774d56d682e549c"},
        {PIISCAN_IDFA, "6655C2D7-B181-457B-A58A-BF8E9EDF41D8"},
        {PIISCAN_IDFV, "6655C2D7-B181-457B-A58A-BF8E9EDF41D9"},
        {PIISCAN_GAID, "38400000-8cf0-11bd-b23e-10b96e40000d"},
        {PIISCAN_OAID, "38400000-8cf0-11bd-b23e-10b96e40000e"},
        {PIISCAN_BANK_CARD, "6200 0000 0000 0005"},
        {PIISCAN_CN_PASSPORT, "E12345678"},
        {PIISCAN_HK_MACAU_PERMIT, "C12345678"},
        {PIISCAN_HKID, "A123456(3)"},
        {PIISCAN_TW_ID, "A123456789"},
        {PIISCAN_GPS, "39.984154,116.307490"},
        {PIISCAN_BIRTH_DATE, "1990年3月7日"},
        {PIISCAN_CN_ADDRESS, "广东省深圳市南山区科技园路12号"},
        {PIISCAN_PERSON_NAME, "欧阳娜娜"},
    };
    cr_assert_eq(sizeof cases / sizeof cases[0], PIISCAN_TYPE_COUNT);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char n[128], p[128];
        size_t len = pii_normalize(cases[i].t, (const uint8_t *)cases[i].raw,
                                   strlen(cases[i].raw), n, sizeof n);
        piiscan_preview(cases[i].t, n, len, p, sizeof p);
        cr_expect(strstr(p, n) == NULL, "%s: preview %s shows %s",
                  piiscan_type_name(cases[i].t), p, n);
        /* GPS is generalized (rounded) rather than masked. */
        cr_expect(cases[i].t == PIISCAN_GPS || strchr(p, '*') != NULL,
                  "%s: preview %s masks nothing",
                  piiscan_type_name(cases[i].t), p);
    }
}

Test(preview, truncation_keeps_utf8_whole)
{
    char out[6];
    /* "张**" is 3 + 2 bytes; cap 6 fits it exactly. */
    size_t n = piiscan_preview(PIISCAN_PERSON_NAME, "张三丰", strlen("张三丰"), out, 6);
    cr_assert_eq(n, 5);
    cr_assert_str_eq(out, "张**");
    /* Cap 3 leaves room for 2 bytes: the CJK character must go whole. */
    n = piiscan_preview(PIISCAN_PERSON_NAME, "张三丰", strlen("张三丰"), out, 3);
    cr_assert_eq(n, 0);
    cr_assert_str_eq(out, "");
    n = piiscan_preview(PIISCAN_CN_MOBILE, "13812345678", 11, out, sizeof out);
    cr_assert_eq(n, 5);
    cr_assert_str_eq(out, "138**");
    cr_assert_eq(piiscan_preview(PIISCAN_CN_MOBILE, "13812345678", 11, out, 0), 0);
}

Test(preview, unknown_type_masks_everything)
{
    cr_expect_str_eq(pv(PIISCAN_TYPE_COUNT, "13812345678"), "****");
}
