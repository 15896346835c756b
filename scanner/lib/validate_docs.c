/*
 * validate_docs.c -- travel and identity documents: Hong Kong identity card
 * (check digit), Taiwan national ID / new-style resident certificate (check
 * digit), PRC passport and HK/Macau permits (shape only: their numbers carry
 * no check digit, so callers should require context).
 *
 * Letters must be upper case: the documents print them that way and the
 * detection patterns only match upper case.
 */
#include <stdbool.h>
#include <stddef.h>

#include "validate.h"

static bool upper(char c) { return c >= 'A' && c <= 'Z'; }

/* Not I or O, which the issuers skip to avoid confusion with 1 and 0. */
static bool serial_letter(char c) { return upper(c) && c != 'I' && c != 'O'; }

/* HKID: 1-2 letters, 6 digits, check [0-9A].  Letters count A=10..Z=35 and a
 * one-letter ID is padded on the left with a space worth 36; weights run
 * 9..2 over the eight positions and the total including the check (A=10)
 * must be divisible by 11. */
bool pii_hkid_ok(const char *s, size_t n)
{
    if (n != 8 && n != 9)
        return false;
    size_t nl = n - 7;
    if (!upper(s[0]) || (nl == 2 && !upper(s[1])) || !pii_all_digits(s + nl, 6))
        return false;
    int sum = nl == 1 ? 36 * 9 : (s[0] - 'A' + 10) * 9;
    sum += (s[nl - 1] - 'A' + 10) * 8;
    for (int i = 0; i < 6; i++)
        sum += (s[nl + (size_t)i] - '0') * (7 - i);
    char c = s[n - 1];
    int check = c == 'A' ? 10 : (c >= '0' && c <= '9') ? c - '0' : -1;
    return check >= 0 && (sum + check) % 11 == 0;
}

/* Taiwan ID: letter + 9 digits, second digit 1/2 (citizen male/female) or
 * 8/9 (2021 resident certificate).  The letter maps to a two-digit number
 * (not alphabetical: I, O, W... were added later); weights 1,9,8,...,1,1. */
bool pii_twid_ok(const char *s, size_t n)
{
    static const int letter[26] = {
        10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
        22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33,
    };
    if (n != 10 || !upper(s[0]) || !pii_all_digits(s + 1, 9))
        return false;
    if (s[1] != '1' && s[1] != '2' && s[1] != '8' && s[1] != '9')
        return false;
    int v = letter[s[0] - 'A'];
    int sum = v / 10 + (v % 10) * 9;
    for (int i = 1; i <= 8; i++)
        sum += (s[i] - '0') * (9 - i);
    sum += s[9] - '0';
    return sum % 10 == 0;
}

/* PRC passport: G+8 digits (pre-2012), E+8 digits or E+letter+7 digits
 * (e-passport), DE/SE/PE+7 (diplomatic/service/public affairs), K+8 or KJ+7
 * (issued in Hong Kong), MA+7 (issued in Macau). */
bool pii_cn_passport_ok(const char *s, size_t n)
{
    if (n != 9)
        return false;
    switch (s[0]) {
    case 'G':
        return pii_all_digits(s + 1, 8);
    case 'E':
        return (pii_all_digits(s + 1, 1) || serial_letter(s[1])) && pii_all_digits(s + 2, 7);
    case 'D': case 'S': case 'P':
        return s[1] == 'E' && pii_all_digits(s + 2, 7);
    case 'K':
        return (s[1] == 'J' || pii_all_digits(s + 1, 1)) && pii_all_digits(s + 2, 7);
    case 'M':
        return s[1] == 'A' && pii_all_digits(s + 2, 7);
    default:
        return false;
    }
}

/* Two permit families share this shape check:
 *  - HK/Macau residents' Mainland Travel Permit: H (HK) or M (Macau) + 8-digit
 *    lifelong number, optionally + 2-digit renewal count;
 *  - Mainland residents' HK/Macau travel permit: C + 8 digits, or C + letter
 *    (no I/O) + 7 digits once the numeric range ran out. */
bool pii_hk_macau_permit_ok(const char *s, size_t n)
{
    if (n == 0)
        return false;
    if (s[0] == 'H' || s[0] == 'M')
        return (n == 9 || n == 11) && pii_all_digits(s + 1, n - 1);
    if (s[0] == 'C')
        return n == 9 && (pii_all_digits(s + 1, 1) || serial_letter(s[1]))
            && pii_all_digits(s + 2, 7);
    return false;
}
