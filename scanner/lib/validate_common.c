/*
 * validate_common.c -- building blocks shared by the identifier validators:
 * Luhn (ISO/IEC 7812-1 annex B), character-class checks and calendar dates.
 */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "validate.h"

/* Luhn sum of digits[0..n) where the rightmost digit is doubled when
 * `double_last` is set (that is the position a check digit would take). */
static unsigned luhn_sum(const char *digits, size_t n, bool double_last)
{
    unsigned sum = 0;
    bool dbl = double_last;
    for (size_t i = n; i-- > 0;) {
        unsigned v = (unsigned)(digits[i] - '0');
        if (dbl) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
        dbl = !dbl;
    }
    return sum;
}

bool pii_luhn_ok(const char *digits, size_t n)
{
    if (n < 2 || !pii_all_digits(digits, n))
        return false;
    return luhn_sum(digits, n, false) % 10 == 0;
}

char pii_luhn_digit(const char *digits, size_t n)
{
    if (n == 0 || !pii_all_digits(digits, n))
        return '\0';
    return (char)('0' + (10 - luhn_sum(digits, n, true) % 10) % 10);
}

/* The empty string is rejected by the class checks: a validator never wants
 * to accept a zero-length field. */

bool pii_all_hex(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex)
            return false;
    }
    return true;
}

bool pii_all_same(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 1; i < n; i++)
        if (s[i] != s[0])
            return false;
    return true;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* 1880 is the birth year in GB 11643's own example; nobody alive was born
 * earlier.  "Today" is local time: a birth date is a civil date. */
/* Today as YYYYMMDD, looked up again at most once a minute: the check runs
 * for every date-shaped token, and localtime_r is far from free. */
static long today_ymd(void)
{
    static _Atomic long cached;
    static _Atomic long long cached_at;
    time_t now = time(NULL);
    long t = cached;
    if (t && (long long)now - cached_at < 60)
        return t;
    struct tm tm;
    if (localtime_r(&now, &tm) == NULL)
        return 0;
    t = (long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
    cached = t;
    cached_at = (long long)now;
    return t;
}

bool pii_date_ok(int y, int m, int d)
{
    if (y < 1880 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    return (long)y * 10000 + m * 100 + d <= today_ymd();
}
