/*
 * validate_cn_id.c -- mainland resident identity numbers (GB 11643-1999 and
 * the 15-digit GB 11643-1989 form).
 *
 * 18 chars: region(6) + YYYYMMDD + sequence(3) + ISO 7064 MOD 11-2 check.
 * 15 digits: region(6) + YYMMDD (always 19YY) + sequence(3), no check.
 *
 * Region codes come from tables.c (current and abolished GB/T 2260 codes
 * plus 810000/820000/830000 residence-permit prefixes).  Numbers starting
 * with 9 (2023 foreigner permanent residence ID) are not accepted here: their
 * digits 2-6 are not GB/T 2260 codes and the published layout of those
 * digits was not available to verify against.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "validate.h"

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

char pii_cn_id_check_char(const char *d17)
{
    /* W_i = 2^(17-i) mod 11 for i = 0..16 */
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    if (!pii_all_digits(d17, 17))
        return '\0';
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (d17[i] - '0') * weight[i];
    return check[sum % 11];
}

static bool id18_ok(const char *s)
{
    if (!pii_all_digits(s, 17))
        return false;
    char last = s[17] == 'x' ? 'X' : s[17];
    return pii_cn_region_known((uint32_t)num(s, 6))
        && pii_date_ok(num(s + 6, 4), num(s + 10, 2), num(s + 12, 2))
        && pii_cn_id_check_char(s) == last;
}

static bool id15_ok(const char *s)
{
    return pii_all_digits(s, 15)
        && pii_cn_region_known((uint32_t)num(s, 6))
        && pii_date_ok(1900 + num(s + 6, 2), num(s + 8, 2), num(s + 10, 2));
}

bool pii_cn_id_ok(const char *s, size_t n)
{
    if (n == 18)
        return id18_ok(s);
    if (n == 15)
        return id15_ok(s);
    return false;
}
