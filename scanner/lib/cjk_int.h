/*
 * cjk_int.h -- tables and helpers shared by the Chinese address and name
 * detectors (cjk_tables.c, match_address.c, match_name.c, match_cjk.c).
 *
 * The tables are built once per ruleset from the embedded data files and
 * are read-only afterwards, so several scanners may share them.
 */
#ifndef PII_CJK_INT_H
#define PII_CJK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine_int.h"

/* pii_hs_expr.aux of our expressions: kind in the top byte, index below. */
#define PII_CJK_KIND(aux) ((aux) >> 24)
#define PII_CJK_INDEX(aux) ((aux) & 0xFFFFFFu)
enum { PII_CJK_ADMIN = 1, PII_CJK_ROAD = 2 };

/* One distinct division name (full or short form) and the GB/T 2260 codes
 * it can stand for (朝阳区 is in Beijing and in Changchun). */
typedef struct pii_cjk_name {
    const char *s;
    uint32_t len;          /* bytes */
    uint32_t first;        /* index into pii_cjk.codes */
    uint32_t ncodes;
} pii_cjk_name;

typedef struct pii_cjk {
    char *pool;                 /* NUL-separated name strings */
    pii_cjk_name *names;
    size_t nnames;
    uint32_t *codes;
    size_t ncodes;
    uint32_t *slot;             /* open addressing: name index + 1, 0 empty */
    size_t nslot;               /* power of two */
    size_t max_name;            /* longest name in bytes */
    uint8_t surname[(0xA000 - 0x3400) / 4];   /* 2 bits per Han code point */
    uint32_t compound[96][2];   /* compound surnames as code point pairs */
    size_t ncompound;
} pii_cjk;

enum { PII_SURNAME_NONE = 0, PII_SURNAME_RARE = 1, PII_SURNAME_TOP = 2 };

int pii_cjk_tables_new(pii_cjk **out, char *err, size_t errlen);
void pii_cjk_tables_free(pii_cjk *t);

/* Index of the name whose bytes are exactly p[0..n), or -1. */
long pii_cjk_lookup(const pii_cjk *t, const uint8_t *p, size_t n);
/* Longest division name starting at p[i] (within p[0..lim)); its length in
 * bytes (0 when none) and index. */
size_t pii_cjk_longest_name(const pii_cjk *t, const uint8_t *p, size_t i, size_t lim, long *idx);
int pii_cjk_surname(const pii_cjk *t, uint32_t cp);
bool pii_cjk_compound(const pii_cjk *t, uint32_t a, uint32_t b);

/* A Han ideograph (U+3400..U+9FFF, or 〇) at p[i]: its code point, else 0. */
static inline uint32_t pii_han_at(const uint8_t *p, size_t i, size_t n)
{
    if (i + 3 > n || (p[i] & 0xF0) != 0xE0 || (p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80)
        return 0;
    uint32_t cp = ((uint32_t)(p[i] & 0x0F) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3Fu);
    return (cp >= 0x3400 && cp <= 0x9FFF) || cp == 0x3007 ? cp : 0;
}

/* Does the UTF-8 string s start at p[i] (within n)? */
static inline bool pii_at(const uint8_t *p, size_t i, size_t n, const char *s, size_t sl)
{
    return i + sl <= n && memcmp(p + i, s, sl) == 0;
}

/* The first of the NULL-terminated words found at p[i]: its length, else 0. */
size_t pii_cjk_word_at(const uint8_t *p, size_t i, size_t n, const char *const *words);

/* match_address.c: an address region starting at admin name s (view
 * offsets); returns the view offset up to which later hits are covered. */
size_t pii_addr_from_admin(const pii_cjk *t, pii_emitter *em, size_t s);
/* match_address.c: an address without a division, from the end of
 * "<road><number>号" (a PII_CJK_ROAD hit); needs a key or hotword.
 * lit_end: end of the last key/hotword literal at or before the road. */
size_t pii_addr_from_road(const pii_cjk *t, pii_emitter *em, size_t end, size_t floor);

/* match_name.c: a name value after a name key/hotword literal of lit_len
 * bytes ending at `end` in the window view.  key/hot: the literal's roles;
 * ascii: the literal is ASCII (a Latin-script name may follow when it is a
 * whole word). */
void pii_name_after(const struct piiscan_ruleset *rs, pii_emitter *em, const pii_hit *hits, size_t nhits,
                    size_t end, size_t lit_len, bool key, bool hot, bool ascii);

/* match_name.c: a name filling a cell of a name column (收货人, name ...)
 * from view offset vs, the start of the cell's value.  latin: the column is
 * named by a whole word (name, full_name), so a Latin-script name counts. */
void pii_name_in_field(const struct piiscan_ruleset *rs, pii_emitter *em, const pii_hit *hits, size_t nhits,
                       size_t vs, bool latin);

/* match_cjk.c: decode a run of JSON \uXXXX escapes (with ASCII letters,
 * digits, - # and blanks between them) starting at p[i] into buf (UTF-8),
 * map[k] = window offset of buf[k]'s escape, map[len] = end of the run.
 * Returns the decoded length; *han counts decoded Han characters. */
size_t pii_cjk_unescape(const uint8_t *p, size_t i, size_t n, uint8_t *buf, size_t cap, uint32_t *map, int *han);

#endif
