/*
 * cmd_types.c -- `piiscan types`: the detector catalogue, straight from the
 * compiled detector table so it can never drift from what scan does.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "piiscan.h"
#include "usage.h"

int cmd_types(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            cli_usage_types(stdout);
            return 0;
        }
        fprintf(stderr, "piiscan: types: unexpected argument '%s'\n", argv[i]);
        return 2;
    }
    char err[512];
    piiscan_ruleset *rs;
    if (piiscan_ruleset_new(&rs, err, sizeof err) < 0) {
        fprintf(stderr, "piiscan: %s\n", err);
        return 2;
    }
    for (size_t i = 0; i < piiscan_detector_count(rs); i++) {
        const piiscan_detector_info *d = piiscan_detector(rs, i);
        printf("%-16s %s\n", d->name, d->description);
        printf("%-16s   example:  %s\n", "", d->example);
        printf("%-16s   reported: %s\n\n", "", d->reporting);
    }
    piiscan_ruleset_free(rs);
    return fflush(stdout) == 0 ? 0 : 2;
}
