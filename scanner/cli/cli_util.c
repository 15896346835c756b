/* cli_util.c -- small parsers shared by the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "piiscan.h"

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

const char *cli_bad_option(char **argv, const char *optstring, bool missing_value, char *buf, size_t len)
{
    /* getopt_long has moved past the word of an option that lacks its
     * value, but not past a cluster whose first letter it rejected
     * ("-j1", "-zq"): there argv[optind - 1] is the word before. */
    const char *word = optind > 0 ? argv[optind - 1] : "";
    bool short_char = optopt > 0 && optopt < 128;
    bool long_word = word[0] == '-' && word[1] == '-';
    if (short_char && (missing_value ? !long_word : strchr(optstring, optopt) == NULL)) {
        snprintf(buf, len, "-%c", optopt);
        return buf;
    }
    return word;   /* a long option, or "--quiet=1": a known one misused */
}

void cli_say(const char *path, const char *fmt, ...)
{
    char msg[PATH_MAX * 2 + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* One write per line under the lock, as fprintf would: other threads
     * (the pipeline's) also write messages. */
    flockfile(stderr);
    fputs("piiscan: ", stderr);
    if (path) {
        piiscan_put_safe(stderr, path);
        fputs(": ", stderr);
    }
    piiscan_put_safe(stderr, msg);
    putc('\n', stderr);
    funlockfile(stderr);
}

int cli_future_realpath(const char *dir, char *out)
{
    char head[PATH_MAX], tail[PATH_MAX] = "";
    if (snprintf(head, sizeof head, "%s", dir) >= (int)sizeof head)
        return errno = ENAMETOOLONG, -1;
    for (;;) {
        size_t n = strlen(head);
        while (n > 1 && head[n - 1] == '/')
            head[--n] = 0;
        if (realpath(n ? head : ".", out))
            break;
        if (errno != ENOENT)
            return -1;
        char *slash = strrchr(head, '/');
        const char *name = slash ? slash + 1 : head;
        if (!strcmp(name, ".") || !strcmp(name, "..") || slash == head)
            return errno = ENOENT, -1;
        char t[PATH_MAX];
        if (snprintf(t, sizeof t, "/%s%s", name, tail) >= (int)sizeof t)
            return errno = ENAMETOOLONG, -1;
        memcpy(tail, t, strlen(t) + 1);
        if (slash)
            *slash = 0;
        else
            head[0] = 0;
    }
    size_t ol = strlen(out);
    if (ol == 1 && tail[0])
        ol = 0;   /* "/" + "/name" */
    if (ol + strlen(tail) >= PATH_MAX)
        return errno = ENAMETOOLONG, -1;
    memcpy(out + ol, tail, strlen(tail) + 1);
    return 0;
}

bool cli_utf8_ctype(void)
{
    /* C.UTF-8 first: the same character classes everywhere, and glibc
     * (2.35 and later) has it built in, so it exists on a bare machine. */
    static const char *const names[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (setlocale(LC_CTYPE, names[i]))
            return true;
    return false;
}
