/* cli_util.c -- small parsers shared by the subcommands. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

int cli_parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-')
        return -1;
    if (*end == 'K' || *end == 'k')
        v <<= 10, end++;
    else if (*end == 'M' || *end == 'm')
        v <<= 20, end++;
    if (*end || v < 4096 || v > (1ull << 30))
        return -1;
    *out = (size_t)v;
    return 0;
}

int cli_parse_threads(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > 256)
        return -1;
    *out = (int)v;
    return 0;
}

int cli_parse_confidence(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (*end || end == s || !(v >= 0 && v <= 1))
        return -1;
    *out = v;
    return 0;
}

const char *cli_bad_option(char **argv, char *buf, size_t len)
{
    /* A short option (optopt is its character) may sit inside a cluster
     * such as "-qj1"; a long one is always a word of its own. */
    if (optopt > 0 && optopt < 128 && !(argv[optind - 1][0] == '-' && argv[optind - 1][1] == '-')) {
        snprintf(buf, len, "-%c", optopt);
        return buf;
    }
    return argv[optind - 1];
}

ssize_t cli_read_full(int fd, unsigned char *buf, size_t cap)
{
    size_t got = 0;
    while (got < cap) {
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}
