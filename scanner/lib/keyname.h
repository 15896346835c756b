/*
 * keyname.h -- does a key token or a column name name a type?
 *
 * One rule for inline keys (context.c: user_phone=..., "手机号":...) and for
 * column and key names of structured data (struct.c: a CSV header, a JSON
 * key path, an SQL column): a key literal of the type must occur in the
 * token.  ASCII literals of 3 bytes or fewer (ip, mac, tel, dob) must be a
 * whole component of the token, so that "zip" or "latency" do not count;
 * longer ones a prefix or suffix component (phoneNumber, cellphone).
 * Components are split at non-alphanumerics and at lower-to-upper case
 * changes.  Literals in other scripts (手机号) count anywhere.
 */
#ifndef PII_KEYNAME_H
#define PII_KEYNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine_int.h"

/* Component edges of p[st..] within a token starting at lim / ending at lim. */
bool pii_key_left_edge(const uint8_t *p, size_t st, size_t lim);
bool pii_key_right_edge(const uint8_t *p, size_t en, size_t lim);

enum { PII_KEYFIT_NO = 0, PII_KEYFIT_PART = 1, PII_KEYFIT_WHOLE = 2 };

/* How literal e, found at p[st,en) inside the token p[ks,ke), names the
 * token: not at all, as a prefix/suffix (or non-ASCII), or as a whole
 * component. */
int pii_key_literal_fit(const pii_hs_expr *e, const uint8_t *p, size_t ks, size_t ke, size_t st, size_t en);

/* Types the name is a telling key for (*keymask), and among them those named
 * by a whole ASCII component (*wholemask: "name", "full_name" but not
 * "nickname").  ASCII case is ignored, as the Hyperscan literals do. */
void pii_key_classify(const struct piiscan_ruleset *rs, const uint8_t *name, size_t len, uint32_t *keymask,
                      uint32_t *wholemask);

/* Build rs->keylit from the key literals among rs->expr (after every
 * expression is added).  0, or -1 when out of memory. */
int pii_key_index_build(struct piiscan_ruleset *rs);

#endif
