/*
 * engine.c -- the single-threaded scanner API: a reader of windows, one
 * detection worker and one ordered output, run in the calling thread.
 * (pipeline.c runs the same pieces on several threads.)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "window.h"

#define DEFAULT_WINDOW (1u << 20)

struct piiscan_scanner {
    const piiscan_ruleset *rs;
    piiscan_scan_options opt;
    pii_worker wk;
    pii_vec_cand cands;
    pii_fieldmap fields;
    pii_out out;
};

void piiscan_scan_options_init(piiscan_scan_options *o)
{
    o->min_confidence = 0.5;
    o->window_size = DEFAULT_WINDOW;
    o->columns = NULL;
    o->note = NULL;
    o->fingerprints = false;
    o->fingerprint_key = NULL;
    o->fingerprint_key_len = 0;
}

int piiscan_scanner_new(piiscan_scanner **out, const piiscan_ruleset *rs, const piiscan_scan_options *o)
{
    piiscan_scanner *sc = calloc(1, sizeof *sc);
    if (!sc)
        return -1;
    sc->rs = rs;
    if (o)
        sc->opt = *o;
    else
        piiscan_scan_options_init(&sc->opt);
    if (sc->opt.window_size < PII_WINDOW_MIN)
        sc->opt.window_size = PII_WINDOW_MIN;
    if (pii_worker_init(&sc->wk, rs) < 0) {
        free(sc);
        return -1;
    }
    *out = sc;
    return 0;
}

void piiscan_scanner_free(piiscan_scanner *sc)
{
    if (!sc)
        return;
    pii_worker_free(&sc->wk);
    free(sc->cands.v);
    free(sc->fields.v);
    free(sc);
}

static int run_stream(piiscan_scanner *sc, piiscan_read_fn rd, void *rud)
{
    pii_wreader r;
    pii_tracker *tr = pii_tracker_new(sc->rs);
    if (!tr || pii_wreader_init(&r, sc->opt.window_size, rd, rud) < 0) {
        pii_tracker_free(tr);
        errno = ENOMEM;
        return -1;
    }
    r.head_ok = pii_tracker_head_ok;
    r.head_ud = tr;
    sc->out.tr = tr;
    int rc = 0;
    pii_window w = { 0 };   /* set by each pii_wreader_next that returns 1 */
    for (;;) {
        int k = pii_wreader_next(&r, &w);
        if (k <= 0) {
            rc = k;
            break;
        }
        size_t n;
        pii_tracker_feed(tr, &w, &sc->fields);
        if (pii_detect_window(sc->rs, sc->opt.min_confidence, &sc->wk, &w, &sc->fields, tr, &sc->cands, &n) < 0) {
            rc = -1;
            break;
        }
        if ((rc = pii_out_window(&sc->out, &w, sc->cands.v, n, NULL)) != 0)
            break;
    }
    pii_wreader_free(&r);
    pii_out_free(&sc->out);
    sc->out.tr = NULL;
    if (rc == 0 && sc->opt.columns && sc->out.fn)
        pii_tracker_columns(tr, sc->opt.columns, sc->out.ud);
    pii_tracker_free(tr);
    return rc;
}

int piiscan_scan_stream(piiscan_scanner *sc, piiscan_read_fn rd, void *rud, piiscan_finding_fn fn, void *ud)
{
    pii_out_init(&sc->out, sc->opt.min_confidence, fn, ud, NULL, NULL, NULL, NULL);
    return run_stream(sc, rd, rud);
}

int piiscan_redact_stream(piiscan_scanner *sc, piiscan_read_fn rd, void *rud, piiscan_transform_fn tf, void *tud,
                          piiscan_write_fn wr, void *wud)
{
    pii_out_init(&sc->out, sc->opt.min_confidence, NULL, NULL, tf, tud, wr, wud);
    return run_stream(sc, rd, rud);
}

typedef struct membuf {
    const uint8_t *p;
    size_t len, off;
} membuf;

static ssize_t mem_read(void *ud, void *buf, size_t cap)
{
    membuf *m = ud;
    size_t n = m->len - m->off < cap ? m->len - m->off : cap;
    memcpy(buf, m->p + m->off, n);
    m->off += n;
    return (ssize_t)n;
}

int piiscan_scan_buffer(piiscan_scanner *sc, const void *buf, size_t len, piiscan_finding_fn fn, void *ud)
{
    membuf m = { buf, len, 0 };
    return piiscan_scan_stream(sc, mem_read, &m, fn, ud);
}

void pii_scanner_set_exhaustive(piiscan_scanner *sc, bool on)
{
    sc->wk.exhaustive = on;
}
