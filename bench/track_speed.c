/*
 * track_speed.c -- the structure tracker alone (CSV, JSON, SQL dumps) over
 * one file, in memory, so that its cost can be measured apart from
 * detection: it runs on the one reader thread, in order, and caps how far
 * a large structured file scales with threads (bench/README.md, "The
 * structure tracker").
 *
 *   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build
 *   cc -O2 -std=c11 -D_GNU_SOURCE -Iinclude -Iscanner/lib bench/track_speed.c \
 *      build/libpiiscan.a -o track_speed $(sed -n 's/.*libpiiscan.a //p' \
 *      build/CMakeFiles/piiscan.dir/link.txt)
 *   track_speed FILE [WINDOW_BYTES [raw]]
 *
 * The file is fed in windows of WINDOW_BYTES (default 1 MiB) with 1 KiB of
 * overlap on either side, the accept range ending at a line end as the
 * reader cuts it, or anywhere with "raw" (the tracker must give the same
 * maps however the windows fall).  It prints the number of fields and a
 * checksum of every map (absolute offset, column, quoting, value ordinal),
 * so two builds can be compared for identical output, and the time spent
 * in the tracker on stderr.  For instruction counts:
 *   valgrind --tool=callgrind --toggle-collect=pii_tracker_feed track_speed FILE
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

#include "piiscan.h"
#include "struct.h"

#define OVERLAP 1024u

/* Window [base, end) around the accept range [lo, hi). */
static pii_window window_at(const uint8_t *d, size_t n, size_t lo, size_t hi)
{
    size_t base = lo > OVERLAP ? lo - OVERLAP : 0;
    size_t end = n - hi > OVERLAP ? hi + OVERLAP : n;
    return (pii_window){ .data = d + base, .len = end - base, .base = base, .acc_lo = lo - base,
                         .acc_hi = hi - base, .at_start = base == 0, .at_eof = end == n };
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: track_speed FILE [WINDOW_BYTES [raw]]\n");
        return 2;
    }
    size_t n, win = argc > 2 ? strtoul(argv[2], NULL, 10) : (1u << 20);
    bool raw = argc > 3 && strcmp(argv[3], "raw") == 0;
    uint8_t *d = bench_slurp(argv[1], SIZE_MAX, &n);
    char err[256];
    piiscan_ruleset *rs;
    if (!d || !win || piiscan_ruleset_new(&rs, err, sizeof err) != 0) {
        fprintf(stderr, "track_speed: cannot read %s or set up\n", argv[1]);
        return 1;
    }
    pii_tracker *t = pii_tracker_new(rs);
    pii_tracker_set_name(t, argv[1]);
    pii_fieldmap m = { 0 };
    unsigned long long fields = 0, sum = 0;
    double secs = 0;
    for (size_t lo = 0; lo < n;) {
        size_t hi = n - lo > win ? lo + win : n;
        while (!raw && hi < n && d[hi - 1] != '\n')
            hi++;
        pii_window w = window_at(d, n, lo, hi);
        double t0 = bench_now();
        pii_tracker_feed(t, &w, &m);
        secs += bench_now() - t0;
        fields += m.n;
        for (size_t i = 0; i < m.n; i++)
            sum = sum * 31 + (w.base + m.v[i].off) + m.v[i].col * 7u + m.v[i].quote * 13u + m.v[i].row * 17u;
        lo = hi;
    }
    printf("fields %llu sum %016llx\n", fields, sum);
    fprintf(stderr, "tracker %.1f ms, %.0f MB/s\n", secs * 1e3, (double)n / 1e6 / (secs > 0 ? secs : 1e-9));
    free(m.v);
    pii_tracker_free(t);
    piiscan_ruleset_free(rs);
    free(d);
    return 0;
}
