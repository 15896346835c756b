/*
 * same_cand.h -- two detections of one window must agree candidate by
 * candidate: span, type, score and context (kind and span).  p: the
 * window's bytes, for the message.
 */
#ifndef PIISCAN_TEST_SAME_CAND_H
#define PIISCAN_TEST_SAME_CAND_H

#include <criterion/criterion.h>

#include "engine_int.h"

static void expect_same_cand(const char *what, size_t i, const pii_cand *a, const pii_cand *b, const uint8_t *p)
{
    cr_assert(a->start == b->start && a->end == b->end && a->type == b->type && a->score == b->score &&
                  a->ctx_kind == b->ctx_kind && a->ctx_lo == b->ctx_lo && a->ctx_hi == b->ctx_hi,
              "%s: finding %zu differs: [%u,%u) %s %.2f ctx %d [%u,%u) vs [%u,%u) %s %.2f ctx %d [%u,%u) (%.*s)", what,
              i, a->start, a->end, piiscan_type_name(a->type), (double)a->score, a->ctx_kind, a->ctx_lo, a->ctx_hi,
              b->start, b->end, piiscan_type_name(b->type), (double)b->score, b->ctx_kind, b->ctx_lo, b->ctx_hi,
              (int)(b->end - b->start), p + b->start);
}

#endif
