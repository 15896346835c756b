/*
 * validate_card.c -- payment card brand by issuer identification number.
 *
 * The IIN ranges and the PAN lengths each brand issues live in
 * patterns/data/card_iin.tsv (parsed by tables.c).  Luhn is deliberately
 * not applied here: some UnionPay cards fail it, so the caller decides how
 * much a Luhn failure costs.
 */
#include <stddef.h>

#include "validate.h"

/* Defined in tables.c. */
pii_card_brand pii_tbl_card_brand(const char *d, size_t n);

pii_card_brand pii_card_brand_of(const char *d, size_t n)
{
    if (n < 13 || n > 19 || !pii_all_digits(d, n))
        return PII_CARD_NONE;
    return pii_tbl_card_brand(d, n);
}
