/*
 * engine_int.h -- the structures shared by the detection engine.
 *
 * Flow per window (see DESIGN.md section 1):
 *   hs_scan()          -> ctx_hits (key/hotword literal ends) + email ends
 *   tokenizer seeds    -> compounds (words joined by . : - / space)
 *   matchers           -> candidates {span, type, base score, flags}
 *   context            -> key / hotword association per candidate
 *   resolve            -> confidence, overlap resolution, emission
 * Everything lives in per-scanner arrays that grow geometrically and are
 * reused, so nothing is allocated per match.
 */
#ifndef PII_ENGINE_INT_H
#define PII_ENGINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hs/hs.h>

#include "piiscan.h"
#include "tokenize.h"
#include "struct.h"
#include "window.h"

/* ---- the detector table (patterns/detectors.conf) ---- */

enum pii_reporting { PII_REP_ALWAYS, PII_REP_CONTEXT, PII_REP_MIXED };

typedef struct pii_example {
    char *text;           /* brackets removed */
    size_t len;
    size_t lo, hi;        /* expected span */
} pii_example;

typedef struct pii_strlist {
    char **v;
    size_t n;
} pii_strlist;

typedef struct pii_detector {
    piiscan_type type;
    bool present;
    int reporting;
    double confidence;
    char *description, *when, *sample;
    pii_strlist keys, hotwords, regex, negatives;
    pii_example *examples;
    size_t nexamples;
    piiscan_detector_info info;
} pii_detector;

/* One Hyperscan expression: a regex of some type, or a context literal that
 * is a key and/or hotword for a set of types (bit masks over piiscan_type). */
enum pii_hs_kind { PII_HS_REGEX, PII_HS_LITERAL, PII_HS_CJK };
typedef struct pii_hs_expr {
    int kind;
    piiscan_type type;    /* PII_HS_REGEX */
    uint32_t keymask;     /* PII_HS_LITERAL */
    uint32_t hotmask;
    uint16_t len;         /* literal length in bytes */
    bool ascii;           /* literal is pure ASCII */
    char *text;           /* literal as written (pattern for PII_HS_REGEX) */
    unsigned hsflags;     /* PII_HS_CJK: Hyperscan flags of the pattern */
    uint32_t aux;         /* PII_HS_CJK: owner-defined (match_cjk.c) */
} pii_hs_expr;

/* Literals of two ASCII letters ("ip") are matched by detect_window.c,
 * not by Hyperscan: one two-byte caseless literal made Hyperscan's pass a
 * third slower.  At most PII_MAX_PAIRS of them; more stay in Hyperscan.
 * pii_pairs_in_hyperscan (tests) leaves them all there, for comparing. */
#define PII_MAX_PAIRS 8
extern bool pii_pairs_in_hyperscan;

struct piiscan_ruleset {
    pii_detector det[PIISCAN_TYPE_COUNT];
    piiscan_type order[PIISCAN_TYPE_COUNT];   /* detectors in table order */
    size_t ndet;
    pii_hs_expr *expr;
    size_t nexpr;
    hs_database_t *db;
    hs_scratch_t *scratch_proto;
    uint32_t pair_id[PII_MAX_PAIRS];   /* the two-letter literals, not in db */
    size_t npairs;
    void *cjk;            /* address / name tables (match_cjk.c) */
    /* Key literals grouped by their first byte, ASCII case folded (keyname.c):
     * bucket b is keylit[keylit_at[b] .. keylit_at[b + 1]). */
    uint32_t *keylit;
    uint32_t keylit_at[257];
};

/* Append an expression to the ruleset (before the database is compiled);
 * NULL when out of memory.  The caller fills it in; text must be malloc'd. */
pii_hs_expr *pii_ruleset_new_expr(struct piiscan_ruleset *rs);

/* A Hyperscan pattern matching the n bytes of s literally (malloc'd; NULL
 * when out of memory). */
char *pii_hs_escape(const char *s, size_t n);

/* Parse the detector table text (NUL-terminated).  0 or -1 with err. */
int pii_conf_parse(struct piiscan_ruleset *rs, const char *text, char *err, size_t errlen);
void pii_conf_free(struct piiscan_ruleset *rs);

/* ---- per-window work arrays ---- */

typedef struct pii_hit {          /* a Hyperscan match end */
    uint32_t id;
    uint32_t end;
} pii_hit;

enum {
    PII_F_NEED_CTX    = 1,   /* drop unless a key or hotword supports it */
    PII_F_PLACEHOLDER = 2,   /* known dummy value: confidence floor */
    PII_F_WEAK        = 4    /* validator partly failed: needs context */
};

typedef struct pii_cand {
    uint32_t start, end;         /* window-relative */
    uint8_t type;
    uint8_t flags;
    uint8_t ctx_kind;            /* 0 none, 1 key, 2 hotword, 3 column (ctx_lo = column, ctx_hi = row) */
    uint8_t quote;               /* PII_Q_* of the field the value sits in */
    float score;                 /* base, then final confidence */
    uint32_t ctx_lo, ctx_hi;     /* key token or hotword span (window-relative);
                                  * column and value ordinal for ctx_kind 3 */
} pii_cand;

/* A key or hotword literal hit with the types it could give context to
 * (its expression's keymask | hotmask, never 0). */
typedef struct pii_near_hit {
    uint32_t end;
    uint32_t mask;
} pii_near_hit;

typedef struct pii_vec_hit { pii_hit *v; size_t n, cap; } pii_vec_hit;
typedef struct pii_vec_near { pii_near_hit *v; size_t n, cap; } pii_vec_near;
typedef struct pii_vec_cand { pii_cand *v; size_t n, cap; } pii_vec_cand;

/* The key and hotword literal hits of a window (sorted by end), so the
 * tokenizer can tell which types could find context near a compound. */
typedef struct pii_ctx_hits {
    const pii_near_hit *v;
    size_t n;
    const pii_fieldmap *fm;     /* structured data: the window's fields (NULL: none) */
    const pii_tracker *tr;      /* ... and their columns */
} pii_ctx_hits;

/* A view the matchers work on: the window itself, or a small buffer of
 * full-width characters folded to ASCII (map != NULL translates offsets). */
typedef struct pii_view {
    const uint8_t *p;
    size_t len;
    bool left_open;              /* p[0] has an unknown left neighbour */
    bool right_open;             /* p[len-1] has an unknown right neighbour */
    uint8_t left_byte;           /* real byte before p[0] when known (0 = none) */
    uint8_t right_byte;          /* real byte after p[len-1] when known */
    const uint32_t *map;         /* view offset -> window offset, len+1 entries */
    const pii_ctx_hits *near;    /* when set, drop context-only candidates far from any literal */
    bool exhaustive;             /* build every compound, run every matcher (tests) */
} pii_view;

#define PII_MAX_SEGS 24

/* Words of [0-9A-Za-z] joined by single separators. */
typedef struct pii_compound {
    uint32_t start, end;         /* view-relative */
    int nseg;
    bool overflow;               /* more segments than stored: last is open */
    bool lead_dcolon;            /* "::" right before seg 0 (IPv6) */
    bool trail_dcolon;           /* "::" right after the last seg */
    bool after_escape;           /* seg 0 follows an escape's letters ("\n", "\u662f"): a boundary */
    uint8_t seps;                /* PII_SEP_* bits of the separators present */
    uint8_t cls_any;             /* PII_SEG_* bits of any segment */
    uint32_t nseps;              /* separators between segments, one count per byte lane:
                                  * ':' bits 0-7, '.' 8-15, '-' 16-23, "::" 24-31 */
    uint32_t lens;               /* bit L: a segment of L bytes (L >= 31: bit 31) */
    struct {
        uint32_t lo, hi;         /* view-relative */
        uint8_t cls;             /* PII_SEG_* bits */
        uint8_t sep;             /* separator AFTER this seg: . : - / ' ' or 'D' (::), 0 last */
    } seg[PII_MAX_SEGS];
} pii_compound;

enum { PII_SEP_DOT = 1, PII_SEP_COLON = 2, PII_SEP_DASH = 4, PII_SEP_SPACE = 8, PII_SEP_SLASH = 16 };

/* The separator counts of a compound, read from its nseps lanes; dcolon
 * also counts a "::" at either end. */
typedef struct pii_sep_count {
    unsigned colon, dot, dash;
    bool dcolon;
} pii_sep_count;

static inline pii_sep_count pii_sep_counts(const pii_compound *c)
{
    uint32_t n = c->nseps;
    return (pii_sep_count){ n & 0xFF, n >> 8 & 0xFF, n >> 16 & 0xFF, (n >> 24) != 0 || c->lead_dcolon || c->trail_dcolon };
}
enum { PII_SEG_DIGIT = 1, PII_SEG_HEX = 2, PII_SEG_ALNUM = 4, PII_SEG_UPPER = 8, PII_SEG_LOWER = 16 };

/* Could a 12-character word of the compound be a bare MAC?  Its
 * boundaries refuse a '-' or '.' on either side (PII_BK_HEX), so not in
 * a compound of several words joined only by those: the last part of a
 * UUID (6655C2D7-B181-4B3B-9A5B-C6E4F4B4E4A1), a dashed trace id. */
static inline bool pii_bare_mac_possible(const pii_compound *c)
{
    return ((c->lens >> 12) & 1) &&
           (c->nseg == 1 || (c->seps & ~(unsigned)(PII_SEP_DASH | PII_SEP_DOT)) != 0);
}

/* The candidate sink used by matchers. */
typedef struct pii_emitter {
    const pii_view *view;
    pii_vec_cand *out;
    int oom;
    bool gated;                  /* context-only candidates need a literal in reach (view->near) */
    bool near_known;             /* near_mask is computed for the current compound */
    uint32_t near_mask;          /* types with a key or hotword literal in reach */
    uint32_t near_lo, near_hi;   /* the current compound's span */
    size_t hit_lo;               /* first literal hit still in reach (monotonic) */
    size_t field_lo;             /* field of the fieldmap in reach (monotonic) */
} pii_emitter;

/* detect.c: near_mask of the current compound, computed on first use:
 * most compounds never ask (no context-only form fits them). */
uint32_t pii_near_types(pii_emitter *em);
static inline uint32_t pii_near_mask(pii_emitter *em)
{
    return em->near_known ? em->near_mask : pii_near_types(em);
}

void pii_emit(pii_emitter *em, uint32_t lo, uint32_t hi, piiscan_type t, float score, int flags);

/* compound.c: build the compound around seed position `seed` (a digit),
 * never extending left of `floor`.  Returns false when the seed lies in an
 * over-long word, or (unless the view is exhaustive) in a lone short word:
 * nothing to match there; *next is where seeding goes on. */
bool pii_compound_build(const pii_view *v, size_t seed, size_t floor, pii_compound *c, size_t *next);

/* skip_shapes.c: the end of a shape of digits that holds no personal
 * data, to be stepped over; 0 when the general way must decide.  A log
 * time at seed i (asked where p[i + 4] is '-'); a decimal or version, or
 * digit words joined by colons, whose first digit word [wl, hi) the
 * compound builder has scanned and found followed by a dot or a colon.
 * Not for exhaustive views (tests): the caller checks for the first, the
 * others themselves. */
size_t pii_skip_log_time(pii_emitter *em, size_t i, size_t floor);
/* skip_shapes.c: an Android logcat line's time and the ids joined to it
 * at seed i (asked where p[i + 2] is '-'); 0 when the general way must
 * decide. */
size_t pii_skip_logcat_time(pii_emitter *em, size_t i, size_t floor);
size_t pii_skip_decimal(const pii_view *v, size_t wl, size_t hi, size_t floor);
size_t pii_skip_colons(const pii_view *v, size_t wl, size_t hi, size_t floor);
/* skip_shapes.c: is the digit word [wl, hi), 9 or more digits, a number no
 * detector takes (epoch times, snowflake ids, order numbers) with nothing
 * joined to it?  match_numeric.c: could n digits d be one of its single
 * word forms (a mobile, an ID, a card, a landline, ...)? */
bool pii_skip_number(const pii_view *v, size_t wl, size_t hi, size_t floor);
bool pii_numeric_possible(const char *d, size_t n);

/* Left/right boundary tests of a match over segments [a,b) of a compound. */
bool pii_left_ok(const pii_view *v, const pii_compound *c, int a, int kind);
/* The redaction stream's operator, run on a worker: the transform's
 * contract, but it must be pure and thread-safe (no callbacks, no state). */
typedef struct pii_prep_op {
    piiscan_transform_fn fn;
    void *ud;
} pii_prep_op;

/* A stage of the caller's on a redacted copy's way out (reveal's token
 * filter): it gets the copy as UTF-8 text, before the pipeline encodes it
 * back to the input's encoding (text_decode.h), and writes on through the
 * writer bind hands it.  finish runs at the stream's end, before the
 * encoder's; non-zero fails the stream. */
typedef struct pii_out_filter {
    piiscan_write_fn write;
    int (*finish)(void *ud);
    void (*bind)(void *ud, piiscan_write_fn wr, void *wud);
    void *ud;
    int (*flush)(void *ud);   /* a live input paused: write out whole lines held (NULL: none held) */
} pii_out_filter;

/* piiscan_pipeline_redact_named with filter f (NULL: none) between the
 * redaction and the encoder; wr (with ud) gets the encoded bytes. */
int pii_pipeline_redact_filtered(piiscan_pipeline *p, const char *name, piiscan_read_fn rd, void *rud,
                                 piiscan_transform_fn tf, const pii_out_filter *f, piiscan_write_fn wr,
                                 piiscan_end_fn end, void *ud);
/* The same with op (NULL: none) run by the workers (prepare.c); its
 * results reach tf as the findings' replacement. */
int pii_pipeline_redact_prepared(piiscan_pipeline *p, const char *name, piiscan_read_fn rd, void *rud,
                                 piiscan_transform_fn tf, const pii_prep_op *op, const pii_out_filter *f,
                                 piiscan_write_fn wr, piiscan_end_fn end, void *ud);

/* Escapes (\n \r \t \uXXXX after an odd run of backslashes, %XX) end in
 * letters or hex digits that would glue to a value right
 * after them: a message inside a JSON string ("call me\n13812345678"),
 * Chinese text as json.dumps and Java write it ("是13812345678" as
 * "\u662f13812345678"), a URL's percent-encoding ("手机13812345678" as
 * "%E6%89%8B%E6%9C%BA13812345678", "phone=" as "phone%3D").  How many of
 * the bytes [lo, hi) are such an escape's letters (a backslash or '%' at
 * lo - 1); 0 if none.  A value must not
 * start inside one: the letters are not part of it, and a replacement
 * after a lone backslash would be an invalid escape. */
size_t pii_escape_letters(const uint8_t *p, size_t lo, size_t hi);
bool pii_right_ok(const pii_view *v, const pii_compound *c, int b, int kind);
enum { PII_BK_NUMERIC, PII_BK_DOTTED, PII_BK_COLON, PII_BK_HEX, PII_BK_ALNUM };

/* Matchers, each tries every segment start of the compound. */
void pii_match_numeric(pii_emitter *em, const pii_compound *c);
void pii_match_net(pii_emitter *em, const pii_compound *c);
void pii_match_hexid(pii_emitter *em, const pii_compound *c);
void pii_match_docs(pii_emitter *em, const pii_compound *c);
void pii_match_date_gps(pii_emitter *em, const pii_compound *c);

/* Run the tokenizer + matchers over a view, from..to (seeds). */
void pii_tokenize_view(const pii_view *v, size_t from, size_t to, pii_vec_cand *out, int *oom);

/* match_email.c: turn Hyperscan e-mail ends into candidates. */
void pii_match_email(const pii_view *v, uint32_t end, pii_vec_cand *out, int *oom);

/* match_cjk.c: Chinese addresses and personal names.  pii_cjk_init adds its
 * PII_HS_CJK expressions (called after the detector table is parsed, before
 * compilation); pii_match_cjk turns their hits, and the cells of name
 * columns in the field map fm (may be NULL), into candidates. */
int pii_cjk_init(struct piiscan_ruleset *rs, char *err, size_t errlen);
void pii_cjk_free(struct piiscan_ruleset *rs);
void pii_match_cjk(const struct piiscan_ruleset *rs, const pii_view *v, const pii_hit *hits, size_t nhits,
                   const pii_fieldmap *fm, const pii_tracker *tr, pii_vec_cand *out, int *oom);

/* context.c: key / hotword association for every candidate (a hotword
 * only counts inside the candidate's field of fm, which may be NULL). */
void pii_context_apply(const struct piiscan_ruleset *rs, const uint8_t *p, size_t len,
                       const pii_hit *hits, size_t nhits, const pii_fieldmap *fm, pii_cand *c, size_t n);
/* Column context from the stream's structure (before key/hotword context:
 * a value under a telling column is under a key), after dropping the
 * candidates whose span runs into another column (pii_fieldmap_runs_on).
 * One field look-up per candidate.  Returns how many are left in c. */
size_t pii_context_columns(const pii_fieldmap *fm, const pii_tracker *tr, pii_cand *c, size_t n);

/* resolve.c: confidence + overlap resolution; compacts c, returns new n. */
size_t pii_resolve(const struct piiscan_ruleset *rs, pii_cand *c, size_t n, double min_conf, pii_vec_cand *tmp);

/* ---- detection of one window (detect_window.c) ---- */

/* Per-thread detection state: the Hyperscan scratch and the hit array. */
typedef struct pii_worker {
    hs_scratch_t *scratch;
    pii_vec_hit hits;
    pii_vec_hit pairs;  /* a two-letter literal's hits, before the merge (detect_window.c) */
    pii_vec_near near;  /* the hits near_types looks at (detect_window.c) */
    pii_vec_cand sort_tmp;   /* pii_resolve's merge buffer */
    int oom;
    bool exhaustive;    /* tests: take no shortcut (they must not change any result) */
} pii_worker;

int pii_worker_init(pii_worker *wk, const struct piiscan_ruleset *rs);
/* Tests: make a scanner detect exhaustively (pii_worker.exhaustive). */
void pii_scanner_set_exhaustive(piiscan_scanner *sc, bool on);
void pii_worker_free(pii_worker *wk);
/* Findings of w whose start is in its accept range, resolved, sorted by
 * start, in cands->v[0..*n).  0, or -1 with errno. */
int pii_detect_window(const struct piiscan_ruleset *rs, double min_conf, pii_worker *wk, const pii_window *w,
                      const pii_fieldmap *fm, const pii_tracker *tr, pii_vec_cand *cands, size_t *n);

/* ---- ordered output of one stream (emit.c) ---- */

/* Per-stream state of what happens to findings: reported through fn, or
 * (redaction) replaced by tf while every other byte is copied to wr.
 * Windows must be given in stream order. */
typedef struct pii_out {
    piiscan_finding_fn fn;
    void *ud;
    piiscan_transform_fn tf;
    void *tud;
    piiscan_write_fn wr;
    void *wud;
    const pii_tracker *tr;                /* column names for "column:" contexts */
    double min_conf;                      /* after the column adjustment */
    struct pii_colstat *cs;               /* per column: values with findings */
    size_t ncs;
    uint64_t line, line_start, counted;   /* line tracking, absolute offsets */
    uint64_t out_pos;                     /* redaction: bytes before are written */
    char norm[512];
    unsigned char text[512];              /* a finding's value with its field's escapes undone */
    char ctx[160];
    char fpr[17];                         /* a prepared fingerprint, terminated */
    unsigned char rbuf[4096];             /* replacement of one finding */
    unsigned char ebuf[8192];             /* ... escaped for its field */
    size_t npend;                         /* redaction: bytes in pend, not yet given to wr */
    unsigned char pend[16384];
} pii_out;

/* prepare.c: work on a window's findings that delivery would do in stream
 * order, done by the detecting worker: for scans their fingerprints (16
 * hex digits, no NUL) under the scan option's key, for redaction their
 * replacements (rep: offset into arena and length, PIISCAN_KEEP, or
 * PII_REP_NONE when delivery must make it).  n == 0: nothing made. */
#define PII_REP_NONE (-1)
typedef struct pii_rep {
    uint32_t off;
    int32_t len;
} pii_rep;
typedef struct pii_prep {
    char (*fp)[16];
    pii_rep *rep;
    size_t n, fcap, rcap;
    unsigned char *arena;
    size_t alen, acap;
    bool reps;                  /* rep is made, else fp */
    const unsigned char *key;   /* the fingerprints' */
    size_t key_len;
} pii_prep;
void pii_prepare(pii_prep *pp, const piiscan_scan_options *o, const pii_prep_op *op, const pii_tracker *tr,
                 const pii_window *w, const pii_cand *c, size_t n);
/* emit.c: the finding record of c as far as a worker can fill it (no
 * line, column or final confidence); text and ctx are its buffers. */
void pii_finding_partial(const pii_window *w, const pii_tracker *tr, const pii_cand *c, unsigned char *text,
                         size_t textcap, char *ctx, size_t ctxcap, piiscan_finding *f);
void pii_prep_free(pii_prep *pp);
/* emit.c: a finding's value as its field means it (JSON escapes undone
 * into buf when there are any); returns its length and sets *text. */
size_t pii_finding_text(const pii_cand *c, const uint8_t *value, size_t len, unsigned char *buf, size_t cap,
                        const unsigned char **text);

void pii_out_init(pii_out *o, double min_conf, piiscan_finding_fn fn, void *ud, piiscan_transform_fn tf, void *tud,
                  piiscan_write_fn wr, void *wud);
/* At the end of the stream (frees the column counts). */
void pii_out_free(pii_out *o);
/* 0, a callback's non-zero value, or the redaction error codes of
 * piiscan_redact_stream. */
int pii_out_window(pii_out *o, const pii_window *w, const pii_cand *c, size_t n, const pii_prep *prep);

/* helpers */
static inline bool pii_is_digit(uint8_t b) { return b >= '0' && b <= '9'; }
static inline bool pii_is_alpha(uint8_t b) { return (uint8_t)((b | 0x20) - 'a') < 26; }
/* One table load, no branch: "digit || letter" compiles to two branches,
 * and word edges in digit-dense logs are too irregular to predict. */
static inline bool pii_is_alnum(uint8_t b) { return (pii_byte_class[b] & (PII_C_DIGIT | PII_C_ALPHA)) != 0; }
static inline bool pii_is_hex(uint8_t b) { return pii_is_digit(b) || (uint8_t)((b | 0x20) - 'a') < 6; }

#endif
