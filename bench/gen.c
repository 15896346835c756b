/*
 * gen.c -- deterministic input generator for the piiscan benchmark.
 *
 * Writes a realistic mix of log and export lines (nginx access log, Android
 * logcat, JSONL telemetry, CSV export, mysqldump INSERTs, Chinese customer
 * service chat) with the digit-dense noise that makes real logs hard for
 * numeric PII rules: 13-digit epoch-ms timestamps, 19-digit snowflake ids,
 * 20-digit order numbers, 11-digit byte counters, hex trace/span ids and UUID
 * request ids.  Personal data is injected at a chosen density, and every
 * injected value is counted by type in a sidecar file so that bench/run can
 * compare what piiscan reports with what is really there.
 *
 * Every injected value is meant to be reported by piiscan as exactly one
 * finding of the counted type at the default confidence (valid check digits,
 * real region codes and mobile prefixes, unicast MACs, public-looking IPs,
 * device ids only under their key).  Noise is meant to yield none: masked
 * values, loopback addresses, and digit runs whose length or prefix no
 * numeric rule accepts.  `--density 0` writes noise only, which checks that.
 *
 * The same seed, size and density always produce the same bytes (one
 * splitmix64 stream, no time or locale dependence).
 *
 * Build: cc -std=c11 -O2 -Wall -Wextra -D_GNU_SOURCE -o gen gen.c
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ rng */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Modulo bias is irrelevant for test data and keeps this branch-free. */
static uint32_t below(uint32_t n)
{
    return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

static bool chance(uint32_t percent)
{
    return below(100) < percent;
}

#define PICK(arr) ((arr)[below((uint32_t)COUNT_OF(arr))])

/* ---------------------------------------------------------- line buffer */

/* One line is built here, then copied to the output buffer.  The largest
 * line (a long mysqldump INSERT) stays far below this. */
#define LINE_MAX_BYTES (256 * 1024)

static char line[LINE_MAX_BYTES];
static size_t line_len;

static void put_mem(const char *s, size_t n)
{
    if (line_len + n > sizeof line) /* cannot happen with the caps below */
        n = sizeof line - line_len;
    memcpy(line + line_len, s, n);
    line_len += n;
}

static void put(const char *s)
{
    put_mem(s, strlen(s));
}

static void put_ch(char c)
{
    if (line_len < sizeof line)
        line[line_len++] = c;
}

static void put_u64(uint64_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put_mem(tmp + i, sizeof tmp - i);
}

/* Zero-padded to width digits. */
static void fmt_w(char *dst, uint64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        dst[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

static void put_u64w(uint64_t v, int width)
{
    char tmp[24];
    fmt_w(tmp, v, width);
    put_mem(tmp, (size_t)width);
}

/* logcat right-aligns pid and tid in five columns. */
static void put_pid(void)
{
    uint64_t v = 100 + below(32000);
    for (uint64_t p = 10000; p > v && p > 1; p /= 10)
        put_ch(' ');
    put_u64(v);
}

static void put_digits(int n)
{
    for (int i = 0; i < n; i++)
        put_ch((char)('0' + below(10)));
}

static void put_hex(int n, bool upper)
{
    const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    for (int i = 0; i < n; i++)
        put_ch(d[below(16)]);
}

static void put_uuid(bool upper)
{
    put_hex(8, upper);
    put_ch('-');
    put_hex(4, upper);
    put_ch('-');
    put_ch('4');
    put_hex(3, upper);
    put_ch('-');
    put_ch((upper ? "89AB" : "89ab")[below(4)]);
    put_hex(3, upper);
    put_ch('-');
    put_hex(12, upper);
}

/* ------------------------------------------------------ density control */

enum pii_type {
    T_MOBILE, T_RESIDENT_ID, T_IMEI, T_BANK_CARD, T_MAC,
    T_EMAIL, T_IPV4, T_IPV6, T_OAID, T_NAME, T_COUNT
};

/* Names as piiscan reports them, so the sidecar can be compared directly. */
static const char *const type_name[T_COUNT] = {
    "CN_MOBILE", "CN_RESIDENT_ID", "IMEI", "BANK_CARD", "MAC",
    "EMAIL", "IPV4", "IPV6", "OAID", "PERSON_NAME",
};

static uint64_t injected[T_COUNT];
static uint64_t injected_total;
static uint64_t bytes_done;   /* bytes of complete lines already written */
static uint64_t density;      /* bytes per injected value; 0 = none */

/* A line calls want() at each place where a value could go.  Injecting only
 * while the running count is behind bytes/density keeps the density exact
 * at every scale, independent of the line mix. */
static bool want(void)
{
    if (density == 0)
        return false;
    return (bytes_done + line_len) / density > injected_total;
}

static void count(enum pii_type t)
{
    injected[t]++;
    injected_total++;
}

/* ------------------------------------------------------ check digits */

static int luhn_check_digit(const char *d, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int v = d[n - 1 - i] - '0';
        if (i % 2 == 0) { /* doubled: rightmost body digit sits left of check */
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return (10 - sum % 10) % 10;
}

static char gb11643_check(const char *d17)
{
    static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (d17[i] - '0') * w[i];
    return "10X98765432"[sum % 11];
}

/* Random digits after a fixed prefix, then a Luhn digit: n chars in out. */
static void luhn_number(char *out, const char *prefix, size_t n)
{
    size_t p = strlen(prefix);
    memcpy(out, prefix, p);
    for (size_t i = p; i < n - 1; i++)
        out[i] = (char)('0' + below(10));
    out[n - 1] = (char)('0' + luhn_check_digit(out, n - 1));
    out[n] = '\0';
}

/* ------------------------------------------------------- PII writers */

/* Allocated prefixes (patterns/data/cn_mobile_prefixes.tsv). */
static const char *const mobile_prefix[] = {
    "133", "135", "136", "137", "138", "139", "150", "151", "152", "157",
    "158", "159", "166", "173", "177", "180", "181", "182", "183", "185",
    "186", "187", "188", "189", "191", "198", "199",
};

static void mobile_digits(char d[12])
{
    memcpy(d, PICK(mobile_prefix), 3);
    for (int i = 3; i < 11; i++)
        d[i] = (char)('0' + below(10));
    d[11] = '\0';
}

static void put_grouped_mobile(const char *d, char sep)
{
    put_mem(d, 3);
    put_ch(sep);
    put_mem(d + 3, 4);
    put_ch(sep);
    put_mem(d + 7, 4);
}

/* The written forms seen in Chinese logs and forms; plain digits dominate. */
static void pii_mobile(void)
{
    char d[12];
    mobile_digits(d);
    uint32_t form = below(100);
    if (form < 55) {
        put(d);
    } else if (form < 63) {
        put("+86 ");
        put_grouped_mobile(d, ' ');
    } else if (form < 70) {
        put("+86-");
        put_grouped_mobile(d, '-');
    } else if (form < 77) {
        put("+86");
        put(d);
    } else if (form < 82) {
        put("0086-");
        put(d);
    } else if (form < 89) {
        put_grouped_mobile(d, '-');
    } else if (form < 95) {
        put_grouped_mobile(d, ' ');
    } else if (form < 98) {
        put("(+86)");
        put(d);
    } else {
        /* Full-width digits from IME input: U+FF10.. is EF BC 90.. */
        for (int i = 0; i < 11; i++) {
            put("\xEF\xBC");
            put_ch((char)(0x90 + (d[i] - '0')));
        }
    }
    count(T_MOBILE);
}

/* Real GB/T 2260 codes (patterns/data/cn_region_codes.tsv). */
static const char *const region_code[] = {
    "110105", "110108", "310115", "310104", "440305", "440306", "440106",
    "440104", "330106", "330108", "320102", "320106", "510104", "510107",
    "420106", "500103", "610113", "370102", "210102", "120101", "350203",
    "430104", "410105", "130102", "340104", "360102", "220102", "230102",
    "530102", "450103", "520102", "620102", "441900", "460106",
};

static void pii_resident_id(void)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    char d[19];
    memcpy(d, PICK(region_code), 6);
    int year = 1955 + (int)below(50);
    int month = 1 + (int)below(12);
    int day = 1 + (int)below((uint32_t)mdays[month - 1]);
    fmt_w(d + 6, (uint64_t)year, 4);
    fmt_w(d + 10, (uint64_t)month, 2);
    fmt_w(d + 12, (uint64_t)day, 2);
    fmt_w(d + 14, below(1000), 3);
    d[17] = gb11643_check(d);
    d[18] = '\0';
    put(d);
    count(T_RESIDENT_ID);
}

/* TACs under the RBIs that are in use today (86 = China, 35 = BABT). */
static void pii_imei(void)
{
    char d[16];
    luhn_number(d, chance(70) ? "86" : "35", 15);
    put(d);
    count(T_IMEI);
}

/* UnionPay: 62 prefix, 16 or 19 digits, Luhn; sometimes grouped by four. */
static void pii_bank_card(void)
{
    char d[20];
    bool long_pan = chance(30);
    luhn_number(d, chance(50) ? "6222" : "6217", long_pan ? 19 : 16);
    uint32_t form = below(100);
    if (long_pan || form < 70) {
        put(d);
    } else {
        char sep = form < 90 ? ' ' : '-';
        for (int i = 0; i < 16; i += 4) {
            if (i)
                put_ch(sep);
            put_mem(d + i, 4);
        }
    }
    count(T_BANK_CARD);
}

/* Unicast, not all-zero, not the 02:00:00:00:00:00 Android placeholder. */
static void pii_mac(void)
{
    unsigned b[6];
    b[0] = below(256) & 0xFC; /* globally unique unicast */
    if (b[0] == 0 || b[0] == 2)
        b[0] = 0xD0;
    for (int i = 1; i < 6; i++)
        b[i] = below(256);
    uint32_t form = below(100);
    bool upper = form >= 60;
    char sep = form < 85 ? ':' : '-';
    const char *hx = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    for (int i = 0; i < 6; i++) {
        if (i)
            put_ch(sep);
        put_ch(hx[b[i] >> 4]);
        put_ch(hx[b[i] & 15]);
    }
    count(T_MAC);
}

static const char *const pinyin[] = {
    "zhangwei", "wangfang", "li.na", "liuyang", "chenjing", "yang.min",
    "zhaolei", "huangyan", "zhou.jie", "wu_xia", "xuqiang", "sunli",
    "ma.chao", "zhuhong", "hu.bin", "guoyu", "linfeng", "heping",
};

static const char *const mail_domain[] = {
    "qq.com", "163.com", "126.com", "gmail.com", "sina.com", "foxmail.com",
    "outlook.com", "example.cn", "corp.example.com", "mail.example.org",
};

static void pii_email(void)
{
    put(PICK(pinyin));
    if (chance(60))
        put_u64(below(10000));
    put_ch('@');
    put(PICK(mail_domain));
    count(T_EMAIL);
}

/* Public-looking unicast (client addresses seen by a front end): no 0/8,
 * 127/8, private, link-local or multicast first octets; host part .1-.254. */
static void pii_ipv4(void)
{
    uint32_t a;
    do
        a = 1 + below(223);
    while (a == 10 || a == 127 || a == 169 || a == 172 || a == 192);
    put_u64(a);
    put_ch('.');
    put_u64(below(256));
    put_ch('.');
    put_u64(below(256));
    put_ch('.');
    put_u64(1 + below(254));
    count(T_IPV4);
}

static void put_hex_group(void)
{
    unsigned v = below(0x10000);
    if (v < 0x1000)
        v |= 0x1000; /* no leading zeros: looks like what inet_ntop writes */
    char tmp[5];
    snprintf(tmp, sizeof tmp, "%x", v);
    put(tmp);
}

/* Chinese carrier prefixes, full and compressed forms. */
static void pii_ipv6(void)
{
    static const char *const pfx[] = { "240e", "2408", "2409", "2001:db8" };
    const char *p = PICK(pfx);
    put(p);
    int groups = strchr(p, ':') ? 2 : 1;
    if (chance(50)) {
        for (; groups < 8; groups++) {
            put_ch(':');
            put_hex_group();
        }
    } else {
        for (; groups < 4; groups++) {
            put_ch(':');
            put_hex_group();
        }
        put("::");
        put_hex_group();
    }
    count(T_IPV6);
}

/* OAID formats: UUID (Huawei, Honor), 16 hex (vivo), 64 hex (Xiaomi, OPPO). */
static void pii_oaid_value(void)
{
    uint32_t form = below(100);
    if (form < 50)
        put_uuid(false);
    else if (form < 75)
        put_hex(16, false);
    else
        put_hex(64, false);
    count(T_OAID);
}

/* --------------------------------------------------------------- noise */

static uint64_t clock_ms = 1710460800000ull; /* 2024-03-15 00:00:00 UTC */

/* Time moves forward a little each line, so timestamps look like a log. */
static void tick(void)
{
    clock_ms += below(40);
}

static void put_epoch_ms(void)
{
    put_u64(clock_ms + below(1000));
}

static void put_snowflake(void)
{
    put_u64(1700000000000000000ull + (rnd() % 99999999999999999ull));
}

/* 20-digit order numbers: yyyymmdd + 12 digits. */
static void put_order_no(void)
{
    put("20240315");
    put_digits(12);
}

/* Wall-clock fields derived from clock_ms (UTC+8, one day is plenty). */
static void clock_hms(int *h, int *m, int *s, int *ms)
{
    uint64_t t = clock_ms + 8 * 3600000ull;
    *ms = (int)(t % 1000);
    t /= 1000;
    *s = (int)(t % 60);
    *m = (int)(t / 60 % 60);
    *h = (int)(t / 3600 % 24);
}

static void put_datetime(char tsep)
{
    int h, m, s, ms;
    clock_hms(&h, &m, &s, &ms);
    put("2024-03-15");
    put_ch(tsep);
    put_u64w((uint64_t)h, 2);
    put_ch(':');
    put_u64w((uint64_t)m, 2);
    put_ch(':');
    put_u64w((uint64_t)s, 2);
}

static const char *const user_agent[] = {
    "Mozilla/5.0 (Linux; Android 13; 22081212C Build/TKQ1.220829.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "okhttp/4.12.0",
    "Dalvik/2.1.0 (Linux; U; Android 12; HUAWEI P40 Build/HUAWEIANA-AN00)",
    "kube-probe/1.27",
};

static const char *const chinese_name[] = {
    "张伟", "王芳", "李娜", "刘洋", "陈静", "杨敏", "赵磊", "黄艳", "周杰",
    "吴霞", "徐强", "孙丽", "马超", "朱红", "胡斌", "郭宇", "林峰", "何平",
};

/* A name is personal data only where a column, key or hotword says so
 * (name column, 收货人); elsewhere exports mask it, as real ones do. */
static void pii_name(void)
{
    put(PICK(chinese_name));
    count(T_NAME);
}

static void put_masked_name(void)
{
    put_mem(PICK(chinese_name), 3); /* the surname: one CJK char, 3 bytes */
    put_ch('*');
}

static const char *const province[] = {
    "北京市", "上海市", "广东省", "浙江省", "江苏省", "四川省", "湖北省",
};

/* ------------------------------------------------------------ lines */

/* 203.0.113.x style client IPs would be PII; without budget the request came
 * through a local sidecar proxy, which is common and not personal data. */
static void put_client_addr(void)
{
    if (want()) {
        if (chance(85))
            pii_ipv4();
        else
            pii_ipv6();
    } else {
        put("127.0.0.1");
    }
}

static void line_nginx(void)
{
    int h, m, s, ms;
    clock_hms(&h, &m, &s, &ms);
    put_client_addr();
    put(" - - [15/Mar/2024:");
    put_u64w((uint64_t)h, 2);
    put_ch(':');
    put_u64w((uint64_t)m, 2);
    put_ch(':');
    put_u64w((uint64_t)s, 2);
    put(" +0800] \"");
    uint32_t kind = below(100);
    if (kind < 30) {
        put("GET /api/v1/feed?page=");
        put_u64(1 + below(30));
        put("&size=20&ts=");
        put_epoch_ms();
        put("&trace_id=");
        put_uuid(false);
    } else if (kind < 45) {
        put("POST /api/v2/device/report?ts=");
        put_epoch_ms();
        if (want()) {
            put("&imei=");
            pii_imei();
        }
        if (want()) {
            put("&oaid=");
            pii_oaid_value();
        }
        put("&sign=");
        put_hex(32, false);
    } else if (kind < 55) {
        put("GET /api/v1/user/profile?uid=");
        put_snowflake();
        if (want()) {
            put("&phone=");
            pii_mobile();
        }
        put("&_=");
        put_epoch_ms();
    } else if (kind < 65) {
        put("GET /static/js/chunk-");
        put_hex(8, false);
        put(".js");
    } else if (kind < 75) {
        put("GET /api/v1/order/detail?order_no=");
        put_order_no();
        put("&ts=");
        put_epoch_ms();
    } else {
        put("GET /healthz");
    }
    put(" HTTP/1.1\" ");
    put(chance(90) ? "200 " : chance(50) ? "304 " : "502 ");
    put_u64(below(60000));
    put(" \"https://m.shop.example.com/item/");
    put_u64(below(100000));
    put("\" \"");
    put(PICK(user_agent));
    put("\" rt=0.");
    put_u64w(below(1000), 3);
    put(" req=");
    put_hex(32, false);
}

static const char *const logcat_tag[] = {
    "ActivityManager", "OkHttp", "DeviceInfo", "WifiStateMachine",
    "LoginPresenter", "PushService", "BluetoothAdapter", "chromium",
};

static void line_logcat(void)
{
    int h, m, s, ms;
    clock_hms(&h, &m, &s, &ms);
    put("03-15 ");
    put_u64w((uint64_t)h, 2);
    put_ch(':');
    put_u64w((uint64_t)m, 2);
    put_ch(':');
    put_u64w((uint64_t)s, 2);
    put_ch('.');
    put_u64w((uint64_t)ms, 3);
    put_ch(' ');
    put_pid();
    put_ch(' ');
    put_pid();
    put_ch(' ');
    put_ch("DIWE"[below(4)]);
    put_ch(' ');
    uint32_t tag = below((uint32_t)COUNT_OF(logcat_tag));
    put(logcat_tag[tag]);
    put(": ");
    switch (tag) {
    case 0:
        put("Start proc ");
        put_u64(1000 + below(30000));
        put(":com.example.shop/u0a");
        put_u64(100 + below(300));
        put(" for activity {com.example.shop/.MainActivity} cost=");
        put_u64(below(900));
        put("ms");
        break;
    case 1:
        put("--> GET https://api.example.com/v1/feed?ts=");
        put_epoch_ms();
        put("&nonce=");
        put_hex(16, false);
        put(" span_id=");
        put_hex(16, false);
        break;
    case 2:
        put("collect model=HUAWEI P40 sdk=33 build=");
        put_hex(12, false);
        if (want()) {
            put(" imei=");
            pii_imei();
        }
        if (want()) {
            put(" oaid=");
            pii_oaid_value();
        }
        put(" boot_ms=");
        put_epoch_ms();
        break;
    case 3:
        put("CONNECT ssid=\"ChinaNet-");
        put_hex(4, true);
        put("\" rssi=-");
        put_u64(30 + below(60));
        if (want()) {
            put(" bssid=");
            pii_mac();
        }
        break;
    case 4:
        put("login ok uid=");
        put_snowflake();
        if (want()) {
            put(" account=");
            if (chance(70))
                pii_mobile();
            else
                pii_email();
        }
        put(" cost=");
        put_u64(below(2000));
        put("ms");
        break;
    case 5:
        put("receive msg_id=");
        put_snowflake();
        put(" ts=");
        put_epoch_ms();
        put(" bytes=");
        put_u64(10000000000ull + rnd() % 999999999ull); /* 11 digits, 10..: no mobile prefix */
        break;
    case 6:
        put("state=ON scan_mode=23");
        if (want()) {
            put(" address=");
            pii_mac();
        }
        break;
    default:
        put("[INFO:CONSOLE(1)] \"render ");
        put_u64(below(100));
        put(" items in ");
        put_u64(below(500));
        put("ms\", source: https://m.shop.example.com/static/js/app.");
        put_hex(8, false);
        put(".js (1)");
        break;
    }
}

static void json_key(const char *k)
{
    put(",\"");
    put(k);
    put("\":");
}

static void line_jsonl(void)
{
    static const char *const ev[] = {
        "page_view", "click", "app_start", "pay_success", "push_open", "search",
    };
    put("{\"ts\":");
    put_epoch_ms();
    put(",\"event\":\"");
    put(PICK(ev));
    put("\",\"uid\":\"");
    put_snowflake();
    put("\",\"trace_id\":\"");
    put_hex(32, false);
    put("\",\"span_id\":\"");
    put_hex(16, false);
    put("\",\"request_id\":\"");
    put_uuid(false);
    put("\",\"app_ver\":\"8.");
    put_u64(below(20));
    put_ch('.');
    put_u64(below(10));
    put("\",\"net\":\"");
    put(chance(70) ? "wifi" : "4g");
    put_ch('"');
    json_key("dur_ms");
    put_u64(below(5000));
    if (want()) {
        static const char *const k[] = { "phone", "email", "client_ip", "oaid", "imei", "mac", "id_card", "card_no" };
        uint32_t which = below((uint32_t)COUNT_OF(k));
        json_key(k[which]);
        put_ch('"');
        switch (which) {
        case 0: pii_mobile(); break;
        case 1: pii_email(); break;
        case 2: if (chance(80)) pii_ipv4(); else pii_ipv6(); break;
        case 3: pii_oaid_value(); break;
        case 4: pii_imei(); break;
        case 5: pii_mac(); break;
        case 6: pii_resident_id(); break;
        default: pii_bank_card(); break;
        }
        put_ch('"');
    }
    json_key("props");
    put("{\"item_id\":");
    put_u64(below(10000000));
    put(",\"price\":");
    put_u64(below(10000));
    put(".");
    put_u64w(below(100), 2);
    put(",\"ab\":\"exp_");
    put_hex(6, false);
    put("\"}}");
}

static void put_masked_mobile(void)
{
    char d[12];
    mobile_digits(d);
    put_mem(d, 3);
    put("****");
    put_mem(d + 7, 4);
}

static uint64_t csv_rows;

static void line_csv(void)
{
    /* Exports are concatenated, so the header reappears now and then. */
    if (csv_rows++ % 500 == 0) {
        put("order_no,created_at,user_id,name,phone,id_card,card_no,amount,province\n");
    }
    put_order_no();
    put_ch(',');
    put_datetime(' ');
    put_ch(',');
    put_u64(10000000 + below(90000000));
    put_ch(',');
    /* At most one real value per row; the other columns stay masked, so the
     * column order does not decide which type gets the budget. */
    int slot = want() ? (int)below(4) : -1;
    if (slot == 0)
        pii_name();
    else
        put_masked_name();
    put_ch(',');
    if (slot == 1)
        pii_mobile();
    else
        put_masked_mobile();
    put_ch(',');
    if (slot == 2)
        pii_resident_id();
    else
        put("******");
    put_ch(',');
    if (slot == 3)
        pii_bank_card();
    put_ch(',');
    put_u64(below(100000));
    put(".");
    put_u64w(below(100), 2);
    put_ch(',');
    put(PICK(province));
}

/* mysqldump --extended-insert --complete-insert: one long line of many
 * tuples, with the column list a SQL-aware scanner can use. */
static void line_sql(void)
{
    put("INSERT INTO `t_user` (`id`, `name`, `phone`, `email`, `id_card`,"
        " `created_at`, `status`, `updated_ms`) VALUES ");
    int rows = 5 + (int)below(chance(2) ? 600 : 40);
    for (int r = 0; r < rows; r++) {
        if (r)
            put_ch(',');
        put_ch('(');
        put_snowflake();
        put(",'");
        int slot = want() ? (int)below(4) : -1; /* as in line_csv */
        if (slot == 0)
            pii_name();
        else
            put_masked_name();
        put("','");
        if (slot == 1)
            pii_mobile();
        else
            put_masked_mobile();
        put("',");
        if (slot == 2) {
            put_ch('\'');
            pii_email();
            put_ch('\'');
        } else {
            put("NULL");
        }
        put(",");
        if (slot == 3) {
            put_ch('\'');
            pii_resident_id();
            put_ch('\'');
        } else {
            put("NULL");
        }
        put(",'");
        put_datetime(' ');
        put("',");
        put_u64(below(3));
        put(",");
        put_epoch_ms();
        put_ch(')');
    }
    put_ch(';');
}

static const char *const chat_noise[] = {
    "您好，请问有什么可以帮您？",
    "好的，我这边帮您查询一下，请稍等。",
    "订单已经发货了，预计明天送达。",
    "不好意思让您久等了，系统有点慢。",
    "请问还有其他问题吗？祝您生活愉快！",
    "我想问一下退款什么时候到账",
    "快递一直没有更新物流信息",
    "这个优惠券为什么用不了",
};

static void line_chat(void)
{
    put_datetime(' ');
    /* Users appear under app handles, not names. */
    if (chance(50)) {
        put(" [客服-小李] ");
    } else {
        put(" [用户-wx_");
        put_hex(6, false);
        put("] ");
    }
    if (!want()) {
        put(PICK(chat_noise));
        if (chance(30)) {
            put("订单号");
            put_order_no();
        }
        return;
    }
    switch (below(6)) {
    case 0:
        put("我的手机号是");
        pii_mobile();
        put("，麻烦帮我查一下订单");
        put_order_no();
        break;
    case 1:
        put("身份证号：");
        pii_resident_id();
        put("，实名认证一直失败");
        break;
    case 2:
        put("退款请打到这张卡号");
        pii_bank_card();
        put("，谢谢");
        break;
    case 3:
        put("发票发到我邮箱 ");
        pii_email();
        put(" 就行");
        break;
    case 4:
        put("手机");
        pii_mobile();
        put("，收货人");
        pii_name();
        break;
    default:
        put("联系方式：");
        pii_mobile();
        put(" 工作日都可以打");
        break;
    }
}

/* Weights per 100 lines; long SQL lines make their byte share larger. */
static void one_line(void)
{
    uint32_t k = below(100);
    tick();
    if (k < 26)
        line_nginx();
    else if (k < 48)
        line_logcat();
    else if (k < 72)
        line_jsonl();
    else if (k < 84)
        line_csv();
    else if (k < 85)
        line_sql();
    else
        line_chat();
    put_ch('\n');
}

/* A customer table as a data engineer exports it for de-identification:
 * every cell but the row id and the timestamp is personal data (one value
 * per 15-20 bytes), the opposite end from the logs above. */
static uint64_t table_rows;

static void line_table(void)
{
    tick();
    if (table_rows++ == 0)
        put("id,name,phone,id_card,email,client_ip,card_no,created_at\n");
    put_u64(100000 + table_rows);
    put_ch(',');
    pii_name();
    put_ch(',');
    pii_mobile();
    put_ch(',');
    pii_resident_id();
    put_ch(',');
    pii_email();
    put_ch(',');
    pii_ipv4();
    put_ch(',');
    pii_bank_card();
    put_ch(',');
    put_datetime(' ');
    put_ch('\n');
}

/* ------------------------------------------------------------- output */

static char out_buf[1 << 20];
static size_t out_len;

static int flush_out(FILE *f)
{
    if (out_len && fwrite(out_buf, 1, out_len, f) != out_len)
        return -1;
    out_len = 0;
    return 0;
}

static int emit_line(FILE *f)
{
    if (out_len + line_len > sizeof out_buf && flush_out(f) < 0)
        return -1;
    if (line_len > sizeof out_buf) /* cannot happen: line < out_buf */
        return -1;
    memcpy(out_buf + out_len, line, line_len);
    out_len += line_len;
    bytes_done += line_len;
    line_len = 0;
    return 0;
}

static int write_counts(const char *path, uint64_t lines, uint64_t seed)
{
    FILE *f = strcmp(path, "-") == 0 ? stderr : fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "# piiscan bench/gen: seed=%" PRIu64 " density=%" PRIu64
               " bytes=%" PRIu64 " lines=%" PRIu64 "\n",
            seed, density, bytes_done, lines);
    fprintf(f, "# type\tinjected\n");
    for (int t = 0; t < T_COUNT; t++)
        fprintf(f, "%s\t%" PRIu64 "\n", type_name[t], injected[t]);
    fprintf(f, "TOTAL\t%" PRIu64 "\n", injected_total);
    if (f == stderr)
        return 0;
    return fclose(f) == 0 ? 0 : -1;
}

static void usage(FILE *f)
{
    fputs("Usage: gen [options]\n"
          "Write deterministic benchmark input for piiscan.\n\n"
          "  -s, --size MB        output size in MiB (default 1024; decimals allowed)\n"
          "  -S, --seed N         random seed (default 1)\n"
          "  -d, --density BYTES  one injected value per BYTES of output\n"
          "                       (default 2048; 0 = noise only)\n"
          "  -o, --output FILE    output file (default '-', standard output)\n"
          "  -t, --table          a customer table (CSV, every row all personal\n"
          "                       data) instead of logs; --density is ignored\n"
          "  -c, --counts FILE    sidecar with injected values per type\n"
          "                       (default FILE.counts; standard error when\n"
          "                       the output is standard output)\n"
          "  -h, --help           show this help\n",
          f);
}

static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-')
        return false;
    *v = x;
    return true;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "size", required_argument, NULL, 's' },
        { "seed", required_argument, NULL, 'S' },
        { "density", required_argument, NULL, 'd' },
        { "output", required_argument, NULL, 'o' },
        { "counts", required_argument, NULL, 'c' },
        { "table", no_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    double mb = 1024;
    uint64_t seed = 1;
    const char *out_path = "-";
    const char *counts_path = NULL;
    density = 2048;
    int c;
    bool table = false;
    while ((c = getopt_long(argc, argv, "s:S:d:o:c:th", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 's':
            mb = strtod(optarg, &end);
            if (*end || !(mb > 0)) {
                fprintf(stderr, "gen: bad size '%s'\n", optarg);
                return 2;
            }
            break;
        case 'S':
            if (!parse_u64(optarg, &seed)) {
                fprintf(stderr, "gen: bad seed '%s'\n", optarg);
                return 2;
            }
            break;
        case 'd':
            if (!parse_u64(optarg, &density)) {
                fprintf(stderr, "gen: bad density '%s'\n", optarg);
                return 2;
            }
            break;
        case 'o': out_path = optarg; break;
        case 'c': counts_path = optarg; break;
        case 't': table = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }

    char counts_buf[4096];
    if (!counts_path) {
        if (strcmp(out_path, "-") == 0) {
            counts_path = "-";
        } else {
            snprintf(counts_buf, sizeof counts_buf, "%s.counts", out_path);
            counts_path = counts_buf;
        }
    }
    FILE *f = strcmp(out_path, "-") == 0 ? stdout : fopen(out_path, "wb");
    if (!f) {
        fprintf(stderr, "gen: %s: %s\n", out_path, strerror(errno));
        return 2;
    }

    rng_state = seed * 0x2545F4914F6CDD1Dull + 1;
    uint64_t target = (uint64_t)(mb * 1048576.0);
    uint64_t lines = 0;
    while (bytes_done < target) {
        if (table)
            line_table();
        else
            one_line();
        lines++;
        if (emit_line(f) < 0)
            break;
    }
    if (flush_out(f) < 0 || (f != stdout ? fclose(f) : fflush(f)) != 0) {
        fprintf(stderr, "gen: %s: write error: %s\n", out_path, strerror(errno));
        return 2;
    }
    if (write_counts(counts_path, lines, seed) < 0) {
        fprintf(stderr, "gen: %s: %s\n", counts_path, strerror(errno));
        return 2;
    }
    return 0;
}
