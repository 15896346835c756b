/*
 * validate_card.c -- payment card brand by issuer identification number.
 *
 * The IIN ranges and the PAN lengths each brand issues live in
 * patterns/data/card_iin.tsv (parsed by tables.c).  Luhn is deliberately
 * not applied here: some UnionPay cards fail it, so the caller decides how
 * much a Luhn failure costs.
 */
#include <stdbool.h>
#include <stddef.h>

#include "validate.h"

/* Defined in tables.c. */
pii_card_brand pii_tbl_card_brand(const char *d, size_t n);

static bool digit(char c) { return c >= '0' && c <= '9'; }

pii_card_brand pii_card_brand_of(const char *d, size_t n)
{
    if (n < 13 || n > 19 || !digit(d[0]) || !digit(d[1]))
        return PII_CARD_NONE;
    /* The issuer rows are indexed by the first two digits, and no row
     * starts as the epoch-ms times and snowflake ids of logs do: look them
     * up before the whole number is checked for digits.  A non-digit
     * further on only makes the row comparison meaningless, and then the
     * digit check rejects the number anyway. */
    pii_card_brand br = pii_tbl_card_brand(d, n);
    if (br == PII_CARD_NONE || !pii_all_digits(d + 2, n - 2))
        return PII_CARD_NONE;
    return br;
}
