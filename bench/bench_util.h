/*
 * bench_util.h -- the clock and the file loader shared by the in-memory
 * speed tools of bench/ (inflate_speed.c, deflate_speed.c, track_speed.c),
 * which are built one file at a time by bench/run or by hand.
 */
#ifndef PIISCAN_BENCH_UTIL_H
#define PIISCAN_BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* At most max bytes of path, in one malloc'ed buffer with one spare byte
 * after them; *n is how many.  Reads to the end rather than trusting the
 * size, so a pipe or a file in /proc works too.  NULL when the file cannot
 * be opened or memory runs out. */
static inline uint8_t *bench_slurp(const char *path, size_t max, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, len = 0;
    uint8_t *b = malloc(cap + 1);
    while (b && len < max) {
        if (len == cap) {
            uint8_t *nb = realloc(b, (cap *= 2) + 1);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
        }
        size_t want = cap - len < max - len ? cap - len : max - len;
        size_t k = fread(b + len, 1, want, f);
        if (k == 0)
            break;
        len += k;
    }
    fclose(f);
    *n = len;
    return b;
}

#endif
