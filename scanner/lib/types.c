/*
 * types.c -- canonical type names.
 *
 * The names are the enum identifiers without the PIISCAN_ prefix because
 * they appear verbatim in every report (JSONL "type", SARIF ruleId, CSV), so
 * users can grep them and policies can name them.
 */
#include <strings.h>

#include "piiscan.h"

static const char *const type_names[PIISCAN_TYPE_COUNT] = {
    [PIISCAN_CN_RESIDENT_ID] = "CN_RESIDENT_ID",
    [PIISCAN_CN_MOBILE] = "CN_MOBILE",
    [PIISCAN_CN_LANDLINE] = "CN_LANDLINE",
    [PIISCAN_EMAIL] = "EMAIL",
    [PIISCAN_IPV4] = "IPV4",
    [PIISCAN_IPV6] = "IPV6",
    [PIISCAN_MAC] = "MAC",
    [PIISCAN_IMEI] = "IMEI",
    [PIISCAN_MEID] = "MEID",
    [PIISCAN_IMSI] = "IMSI",
    [PIISCAN_ICCID] = "ICCID",
    [PIISCAN_ANDROID_ID] = "ANDROID_ID",
    [PIISCAN_IDFA] = "IDFA",
    [PIISCAN_IDFV] = "IDFV",
    [PIISCAN_GAID] = "GAID",
    [PIISCAN_OAID] = "OAID",
    [PIISCAN_BANK_CARD] = "BANK_CARD",
    [PIISCAN_CN_PASSPORT] = "CN_PASSPORT",
    [PIISCAN_HK_MACAU_PERMIT] = "HK_MACAU_PERMIT",
    [PIISCAN_HKID] = "HKID",
    [PIISCAN_TW_ID] = "TW_ID",
    [PIISCAN_GPS] = "GPS",
    [PIISCAN_BIRTH_DATE] = "BIRTH_DATE",
    [PIISCAN_CN_ADDRESS] = "CN_ADDRESS",
    [PIISCAN_PERSON_NAME] = "PERSON_NAME",
};

const char *piiscan_type_name(piiscan_type t)
{
    /* The enum may be backed by an unsigned type: compare as unsigned so
     * that a negative value cast in by a caller is also out of range. */
    if ((unsigned)t >= (unsigned)PIISCAN_TYPE_COUNT)
        return NULL;
    return type_names[t];
}

int piiscan_type_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < PIISCAN_TYPE_COUNT; i++)
        if (strcasecmp(name, type_names[i]) == 0)
            return i;
    return -1;
}
