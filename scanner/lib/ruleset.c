/*
 * ruleset.c -- compile the detector table into one Hyperscan block-mode
 * database and prove it works before anything is scanned.
 *
 * The database holds the literal-bearing regexes (e-mail) and every key and
 * hotword literal, de-duplicated case-insensitively so that a word that is a
 * key for several types ("phone": mobile and landline) is matched once and
 * carries a type mask.  No SOM, no UCP (see shared/research/hyperscan.md):
 * literals are written as \xHH escapes, which also keeps the UTF-8 bytes of
 * Chinese keywords byte-exact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine_int.h"
#include "hs_cache.h"
#include "keyname.h"
#include "tokenize.h"
#include "validate.h"

extern const unsigned char pii_embed_detectors_conf[];
extern const size_t pii_embed_detectors_conf_len;

int pii_selftest(const piiscan_ruleset *rs, char *err, size_t errlen);

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

static pii_hs_expr *find_literal(piiscan_ruleset *rs, const char *lit)
{
    for (size_t i = 0; i < rs->nexpr; i++)
        if (rs->expr[i].kind == PII_HS_LITERAL && strcasecmp(rs->expr[i].text, lit) == 0)
            return &rs->expr[i];
    return NULL;
}

pii_hs_expr *pii_ruleset_new_expr(piiscan_ruleset *rs)
{
    pii_hs_expr *nv = realloc(rs->expr, (rs->nexpr + 1) * sizeof *nv);
    if (!nv)
        return NULL;
    rs->expr = nv;
    memset(&nv[rs->nexpr], 0, sizeof *nv);
    return &nv[rs->nexpr++];
}

static int add_literal(piiscan_ruleset *rs, const char *lit, piiscan_type t, bool key)
{
    pii_hs_expr *e = find_literal(rs, lit);
    if (!e) {
        if (!(e = pii_ruleset_new_expr(rs)) || !(e->text = strdup(lit)))
            return -1;
        e->kind = PII_HS_LITERAL;
        e->len = (uint16_t)strlen(lit);
        e->ascii = is_ascii(lit);
    }
    if (key)
        e->keymask |= 1u << t;
    else
        e->hotmask |= 1u << t;
    return 0;
}

static int build_exprs(piiscan_ruleset *rs)
{
    for (size_t i = 0; i < rs->ndet; i++) {
        pii_detector *d = &rs->det[rs->order[i]];
        for (size_t k = 0; k < d->regex.n; k++) {
            pii_hs_expr *e = pii_ruleset_new_expr(rs);
            if (!e || !(e->text = strdup(d->regex.v[k])))
                return -1;
            e->kind = PII_HS_REGEX;
            e->type = d->type;
        }
        for (size_t k = 0; k < d->keys.n; k++)
            if (add_literal(rs, d->keys.v[k], d->type, true) < 0)
                return -1;
        for (size_t k = 0; k < d->hotwords.n; k++)
            if (add_literal(rs, d->hotwords.v[k], d->type, false) < 0)
                return -1;
    }
    return 0;
}

/* Hyperscan literal for n raw bytes: every byte as \xHH, formatted by
 * hand because sprintf per byte was a third of start-up (3,374 division
 * names, ~36,000 bytes). */
char *pii_hs_escape(const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char *o = malloc(4 * n + 1), *w = o;
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        *w++ = '\\';
        *w++ = 'x';
        *w++ = hex[b >> 4];
        *w++ = hex[b & 15];
    }
    *w = 0;
    return o;
}

bool pii_pairs_in_hyperscan = false;

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A literal that detect_window.c matches instead of Hyperscan. */
static bool take_pair(piiscan_ruleset *rs, size_t i)
{
    const pii_hs_expr *e = &rs->expr[i];
    if (pii_pairs_in_hyperscan || e->kind != PII_HS_LITERAL || e->len != 2 || !is_letter(e->text[0]) ||
        !is_letter(e->text[1]) || rs->npairs == PII_MAX_PAIRS)
        return false;
    rs->pair_id[rs->npairs++] = (uint32_t)i;
    return true;
}

static int compile_db(piiscan_ruleset *rs, char *err, size_t errlen)
{
    size_t n = 0;   /* patterns given to Hyperscan */
    char **pat = calloc(rs->nexpr, sizeof *pat);
    unsigned *flags = calloc(rs->nexpr, sizeof *flags), *ids = calloc(rs->nexpr, sizeof *ids);
    int rc = -1;
    if (!pat || !flags || !ids)
        goto out;
    rs->npairs = 0;
    for (size_t i = 0; i < rs->nexpr; i++) {
        const pii_hs_expr *e = &rs->expr[i];
        if (take_pair(rs, i))
            continue;
        pat[n] = e->kind == PII_HS_LITERAL ? pii_hs_escape(e->text, strlen(e->text)) : strdup(e->text);
        if (!pat[n])
            goto out;
        flags[n] = e->kind == PII_HS_LITERAL ? HS_FLAG_CASELESS : e->kind == PII_HS_CJK ? e->hsflags : 0;
        ids[n++] = (unsigned)i;
    }
    uint64_t key = pii_hs_cache_key((const char *const *)pat, flags, n);
    rs->db = pii_hs_cache_load(key);   /* the self-test still checks it */
    if (!rs->db) {
        hs_compile_error_t *ce = NULL;
        if (hs_compile_multi((const char *const *)pat, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &rs->db, &ce) !=
            HS_SUCCESS) {
            int bad = ce ? ce->expression : -1;
            snprintf(err, errlen, "cannot compile pattern %s: %s", bad >= 0 ? rs->expr[ids[bad]].text : "(database)",
                     ce ? ce->message : "unknown error");
            hs_free_compile_error(ce);
            goto out;
        }
        pii_hs_cache_store(key, rs->db);
    }
    if (hs_alloc_scratch(rs->db, &rs->scratch_proto) != HS_SUCCESS) {
        snprintf(err, errlen, "cannot allocate Hyperscan scratch");
        goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; pat && i < n; i++)
        free(pat[i]);
    free(pat);
    free(flags);
    free(ids);
    if (rc < 0 && !err[0])
        snprintf(err, errlen, "out of memory");
    return rc;
}

int piiscan_ruleset_new(piiscan_ruleset **out, char *err, size_t errlen)
{
    *out = NULL;
    err[0] = 0;
    if (pii_tables_init(err, errlen) < 0)
        return -1;
    pii_tokenizer_init();
    piiscan_ruleset *rs = calloc(1, sizeof *rs);
    if (!rs) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (pii_conf_parse(rs, (const char *)pii_embed_detectors_conf, err, errlen) < 0 ||
        build_exprs(rs) < 0 || pii_cjk_init(rs, err, errlen) < 0 || pii_key_index_build(rs) < 0 ||
        compile_db(rs, err, errlen) < 0 || pii_selftest(rs, err, errlen) < 0) {
        if (!err[0])
            snprintf(err, errlen, "out of memory");
        piiscan_ruleset_free(rs);
        return -1;
    }
    *out = rs;
    return 0;
}

void piiscan_ruleset_free(piiscan_ruleset *rs)
{
    if (!rs)
        return;
    hs_free_scratch(rs->scratch_proto);
    hs_free_database(rs->db);
    for (size_t i = 0; i < rs->nexpr; i++)
        free(rs->expr[i].text);
    free(rs->expr);
    free(rs->keylit);
    pii_cjk_free(rs);
    pii_conf_free(rs);
    free(rs);
}

size_t piiscan_detector_count(const piiscan_ruleset *rs) { return rs->ndet; }

const piiscan_detector_info *piiscan_detector(const piiscan_ruleset *rs, size_t i)
{
    return i < rs->ndet ? &rs->det[rs->order[i]].info : NULL;
}
