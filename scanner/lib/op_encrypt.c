/*
 * op_encrypt.c -- the encrypt operator and its tokens.
 *
 * Token: <TYPE>_ENC_<base32(V || C)>, where V || C is AES-256-SIV under the
 * SIV sub-key of the RAW value bytes with the type name as associated data.
 * Raw bytes rather than the normalized form, because reveal must give back
 * exactly what was in the file ("+86 138-1234-5678", full-width digits and
 * all); the price is that two spellings of one number get two tokens (use
 * hash when joins across spellings matter).  The type name as associated
 * data means a token relabelled as another type does not decrypt.
 *
 * Tokens are found again without a key by their shape: a canonical type
 * name not preceded by [A-Za-z0-9_], "_ENC_", then base32.  Base32 has no
 * '_' and no lower case, so a token never runs into a hash token
 * (<TYPE>_<base32>, no "_ENC_") and ends at the first character outside
 * A-Z2-7.  If the original text put such a character right after the value,
 * pii_token_next_keyed finds the real end by authentication.
 */
#include <string.h>

#include "op_int.h"

#define ENC_MARK "_ENC_"
#define TAG 16
#define RAW_MAX 4096

static int seal(const pii_keyring *kr, piiscan_type t, const uint8_t *raw, size_t n,
                uint8_t *ct)
{
    const char *name = piiscan_type_name(t);
    const uint8_t *ad[1] = {(const uint8_t *)name};
    size_t adl = strlen(name);
    return pii_siv_seal(kr->k_siv, sizeof kr->k_siv, ad, &adl, 1, raw, n, ct);
}

ssize_t pii_op_encrypt(piiscan_type t, const uint8_t *raw, size_t n, const pii_keyring *kr,
                       uint8_t *out, size_t cap, char *err, size_t errlen)
{
    uint8_t ct[TAG + RAW_MAX];
    const char *name = piiscan_type_name(t);
    size_t nl = strlen(name), ml = strlen(ENC_MARK);
    if (n == 0 || n > RAW_MAX) {
        pii_op_err(err, errlen, "value of %zu bytes cannot be encrypted", n);
        return -1;
    }
    if (nl + ml + pii_b32_len(TAG + n) > cap) {
        pii_op_err(err, errlen, "output buffer too small");
        return -1;
    }
    if (seal(kr, t, raw, n, ct) != 0) {
        pii_op_err(err, errlen, "AES-SIV encryption failed");
        return -1;
    }
    memcpy(out, name, nl);
    memcpy(out + nl, ENC_MARK, ml);
    return (ssize_t)(nl + ml + pii_b32_encode(ct, TAG + n, (char *)out + nl + ml));
}

/* Length of "<TYPE>_ENC_" when tok starts with it for type t, else 0. */
static size_t token_head(piiscan_type t, const uint8_t *tok, size_t n)
{
    const char *name = piiscan_type_name(t);
    size_t nl = strlen(name), ml = strlen(ENC_MARK);
    if (n < nl + ml || memcmp(tok, name, nl) != 0 || memcmp(tok + nl, ENC_MARK, ml) != 0)
        return 0;
    return nl + ml;
}

/* Decrypts a token body; -1 (quietly) if it does not authenticate. */
static ssize_t open_body(piiscan_type t, const uint8_t *body, size_t bl,
                         const pii_keyring *kr, uint8_t *out, size_t cap)
{
    uint8_t ct[TAG + RAW_MAX];
    ssize_t cl = pii_b32_decode((const char *)body, bl, ct, sizeof ct);
    if (cl <= TAG || (size_t)cl - TAG > cap)
        return -1;
    const char *name = piiscan_type_name(t);
    const uint8_t *ad[1] = {(const uint8_t *)name};
    size_t adl = strlen(name);
    if (pii_siv_open(kr->k_siv, sizeof kr->k_siv, ad, &adl, 1, ct, (size_t)cl, out) != 0)
        return -1;
    return cl - TAG;
}

ssize_t pii_op_decrypt(piiscan_type t, const uint8_t *tok, size_t n, const pii_keyring *kr,
                       uint8_t *out, size_t cap, char *err, size_t errlen)
{
    size_t h = token_head(t, tok, n);
    if (h == 0) {
        pii_op_err(err, errlen, "not a %s encrypt token", piiscan_type_name(t));
        return -1;
    }
    ssize_t r = open_body(t, tok + h, n - h, kr, out, cap);
    if (r < 0)
        pii_op_err(err, errlen, "%s token does not decrypt with this key (wrong key, or "
                   "the token was changed)", piiscan_type_name(t));
    return r;
}

/* ---- finding tokens ---------------------------------------------------- */

static bool word_char(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool b32_char(uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'); }

/* The type whose name ends at buf[end) and starts at a word boundary:
 * the word ending there is a type name.  Runs at every "_ENC_".  Type
 * names are [A-Z0-9_] words of at most NAME_MAX_LEN (test_ops.c finds
 * every type's token). */
static int type_before(const uint8_t *buf, size_t end, size_t *start)
{
    enum { NAME_MAX_LEN = 40 };
    size_t s = end;
    while (s > 0 && end - s <= NAME_MAX_LEN && word_char(buf[s - 1]))
        s--;
    size_t n = end - s;
    if (n == 0 || n > NAME_MAX_LEN)
        return -1;
    for (int t = 0; t < PIISCAN_TYPE_COUNT; t++) {
        const char *name = piiscan_type_name((piiscan_type)t);
        if (name[0] == buf[s] && strncmp(name, (const char *)buf + s, n) == 0 && name[n] == '\0') {
            *start = s;
            return t;
        }
    }
    return -1;
}

/* Shortest body: a 16-byte tag and a 1-byte value. */
#define BODY_MIN 28

int pii_token_next(const uint8_t *buf, size_t len, size_t from, size_t *lo, size_t *hi,
                   piiscan_type *type)
{
    size_t ml = strlen(ENC_MARK);
    for (size_t i = from; i + ml <= len;) {
        const uint8_t *m = memmem(buf + i, len - i, ENC_MARK, ml);
        if (!m)
            return 0;
        size_t at = (size_t)(m - buf), start;
        int t = type_before(buf, at, &start);
        size_t e = at + ml;
        while (e < len && b32_char(buf[e]))
            e++;
        if (t >= 0 && start >= from && e - (at + ml) >= BODY_MIN) {
            *lo = start;
            *hi = e;
            *type = (piiscan_type)t;
            return 1;
        }
        i = at + 1;
    }
    return 0;
}

int pii_token_next_keyed(const pii_keyring *kr, const uint8_t *buf, size_t len, size_t from, size_t *lo,
                         size_t *hi, piiscan_type *type, uint8_t *plain, size_t cap, size_t *plen)
{
    size_t l, h;
    piiscan_type t;
    uint8_t scratch[RAW_MAX];
    if (!plain) {
        plain = scratch;
        cap = sizeof scratch;
    }
    while (pii_token_next(buf, len, from, &l, &h, &t)) {
        size_t body = l + strlen(piiscan_type_name(t)) + strlen(ENC_MARK);
        for (size_t e = h; e >= body + BODY_MIN; e--) {
            ssize_t k = open_body(t, buf + body, e - body, kr, plain, cap);
            if (k >= 0) {
                *lo = l;
                *hi = e;
                *type = t;
                if (plen)
                    *plen = (size_t)k;
                return 1;
            }
        }
        from = l + 1;
    }
    return 0;
}
