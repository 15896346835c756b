/*
 * match_cjk.c -- Chinese postal addresses and personal names.
 * Not implemented yet (issue: CN_ADDRESS / PERSON_NAME); these hooks keep the
 * engine's call sites in place.
 */
#include "engine_int.h"

int pii_cjk_init(struct piiscan_ruleset *rs, char *err, size_t errlen)
{
    (void)rs;
    (void)err;
    (void)errlen;
    return 0;
}

void pii_cjk_free(struct piiscan_ruleset *rs) { (void)rs; }

void pii_match_cjk(const struct piiscan_ruleset *rs, const pii_view *v, const pii_hit *hits, size_t nhits,
                   pii_vec_cand *out, int *oom)
{
    (void)rs;
    (void)v;
    (void)hits;
    (void)nhits;
    (void)out;
    (void)oom;
}
