/* hs_cache.h -- the compiled Hyperscan database, cached between runs. */
#ifndef PII_HS_CACHE_H
#define PII_HS_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hs/hs.h>

/* Key of a pattern set (0 if it cannot be computed: no caching). */
uint64_t pii_hs_cache_key(const char *const *pat, const unsigned *flags, size_t n);
/* The cached database for key, or NULL. */
hs_database_t *pii_hs_cache_load(uint64_t key);
/* Store db under key; failures are ignored. */
void pii_hs_cache_store(uint64_t key, const hs_database_t *db);

#endif
