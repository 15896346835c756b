/*
 * validate_phone.c -- mainland China mobile and fixed-line numbers.
 *
 * Mobile: 11 digits whose leading 3-5 digits are an allocated prefix
 * (patterns/data/cn_mobile_prefixes.tsv).  Fixed line: trunk 0 + area code
 * (patterns/data/cn_area_codes.tsv) + local number.  The three-digit area
 * codes (010, 02x) serve the big cities, which all have 8-digit local
 * numbers; four-digit areas use 7 or 8.  Local numbers never start with 0, 1
 * or 9: those lead to trunk, special-service (110, 12345) and 95xxx/96xxx
 * platform numbers, none of which identify a person.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "validate.h"

/* Defined in tables.c. */
bool pii_tbl_mobile_prefix(uint32_t prefix5);
bool pii_tbl_area_code(uint32_t code, int ndigits);

static uint32_t num(const char *s, size_t n)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (uint32_t)(s[i] - '0');
    return v;
}

bool pii_cn_mobile_ok(const char *d11)
{
    return pii_all_digits(d11, 11) && d11[0] == '1' && pii_tbl_mobile_prefix(num(d11, 5));
}

int pii_cn_area_code_len(const char *d, size_t n)
{
    if (n < 3 || d[0] != '0')
        return 0;
    if (n >= 4 && pii_all_digits(d, 4) && pii_tbl_area_code(num(d, 4), 4))
        return 4;
    if (pii_all_digits(d, 3) && pii_tbl_area_code(num(d, 3), 3))
        return 3;
    return 0;
}

bool pii_cn_landline_ok(const char *d, size_t n)
{
    if (!pii_all_digits(d, n))
        return false;
    int ac = pii_cn_area_code_len(d, n);
    if (ac == 0)
        return false;
    size_t local = n - (size_t)ac;
    bool len_ok = ac == 3 ? local == 8 : (local == 7 || local == 8);
    char first = d[ac];
    return len_ok && first >= '2' && first <= '8';
}
