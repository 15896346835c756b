/*
 * test_validators.c -- every function in scanner/lib/validate.h, checked
 * against published test values (GB 11643's own examples, 3GPP TS 23.003
 * annex B, Stripe/ISO test cards, python-stdnum doctests as quoted in
 * shared/research/formats.md) plus negative cases next to each.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "validate.h"

#ifndef PIISCAN_SOURCE_DIR
#define PIISCAN_SOURCE_DIR "."
#endif

static void init(void)
{
    char err[256] = "";
    cr_assert_eq(pii_tables_init(err, sizeof err), 0, "pii_tables_init: %s", err);
}

TestSuite(validate, .init = init);

#define S(lit) (lit), (sizeof(lit) - 1)

/* ---- tables ---- */

Test(validate, tables_init_idempotent)
{
    char err[64];
    cr_assert_eq(pii_tables_init(err, sizeof err), 0);
    cr_assert_eq(pii_tables_init(NULL, 0), 0);
}

/* ---- generic ---- */

Test(validate, luhn)
{
    cr_assert(pii_luhn_ok(S("79927398713")));      /* ISO/IEC 7812 textbook */
    cr_assert_not(pii_luhn_ok(S("79927398710")));
    cr_assert(pii_luhn_ok(S("4111111111111111")));
    cr_assert_not(pii_luhn_ok(S("4111111111111112")));
    cr_assert_not(pii_luhn_ok(S("41111111111a1111")));
    cr_assert_not(pii_luhn_ok(S("")));
    cr_assert_eq(pii_luhn_digit(S("7992739871")), '3');
    cr_assert_eq(pii_luhn_digit(S("49015420323751")), '8'); /* TS 23.003 B.2 */
    cr_assert_eq(pii_luhn_digit(S("411111111111111")), '1');
    cr_assert_eq(pii_luhn_digit(S("12x")), '\0');
}

Test(validate, char_classes)
{
    cr_assert(pii_all_digits(S("0123456789")));
    cr_assert_not(pii_all_digits(S("01234x")));
    cr_assert_not(pii_all_digits(S("")));
    cr_assert(pii_all_hex(S("0123456789abcdefABCDEF")));
    cr_assert_not(pii_all_hex(S("abcg")));
    cr_assert_not(pii_all_hex(S(":")));
    cr_assert(pii_all_same(S("0000")));
    cr_assert(pii_all_same(S("1111")));
    cr_assert(pii_all_same(S("7")));
    cr_assert_not(pii_all_same(S("1112")));
    cr_assert_not(pii_all_same(S("")));
}

static struct tm today(int add_days)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_mday += add_days;
    tm.tm_hour = 12;
    tm.tm_isdst = -1;
    mktime(&tm);
    return tm;
}

Test(validate, dates)
{
    cr_assert(pii_date_ok(2000, 2, 29));   /* divisible by 400: leap */
    cr_assert_not(pii_date_ok(1900, 2, 29)); /* divisible by 100: not */
    cr_assert(pii_date_ok(2024, 2, 29));
    cr_assert_not(pii_date_ok(2023, 2, 29));
    cr_assert(pii_date_ok(1880, 1, 1));
    cr_assert_not(pii_date_ok(1879, 12, 31));
    cr_assert_not(pii_date_ok(1990, 4, 31));
    cr_assert(pii_date_ok(1990, 12, 31));
    cr_assert_not(pii_date_ok(1990, 13, 1));
    cr_assert_not(pii_date_ok(1990, 0, 1));
    cr_assert_not(pii_date_ok(1990, 1, 0));

    struct tm t = today(0);
    cr_assert(pii_date_ok(t.tm_year + 1900, t.tm_mon + 1, t.tm_mday));
    t = today(1);
    cr_assert_not(pii_date_ok(t.tm_year + 1900, t.tm_mon + 1, t.tm_mday));
    t = today(0);
    cr_assert_not(pii_date_ok(t.tm_year + 1901, 1, 1));
}

/* ---- mainland resident ID ---- */

Test(validate, cn_id_check_char)
{
    cr_assert_eq(pii_cn_id_check_char("11010519491231002"), 'X');
    cr_assert_eq(pii_cn_id_check_char("44052418800101001"), '4');
    cr_assert_eq(pii_cn_id_check_char("36042619910101007"), '1');
    cr_assert_eq(pii_cn_id_check_char("3604261991010100a"), '\0');
}

Test(validate, cn_id_published)
{
    cr_assert(pii_cn_id_ok(S("11010519491231002X")));  /* GB 11643 example */
    cr_assert(pii_cn_id_ok(S("11010519491231002x")));  /* lower-case x */
    cr_assert(pii_cn_id_ok(S("440524188001010014")));  /* born 1880, historical region */
    cr_assert(pii_cn_id_ok(S("360426199101010071")));
    cr_assert(pii_cn_id_ok(S("44011320141005001X")));
    cr_assert_not(pii_cn_id_ok(S("36042619910102009X"))); /* checksum */
    cr_assert_not(pii_cn_id_ok(S("360426199113010079"))); /* month 13 */
    cr_assert_not(pii_cn_id_ok(S("990426199112010074"))); /* region */
    cr_assert(pii_cn_id_ok(S("110105491231002")));        /* 15-digit form */
}

Test(validate, cn_id_negative)
{
    cr_assert_not(pii_cn_id_ok(S("11010519491231002Y")));
    cr_assert_not(pii_cn_id_ok(S("1101051949123100X2")));
    cr_assert_not(pii_cn_id_ok(S("11010519491231002")));   /* 17 */
    cr_assert_not(pii_cn_id_ok(S("110105491231002X")));    /* 16 */
    cr_assert_not(pii_cn_id_ok(S("110105491331002")));     /* 15: month 13 */
    cr_assert_not(pii_cn_id_ok(S("990105491231002")));     /* 15: region */
    cr_assert_not(pii_cn_id_ok(S("11010518790101001X")));  /* before 1880 */
    /* Future birth date with an otherwise valid check character. */
    char future[19] = "11010520990101001";
    future[17] = pii_cn_id_check_char(future);
    cr_assert_not(pii_cn_id_ok(future, 18));
    char past[19] = "11010519990101001";
    past[17] = pii_cn_id_check_char(past);
    cr_assert(pii_cn_id_ok(past, 18));
}

Test(validate, cn_id_permits)
{
    cr_assert(pii_cn_id_ok(S("810000199001010019")));  /* HK residence permit */
    cr_assert(pii_cn_id_ok(S("830000199001010012")));  /* Taiwan */
    cr_assert_not(pii_cn_id_ok(S("840000199001010014")));
}

Test(validate, cn_region_known)
{
    cr_assert(pii_cn_region_known(110105));   /* Beijing Chaoyang, current */
    cr_assert(pii_cn_region_known(110103));   /* Chongwen, merged 2010 */
    cr_assert(pii_cn_region_known(110000));   /* province level */
    cr_assert(pii_cn_region_known(440300));   /* prefecture level */
    cr_assert(pii_cn_region_known(820000));
    cr_assert_not(pii_cn_region_known(0));
    cr_assert_not(pii_cn_region_known(990426));
    cr_assert_not(pii_cn_region_known(110199));
    cr_assert_not(pii_cn_region_known(1000000));
    cr_assert_not(pii_cn_region_known(UINT32_MAX));
}

/* The embedded table and the TSV must agree on all 10^6 six-digit values:
 * every listed code is accepted and nothing else is. */
Test(validate, cn_region_table_exact)
{
    const char *path = PIISCAN_SOURCE_DIR "/patterns/data/cn_region_codes.tsv";
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    static bool listed[1000000];
    char line[512];
    size_t n = 0, hist = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *end;
        long code = strtol(line, &end, 10);
        cr_assert(end - line == 6 && *end == '\t', "bad row: %s", line);
        listed[code] = true;
        n++;
        hist += strstr(line, "\thistorical") != NULL;
        cr_assert(pii_cn_region_known((uint32_t)code), "listed code %06ld rejected", code);
    }
    fclose(f);
    cr_assert_gt(n, 6000, "only %zu codes", n);
    cr_assert_gt(hist, 3000, "only %zu historical codes", hist);
    for (uint32_t c = 0; c < 1000000; c++)
        if (!listed[c])
            cr_assert_not(pii_cn_region_known(c), "unlisted %06u accepted", c);
}

/* ---- phones ---- */

Test(validate, cn_mobile)
{
    cr_assert(pii_cn_mobile_ok("13812345678"));
    cr_assert(pii_cn_mobile_ok("14512345678"));
    cr_assert(pii_cn_mobile_ok("14912345678"));
    cr_assert(pii_cn_mobile_ok("15012345678"));
    cr_assert(pii_cn_mobile_ok("16612345678"));
    cr_assert(pii_cn_mobile_ok("17012345678"));
    cr_assert(pii_cn_mobile_ok("17400512345"));
    cr_assert(pii_cn_mobile_ok("18912345678"));
    cr_assert(pii_cn_mobile_ok("19212345678"));
    cr_assert(pii_cn_mobile_ok("19912345678"));
    cr_assert_not(pii_cn_mobile_ok("15412345678")); /* 154 unallocated */
    cr_assert_not(pii_cn_mobile_ok("17406123456")); /* 1740[6-9] emergency */
    cr_assert_not(pii_cn_mobile_ok("17412345678"));
    cr_assert_not(pii_cn_mobile_ok("17912345678"));
    cr_assert_not(pii_cn_mobile_ok("19412345678"));
    cr_assert_not(pii_cn_mobile_ok("16012345678"));
    cr_assert_not(pii_cn_mobile_ok("12012345678"));
    cr_assert_not(pii_cn_mobile_ok("23812345678"));
    cr_assert_not(pii_cn_mobile_ok("1381234567a"));
}

Test(validate, cn_area_code_len)
{
    cr_assert_eq(pii_cn_area_code_len(S("01012345678")), 3);
    cr_assert_eq(pii_cn_area_code_len(S("02112345678")), 3);
    cr_assert_eq(pii_cn_area_code_len(S("075512345678")), 4);  /* Shenzhen */
    cr_assert_eq(pii_cn_area_code_len(S("0898")), 4);           /* Hainan */
    cr_assert_eq(pii_cn_area_code_len(S("026")), 0);            /* unassigned */
    cr_assert_eq(pii_cn_area_code_len(S("02612345678")), 0);
    cr_assert_eq(pii_cn_area_code_len(S("0300")), 0);
    cr_assert_eq(pii_cn_area_code_len(S("01")), 0);
    cr_assert_eq(pii_cn_area_code_len(S("10101234")), 0);
}

Test(validate, cn_landline)
{
    cr_assert(pii_cn_landline_ok(S("01062345678")));     /* 010 + 8 */
    cr_assert(pii_cn_landline_ok(S("075528765432")));    /* 0755 + 8 */
    cr_assert(pii_cn_landline_ok(S("08915123456")));     /* 0891 + 7 */
    cr_assert_not(pii_cn_landline_ok(S("0106234567")));  /* 010 + 7 */
    cr_assert_not(pii_cn_landline_ok(S("010623456789")));
    cr_assert_not(pii_cn_landline_ok(S("01012345678")));  /* local starts 1 */
    cr_assert_not(pii_cn_landline_ok(S("01092345678")));  /* local starts 9 */
    cr_assert_not(pii_cn_landline_ok(S("02662345678")));  /* bad area code */
    cr_assert_not(pii_cn_landline_ok(S("0755-2876543")));
}

/* ---- device / SIM ---- */

Test(validate, imei_rbi)
{
    const char *ok[] = {"01", "35", "86", "99", "98", "10", "30", "33", "44", "45",
                        "49", "50", "51", "52", "53", "54", "91"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        cr_assert(pii_imei_rbi_ok(ok[i]), "%s", ok[i]);
    cr_assert_not(pii_imei_rbi_ok("00"));
    cr_assert_not(pii_imei_rbi_ok("46"));
    cr_assert_not(pii_imei_rbi_ok("34"));
    cr_assert_not(pii_imei_rbi_ok("37"));
    cr_assert_not(pii_imei_rbi_ok("3a"));
}

Test(validate, imei)
{
    cr_assert(pii_imei_ok("490154203237518"));    /* TS 23.003 annex B */
    cr_assert(pii_imei_ok("352099001761481"));
    cr_assert(pii_imei_ok("354178036859789"));
    cr_assert(pii_imei_ok("864743032368870"));
    cr_assert_not(pii_imei_ok("354178036859782"));  /* Luhn */
    cr_assert_not(pii_imei_ok("490154203237517"));
    cr_assert_not(pii_imei_ok("378282246310005"));  /* Amex: Luhn ok, RBI 37 */
    cr_assert_not(pii_imei_ok("460001234567893"));  /* IMSI-like, RBI 46 */
    cr_assert_not(pii_imei_ok("49015420323751x"));
}

Test(validate, imeisv)
{
    cr_assert(pii_imeisv_ok("3520990017614823"));
    cr_assert_not(pii_imeisv_ok("3520990017614899")); /* SVN 99 reserved */
    cr_assert_not(pii_imeisv_ok("4620990017614823")); /* RBI */
    cr_assert_not(pii_imeisv_ok("352099001761482a"));
}

Test(validate, imsi_cn)
{
    cr_assert(pii_imsi_cn_ok("460001234567890"));
    cr_assert(pii_imsi_cn_ok("460011234567890"));
    cr_assert(pii_imsi_cn_ok("460111234567890"));
    cr_assert(pii_imsi_cn_ok("460151234567890"));
    cr_assert(pii_imsi_cn_ok("460201234567890"));
    cr_assert_not(pii_imsi_cn_ok("460101234567890"));  /* MNC 10 unassigned */
    cr_assert_not(pii_imsi_cn_ok("460991234567890"));
    cr_assert_not(pii_imsi_cn_ok("502152100145324"));  /* valid IMSI, Malaysia */
    cr_assert_not(pii_imsi_cn_ok("46000123456789a"));
}

Test(validate, iccid)
{
    bool luhn = true;
    cr_assert(pii_iccid_ok(S("8986001234567890120"), &luhn));
    cr_assert(luhn);
    cr_assert(pii_iccid_ok(S("89860112345678901237"), &luhn));
    cr_assert(luhn);
    cr_assert(pii_iccid_ok(S("89860112345678901238"), &luhn));
    cr_assert_not(luhn);                                 /* shape ok, Luhn fails */
    cr_assert(pii_iccid_ok(S("898600D6101757706201"), &luhn)); /* hex in body */
    cr_assert_not(luhn);
    cr_assert(pii_iccid_ok(S("8986011234567890123H"), &luhn)); /* vendor letter */
    cr_assert_not(luhn);
    cr_assert(pii_iccid_ok(S("8986001234567890120"), NULL));
    cr_assert_not(pii_iccid_ok(S("89450421180216254864"), &luhn)); /* not 8986 */
    cr_assert_not(luhn);
    cr_assert_not(pii_iccid_ok(S("898600123456789012"), &luhn));   /* 18 */
    cr_assert_not(pii_iccid_ok(S("898600123456789012345"), &luhn)); /* 21 */
    cr_assert_not(pii_iccid_ok(S("8986001234567Z90120"), &luhn));
}

Test(validate, meid)
{
    cr_assert(pii_meid_ok(S("AF0123450ABCDE")));
    cr_assert(pii_meid_ok(S("AF0123450ABCDEC")));
    cr_assert(pii_meid_ok(S("af0123450abcdec")));
    cr_assert_not(pii_meid_ok(S("AF0123450ABCDED")));  /* check digit */
    cr_assert_not(pii_meid_ok(S("9F0123450ABCDE")));   /* RR < A0 */
    cr_assert_not(pii_meid_ok(S("AF0123450ABCDG")));
    cr_assert_not(pii_meid_ok(S("AF0123450ABCD")));
}

/* ---- cards ---- */

Test(validate, card_brand)
{
    cr_assert_eq(pii_card_brand_of(S("6200000000000005")), PII_CARD_UNIONPAY);
    cr_assert_eq(pii_card_brand_of(S("6205500000000000004")), PII_CARD_UNIONPAY);
    cr_assert_eq(pii_card_brand_of(S("8171999927660000")), PII_CARD_UNIONPAY);
    cr_assert_eq(pii_card_brand_of(S("6036011234567890")), PII_CARD_UNIONPAY);
    cr_assert_eq(pii_card_brand_of(S("4111111111111111")), PII_CARD_VISA);
    cr_assert_eq(pii_card_brand_of(S("4222222222222")), PII_CARD_VISA);
    cr_assert_eq(pii_card_brand_of(S("5555555555554444")), PII_CARD_MASTERCARD);
    cr_assert_eq(pii_card_brand_of(S("2223003122003222")), PII_CARD_MASTERCARD);
    cr_assert_eq(pii_card_brand_of(S("378282246310005")), PII_CARD_AMEX);
    cr_assert_eq(pii_card_brand_of(S("3566002020360505")), PII_CARD_JCB);
    cr_assert_eq(pii_card_brand_of(S("3530111333300000")), PII_CARD_JCB);
    cr_assert_eq(pii_card_brand_of(S("30569309025904")), PII_CARD_DINERS);
    cr_assert_eq(pii_card_brand_of(S("6011111111111117")), PII_CARD_DISCOVER);
    cr_assert_eq(pii_card_brand_of(S("6445644564456445")), PII_CARD_DISCOVER);
}

/* Range edges where a row spans several two-digit starts (tables.c indexes
 * rows by the first two digits) and the longest-prefix rule. */
Test(validate, card_brand_range_edges)
{
    cr_assert_eq(pii_card_brand_of(S("2221000000000009")), PII_CARD_MASTERCARD);
    cr_assert_eq(pii_card_brand_of(S("2299999999999999")), PII_CARD_MASTERCARD);
    cr_assert_eq(pii_card_brand_of(S("2500000000000001")), PII_CARD_MASTERCARD);
    cr_assert_eq(pii_card_brand_of(S("2720999999999999")), PII_CARD_MASTERCARD);
    cr_assert_eq(pii_card_brand_of(S("3528000000000007")), PII_CARD_JCB);
    cr_assert_eq(pii_card_brand_of(S("3589999999999999")), PII_CARD_JCB);
    cr_assert_eq(pii_card_brand_of(S("3590000000000000")), PII_CARD_NONE);
    cr_assert_eq(pii_card_brand_of(S("3527999999999999")), PII_CARD_NONE);
    cr_assert_eq(pii_card_brand_of(S("30000000000004")), PII_CARD_DINERS);
    cr_assert_eq(pii_card_brand_of(S("30599999999999")), PII_CARD_DINERS);
    cr_assert_eq(pii_card_brand_of(S("6440000000000000")), PII_CARD_DISCOVER);
    cr_assert_eq(pii_card_brand_of(S("6499999999999999")), PII_CARD_DISCOVER);
    cr_assert_eq(pii_card_brand_of(S("6430000000000000")), PII_CARD_NONE);
    cr_assert_eq(pii_card_brand_of(S("6500000000000002")), PII_CARD_DISCOVER);
    cr_assert_eq(pii_card_brand_of(S("6014280000000000")), PII_CARD_UNIONPAY);   /* 601428 beats nothing */
    cr_assert_eq(pii_card_brand_of(S("6011000000000004")), PII_CARD_DISCOVER);
    cr_assert_eq(pii_card_brand_of(S("4999999999999")), PII_CARD_VISA);
    cr_assert_eq(pii_card_brand_of(S("1710460800412")), PII_CARD_NONE);          /* epoch ms */
    cr_assert_eq(pii_card_brand_of(S("1754492462584960993")), PII_CARD_NONE);    /* snowflake id */
}

Test(validate, card_brand_negative)
{
    cr_assert_eq(pii_card_brand_of(S("37828224631000")), PII_CARD_NONE);   /* Amex is 15 */
    cr_assert_eq(pii_card_brand_of(S("55555555555544")), PII_CARD_NONE);   /* MC is 16 */
    cr_assert_eq(pii_card_brand_of(S("41111111111111")), PII_CARD_NONE);   /* Visa 14 */
    cr_assert_eq(pii_card_brand_of(S("2721000000000000")), PII_CARD_NONE); /* past 2720 */
    cr_assert_eq(pii_card_brand_of(S("2220990000000000")), PII_CARD_NONE); /* before 2221 */
    cr_assert_eq(pii_card_brand_of(S("5655555555554444")), PII_CARD_NONE);
    cr_assert_eq(pii_card_brand_of(S("3060000000000000")), PII_CARD_NONE); /* 306 not Diners */
    cr_assert_eq(pii_card_brand_of(S("6012000000000000")), PII_CARD_NONE);
    cr_assert_eq(pii_card_brand_of(S("8986001234567890120")), PII_CARD_NONE); /* ICCID */
    cr_assert_eq(pii_card_brand_of(S("620000000000")), PII_CARD_NONE);     /* 12 */
    cr_assert_eq(pii_card_brand_of(S("62000000000000000000")), PII_CARD_NONE); /* 20 */
    cr_assert_eq(pii_card_brand_of(S("411111111111111a")), PII_CARD_NONE);
}

/* ---- documents ---- */

Test(validate, hkid)
{
    cr_assert(pii_hkid_ok(S("A1234563")));
    cr_assert(pii_hkid_ok(S("G123456A")));
    cr_assert(pii_hkid_ok(S("CA1823611")));
    cr_assert_not(pii_hkid_ok(S("A1234564")));
    cr_assert_not(pii_hkid_ok(S("G1234560")));
    cr_assert_not(pii_hkid_ok(S("CA1823612")));
    cr_assert_not(pii_hkid_ok(S("a1234563")));
    cr_assert_not(pii_hkid_ok(S("A123456B")));
    cr_assert_not(pii_hkid_ok(S("A12345X3")));
    cr_assert_not(pii_hkid_ok(S("A123456")));
}

Test(validate, twid)
{
    cr_assert(pii_twid_ok(S("A123456789")));
    cr_assert_not(pii_twid_ok(S("A123456788")));
    cr_assert_not(pii_twid_ok(S("A323456789")));   /* 2nd digit not 1/2/8/9 */
    cr_assert_not(pii_twid_ok(S("a123456789")));
    cr_assert_not(pii_twid_ok(S("A12345678")));
    /* The letter table is not alphabetical: O=35, W=32, Z=33 (an
     * alphabetical table would give other check digits here). */
    cr_assert(pii_twid_ok(S("O100000004")));
    cr_assert(pii_twid_ok(S("W100000001")));
    cr_assert(pii_twid_ok(S("Z100000002")));
    cr_assert_not(pii_twid_ok(S("Z100000001")));
}

Test(validate, cn_passport_shape)
{
    cr_assert(pii_cn_passport_ok(S("G12345678")));
    cr_assert(pii_cn_passport_ok(S("E12345678")));
    cr_assert(pii_cn_passport_ok(S("EA1234567")));
    cr_assert(pii_cn_passport_ok(S("DE1234567")));
    cr_assert(pii_cn_passport_ok(S("SE1234567")));
    cr_assert(pii_cn_passport_ok(S("PE1234567")));
    cr_assert(pii_cn_passport_ok(S("K12345678")));
    cr_assert(pii_cn_passport_ok(S("KJ1234567")));
    cr_assert(pii_cn_passport_ok(S("MA1234567")));
    cr_assert_not(pii_cn_passport_ok(S("EI1234567")));  /* no I/O */
    cr_assert_not(pii_cn_passport_ok(S("EO1234567")));
    cr_assert_not(pii_cn_passport_ok(S("G1234567")));
    cr_assert_not(pii_cn_passport_ok(S("G123456789")));
    cr_assert_not(pii_cn_passport_ok(S("X12345678")));
    cr_assert_not(pii_cn_passport_ok(S("GA2345678")));
    cr_assert_not(pii_cn_passport_ok(S("MB1234567")));
}

Test(validate, hk_macau_permit_shape)
{
    cr_assert(pii_hk_macau_permit_ok(S("H12345678")));
    cr_assert(pii_hk_macau_permit_ok(S("M1234567801")));
    cr_assert(pii_hk_macau_permit_ok(S("C12345678")));
    cr_assert(pii_hk_macau_permit_ok(S("CA0000001")));
    cr_assert_not(pii_hk_macau_permit_ok(S("CI0000001")));
    cr_assert_not(pii_hk_macau_permit_ok(S("H1234567")));
    cr_assert_not(pii_hk_macau_permit_ok(S("H123456789")));   /* 10: neither 9 nor 11 */
    cr_assert_not(pii_hk_macau_permit_ok(S("C1234567801")));
    cr_assert_not(pii_hk_macau_permit_ok(S("K12345678")));
    cr_assert_not(pii_hk_macau_permit_ok(S("")));
}

/* ---- network ---- */

Test(validate, mac)
{
    const uint8_t good[6] = {0xd0, 0x50, 0x99, 0x84, 0xa2, 0xa0};
    const uint8_t local[6] = {0xfe, 0x54, 0x00, 0x76, 0x07, 0x0a};
    const uint8_t zero[6] = {0};
    const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb};
    const uint8_t ph[6] = {0x02, 0, 0, 0, 0, 0};
    cr_assert(pii_mac_ok(good));
    cr_assert(pii_mac_ok(local));
    cr_assert_not(pii_mac_ok(zero));
    cr_assert_not(pii_mac_ok(bcast));
    cr_assert_not(pii_mac_ok(mcast));
    cr_assert(pii_mac_placeholder(ph));
    cr_assert_not(pii_mac_placeholder(good));
    cr_assert_not(pii_mac_placeholder(zero));
}
