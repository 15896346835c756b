/*
 * op_base32.c -- RFC 4648 base32 without padding, for hash and encrypt
 * tokens.
 *
 * Base32 rather than base64 or hex: upper-case letters and 2-7 only, so a
 * token survives case-insensitive systems' display, URL paths, CSV and SQL
 * without quoting, and never contains the '_' that separates its parts.
 */
#include "op_int.h"

static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

size_t pii_b32_len(size_t nbytes) { return (nbytes * 8 + 4) / 5; }

/* Five bytes are eight characters: whole groups from one 40-bit word
 * (a token is encoded per finding; the bit-at-a-time loop below was 5% of
 * encrypt's time), the rest bit by bit. */
size_t pii_b32_encode(const uint8_t *in, size_t n, char *out)
{
    size_t o = 0, i = 0;
    for (; n - i >= 5; i += 5, o += 8) {
        uint64_t w = 0;
        for (int k = 0; k < 5; k++)
            w = w << 8 | in[i + k];
        for (int k = 0; k < 8; k++)
            out[o + k] = B32[(w >> (35 - 5 * k)) & 31];
    }
    unsigned acc = 0, bits = 0;
    for (; i < n; i++) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[o++] = B32[(acc >> bits) & 31];
        }
        acc &= (1u << bits) - 1;
    }
    if (bits > 0)
        out[o++] = B32[(acc << (5 - bits)) & 31];
    return o;
}

/* Value + 1 of each character of the alphabet, 0 outside it; so the
 * value as a byte is 0xFF outside. */
static const uint8_t B32_VAL1[256] = {
    ['A'] = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
    ['2'] = 27, 28, 29, 30, 31, 32,
};

static uint8_t b32_val(uint8_t c) { return (uint8_t)(B32_VAL1[c] - 1); }

/* Eight characters are five bytes: whole groups from one 40-bit word,
 * the tail bit by bit (reveal decodes every token it finds). */
ssize_t pii_b32_decode(const char *in, size_t n, uint8_t *out, size_t cap)
{
    size_t nbytes = n * 5 / 8;
    if (pii_b32_len(nbytes) != n || nbytes > cap)
        return -1;
    const uint8_t *s = (const uint8_t *)in;
    size_t o = 0, i = 0;
    for (; n - i >= 8; i += 8, o += 5) {
        uint64_t w = 0;
        uint8_t bad = 0;
        for (int k = 0; k < 8; k++) {
            uint8_t v = b32_val(s[i + k]);
            bad |= v;
            w = w << 5 | (v & 31);
        }
        if (bad & 0x80)
            return -1;
        for (int k = 0; k < 5; k++)
            out[o + k] = (uint8_t)(w >> (32 - 8 * k));
    }
    unsigned acc = 0, bits = 0;
    for (; i < n; i++) {
        uint8_t v = b32_val(s[i]);
        if (v == 0xFF)
            return -1;
        acc = (acc << 5) | v;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0)
        return -1;
    return (ssize_t)o;
}
