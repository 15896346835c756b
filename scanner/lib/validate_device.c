/*
 * validate_device.c -- handset and SIM identifiers: IMEI, IMEISV (3GPP TS
 * 23.003 section 6), IMSI under MCC 460, ICCID (ITU-T E.118) and MEID
 * (3GPP2 S.R0048).
 *
 * IMEI and IMEISV start with an 8-digit TAC whose first two digits are the
 * Reporting Body Identifier.  Only a handful of RBIs were ever allocated
 * (GSMA TS.06), so checking them rejects most random 15-digit runs that
 * happen to pass Luhn -- notably IMSIs (46...) and Amex numbers (34/37).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "validate.h"

/* Defined in tables.c. */
bool pii_tbl_cn_mnc(uint32_t mnc);

bool pii_imei_rbi_ok(const char *d2)
{
    static const char *const rbi[] = {
        "01", "35", "86", "99", "98",                         /* current */
        "10", "30", "33", "44", "45", "49", "50", "51", "52", /* legacy */
        "53", "54", "91",
    };
    if (!pii_all_digits(d2, 2))
        return false;
    for (size_t i = 0; i < sizeof rbi / sizeof rbi[0]; i++)
        if (d2[0] == rbi[i][0] && d2[1] == rbi[i][1])
            return true;
    return false;
}

bool pii_imei_ok(const char *d15)
{
    return pii_all_digits(d15, 15) && pii_imei_rbi_ok(d15) && pii_luhn_ok(d15, 15);
}

/* SVN 99 is reserved for future use (TS 23.003 section 6.2.2). */
bool pii_imeisv_ok(const char *d16)
{
    return pii_all_digits(d16, 16) && pii_imei_rbi_ok(d16)
        && !(d16[14] == '9' && d16[15] == '9');
}

bool pii_imsi_cn_ok(const char *d15)
{
    if (!pii_all_digits(d15, 15) || d15[0] != '4' || d15[1] != '6' || d15[2] != '0')
        return false;
    return pii_tbl_cn_mnc((uint32_t)((d15[3] - '0') * 10 + (d15[4] - '0')));
}

/* Chinese operators put hex letters into the issuer-specific part of the
 * ICCID, modems pad with F, and some cards print a vendor letter instead of
 * the final check digit; so the body may be hex and the last character may
 * also be one of those vendor letters. */
static bool iccid_last_ok(char c)
{
    switch (c) {
    case 'G': case 'H': case 'W': case 'X': case 'Y':
    case 'g': case 'h': case 'w': case 'x': case 'y':
        return true;
    default:
        return pii_all_hex(&c, 1);
    }
}

bool pii_iccid_ok(const char *s, size_t n, bool *luhn)
{
    if (luhn)
        *luhn = false;
    if ((n != 19 && n != 20) || s[0] != '8' || s[1] != '9' || s[2] != '8' || s[3] != '6')
        return false;
    if (!pii_all_hex(s + 4, n - 5) || !iccid_last_ok(s[n - 1]))
        return false;
    if (luhn)
        *luhn = pii_all_digits(s, n) && pii_luhn_ok(s, n);
    return true;
}

static unsigned hexval(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned)(c - 'a' + 10);
    return (unsigned)(c - 'A' + 10);
}

/* Luhn in base 16: double every second digit from the right of the 14-digit
 * body and add the base-16 digits of each product. */
static unsigned meid_check(const char *s14)
{
    unsigned sum = 0;
    for (int i = 13; i >= 0; i--) {
        unsigned v = hexval(s14[i]);
        if ((13 - i) % 2 == 0) {
            v *= 2;
            v = v / 16 + v % 16;
        }
        sum += v;
    }
    return (16 - sum % 16) % 16;
}

bool pii_meid_ok(const char *s, size_t n)
{
    if ((n != 14 && n != 15) || !pii_all_hex(s, n))
        return false;
    /* RR below A0 would be an IMEI-style (decimal) identifier. */
    if (hexval(s[0]) * 16 + hexval(s[1]) < 0xA0)
        return false;
    return n == 14 || hexval(s[14]) == meid_check(s);
}
