/*
 * validate.h -- validators for every identifier type.
 *
 * All functions take ASCII bytes that the caller has already cut out of the
 * input (separators removed where the comment says so).  They never allocate
 * and are safe to call from any thread once pii_tables_init() has returned.
 */
#ifndef PII_VALIDATE_H
#define PII_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse the embedded data tables in patterns/data (region codes, mobile
 * prefixes, area codes, IINs, MNCs).  Idempotent and thread-safe; returns 0,
 * or -1 with a message in err. */
int pii_tables_init(char *err, size_t errlen);

/* ---- generic ---- */
bool pii_luhn_ok(const char *digits, size_t n);           /* all ASCII digits */
char pii_luhn_digit(const char *digits, size_t n);        /* check digit to append */
/* n > 0 ASCII digits (inline: the tokenizer's log-time test asks per seed). */
static inline bool pii_all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}
bool pii_all_hex(const char *s, size_t n);
bool pii_all_same(const char *s, size_t n);               /* "0000", "1111" */
/* Real calendar date with 1880 <= y <= current year and not in the future. */
bool pii_date_ok(int y, int m, int d);

/* ---- mainland resident ID (GB 11643) ---- */
/* Check character ('0'..'9' or 'X') for the first 17 digits. */
char pii_cn_id_check_char(const char *d17);
bool pii_cn_region_known(uint32_t code6);                 /* current or historical */
/* 18 chars (last may be x/X) or 15 digits: region + date (+ check for 18). */
bool pii_cn_id_ok(const char *s, size_t n);

/* ---- phones ---- */
bool pii_cn_mobile_ok(const char *d11);                   /* allocated prefix */
/* Length (3 or 4) of a valid area code at the start of d (which starts with
 * '0'), or 0.  Prefers the longest valid code. */
int pii_cn_area_code_len(const char *d, size_t n);
/* Area code + local number (digits only, no separators). */
bool pii_cn_landline_ok(const char *d, size_t n);

/* ---- device / SIM ---- */
bool pii_imei_rbi_ok(const char *d2);                     /* reporting body id */
bool pii_imei_ok(const char *d15);                        /* Luhn + RBI */
bool pii_imeisv_ok(const char *d16);                      /* RBI, SVN != 99 */
bool pii_imsi_cn_ok(const char *d15);                     /* 460 + known MNC */
/* 19-20 chars starting 8986; *luhn set when all-decimal and Luhn passes. */
bool pii_iccid_ok(const char *s, size_t n, bool *luhn);
/* 14 hex (RR >= A0) optionally + hex check digit (15). */
bool pii_meid_ok(const char *s, size_t n);

/* ---- cards ---- */
typedef enum pii_card_brand {
    PII_CARD_NONE = 0,
    PII_CARD_UNIONPAY,
    PII_CARD_VISA,
    PII_CARD_MASTERCARD,
    PII_CARD_AMEX,
    PII_CARD_JCB,
    PII_CARD_DINERS,
    PII_CARD_DISCOVER
} pii_card_brand;
/* Brand by IIN and length (13-19 digits), PII_CARD_NONE if no issuer range
 * of that length matches.  Luhn is checked separately. */
pii_card_brand pii_card_brand_of(const char *d, size_t n);

/* ---- documents ---- */
bool pii_hkid_ok(const char *s, size_t n);   /* "A1234563" or "AB9876543", no parens */
bool pii_twid_ok(const char *s, size_t n);   /* "A123456789" */
bool pii_cn_passport_ok(const char *s, size_t n);     /* shape only */
bool pii_hk_macau_permit_ok(const char *s, size_t n); /* shape only */

/* ---- network ---- */
/* 6 octets; returns false for all-zero, broadcast and multicast. */
bool pii_mac_ok(const uint8_t oct[6]);
bool pii_mac_placeholder(const uint8_t oct[6]);       /* 02:00:00:00:00:00 */

#endif
