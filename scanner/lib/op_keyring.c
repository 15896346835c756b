/*
 * op_keyring.c -- per-purpose keys from the user's master key.
 *
 * HKDF-SHA-256 (RFC 5869, OpenSSL EVP_KDF "HKDF") with a fixed salt and one
 * info label per purpose.  Separate keys mean that HMAC tokens, SIV tokens
 * and FF1 outputs computed from the same values share nothing an attacker
 * could correlate, and a future operator gets its own label without
 * changing the existing ones (the labels are part of the token format: a
 * change would make old tokens irreversible).
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "op_int.h"

static int hkdf(EVP_KDF *kdf, const unsigned char *master, size_t len, const char *info,
                unsigned char *out, size_t outlen)
{
    static const char salt[] = "piiscan operator keys v1";
    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
    if (!ctx)
        return -1;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)master, len),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, sizeof salt - 1),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, strlen(info)),
        OSSL_PARAM_construct_end(),
    };
    int rc = EVP_KDF_derive(ctx, out, outlen, params) > 0 ? 0 : -1;
    EVP_KDF_CTX_free(ctx);
    return rc;
}

int pii_keyring_init(pii_keyring *kr, const unsigned char *master, size_t len)
{
    if (!kr || !master || len < PII_KEY_MIN_LEN)
        return -1;
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    int rc = -1;
    if (kdf && hkdf(kdf, master, len, "piiscan hash hmac-sha256", kr->k_hash, sizeof kr->k_hash) == 0
        && hkdf(kdf, master, len, "piiscan encrypt aes-256-siv", kr->k_siv, sizeof kr->k_siv) == 0
        && hkdf(kdf, master, len, "piiscan fpe ff1-aes-256", kr->k_fpe, sizeof kr->k_fpe) == 0)
        rc = 0;
    EVP_KDF_free(kdf);
    if (rc != 0)
        pii_keyring_wipe(kr);
    return rc;
}

void pii_keyring_wipe(pii_keyring *kr)
{
    if (kr)
        OPENSSL_cleanse(kr, sizeof *kr);
}
