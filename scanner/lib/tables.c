/*
 * tables.c -- parse the embedded patterns/data TSV files into lookup
 * structures that the validators can query in O(1) without allocating.
 *
 * The text files stay the single source of truth (they are embedded at build
 * time by cmake/embed.cmake); parsing them once at start-up costs well under
 * a millisecond and keeps the binary free of generated C tables.
 *
 * Everything lives in static storage: the biggest table is a bitmap over all
 * 1,000,000 six-digit region codes (125 kB), which answers "is this a known
 * GB/T 2260 code" with one load.  pthread_once makes initialisation safe when
 * several scanner threads start at once; after it returns the tables are
 * read-only, so lookups need no locking.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "validate.h"

extern const unsigned char pii_embed_cn_regions[];
extern const size_t pii_embed_cn_regions_len;
extern const unsigned char pii_embed_cn_mobile[];
extern const size_t pii_embed_cn_mobile_len;
extern const unsigned char pii_embed_cn_area_codes[];
extern const size_t pii_embed_cn_area_codes_len;
extern const unsigned char pii_embed_card_iins[];
extern const size_t pii_embed_card_iins_len;
extern const unsigned char pii_embed_cn_imsi_mnc[];
extern const size_t pii_embed_cn_imsi_mnc_len;

/* Lookups for the other validate_*.c files (validate.h is the public face;
 * these stay internal and are declared where they are used). */
bool pii_tbl_mobile_prefix(uint32_t prefix5);
bool pii_tbl_area_code(uint32_t code, int ndigits);
pii_card_brand pii_tbl_card_brand(const char *d, size_t n);
bool pii_tbl_cn_mnc(uint32_t mnc);

#define MAX_FIELDS 4
#define MAX_IINS 64

typedef struct iin_range {
    uint32_t start, end;     /* inclusive, both plen digits long */
    uint32_t len_mask;       /* bit L set when a PAN of length L is allowed */
    uint8_t plen;
    pii_card_brand brand;
} iin_range;

static uint8_t region_bits[1000000 / 8];
static uint8_t mobile_bits[100000 / 8];    /* indexed by the 5-digit prefix */
static uint8_t area3_bits[1000 / 8 + 1];   /* "0xx" -> xx value, incl. the 0 */
static uint8_t area4_bits[10000 / 8];
static bool mnc_known[100];
static iin_range iins[MAX_IINS];
static size_t n_iins;
/* For each two-digit start of a number, the IIN rows it can fall in (bit i
 * for iins[i]): a lookup tries a handful of rows instead of all of them,
 * and none at all for the 1x numbers (epoch-ms, snowflake ids) of logs. */
static uint64_t iin_by_prefix2[100];

_Static_assert(MAX_IINS <= 64, "iin_by_prefix2 holds one bit per row");

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_status;
static char init_err[256];

static void bit_set(uint8_t *bits, uint32_t i) { bits[i >> 3] |= (uint8_t)(1u << (i & 7)); }
static bool bit_get(const uint8_t *bits, uint32_t i) { return (bits[i >> 3] >> (i & 7)) & 1u; }

/* A line split into TAB-separated fields; fields point into the embedded
 * (read-only) text and are not NUL-terminated. */
typedef struct fields {
    const char *p[MAX_FIELDS];
    size_t len[MAX_FIELDS];
    int n;
} fields;

typedef int (*row_fn)(const fields *f, const char **why);

static void split_line(const char *s, size_t n, fields *f)
{
    f->n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n && f->n < MAX_FIELDS; i++) {
        if (i == n || s[i] == '\t') {
            f->p[f->n] = s + start;
            f->len[f->n] = i - start;
            f->n++;
            start = i + 1;
        }
    }
}

/* Decimal value of an all-digit field of 1..9 digits, or -1. */
static long field_num(const char *s, size_t n)
{
    if (n == 0 || n > 9 || !pii_all_digits(s, n))
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static bool field_is(const fields *f, int i, const char *lit)
{
    size_t n = strlen(lit);
    return f->len[i] == n && memcmp(f->p[i], lit, n) == 0;
}

static int parse_table(const char *name, const unsigned char *data, size_t len, row_fn fn)
{
    const char *s = (const char *)data;
    size_t line = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - s) : len;
        size_t n = end - pos;
        line++;
        if (n > 0 && s[pos + n - 1] == '\r')
            n--;
        if (n > 0 && s[pos] != '#') {
            fields f;
            const char *why = "malformed row";
            split_line(s + pos, n, &f);
            if (fn(&f, &why) != 0) {
                snprintf(init_err, sizeof init_err, "%s line %zu: %s", name, line, why);
                return -1;
            }
        }
        pos = end + 1;
    }
    return 0;
}

static int region_row(const fields *f, const char **why)
{
    long code = f->n == 3 && f->len[0] == 6 ? field_num(f->p[0], 6) : -1;
    if (code < 100000) {
        *why = "expected code<TAB>name<TAB>status with a six-digit code";
        return -1;
    }
    if (!field_is(f, 2, "current") && !field_is(f, 2, "historical")) {
        *why = "status must be current or historical";
        return -1;
    }
    bit_set(region_bits, (uint32_t)code);
    return 0;
}

/* A 3-5 digit prefix starting with 1 marks every 5-digit extension of it. */
static int mobile_row(const fields *f, const char **why)
{
    size_t n = f->len[0];
    long p = f->n == 2 && n >= 3 && n <= 5 && f->p[0][0] == '1' ? field_num(f->p[0], n) : -1;
    if (p < 0) {
        *why = "expected prefix<TAB>carrier with a 3-5 digit prefix starting with 1";
        return -1;
    }
    uint32_t span = n == 3 ? 100 : n == 4 ? 10 : 1;
    for (uint32_t i = 0; i < span; i++)
        bit_set(mobile_bits, (uint32_t)p * span + i);
    return 0;
}

static int area_row(const fields *f, const char **why)
{
    size_t n = f->len[0];
    long c = f->n == 2 && (n == 3 || n == 4) && f->p[0][0] == '0' ? field_num(f->p[0], n) : -1;
    if (c < 0) {
        *why = "expected code<TAB>cities with a 3-4 digit code starting with 0";
        return -1;
    }
    bit_set(n == 3 ? area3_bits : area4_bits, (uint32_t)c);
    return 0;
}

static pii_card_brand brand_named(const char *s, size_t n)
{
    static const char *const names[] = {
        [PII_CARD_UNIONPAY] = "UNIONPAY", [PII_CARD_VISA] = "VISA",
        [PII_CARD_MASTERCARD] = "MASTERCARD", [PII_CARD_AMEX] = "AMEX",
        [PII_CARD_JCB] = "JCB", [PII_CARD_DINERS] = "DINERS",
        [PII_CARD_DISCOVER] = "DISCOVER",
    };
    for (int b = PII_CARD_UNIONPAY; b <= PII_CARD_DISCOVER; b++)
        if (strlen(names[b]) == n && memcmp(names[b], s, n) == 0)
            return (pii_card_brand)b;
    return PII_CARD_NONE;
}

/* "16-19" or "13,16,19" -> bit mask over PAN lengths 12..19. */
static uint32_t parse_lengths(const char *s, size_t n)
{
    uint32_t mask = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != ',')
            j++;
        const char *dash = memchr(s + i, '-', j - i);
        long lo, hi;
        if (dash) {
            lo = field_num(s + i, (size_t)(dash - (s + i)));
            hi = field_num(dash + 1, (size_t)(s + j - dash - 1));
        } else {
            lo = hi = field_num(s + i, j - i);
        }
        if (lo < 12 || hi > 19 || lo > hi)
            return 0;
        for (long l = lo; l <= hi; l++)
            mask |= 1u << l;
        i = j + 1;
    }
    return mask;
}

static int iin_row(const fields *f, const char **why)
{
    iin_range r = {0};
    long start = -1, end = -1;
    if (f->n == 4 && f->len[1] == f->len[2] && f->len[1] <= 8) {
        start = field_num(f->p[1], f->len[1]);
        end = field_num(f->p[2], f->len[2]);
        r.brand = brand_named(f->p[0], f->len[0]);
        r.len_mask = parse_lengths(f->p[3], f->len[3]);
    }
    if (start < 0 || end < start || r.brand == PII_CARD_NONE || r.len_mask == 0) {
        *why = "expected brand<TAB>start<TAB>end<TAB>lengths";
        return -1;
    }
    if (n_iins == MAX_IINS) {
        *why = "too many IIN rows";
        return -1;
    }
    r.start = (uint32_t)start;
    r.end = (uint32_t)end;
    r.plen = (uint8_t)f->len[1];
    iins[n_iins++] = r;
    return 0;
}

static int mnc_row(const fields *f, const char **why)
{
    long mnc = f->n == 2 && f->len[0] == 2 ? field_num(f->p[0], 2) : -1;
    if (mnc < 0) {
        *why = "expected mnc<TAB>operator with a two-digit MNC";
        return -1;
    }
    mnc_known[mnc] = true;
    return 0;
}

/* Does row r contain some number starting with the two digits p2? */
static bool iin_meets_prefix2(const iin_range *r, uint32_t p2)
{
    if (r->plen == 1)
        return p2 / 10 >= r->start && p2 / 10 <= r->end;
    uint32_t scale = 1;
    for (unsigned k = 2; k < r->plen; k++)
        scale *= 10;
    uint32_t lo = p2 * scale, hi = (p2 + 1) * scale - 1;
    return lo <= r->end && hi >= r->start;
}

static void index_iins(void)
{
    for (uint32_t p2 = 0; p2 < 100; p2++)
        for (size_t i = 0; i < n_iins; i++)
            if (iin_meets_prefix2(&iins[i], p2))
                iin_by_prefix2[p2] |= 1ull << i;
}

static void init_tables(void)
{
    init_status = -1;
    if (parse_table("cn_region_codes.tsv", pii_embed_cn_regions, pii_embed_cn_regions_len, region_row)
        || parse_table("cn_mobile_prefixes.tsv", pii_embed_cn_mobile, pii_embed_cn_mobile_len, mobile_row)
        || parse_table("cn_area_codes.tsv", pii_embed_cn_area_codes, pii_embed_cn_area_codes_len, area_row)
        || parse_table("card_iin.tsv", pii_embed_card_iins, pii_embed_card_iins_len, iin_row)
        || parse_table("cn_imsi_mnc.tsv", pii_embed_cn_imsi_mnc, pii_embed_cn_imsi_mnc_len, mnc_row))
        return;
    index_iins();
    init_status = 0;
}

int pii_tables_init(char *err, size_t errlen)
{
    pthread_once(&init_once, init_tables);
    if (init_status != 0 && err && errlen)
        snprintf(err, errlen, "%s", init_err);
    return init_status;
}

bool pii_cn_region_known(uint32_t code6)
{
    return code6 < 1000000 && bit_get(region_bits, code6);
}

bool pii_tbl_mobile_prefix(uint32_t prefix5)
{
    return prefix5 < 100000 && bit_get(mobile_bits, prefix5);
}

bool pii_tbl_area_code(uint32_t code, int ndigits)
{
    if (ndigits == 3)
        return code < 1000 && bit_get(area3_bits, code);
    return ndigits == 4 && code < 10000 && bit_get(area4_bits, code);
}

bool pii_tbl_cn_mnc(uint32_t mnc)
{
    return mnc < 100 && mnc_known[mnc];
}

/* Among rows whose prefix matches and whose lengths allow n, the longest
 * prefix is the most specific issuer statement and wins. */
pii_card_brand pii_tbl_card_brand(const char *d, size_t n)
{
    pii_card_brand best = PII_CARD_NONE;
    unsigned best_len = 0;
    if (n < 2)
        return best;
    for (uint64_t m = iin_by_prefix2[(d[0] - '0') * 10 + (d[1] - '0')]; m; m &= m - 1) {
        const iin_range *r = &iins[__builtin_ctzll(m)];
        if (r->plen > n || r->plen <= best_len || !(r->len_mask & (1u << n)))
            continue;
        uint32_t v = 0;
        for (unsigned k = 0; k < r->plen; k++)
            v = v * 10 + (uint32_t)(d[k] - '0');
        if (v >= r->start && v <= r->end) {
            best = r->brand;
            best_len = r->plen;
        }
    }
    return best;
}
