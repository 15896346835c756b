/*
 * test_cjk.c -- CN_ADDRESS and PERSON_NAME: spans, structure rules, hard
 * negatives, window edges, \uXXXX-escaped JSON, and the tables.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cjk_int.h"
#include "piiscan.h"

static piiscan_ruleset *rs;

static void setup(void)
{
    char err[512];
    cr_assert_eq(piiscan_ruleset_new(&rs, err, sizeof err), 0, "%s", err);
}
static void teardown(void) { piiscan_ruleset_free(rs); }

typedef struct found {
    piiscan_type type;
    int n;
    char span[256];
    double conf;
} found;

static int collect(void *ud, const piiscan_finding *f)
{
    found *g = ud;
    if (f->type != g->type)
        return 0;
    if (g->n++ == 0) {
        snprintf(g->span, sizeof g->span, "%.*s", (int)f->value_len, (const char *)f->value);
        g->conf = f->confidence;
    }
    return 0;
}

static found scan_w(const char *s, piiscan_type t, size_t window)
{
    piiscan_scan_options o;
    piiscan_scan_options_init(&o);
    o.window_size = window;
    piiscan_scanner *sc;
    cr_assert_eq(piiscan_scanner_new(&sc, rs, &o), 0);
    found g = { .type = t };
    cr_assert_eq(piiscan_scan_buffer(sc, s, strlen(s), collect, &g), 0);
    piiscan_scanner_free(sc);
    return g;
}
static found scan(const char *s, piiscan_type t) { return scan_w(s, t, 1 << 20); }

static void expect_span(const char *text, piiscan_type t, const char *span)
{
    found g = scan(text, t);
    cr_expect(g.n == 1 && !strcmp(g.span, span), "%s in \"%s\": %d found, first \"%s\", want \"%s\"",
              piiscan_type_name(t), text, g.n, g.span, span);
}
static void expect_none(const char *text, piiscan_type t)
{
    found g = scan(text, t);
    cr_expect(g.n == 0, "%s in \"%s\": reported \"%s\"", piiscan_type_name(t), text, g.span);
}

TestSuite(cjk, .init = setup, .fini = teardown);

Test(cjk, tables)
{
    const pii_cjk *t = rs->cjk;
    cr_assert_not_null(t);
    long k = pii_cjk_lookup(t, (const uint8_t *)"朝阳区", strlen("朝阳区"));
    cr_assert_geq(k, 0);
    /* 朝阳区 is both Beijing's (110105) and Changchun's (220104). */
    bool bj = false, cc = false;
    for (uint32_t i = 0; i < t->names[k].ncodes; i++) {
        bj |= t->codes[t->names[k].first + i] == 110105;
        cc |= t->codes[t->names[k].first + i] == 220104;
    }
    cr_expect(bj && cc);
    cr_expect_geq(pii_cjk_lookup(t, (const uint8_t *)"广东", 6), 0);
    cr_expect_lt(pii_cjk_lookup(t, (const uint8_t *)"城区", 6), 0, "generic county names are left out");
    cr_expect_lt(pii_cjk_lookup(t, (const uint8_t *)"朝阳", 6), 0, "no county short forms");
    cr_expect_eq(pii_cjk_surname(t, 0x738B), PII_SURNAME_TOP);           /* 王 */
    cr_expect_eq(pii_cjk_surname(t, 0x8346), PII_SURNAME_RARE);          /* 荆 */
    cr_expect_eq(pii_cjk_surname(t, 0x7684), PII_SURNAME_NONE);          /* 的 */
    cr_expect(pii_cjk_compound(t, 0x6B27, 0x9633));                      /* 欧阳 */
    cr_expect(!pii_cjk_compound(t, 0x738B, 0x5C0F));
}

Test(cjk, address_spans)
{
    expect_span("广东省深圳市南山区科技园路12号", PIISCAN_CN_ADDRESS, "广东省深圳市南山区科技园路12号");
    expect_span("寄到：北京市朝阳区建国路88号院3号楼2单元501室，谢谢", PIISCAN_CN_ADDRESS,
                "北京市朝阳区建国路88号院3号楼2单元501室");
    expect_span("朝阳区建国路88号", PIISCAN_CN_ADDRESS, "朝阳区建国路88号");
    expect_span("\"广东 深圳市 南山区 科苑路15号\"", PIISCAN_CN_ADDRESS, "广东 深圳市 南山区 科苑路15号");
    expect_span("1,13800138000,湖北省武汉市洪山区珞喻路1037号,99.00", PIISCAN_CN_ADDRESS,
                "湖北省武汉市洪山区珞喻路1037号");
    expect_span("('张三','上海市浦东新区张江路88弄5号1202室')", PIISCAN_CN_ADDRESS, "上海市浦东新区张江路88弄5号1202室");
    expect_span("四川省成都市武侯区人民南路四段9号3栋2单元1502 电话", PIISCAN_CN_ADDRESS,
                "四川省成都市武侯区人民南路四段9号3栋2单元1502");
    expect_span("香港特别行政区九龙弥敦道123号", PIISCAN_CN_ADDRESS, "香港特别行政区九龙弥敦道123号");
    /* The phone after the house number is not part of the address. */
    expect_span("浙江省杭州市西湖区文三路90号13800138000", PIISCAN_CN_ADDRESS, "浙江省杭州市西湖区文三路90号");
}

Test(cjk, address_context)
{
    /* Weak structure: reported only with a key or hotword. */
    expect_span("地址：建国路88号", PIISCAN_CN_ADDRESS, "建国路88号");
    expect_none("建国路88号", PIISCAN_CN_ADDRESS);
    expect_span("address=北京市朝阳区建国路", PIISCAN_CN_ADDRESS, "北京市朝阳区建国路");
    expect_none("北京市朝阳区建国路发生交通事故", PIISCAN_CN_ADDRESS);
    found g = scan("收货地址：广东省深圳市南山区科技园路12号", PIISCAN_CN_ADDRESS);
    found h = scan("广东省深圳市南山区科技园路12号", PIISCAN_CN_ADDRESS);
    cr_expect(g.n == 1 && h.n == 1 && g.conf > h.conf, "a key raises confidence: %.2f vs %.2f", g.conf, h.conf);
}

Test(cjk, address_negatives)
{
    const char *neg[] = {
        "深圳市公安局南山分局", "北京市人民政府办公厅关于第3号文件的通知", "广东省深圳市腾讯计算机系统有限公司",
        "杭州市第一人民医院3号楼", "上海市浦东新区3号线地铁站", "南京市鼓楼区3月8号举行招聘会",
        "成都市武侯区第3号公告", "广东省深圳市南山区报道", "青岛啤酒500ml", "北京烤鸭礼盒2只装",
        "浙江省2023年GDP增长6.0%", "北京市朝阳区人民法院于3月5日公开审理此案", "城区建国路88号",
    };
    for (size_t i = 0; i < sizeof neg / sizeof *neg; i++)
        expect_none(neg[i], PIISCAN_CN_ADDRESS);
}

Test(cjk, address_escaped_json)
{
    /* "浙江省杭州市西湖区文三路90号" written by a JSON encoder that escapes non-ASCII. */
    const char *esc = "\\u6d59\\u6c5f\\u7701\\u676d\\u5dde\\u5e02\\u897f\\u6e56\\u533a\\u6587\\u4e09\\u8def90\\u53f7";
    char text[512];
    snprintf(text, sizeof text, "{\"id\":1,\"receiver_address\":\"%s\",\"x\":2}", esc);
    expect_span(text, PIISCAN_CN_ADDRESS, esc);
    expect_none("{\"t\":\"\\u6df1\\u5733\\u5e02\\u516c\\u5b89\\u5c40\"}", PIISCAN_CN_ADDRESS);   /* 深圳市公安局 */
}

Test(cjk, names)
{
    expect_span("姓名：张三", PIISCAN_PERSON_NAME, "张三");
    expect_span("{\"realName\":\"欧阳娜娜\",\"age\":3}", PIISCAN_PERSON_NAME, "欧阳娜娜");
    expect_span("你好，我叫王小明，订单还没到", PIISCAN_PERSON_NAME, "王小明");
    expect_span("我是张三啊", PIISCAN_PERSON_NAME, "张三");
    expect_span("收货人姓名：李四 电话13800138000", PIISCAN_PERSON_NAME, "李四");
    expect_span("\"consignee\": \"John Smith\"", PIISCAN_PERSON_NAME, "John Smith");
    expect_span("{\"name\":\"\\u5f20\\u4e09\"}", PIISCAN_PERSON_NAME, "\\u5f20\\u4e09");
    expect_span("联系人：荆轲", PIISCAN_PERSON_NAME, "荆轲");
}

Test(cjk, name_negatives)
{
    const char *neg[] = {
        "张三", "王小明今天来了", "今天王经理来了", "我是王者荣耀玩家", "收货人姓名：请填写", "我是中国人",
        "姓名：", "filename=Report Final.pdf", "hostname: Build Server", "username=zhangsan",
        "我是荆轲", /* a rare surname after the weakest hotword */
        "姓名：张某", "联系人：王先生",
    };
    for (size_t i = 0; i < sizeof neg / sizeof *neg; i++)
        expect_none(neg[i], PIISCAN_PERSON_NAME);
}

/* An address cut by a window edge is found exactly once, whole. */
Test(cjk, window_edges)
{
    static char buf[20000];
    const char *addr = "广东省深圳市南山区科技园路12号3栋2单元501室";
    for (size_t pad = 4000; pad < 4140; pad += 7) {
        memset(buf, 'x', pad);
        for (size_t j = 60; j < pad; j += 61)
            buf[j] = ' ';
        snprintf(buf + pad, sizeof buf - pad, "%s\n", addr);
        found g = scan_w(buf, PIISCAN_CN_ADDRESS, 4096);
        cr_expect(g.n == 1 && !strcmp(g.span, addr), "pad %zu: %d found, \"%s\"", pad, g.n, g.span);
    }
}
