/*
 * keyfile.h -- the fingerprint key: from --key-file (mode 0600 or stricter),
 * else PIISCAN_KEY (hex), else 32 random bytes for this run only.
 * Keys are never accepted on the command line (they would show in ps and
 * shell history) and never printed.
 */
#ifndef PIISCAN_CLI_KEYFILE_H
#define PIISCAN_CLI_KEYFILE_H

#include <stddef.h>

#define KEY_MAX 256

typedef struct cli_key {
    unsigned char bytes[KEY_MAX];
    size_t len;
    int source;   /* 0 random, 1 file, 2 environment */
} cli_key;

/* 0 on success; -1 with a message in err. */
int cli_key_load(cli_key *k, const char *path, char *err, size_t errlen);

#endif
