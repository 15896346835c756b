#include "keyfile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#define KEY_MIN 16

static int hexval(int c)
{
    return isdigit(c) ? c - '0' : (isxdigit(c) ? (tolower(c) - 'a' + 10) : -1);
}

/* Whole string is hex (even length, >= 32 digits): decode into k. */
static int from_hex(cli_key *k, const char *s, size_t n)
{
    if (n % 2 || n < 2 * KEY_MIN || n / 2 > KEY_MAX)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        k->bytes[i / 2] = (unsigned char)(hi << 4 | lo);
    }
    k->len = n / 2;
    return 0;
}

static int from_file(cli_key *k, const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NOCTTY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || (st.st_mode & 077)) {
        snprintf(err, errlen, "%s: key file must be a regular file with mode 0600 or stricter (chmod 600 %s)",
                 path, path);
        close(fd);
        return -1;
    }
    char buf[2 * KEY_MAX + 8];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t len = (size_t)n;
    while (len > 0 && isspace((unsigned char)buf[len - 1]))
        len--;
    int rc = 0;
    if (from_hex(k, buf, len) < 0) {
        if (len < KEY_MIN || len > KEY_MAX) {
            snprintf(err, errlen, "%s: key must be 32-%d hex digits or %d-%d bytes", path, 2 * KEY_MAX, KEY_MIN,
                     KEY_MAX);
            rc = -1;
        } else {
            memcpy(k->bytes, buf, len);
            k->len = len;
        }
    }
    OPENSSL_cleanse(buf, sizeof buf);
    return rc;
}

int cli_key_load(cli_key *k, const char *path, char *err, size_t errlen)
{
    memset(k, 0, sizeof *k);
    if (path) {
        k->source = 1;
        return from_file(k, path, err, errlen);
    }
    const char *env = getenv("PIISCAN_KEY");
    if (env && *env) {
        k->source = 2;
        if (from_hex(k, env, strlen(env)) < 0) {
            snprintf(err, errlen, "PIISCAN_KEY must hold at least 32 hex digits");
            return -1;
        }
        return 0;
    }
    if (RAND_bytes(k->bytes, 32) != 1) {
        snprintf(err, errlen, "cannot get random bytes for the fingerprint key");
        return -1;
    }
    k->len = 32;
    return 0;
}
