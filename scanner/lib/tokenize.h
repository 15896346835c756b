/*
 * tokenize.h -- the vectorized run tokenizer.
 *
 * The detector for numeric and hex identifiers starts from "seed" bytes:
 * ASCII digits, ':' (so that a MAC or IPv6 address written only with the
 * letters a-f is seen too), and 0xEF (lead byte of full-width digits
 * U+FF10..FF19 and of the full-width colon U+FF1A).  Between seeds the input is skipped at SIMD
 * speed; around a seed the scalar compound builder (compound.c) takes over.
 *
 * Both an AVX2 and a portable scalar path exist and are tested on the same
 * inputs; pii_tokenizer_init() picks one at run time (CPU support) unless
 * PIISCAN_NO_AVX2 is set in the environment.
 */
#ifndef PII_TOKENIZE_H
#define PII_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

/* Byte classes used by the compound builder (bit flags). */
enum {
    PII_C_DIGIT = 1,   /* 0-9 */
    PII_C_HEXL  = 2,   /* a-f A-F */
    PII_C_ALPHA = 4,   /* A-Z a-z */
    PII_C_SEP   = 8,   /* . : - and space: separators inside compounds */
    PII_C_HIGH  = 16   /* >= 0x80 (UTF-8 multibyte) */
};
extern const uint8_t pii_byte_class[256];

/* First index i in [from, len) with p[i] an ASCII digit, ':' or 0xEF; len if none. */
typedef size_t (*pii_seed_fn)(const uint8_t *p, size_t from, size_t len);
/* First index i in [from, len) with p[i] NOT an ASCII digit; len if none. */
typedef size_t (*pii_digit_end_fn)(const uint8_t *p, size_t from, size_t len);

size_t pii_next_seed_scalar(const uint8_t *p, size_t from, size_t len);
size_t pii_digit_run_end_scalar(const uint8_t *p, size_t from, size_t len);
#if defined(__x86_64__) || defined(__i386__)
size_t pii_next_seed_avx2(const uint8_t *p, size_t from, size_t len);
size_t pii_digit_run_end_avx2(const uint8_t *p, size_t from, size_t len);
#endif

/* Selected implementation (set by pii_tokenizer_init). */
extern pii_seed_fn pii_next_seed;
extern pii_digit_end_fn pii_digit_run_end;

/* Choose AVX2 when the CPU has it (and PIISCAN_NO_AVX2 is unset).
 * Thread-safe, idempotent.  Returns "avx2" or "scalar". */
const char *pii_tokenizer_init(void);

#endif
