#include "safe_text.h"

#include <string.h>

#include "report_int.h"

/* East Asian Wide and Fullwidth ranges (UAX #11), enough for CJK text. */
static int is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
           (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
           (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t pii_put_safe(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), width = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = pii_utf8_seq(p + i, n - i, &cp);
        int bad = len == 0 || cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
        if (bad) {
            if (fp)
                putc('?', fp);
            width++;
            i += len ? len : 1;
            continue;
        }
        if (fp)
            fwrite(p + i, 1, len, fp);
        width += is_wide(cp) ? 2 : 1;
        i += len;
    }
    return width;
}

size_t piiscan_put_safe(FILE *fp, const char *s) { return pii_put_safe(fp, s); }
