/*
 * cmd_keygen.c -- `piiscan keygen [-o FILE]`: 32 random bytes (OpenSSL
 * RAND_bytes) as 64 hex digits.  A file is created new (never overwritten)
 * with mode 0600, the mode --key-file insists on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "cli.h"
#include "usage.h"

int cmd_keygen(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            cli_usage_keygen(stdout);
            return 0;
        }
        if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc && !path) {
            path = argv[++i];
            continue;
        }
        fprintf(stderr, "piiscan: keygen: unexpected argument '%s' (see `piiscan keygen --help`)\n", argv[i]);
        return 2;
    }
    unsigned char key[32];
    char hex[2 * sizeof key + 2];
    if (RAND_bytes(key, sizeof key) != 1) {
        fprintf(stderr, "piiscan: keygen: no random bytes available\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof key; i++)
        snprintf(hex + 2 * i, 3, "%02x", key[i]);
    hex[2 * sizeof key] = '\n';
    hex[2 * sizeof key + 1] = 0;
    OPENSSL_cleanse(key, sizeof key);
    int status = 0;
    if (!path) {
        status = fputs(hex, stdout) < 0 || fflush(stdout) != 0 ? 2 : 0;
    } else {
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        size_t n = strlen(hex);
        if (fd < 0 || write(fd, hex, n) != (ssize_t)n || fsync(fd) != 0) {
            fprintf(stderr, "piiscan: %s: %s\n", path, strerror(errno));
            status = 2;
            if (fd >= 0)
                unlink(path);
        }
        if (fd >= 0)
            close(fd);
    }
    OPENSSL_cleanse(hex, sizeof hex);
    return status;
}
