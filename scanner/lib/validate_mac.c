/*
 * validate_mac.c -- 48-bit MAC / Bluetooth addresses (IEEE 802 EUI-48).
 *
 * Group addresses (I/G bit, bit 0 of the first octet) name no single device,
 * which also covers broadcast; the all-zero address is "unset".  Android 6+
 * and iOS return 02:00:00:00:00:00 to apps instead of the real address, so
 * that value is reported separately as a placeholder.
 */
#include <stdbool.h>
#include <stdint.h>

#include "validate.h"

bool pii_mac_ok(const uint8_t oct[6])
{
    uint8_t any = 0;
    for (int i = 0; i < 6; i++)
        any |= oct[i];
    return any != 0 && (oct[0] & 0x01) == 0;
}

bool pii_mac_placeholder(const uint8_t oct[6])
{
    static const uint8_t placeholder[6] = {0x02, 0, 0, 0, 0, 0};
    for (int i = 0; i < 6; i++)
        if (oct[i] != placeholder[i])
            return false;
    return true;
}
