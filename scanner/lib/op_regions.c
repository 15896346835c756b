/*
 * op_regions.c -- the known GB/T 2260 region codes as a sorted array, so
 * that resident-ID FPE can turn a region into an index and back.
 *
 * Read from the same embedded table as tables.c, so the set is exactly the
 * one pii_cn_region_known accepts.  The order (ascending code) is part of
 * the FPE mapping: adding or removing a code in patterns/data changes the
 * pseudonyms of resident IDs, which docs/operators.md warns about.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "op_int.h"

extern const unsigned char pii_embed_cn_regions[];
extern const size_t pii_embed_cn_regions_len;

#define MAX_REGIONS 16384

static uint32_t codes[MAX_REGIONS];
static size_t n_codes;
static pthread_once_t regions_once = PTHREAD_ONCE_INIT;

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Rows are "code<TAB>name<TAB>status"; tables.c has already vetted them,
 * here a row that does not start with six digits and a TAB is skipped. */
static void load_regions(void)
{
    const char *s = (const char *)pii_embed_cn_regions;
    size_t len = pii_embed_cn_regions_len, n = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - s) : len;
        if (end - pos > 7 && s[pos + 6] == '\t' && n < MAX_REGIONS) {
            uint32_t v = 0;
            bool ok = true;
            for (size_t i = 0; i < 6; i++) {
                ok = ok && s[pos + i] >= '0' && s[pos + i] <= '9';
                v = v * 10 + (uint32_t)(s[pos + i] - '0');
            }
            if (ok)
                codes[n++] = v;
        }
        pos = end + 1;
    }
    qsort(codes, n, sizeof codes[0], cmp_u32);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || codes[u - 1] != codes[i])
            codes[u++] = codes[i];
    n_codes = u;
}

size_t pii_cn_region_count(void)
{
    pthread_once(&regions_once, load_regions);
    return n_codes;
}

uint32_t pii_cn_region_at(size_t i)
{
    return i < pii_cn_region_count() ? codes[i] : 0;
}

long pii_cn_region_index(uint32_t code)
{
    size_t lo = 0, hi = pii_cn_region_count();
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (codes[mid] < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n_codes && codes[lo] == code ? (long)lo : -1;
}
