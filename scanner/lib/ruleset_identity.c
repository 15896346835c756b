/*
 * ruleset_identity.c -- one number that changes whenever the findings for
 * the same input may change between builds.
 *
 * The version covers code changes that are released; the detector table
 * covers patterns, keys and hotwords (the part most often edited); the
 * Hyperscan version covers a matcher that behaves differently.  Code edits
 * between releases are not seen: whoever builds from a checkout and keeps
 * results across builds must drop them (the man page says so).
 */
#include <hs.h>
#include <string.h>
#include <xxhash.h>

#include "piiscan.h"

extern const unsigned char pii_embed_detectors_conf[];
extern const size_t pii_embed_detectors_conf_len;

uint64_t piiscan_ruleset_identity(const piiscan_ruleset *rs)
{
    (void)rs;   /* one built-in table today; user rules would be hashed here */
    const char *hv = hs_version();
    uint64_t seed = XXH3_64bits_withSeed(PIISCAN_VERSION, sizeof PIISCAN_VERSION, XXH3_64bits(hv, strlen(hv)));
    return XXH3_64bits_withSeed(pii_embed_detectors_conf, pii_embed_detectors_conf_len, seed);
}
