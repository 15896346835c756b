/*
 * main.c -- piiscan command line: dispatch to a subcommand.  The CLI only
 * parses arguments and wires sources to sinks; all detection and reporting
 * lives in libpiiscan (include/piiscan.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "outfile.h"
#include "piiscan.h"
#include "usage.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        cli_usage_main(stderr);
        return 2;
    }
    outfile_init();
    (void)cli_utf8_ctype();
    const char *cmd = argv[1];
    if (!strcmp(cmd, "scan"))
        return cmd_scan(argc - 1, argv + 1);
    if (!strcmp(cmd, "types"))
        return cmd_types(argc - 1, argv + 1);
    if (!strcmp(cmd, "redact"))
        return cmd_redact(argc - 1, argv + 1);
    if (!strcmp(cmd, "reveal"))
        return cmd_reveal(argc - 1, argv + 1);
    if (!strcmp(cmd, "keygen"))
        return cmd_keygen(argc - 1, argv + 1);
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        cli_usage_main(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("piiscan %s\n", PIISCAN_VERSION);
        return 0;
    }
    fprintf(stderr, "piiscan: unknown command '%s' (see `piiscan --help`)\n", cmd);
    return 2;
}
