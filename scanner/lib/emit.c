/*
 * emit.c -- the ordered part of a stream: line numbers, the finding record
 * handed to the caller, and for redaction the copy of every byte with the
 * findings replaced.  Windows arrive here in stream order (whichever thread
 * detected them), so this is the only state that spans windows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "normalize.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Values of a column that held a finding so far; last: the ordinal of the
 * last one counted, so that two findings in one cell count once. */
struct pii_colstat {
    uint64_t found;
    uint32_t last;
};

/* Confidence from how many values of a telling column validate.  The share
 * is (values of the column with a finding so far, this one included) /
 * (values of the column up to this one); both are positions in the stream,
 * so the result does not depend on windows or threads.  From the fifth value
 * on, a share >= 0.5 adds 0.05 (a column of phones is a column of phones)
 * and a share < 0.2 takes 0.15 off (a column named phone where only a few
 * cells hold a mobile); the result stays within [0.05, 0.99] and the
 * finding is dropped below the scan's minimum confidence. */
#define SHARE_MIN_ROWS 5
#define SHARE_HIGH 0.5
#define SHARE_LOW 0.2
#define SHARE_BONUS 0.05f
#define SHARE_MALUS 0.15f

void pii_out_init(pii_out *o, double min_conf, piiscan_finding_fn fn, void *ud, piiscan_transform_fn tf, void *tud,
                  piiscan_write_fn wr, void *wud)
{
    memset(o, 0, offsetof(pii_out, norm));
    o->npend = 0;
    o->min_conf = min_conf;
    o->fn = fn;
    o->ud = ud;
    o->tf = tf;
    o->tud = tud;
    o->wr = wr;
    o->wud = wud;
    o->line = 1;
}

void pii_out_free(pii_out *o)
{
    free(o->cs);
    o->cs = NULL;
    o->ncs = 0;
}

/* Count the value a column finding sits in; false when out of memory
 * (the finding then keeps its confidence). */
static bool count_value(pii_out *o, uint32_t col, uint32_t row)
{
    if (col >= o->ncs) {
        size_t n = o->ncs ? o->ncs : 16;
        while (n <= col)
            n *= 2;
        struct pii_colstat *v = realloc(o->cs, n * sizeof *v);
        if (!v)
            return false;
        memset(v + o->ncs, 0, (n - o->ncs) * sizeof *v);
        o->cs = v;
        o->ncs = n;
    }
    struct pii_colstat *s = &o->cs[col];
    if (s->last != row || !s->found) {
        s->found++;
        s->last = row;
    }
    return true;
}

static float column_conf(pii_out *o, const pii_cand *c)
{
    float s = c->score;
    uint32_t row = c->ctx_hi;
    if (!count_value(o, c->ctx_lo, row) || row < SHARE_MIN_ROWS)
        return s;
    double share = (double)o->cs[c->ctx_lo].found / row;
    if (share >= SHARE_HIGH)
        s += SHARE_BONUS;
    else if (share < SHARE_LOW)
        s -= SHARE_MALUS;
    return s > 0.99f ? 0.99f : s < 0.05f ? 0.05f : s;
}

/* Newlines in p[0,n), and in *after_last the offset just past the last one
 * (untouched when there is none).  Every byte up to every finding is
 * counted, so this runs over the whole input.  Compares add up in byte
 * lanes without a branch (a line ends every ~12 blocks, a branch on each
 * block mispredicted that often); up to 255 blocks fit in a lane before
 * the lanes are summed.  The last newline is then found once, from the
 * end, by memrchr. */
static size_t count_newlines(const uint8_t *p, size_t n, size_t *after_last)
{
    size_t count = 0, i = 0;
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (n - i >= 16) {
        size_t blocks = (n - i) / 16;
        if (blocks > 255)
            blocks = 255;
        __m128i acc = zero;
        for (size_t k = 0; k < blocks; k++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));   /* a match is -1 */
        }
        __m128i sums = _mm_sad_epu8(acc, zero);   /* two 64-bit lane sums */
        count += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
    }
#endif
    for (; i < n; i++)
        count += p[i] == '\n';
    if (count) {
        const uint8_t *last = memrchr(p, '\n', n);
        *after_last = (size_t)(last - p) + 1;
    }
    return count;
}

/* Advance line tracking to absolute offset `to` inside the window. */
static void count_lines(pii_out *o, const pii_window *w, uint64_t to)
{
    if (o->counted < w->base)
        o->counted = w->base;   /* never happens: windows overlap */
    size_t from = (size_t)(o->counted - w->base), after = 0;
    if (to > o->counted) {
        size_t k = count_newlines(w->data + from, (size_t)(to - o->counted), &after);
        if (k) {
            o->line += k;
            o->line_start = o->counted + after;
        }
        o->counted = to;
    }
}

/* dst = "kind:name", cut to cap - 1 bytes: the bytes snprintf("%s:%.*s")
 * gave, name ending early at a NUL as %.*s does.  Hand-built because
 * snprintf's format parsing cost more than the rest of the finding record,
 * and a third of findings carry a context. */
static void set_context(char *dst, size_t cap, const char *kind, const char *name, size_t n)
{
    const char *nul = memchr(name, '\0', n);
    if (nul)
        n = (size_t)(nul - name);
    size_t len = strlen(kind);
    if (len > cap - 1)
        len = cap - 1;
    memcpy(dst, kind, len);
    if (len < cap - 1)
        dst[len++] = ':';
    if (n > cap - 1 - len)
        n = cap - 1 - len;
    memcpy(dst + len, name, n);
    dst[len + n] = '\0';
}

/* "key:phone", "column:手机", "hotword:手机" or "" into ctx. */
static const char *finding_context(const pii_tracker *tr, const pii_window *w, const pii_cand *c, char *ctx,
                                   size_t cap)
{
    ctx[0] = 0;
    if (c->ctx_kind == 3) {
        const pii_colinfo *ci = tr ? pii_tracker_col(tr, (uint16_t)c->ctx_lo) : NULL;
        const char *name = ci && ci->name ? ci->name : "?";
        set_context(ctx, cap, ci && ci->is_key ? "key" : "column", name, strlen(name));
    } else if (c->ctx_kind) {
        set_context(ctx, cap, c->ctx_kind == 1 ? "key" : "hotword", (const char *)w->data + c->ctx_lo,
                    c->ctx_hi - c->ctx_lo);
    }
    return ctx;
}

size_t pii_finding_text(const pii_cand *c, const uint8_t *value, size_t len, unsigned char *buf, size_t cap,
                        const unsigned char **text)
{
    *text = value;
    if (c->quote == PII_Q_JSON && memchr(value, '\\', len)) {
        ssize_t k = pii_unescape_field(c->quote, value, len, buf, cap);
        if (k >= 0) {
            *text = buf;
            return (size_t)k;
        }
    }
    return len;
}

/* The finding record of candidate c, the i-th of the window; prep: what
 * the worker made for the window's findings (prepare.c), or NULL. */
static void fill_finding(pii_out *o, const pii_window *w, const pii_cand *c, size_t i, float score,
                         const pii_prep *prep, piiscan_finding *f)
{
    uint64_t abs = w->base + c->start;
    count_lines(o, w, abs);
    *f = (piiscan_finding){
        .type = (piiscan_type)c->type,
        .start = abs,
        .end = w->base + c->end,
        .line = o->line,
        .col = abs - o->line_start + 1,
        .confidence = (double)((int)(score * 100.0f + 0.5f)) / 100.0,
        .value = w->data + c->start,
        .value_len = c->end - c->start,
    };
    f->text_len = pii_finding_text(c, f->value, f->value_len, o->text, sizeof o->text, &f->text);
    f->norm_len = pii_normalize(f->type, f->text, f->text_len, o->norm, sizeof o->norm);
    f->norm = o->norm;
    if (prep && i < prep->n && prep->reps) {
        if (prep->rep[i].len != PII_REP_NONE) {
            f->replacement = prep->arena + prep->rep[i].off;
            f->replacement_len = prep->rep[i].len;
        }
    } else if (prep && i < prep->n) {
        memcpy(o->fpr, prep->fp[i], 16);
        o->fpr[16] = '\0';
        f->fingerprint = o->fpr;
        f->fingerprint_key = prep->key;
        f->fingerprint_key_len = prep->key_len;
    }
    f->context = finding_context(o->tr, w, c, o->ctx, sizeof o->ctx);
}

void pii_finding_partial(const pii_window *w, const pii_tracker *tr, const pii_cand *c, unsigned char *text,
                         size_t textcap, char *ctx, size_t ctxcap, piiscan_finding *f)
{
    *f = (piiscan_finding){
        .type = (piiscan_type)c->type,
        .start = w->base + c->start,
        .end = w->base + c->end,
        .confidence = c->score,
        .value = w->data + c->start,
        .value_len = c->end - c->start,
    };
    f->text_len = pii_finding_text(c, f->value, f->value_len, text, textcap, &f->text);
    f->context = finding_context(tr, w, c, ctx, ctxcap);
}

/* The redacted copy goes out through o->wr in pieces of at least pend's
 * size: where every cell is a finding, handing the writer each gap and
 * each replacement on its own (an fwrite with its lock, an encoder call)
 * cost more than the redaction. */
static int out_flush(pii_out *o)
{
    size_t n = o->npend;
    o->npend = 0;
    return n ? o->wr(o->wud, o->pend, n) : 0;
}

static int out_put(pii_out *o, const void *p, size_t n)
{
    bool large = n > sizeof o->pend / 2;   /* goes to the writer as it is */
    if ((large || o->npend + n > sizeof o->pend) && out_flush(o) < 0)
        return -1;
    if (large)
        return o->wr(o->wud, p, n);
    memcpy(o->pend + o->npend, p, n);
    o->npend += n;
    return 0;
}

/* Redaction: copy window bytes [out_pos, to) unchanged. */
static int copy_to(pii_out *o, const pii_window *w, uint64_t to)
{
    if (to <= o->out_pos)
        return 0;
    int rc = out_put(o, w->data + (o->out_pos - w->base), (size_t)(to - o->out_pos));
    o->out_pos = to;
    return rc;
}

static int redact_one(pii_out *o, const pii_window *w, const piiscan_finding *f, int quote)
{
    ssize_t k = o->tf(o->tud, f, o->rbuf, sizeof o->rbuf);
    if (k == PIISCAN_KEEP)
        return 0;
    if (k < 0 || (size_t)k > sizeof o->rbuf)
        return k == -1 || k >= 0 ? -2 : (int)k;
    const unsigned char *rep = o->rbuf;
    if (quote != PII_Q_NONE) {
        /* The replacement must not break the field it sits in. */
        k = pii_escape_replacement(quote, o->rbuf, (size_t)k, o->ebuf, sizeof o->ebuf);
        if (k < 0)
            return -2;
        rep = o->ebuf;
    }
    if (copy_to(o, w, f->start) < 0 || out_put(o, rep, (size_t)k) < 0)
        return -3;
    o->out_pos = f->end;
    return 0;
}

int pii_out_window(pii_out *o, const pii_window *w, const pii_cand *c, size_t n, const pii_prep *prep)
{
    uint64_t lo = w->base + w->acc_lo, hi = w->base + w->acc_hi;
    if (o->tf && o->out_pos < lo)
        o->out_pos = lo;
    for (size_t i = 0; i < n; i++) {
        /* A finding inside one replaced in the previous window (it ended
         * past that window's accept range) is already gone. */
        if (o->tf && w->base + c[i].start < o->out_pos)
            continue;
        float score = c[i].ctx_kind == 3 ? column_conf(o, &c[i]) : c[i].score;
        if (score + 1e-6f < (float)o->min_conf)
            continue;
        piiscan_finding f;
        fill_finding(o, w, &c[i], i, score, prep, &f);
        int rc = o->tf ? redact_one(o, w, &f, c[i].quote) : o->fn(o->ud, &f);
        if (rc)
            return rc;
    }
    if (o->tf && (copy_to(o, w, hi) < 0 || out_flush(o) < 0))
        return -3;
    count_lines(o, w, hi);
    return 0;
}
