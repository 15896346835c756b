#!/usr/bin/env python3
"""Generate the bundled sample corpus and its expected findings.

    python3 corpora/gen/make_sample.py [REPO_ROOT]

Writes corpora/sample/** (realistic nginx, logcat, telemetry, CSV, SQL dump,
chat and config files with FAKE but checksum-valid personal data) and
corpora/expected/sample.tsv (one line per finding the scanner must report at
the default confidence: path, 1-based line, TYPE, exact span bytes).

Why a generator: the expected spans must be exact byte for byte, and every
value must pass its checksum (MOD 11-2, Luhn, HKID, TW ID, MEID).  Each value
is recorded at the moment it is written, so the expected file cannot drift
from the corpus.  The build and CI do not run this script; the generated
files are committed.  It is deterministic (fixed seed): re-running it on an
unchanged script reproduces the committed files exactly.

The rules followed are those of the detection contract (what is reported,
span conventions).  In short:
  * always-reported types (checksummed IDs, phones, e-mail, IPs, MAC, ...) are
    expected wherever they appear;
  * key-only types (ANDROID_ID, IDFA, IDFV, GAID, OAID, MEID, IMSI, passports,
    permits, birth dates, 15-digit IDs, bare 12-hex MACs, IMEISV, ...) are
    expected only in an inline key form (key=value, "key":"value", ...) or
    after a hotword on the same line;
  * a value that only a CSV/SQL column header identifies (a birth date under
    `birthday`, a passport under `passport_no`, a name under `姓名`) is
    expected too: the header is its key (column context).  L() still marks
    a value as "not expected"; such values are listed as '#column-context'
    comment lines at the end of the expected file (none at present);
  * placeholders (all-zero ad ids, 02:00:00:00:00:00, the emulator position)
    and noise (timestamps, snowflake ids, hashes, UUIDs, versions, 400
    numbers, localhost) are never expected.

After writing, an independent re-detection pass ("lint") re-finds the
always-reported types with plain regular expressions and validators and
fails if it finds anything the expected list does not cover, so noise that
accidentally validates (e.g. a snowflake id that passes Luhn with a card
prefix) cannot slip in.  It also warns about hotwords that sit near values
not expected, for the hand review.
"""

import hashlib
import ipaddress
import os
import random
import re
import sys
import uuid

SEED = 20240315
R = random.Random(SEED)

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLE = os.path.join(ROOT, "corpora", "sample")
EXPECTED = os.path.join(ROOT, "corpora", "expected", "sample.tsv")

# ---------------------------------------------------------------- checksums


def luhn_sum(digits, base=10):
    total = 0
    for i, c in enumerate(reversed(digits)):
        v = int(c, base)
        if i % 2 == 1:
            v *= 2
            v = v // base + v % base
        total += v
    return total % base


def luhn_ok(s):
    return luhn_sum(s) == 0


def luhn_digit(body, base=10):
    ck = luhn_sum(body + "0", base)
    return "0123456789ABCDEF"[(base - ck) % base]


RIC_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def ric_check(body17):
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, RIC_W)) % 11]


def hkid_check(prefix, digits):
    vals = [36] if len(prefix) == 1 else []
    vals += [ord(c) - 55 for c in prefix] + [int(d) for d in digits]
    s = sum(v * w for v, w in zip(vals, range(9, 1, -1)))
    c = (11 - s % 11) % 11
    return "A" if c == 10 else str(c)


TW_LETTERS = {c: v for c, v in zip(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    [10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25,
     26, 27, 28, 29, 32, 30, 31, 33])}


def tw_ok(v):
    n = TW_LETTERS[v[0]]
    nums = [n // 10, n % 10] + [int(c) for c in v[1:]]
    return sum(a * b for a, b in zip(nums, [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1])) % 10 == 0


def hkid_shaped_valid(v):
    """Would a 9-char 2-letter+7-digit document number read as a valid HKID?"""
    m = re.fullmatch(r"([A-Z]{1,2})(\d{6})([0-9A])", v)
    return bool(m) and hkid_check(m.group(1), m.group(2)) == m.group(3)

# ---------------------------------------------------------------- generators


REGIONS = ["110105", "110108", "310104", "440305", "330106", "510107",
           "420106", "320102", "440106", "500103", "610113", "210102",
           "430104", "370202", "120101", "130102", "140105", "230103",
           "450103", "520102", "530102", "650102"]
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138",
                   "139", "150", "151", "152", "155", "156", "157", "158",
                   "159", "166", "173", "176", "177", "178", "180", "181",
                   "182", "183", "185", "186", "187", "188", "189", "198",
                   "199"]
AREA3 = ["010", "020", "021", "022", "023", "025", "027", "028", "029"]
AREA4 = ["0755", "0571", "0512", "0532", "0731", "0591", "0871", "0769"]
CN_V4_NETS = ["117.136", "223.104", "36.112", "111.206", "120.244", "183.192",
              "114.247", "60.191", "101.86", "39.144", "58.246", "124.64"]
OUIS = ["64:09:80", "f0:18:98", "28:6c:07", "3c:8c:40", "a4:50:46",
        "8c:be:be", "b8:27:eb", "48:3c:0c", "d4:61:9d", "ac:c1:ee"]


def digits(n):
    return "".join(R.choice("0123456789") for _ in range(n))


def hexs(n, upper=False):
    s = "".join(R.choice("0123456789abcdef") for _ in range(n))
    return s.upper() if upper else s


def rand_date(y0=1955, y1=2004):
    while True:
        y, m, d = R.randint(y0, y1), R.randint(1, 12), R.randint(1, 28)
        return y, m, d


def mobile():
    return R.choice(MOBILE_PREFIXES) + digits(8)


def id18(want_x=None):
    """18-char resident ID.  An all-digit ID must fail Luhn so that it can
    never also read as an 18-digit card number."""
    while True:
        y, m, d = rand_date()
        body = "%s%04d%02d%02d%s" % (R.choice(REGIONS), y, m, d, digits(3))
        v = body + ric_check(body)
        if want_x is not None and (v[-1] == "X") != want_x:
            continue
        if v[-1] != "X" and luhn_ok(v):
            continue
        return v


def id15():
    while True:
        y, m, d = rand_date(1940, 1979)
        v = "%s%02d%02d%02d%s" % (R.choice(REGIONS), y % 100, m, d, digits(3))
        if not luhn_ok(v):          # never an IMEI-shaped Luhn number
            return v


def landline(area=None, local_len=8):
    area = area or R.choice(AREA3 + AREA4)
    return area, str(R.randint(2, 8)) + digits(local_len - 1)


def card(prefix, length):
    body = prefix + digits(length - len(prefix) - 1)
    return body + luhn_digit(body)


def card_bad(prefix, length):
    while True:
        v = prefix + digits(length - len(prefix))
        if not luhn_ok(v):
            return v


def imei(rbi="86"):
    body = rbi + digits(12)
    return body + luhn_digit(body)


def imeisv():
    while True:
        v = "86" + digits(14)
        if not luhn_ok(v):
            return v


def iccid(length=20, op="00"):
    body = "8986" + op + digits(length - 7)
    return body + luhn_digit(body)


def imsi():
    return "460" + R.choice(["00", "01", "02", "03", "07", "11"]) + digits(10)


def meid(with_check=False):
    v = "%02X" % R.randint(0xA0, 0xFF) + hexs(12, upper=True)
    return v + luhn_digit(v, 16) if with_check else v


def android_id():
    while True:
        v = hexs(16)
        if re.search(r"[a-f]", v) and re.search(r"\d", v):
            return v


def uuid4():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def mac(sep=":", upper=False):
    v = R.choice(OUIS).split(":") + ["%02x" % R.randint(0, 255) for _ in range(3)]
    s = sep.join(v)
    return s.upper() if upper else s


def mac_bare():
    """12 hex digits as stored by many SDKs; with a letter, as almost all are."""
    while True:
        v = mac("").replace(":", "")
        if re.search(r"[a-f]", v):
            return v


def mac_dot():
    h = mac("").replace(":", "")
    return "%s.%s.%s" % (h[0:4], h[4:8], h[8:12])


def ipv4():
    return "%s.%d.%d" % (R.choice(CN_V4_NETS), R.randint(1, 254), R.randint(1, 254))


def ipv6(compressed_zero_run=False):
    net = R.choice(["2408:8456", "240e:3b4", "2409:8a1e", "2408:8207"])
    if compressed_zero_run:
        return str(ipaddress.IPv6Address(net + ":%x:%x::%x" % (
            R.randint(0x1000, 0xffff), R.randint(0x10, 0xfff), R.randint(1, 0xfff))))
    groups = ["%x" % R.randint(0x1000, 0xffff) for _ in range(6)]
    return str(ipaddress.IPv6Address(net + ":" + ":".join(groups)))


def email(local=None):
    first = R.choice(["zhang", "li", "wang", "liu", "chen", "yang", "zhao",
                      "huang", "zhou", "wu", "xu", "sun", "ma", "zhu", "hu"])
    given = R.choice(["wei", "fang", "na", "min", "jing", "lei", "qiang",
                      "yan", "jie", "tao", "ming", "chao", "xia", "hui"])
    dom = R.choice(["example.com", "example.cn", "mail.example.com",
                    "example.org", "corp.example.net"])
    local = local or R.choice(["%s.%s", "%s_%s", "%s%s%d"]).replace("%d", str(R.randint(1, 99))) % (given, first)
    return "%s@%s" % (local, dom)


def hkid(two_letters=False, parens=True):
    pre = "".join(R.choice("ABCDEGHKMPRVYZ") for _ in range(2 if two_letters else 1))
    d = digits(6)
    c = hkid_check(pre, d)
    return pre + d + ("(%s)" % c if parens else c)


def tw_id():
    while True:
        v = R.choice("ABCDEFGHJKLMNPQRSTUVXYWZIO") + R.choice("12") + digits(7)
        for c in "0123456789":
            if tw_ok(v + c):
                return v + c


NO_IO = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def doc_number(kind):
    while True:
        v = {
            "E8": lambda: "E" + digits(8),
            "EL7": lambda: "E" + R.choice(NO_IO) + digits(7),
            "G8": lambda: "G" + digits(8),
            "DE7": lambda: "DE" + digits(7),
            "SE7": lambda: "SE" + digits(7),
            "PE7": lambda: "PE" + digits(7),
            "C8": lambda: "C" + digits(8),
            "CL7": lambda: "C" + R.choice(NO_IO) + digits(7),
            "H8": lambda: "H" + digits(8),
            "H10": lambda: "H" + digits(10),
            "M8": lambda: "M" + digits(8),
            "M10": lambda: "M" + digits(10),
        }[kind]()
        if not hkid_shaped_valid(v):        # must not double as an HKID
            return v


def gps_lat():
    return "%.6f" % R.uniform(22.5, 40.5)


def gps_lng():
    return "%.6f" % R.uniform(103.5, 121.9)


def birth(form):
    y, m, d = rand_date(1960, 2004)
    return {
        "iso": "%04d-%02d-%02d" % (y, m, d),
        "slash": "%d/%d/%d" % (y, m, d),
        "dot": "%04d.%02d.%02d" % (y, m, d),
        "cn": "%d年%d月%d日" % (y, m, d),
        "compact": "%04d%02d%02d" % (y, m, d),
    }[form]


def mobile_form(form, m=None):
    m = m or mobile()
    sp = "%s %s %s" % (m[:3], m[3:7], m[7:])
    return {
        "plain": m,
        "+86": "+86" + m,
        "+86 ": "+86 " + m,
        "0086": "0086" + m,
        "0086-": "0086-" + m,
        "86-": "86-" + m,
        "(+86)": "(+86)" + m,
        "(86)": "(86)" + m,
        "spaces": sp,
        "dashes": "%s-%s-%s" % (m[:3], m[3:7], m[7:]),
        "+86 spaces": "+86 " + sp,
        "fullwidth": "".join(chr(0xFF10 + int(c)) for c in m),
    }[form]


# noise ------------------------------------------------------------------

def epoch_ms():
    return str(R.randint(1710400000000, 1710599999999))


def epoch_s():
    return str(R.randint(1710400000, 1710599999))


def snowflake():
    return "17" + digits(17)


def md5():
    return hashlib.md5(digits(20).encode()).hexdigest()


def sha1():
    return hashlib.sha1(digits(20).encode()).hexdigest()


def sha256():
    return hashlib.sha256(digits(20).encode()).hexdigest()


def ean13():
    """A Chinese EAN-13 barcode (69x prefix) that does not also pass Luhn."""
    while True:
        body = "69" + digits(10)
        ck = (10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body)) % 10) % 10
        if not luhn_ok(body + str(ck)):
            return body + str(ck)


def span_id():
    return hexs(16)

# ---------------------------------------------------------------- documents


class F:
    """A value written into the corpus.  later=True: present but only a
    column header identifies it (not expected until column context lands)."""

    def __init__(self, typ, value, form=None, later=False):
        self.typ, self.value, self.form, self.later = typ, value, form, later


def L(typ, value, form=None):
    return F(typ, value, form, later=True)


FORMS_SEEN = set()
DOCS = []


class Doc:
    def __init__(self, rel):
        self.rel = rel
        self.lines = []
        self.found = []     # (line, start, type, value)
        self.later = []
        DOCS.append(self)

    def add(self, *parts):
        buf = b""
        lineno = len(self.lines) + 1
        for p in parts:
            if isinstance(p, str):
                buf += p.encode()
                continue
            v = p.value.encode()
            rec = (lineno, len(buf), p.typ, p.value)
            (self.later if p.later else self.found).append(rec)
            if p.form and not p.later:
                FORMS_SEEN.add((p.typ, p.form))
            buf += v
        assert b"\n" not in buf
        self.lines.append(buf)

    def write(self):
        path = os.path.join(SAMPLE, self.rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(b"".join(line + b"\n" for line in self.lines))


def js(v):
    """Render a Python structure as compact JSON parts; F leaves are
    string values unless their value looks numeric (GPS), then bare."""
    if isinstance(v, F):
        if re.fullmatch(r"-?\d+\.\d+", v.value):
            return [v]
        return ['"', v, '"']
    if isinstance(v, dict):
        out = ["{"]
        for i, (k, x) in enumerate(v.items()):
            if i:
                out.append(",")
            out.append('"%s":' % k)
            out += js(x)
        return out + ["}"]
    if isinstance(v, bool):
        return ["true" if v else "false"]
    if v is None:
        return ["null"]
    if isinstance(v, (int, float)):
        return [str(v)]
    if isinstance(v, str):
        return ['"%s"' % v.replace("\\", "\\\\").replace('"', '\\"')]
    raise TypeError(v)


def place(n, specials):
    """Spread the special items over n lines; None marks a noise line."""
    slots = sorted(R.sample(range(n), len(specials)))
    out = [None] * n
    for s, item in zip(slots, specials):
        out[s] = item
    return out

# ---------------------------------------------------------------- nginx


UAS = [
    "Mozilla/5.0 (Linux; Android 13; V2219A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.5845.163 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.44(0x18002c2f) NetType/WIFI Language/zh_CN",
    "ShopApp/5.12.3 (Android 13; Xiaomi 2211133C) okhttp/4.11.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.160 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
]
IOS_UA = "ShopApp/5.12.3 (iPhone15,2; iOS 17.1.2; Scale/3.00)"


def nginx():
    d = Doc("nginx/access.log")
    clients = [ipv4() for _ in range(10)] + ["192.168.31.%d" % R.randint(2, 250),
                                            "10.12.%d.%d" % (R.randint(1, 250), R.randint(2, 250))]
    v6clients = [ipv6(), ipv6(compressed_zero_run=True)]
    sec = [36 * 3600 + 0]

    def ts():
        sec[0] += R.randint(0, 7)
        s = sec[0]
        return "15/Mar/2024:%02d:%02d:%02d +0800" % (s // 3600 % 24, s // 60 % 60, s % 60)

    def line(ip, req, status, ref, ua, size=None):
        ipart = [F("IPV6" if ":" in ip else "IPV4", ip)] if ip != "127.0.0.1" else ["127.0.0.1"]
        size = size if size is not None else R.randint(120, 48000)
        d.add(*ipart, " - - [%s] \"" % ts(), *req,
              " HTTP/1.1\" %d %d \"%s\" \"%s\"" % (status, size, ref, ua))

    specials = [
        ["GET /api/v1/device/register?imei=", F("IMEI", imei("86")), "&oaid=",
         F("OAID", uuid4(), "uuid"), "&androidId=", F("ANDROID_ID", android_id()), "&os=android&ver=5.12.3"],
        ["POST /api/v1/sms/send?phone=", F("CN_MOBILE", mobile(), "plain"), "&scene=login&ts=" + epoch_ms()],
        ["GET /api/v1/ad/track?idfa=", F("IDFA", uuid4().upper()), "&idfv=", F("IDFV", uuid4().upper()), "&event=install"],
        ["GET /api/v1/ad/track?adid=", F("GAID", uuid4()), "&event=click&campaign=spring_sale_2024"],
        ["GET /api/v2/poi/nearby?location=", F("GPS", "%s,%s" % (gps_lng(), gps_lat()), "lng,lat"), "&radius=1000&types=050000"],
        ["GET /ws/geocoder/v1/?location=", F("GPS", "%s,%s" % (gps_lat(), gps_lng()), "lat,lng"), "&get_poi=0"],
        ["POST /api/v1/profile/update?dob=", F("BIRTH_DATE", birth("compact"), "compact"), "&gender=f"],
        ["GET /api/v1/newsletter/subscribe?email=", F("EMAIL", email()), "&list=weekly"],
        ["GET /api/v1/device/register?imei=", F("IMEI", imei("35")), "&oaid=",
         F("OAID", hexs(16), "hex16"), "&os=android&ver=5.12.2"],
        ["GET /api/v1/ad/track?idfa=00000000-0000-0000-0000-000000000000&idfv=",
         F("IDFV", uuid4().upper()), "&event=open"],
        ["POST /api/v1/device/report?mac=", F("MAC", mac_bare(), "bare12"),
         "&bssid=", F("MAC", mac(), "colon"), "&rssi=-61"],
        ["GET /api/v1/sim/activate?iccid=", F("ICCID", iccid(20, "01"), "20"), "&subscriber_id=", F("IMSI", imsi()), "&slot=1"],
        ["GET /api/v1/user/check?phone=", F("CN_MOBILE", mobile(), "plain"), "&ts=" + epoch_ms()],
        ["GET /api/v1/weather?lat=", F("GPS", "%.4f" % R.uniform(22.5, 40.5), "key"),
         "&lon=", F("GPS", "%.4f" % R.uniform(103.5, 121.9), "key"), "&lang=zh_CN"],
        ["GET /api/v1/ad/conversion?gaid=00000000-0000-0000-0000-000000000000&oaid=",
         F("OAID", hexs(32), "hex32"), "&type=activate"],
        ["POST /api/v1/contact/callback?tel=", F("CN_LANDLINE", "".join(landline("010")), "bare-key"), "&time=evening"],
    ]
    plan = place(150, specials)
    ios = {2, 9}
    noise_paths = [
        lambda: "GET /api/v1/feed?page=%d&size=20&trace_id=%s" % (R.randint(1, 9), uuid4()),
        lambda: "GET /static/js/app.%s.js" % md5()[:8],
        lambda: "GET /api/v1/orders/%s" % uuid4(),
        lambda: "GET /api/v1/items/%d?from=share&uid=%s" % (R.randint(100000, 999999), snowflake()),
        lambda: "POST /api/v1/cart/add?sku=SKU%s&qty=%d" % (digits(8), R.randint(1, 3)),
        lambda: "GET /api/v1/config?ts=%s&sign=%s" % (epoch_ms(), md5()),
        lambda: "GET /images/banner/%s.webp" % sha1(),
        lambda: "GET /api/v1/search?q=%E6%89%8B%E6%9C%BA&page=1",
        lambda: "GET /favicon.ico",
        lambda: "POST /api/v1/log/upload?session_id=%s&seq=%d" % (uuid4(), R.randint(1, 500)),
    ]
    for i, sp in enumerate(plan):
        if sp is None and R.random() < 0.3:
            line("127.0.0.1", ["GET /healthz"], 200, "-", "kube-probe/1.27", 2)
            continue
        ip = R.choice(v6clients) if R.random() < 0.08 else R.choice(clients)
        if sp is None:
            ref = R.choice(["-", "https://m.shop.example.com/", "https://m.shop.example.com/item/%d" % R.randint(1000, 99999)])
            line(ip, [R.choice(noise_paths)()], R.choice([200, 200, 200, 304, 404, 499, 502]), ref, R.choice(UAS))
        else:
            ua = IOS_UA if specials.index(sp) in ios else R.choice([UAS[0], UAS[2]])
            line(ip, sp, 200, "-", ua)
    # make sure both IPv6 client forms occur at least once
    line(v6clients[0], ["GET /api/v1/feed?page=1&size=20"], 200, "-", UAS[0])
    line(v6clients[1], ["GET /api/v1/feed?page=2&size=20"], 200, "-", UAS[0])
    return d

# ---------------------------------------------------------------- logcat


def logcat():
    d = Doc("android/logcat.txt")
    t = [10 * 3600 * 1000 + 23 * 60000]
    pids = {"app": (R.randint(10000, 32000),), "sys": (1523,), "radio": (2811,)}

    def pre(level, tag, who="app"):
        t[0] += R.randint(1, 900)
        ms = t[0]
        pid = pids[who][0]
        tid = pid if R.random() < 0.5 else pid + R.randint(1, 60)
        return "03-15 %02d:%02d:%02d.%03d %5d %5d %s %-8s: " % (
            ms // 3600000 % 24, ms // 60000 % 60, ms // 1000 % 60, ms % 1000, pid, tid, level, tag)

    s = [
        lambda: [pre("D", "DeviceInfo"), "imei: ", F("IMEI", imei("86"))],
        lambda: [pre("D", "DeviceInfo"), "imei: null (READ_PHONE_STATE denied)"],
        lambda: [pre("D", "DeviceInfo"), "androidId=", F("ANDROID_ID", android_id()), " sdk=33"],
        lambda: [pre("I", "MsaSdk"), "OnSupport isSupport=true, oaid=", F("OAID", hexs(64), "hex64")],
        lambda: [pre("I", "MsaSdk"), "OnSupport isSupport=false, oaid=00000000-0000-0000-0000-000000000000"],
        lambda: [pre("D", "WifiHelper"), "wifi_mac=", F("MAC", mac_bare(), "bare12"), " ssid=\"Office-5G\""],
        lambda: [pre("D", "WifiHelper"), "wifi_mac=02:00:00:00:00:00 (restricted since Android 6)"],
        lambda: [pre("I", "WifiStateMachine", "sys"), "Connecting to bssid=", F("MAC", mac(), "colon"), " freq=5745"],
        lambda: [pre("D", "BtManager", "sys"), "bt_mac: ", F("MAC", mac(":", upper=True), "colon-upper"), " bonded=true"],
        lambda: [pre("D", "LocationMgr"), "onLocationChanged lat=", F("GPS", gps_lat(), "key"), " lng=", F("GPS", gps_lng(), "key"), " accuracy=12.0"],
        lambda: [pre("I", "GnssLocationProvider", "sys"), "reportLocation latitude=", F("GPS", "%.5f" % R.uniform(22.5, 40.5), "key"), " longitude=", F("GPS", "%.5f" % R.uniform(103.5, 121.9), "key"), " hasSpeed=false"],
        lambda: [pre("I", "LocationMgr"), "Location[fused ", F("GPS", "%s,%s" % (gps_lat(), gps_lng()), "lat,lng"), " hAcc=15.0 et=+2d3h4m5s678ms alt=43.2 vel=0.0]"],
        lambda: [pre("D", "LocationMgr"), "using mock provider 37.4219983,-122.084 (emulator default)"],
        lambda: [pre("I", "TelephonyMgr", "radio"), "subscriberId=", F("IMSI", imsi()), " mcc=460"],
        lambda: [pre("I", "RILJ", "radio"), "SIM loaded, IMSI ", F("IMSI", imsi()), " spn=CMCC"],
        lambda: [pre("I", "python"), "device_info={'imsi': '", F("IMSI", imsi()), "', 'model': 'V2219A'}"],
        lambda: [pre("D", "TelephonyMgr", "radio"), "meid=", F("MEID", meid()), " phoneType=2"],
        lambda: [pre("I", "RILJ", "radio"), "MEID: ", F("MEID", meid(with_check=True), "check"), " ESN: 80A1B2C3"],
        lambda: [pre("D", "TelephonyMgr", "radio"), "iccid=", F("ICCID", "89860" + "3" + digits(9) + "B" + digits(3) + "F", "alnum-key")],
        lambda: [pre("D", "TelephonyMgr", "radio"), "sim_serial=", F("ICCID", iccid(19, "11"), "19")],
        lambda: [pre("I", "LoginVM"), "login success user_phone=", F("CN_MOBILE", mobile_form("+86"), "+86"), " uid=" + snowflake()],
        lambda: [pre("D", "OkHttp"), '{"android_id":"', F("ANDROID_ID", android_id()), '","gaid":"', F("GAID", uuid4()), '","ts":' + epoch_ms() + "}"],
        lambda: [pre("I", "ConnectivityService", "sys"), "LinkProperties{InterfaceName: wlan0 LinkAddresses: [ ", F("IPV6", "fe80::%x:%x:%x:%x" % (R.randint(0x100, 0xfff), R.randint(0x1000, 0xffff), R.randint(0x1000, 0xffff), R.randint(0x1000, 0xffff)), "zone"), "%wlan0/64,", F("IPV4", "192.168.31.%d" % R.randint(2, 250)), "/24 ] DnsAddresses: [ /", F("IPV4", "223.5.5.5"), " ] Domains: null MTU: 0}"],
        lambda: [pre("I", "AccountMgr"), "added account ", F("EMAIL", email()), " type=com.example.shop"],
        lambda: [pre("D", "KycVerify"), "sfz=", F("CN_RESIDENT_ID", id15(), "15-key"), " status=legacy"],
        lambda: [pre("D", "KycVerify"), "idCard: ", F("CN_RESIDENT_ID", id18(), "18"), " verified=true"],
        lambda: [pre("I", "Settings", "sys"), "imei_display=", F("IMEI", (lambda v: "%s-%s-%s-%s" % (v[:2], v[2:8], v[8:14], v[14]))(imei("35")), "dashed")],
        lambda: [pre("D", "DeviceInfo"), "imeisv=", F("IMEI", imeisv(), "imeisv-key")],
        lambda: [pre("D", "DeviceInfo"), "ssaid=", F("ANDROID_ID", android_id())],
        lambda: [pre("I", "Profile"), "birth_date=", F("BIRTH_DATE", birth("dot"), "dot"), " gender=1"],
        lambda: [pre("D", "DhcpClient", "sys"), "Received ACK: ip=", F("IPV4", "192.168.31.%d" % R.randint(2, 250)), " lease=86400 dns=", F("IPV4", "192.168.31.1")],
    ]
    noise = [
        lambda: [pre("I", "ActivityManager", "sys"), "Start proc %d:com.example.shop/u0a%d for activity {com.example.shop/com.example.shop.MainActivity}" % (R.randint(10000, 32000), R.randint(100, 400))],
        lambda: [pre("D", "OkHttp"), "--> GET https://api.shop.example.com/v1/config?ts=%s" % epoch_ms()],
        lambda: [pre("D", "OkHttp"), "<-- 200 https://api.shop.example.com/v1/feed?page=%d (%dms, %d-byte body)" % (R.randint(1, 9), R.randint(20, 900), R.randint(100, 90000))],
        lambda: [pre("D", "Tracer"), "trace_id=%s span_id=%s parent=%s" % (uuid4(), span_id(), span_id())],
        lambda: [pre("I", "Choreographer"), "Skipped %d frames!  The application may be doing too much work on its main thread." % R.randint(30, 90)],
        lambda: [pre("W", "System.err"), "\tat com.example.shop.net.ApiClient.execute(ApiClient.kt:%d)" % R.randint(40, 400)],
        lambda: [pre("E", "ApiClient"), "java.net.SocketTimeoutException: timeout after %dms, request_id=%s" % (R.choice([5000, 10000, 15000]), uuid4())],
        lambda: [pre("I", "ActivityTaskManager", "sys"), "Displayed com.example.shop/.ui.HomeActivity: +%dms" % R.randint(200, 1500)],
        lambda: [pre("V", "FA"), "Session started, time: %s" % epoch_ms()],
        lambda: [pre("I", "chatty", "sys"), "uid=10%d(com.example.shop) RenderThread identical %d lines" % (R.randint(100, 400), R.randint(2, 9))],
        lambda: [pre("D", "Glide"), "Finished loading BitmapDrawable from REMOTE for https://img.example.com/%s.jpg" % md5()],
        lambda: [pre("I", "Build", "sys"), "fingerprint=Xiaomi/fuxi/fuxi:13/TKQ1.221114.001/V14.0.23.0.TMCCNXM:user/release-keys"],
        lambda: [pre("D", "Cache"), "evicted key=%s size=%d" % (sha256(), R.randint(1000, 900000))],
        lambda: [pre("I", "Update"), "current versionName=5.12.3 versionCode=%d latest=5.13.0" % R.randint(2024000000, 2024999999)],
        lambda: [pre("D", "WebView"), "Chromium 116.0.5845.163, kernel 5.10.168-android12-9-00003-gd2b7f4a3c1e2"],
        lambda: [pre("D", "Push"), "register ok token=%s expires=%s" % (sha1(), epoch_s())],
        lambda: [pre("I", "OrderVM"), "order created order_no=%s amount=%d.%02d coupon=SPRING%d" % (snowflake(), R.randint(9, 999), R.randint(0, 99), R.randint(10, 99))],
        lambda: [pre("D", "Perf"), "cold_start_ms=%d heap=%dMB gc_count=%d" % (R.randint(400, 2500), R.randint(40, 512), R.randint(1, 40))],
    ]
    plan = place(190, s)
    for item in plan:
        d.add(*(item or R.choice(noise))())
    return d

# ---------------------------------------------------------------- telemetry


def telemetry():
    d = Doc("telemetry/events.jsonl")
    base_ts = [1710469425123]

    def common(event):
        base_ts[0] += R.randint(50, 40000)
        return {"ts": base_ts[0], "event": event, "session_id": uuid4(),
                "trace_id": uuid4(), "app": {"version": "5.12.3", "build": 51203}}

    def android_device(placeholders=False):
        dev = {"os": "android", "os_version": "13", "model": R.choice(["V2219A", "2211133C", "NOH-AN00", "PGT-AN10"])}
        if placeholders:
            dev.update({"oaid": "00000000-0000-0000-0000-000000000000", "mac": "02:00:00:00:00:00",
                        "imei": "", "android_id": F("ANDROID_ID", android_id())})
        else:
            dev.update({"imei": F("IMEI", imei("86")), "oaid": F("OAID", uuid4(), "uuid"),
                        "android_id": F("ANDROID_ID", android_id()), "gaid": F("GAID", uuid4()),
                        "mac": F("MAC", mac(), "colon"), "imsi": F("IMSI", imsi()),
                        "iccid": F("ICCID", iccid(20, "00"), "20")})
        return dev

    specials = [
        lambda: dict(common("app_start"), device=android_device()),
        lambda: dict(common("app_start"), device=android_device(placeholders=True)),
        lambda: dict(common("app_start"), device={"os": "ios", "os_version": "17.1.2", "model": "iPhone15,2",
                                                   "idfa": F("IDFA", uuid4().upper()), "idfv": F("IDFV", uuid4().upper())}),
        lambda: dict(common("app_start"), device={"os": "ios", "os_version": "16.6", "model": "iPhone13,3",
                                                   "idfa": "00000000-0000-0000-0000-000000000000",
                                                   "idfv": F("IDFV", uuid4().upper())}),
        lambda: dict(common("app_start"), device={"os": "android", "model": "NOH-AN00", "meid": F("MEID", meid()),
                                                   "imei": F("IMEI", imei("86")), "google_ad_id": F("GAID", uuid4())}),
        lambda: dict(common("login"), user={"id": int(snowflake()), "phone": F("CN_MOBILE", mobile(), "plain"),
                                             "email": F("EMAIL", email()), "id_card": F("CN_RESIDENT_ID", id18(want_x=True), "18X"),
                                             "birthday": F("BIRTH_DATE", birth("iso"), "iso")}),
        lambda: dict(common("register"), user={"id": int(snowflake()), "phone": F("CN_MOBILE", mobile_form("+86 "), "+86 "),
                                                "email": F("EMAIL", mobile() + "@163.com", "phone-local"),
                                                "id_card": F("CN_RESIDENT_ID", id15(), "15-key"),
                                                "birthDate": F("BIRTH_DATE", birth("slash"), "slash")}),
        lambda: dict(common("location"), geo={"lat": F("GPS", gps_lat(), "key"), "lng": F("GPS", gps_lng(), "key"),
                                               "accuracy": 18.5, "provider": "fused"}),
        lambda: dict(common("poi_click"), poi={"id": "B0FFG" + hexs(5, upper=True), "location": F("GPS", "%s,%s" % (gps_lng(), gps_lat()), "lng,lat")}),
        lambda: dict(common("location"), geo={"location": F("GPS", "-33.868820, 151.209290", "pair-space-neg"), "source": "gps"}),
        lambda: dict(common("kyc_submit"), user={"id": int(snowflake()), "passport_no": F("CN_PASSPORT", doc_number("SE7"), "SE7"),
                                                  "permit_no": F("HK_MACAU_PERMIT", doc_number("M10"), "M10")}),
        lambda: dict(common("kyc_submit"), user={"id": int(snowflake()), "idCard": F("CN_RESIDENT_ID", id18(), "18"),
                                                  "passport": F("CN_PASSPORT", doc_number("PE7"), "PE7")}),
        lambda: dict(common("ad_attribution"), device={"os": "android", "advertising_id": F("GAID", uuid4()),
                                                        "oaid": F("OAID", hexs(64), "hex64"), "deviceImei": F("IMEI", imei("86"))}),
        lambda: dict(common("emulator_check"), geo={"location": "37.4219983,-122.084", "mock": True}),
        lambda: dict(common("app_start"), device={"os": "android", "model": "PGT-AN10",
                                                   "wifi_mac": F("MAC", mac_bare(), "bare12"),
                                                   "imsi": F("IMSI", imsi()), "meid": F("MEID", meid())}),
        lambda: dict(common("pay_bind"), user={"id": int(snowflake()), "card_no": F("BANK_CARD", card_bad("622848", 19), "up-luhn-fail-key"),
                                                "mobile": F("CN_MOBILE", mobile(), "plain")}),
        lambda: dict(common("network"), net={"client_ip": F("IPV4", ipv4()), "ipv6": F("IPV6", ipv6(compressed_zero_run=True)), "rtt_ms": 43}),
    ]
    noise = [
        lambda: dict(common("page_view"), user_id=int(snowflake()), page=R.choice(["/home", "/cart", "/item/detail", "/me"]),
                     duration_ms=R.randint(100, 60000), net=R.choice(["wifi", "4g", "5g"])),
        lambda: dict(common("click"), element_id="btn_%s" % R.choice(["buy", "share", "fav", "coupon"]), x=R.randint(0, 1080), y=R.randint(0, 2400)),
        lambda: dict(common("api_latency"), endpoint="/api/v1/feed", status=200, latency_ms=R.randint(20, 900), request_id=uuid4(), span_id=span_id()),
        lambda: dict(common("order_paid"), order_no=snowflake(), amount=round(R.uniform(9, 999), 2), currency="CNY", sku="SKU" + digits(8)),
        lambda: dict(common("crash"), exception="java.lang.NullPointerException", stack_md5=md5(), os_build="TKQ1.221114.001", build_id=sha1()),
        lambda: dict(common("heartbeat"), uptime_s=R.randint(1, 86400), battery=R.randint(5, 100), ts_s=int(epoch_s())),
    ]
    plan = place(110, specials)
    for item in plan:
        d.add(*js((item or R.choice(noise))()))
    return d

# ---------------------------------------------------------------- CSV


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "强", "洋", "艳", "杰", "涛", "明", "超", "霞", "辉", "婷", "军", "丽"]


def cn_name():
    return R.choice(SURNAMES) + "".join(R.choice(GIVEN) for _ in range(R.choice([1, 2])))


def customers():
    d = Doc("exports/customers.csv")
    d.add("customer_id,姓名,mobile,身份证号,email,bank_card,birthday,座机,passport_no,vip_level,created_at,total_spent,备注")
    notes = [
        lambda: ['"客户护照号', F("CN_PASSPORT", doc_number("E8"), "E8"), '，已核验"'],
        lambda: ['"生日', F("BIRTH_DATE", birth("iso"), "iso"), '，送券"'],
        lambda: ['"回乡证 ', F("HK_MACAU_PERMIT", doc_number("H8"), "H8"), '"'],
        lambda: ['"香港身份证', F("HKID", hkid(two_letters=True, parens=True), "2letter-parens"), '"'],
        lambda: ['"分机 转', str(R.randint(100, 899)), '，工作日联系"'],
        lambda: ['"银行卡 ', F("BANK_CARD", (lambda c: " ".join([c[0:4], c[4:8], c[8:12], c[12:16]]))(card("4", 16)), "4-4-4-4-space"), '"'],
    ]
    note_rows = set(R.sample(range(60), len(notes)))
    note_iter = iter(notes)
    land_forms = ["dash", "space4", "paren3", "paren4sp", "ext", "dash7"]
    for i in range(60):
        row = [str(100200 + i), [F("PERSON_NAME", cn_name())]]
        row.append([F("CN_MOBILE", mobile(), "plain")] if R.random() < 0.75 else [])
        row.append([F("CN_RESIDENT_ID", id18(want_x=R.random() < 0.3), "18")] if R.random() < 0.3 else [])
        row.append([F("EMAIL", email())] if R.random() < 0.35 else [])
        if R.random() < 0.2:
            row.append([F("BANK_CARD", R.choice([card("622202", 19), card("621700", 19), card("622588", 16), card("51", 16)]), "plain")])
        else:
            row.append([])
        row.append([F("BIRTH_DATE", birth("iso"), "iso")] if R.random() < 0.3 else [])
        if land_forms and R.random() < 0.3:
            form = land_forms.pop(0)
            if form == "dash":
                a, n = landline(R.choice(AREA3))
                row.append([F("CN_LANDLINE", a + "-" + n, "dash")])
            elif form == "space4":
                a, n = landline(R.choice(AREA4))
                row.append([F("CN_LANDLINE", a + " " + n, "space")])
            elif form == "paren3":
                a, n = landline("021")
                row.append([F("CN_LANDLINE", "(%s)%s" % (a, n), "paren")])
            elif form == "paren4sp":
                a, n = landline("0755")
                row.append(['"', F("CN_LANDLINE", "(%s) %s" % (a, n), "paren-space"), '"'])
            elif form == "ext":
                a, n = landline("010")
                row.append([F("CN_LANDLINE", a + "-" + n, "dash"), "-%d" % R.randint(100, 899)])
            else:
                a, n = landline("0571", 7)
                row.append([F("CN_LANDLINE", a + "-" + n, "7-digit")])
        else:
            row.append([])
        row.append([F("CN_PASSPORT", doc_number(R.choice(["E8", "EL7", "G8"])))] if R.random() < 0.12 else [])
        row.append([R.choice(["普通", "银卡", "金卡", "钻石"])])
        row.append(["2023-%02d-%02d %02d:%02d:%02d" % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))])
        row.append(["%d.%02d" % (R.randint(0, 30000), R.randint(0, 99))])
        row.append(next(note_iter)() if i in note_rows else [])
        parts = []
        for j, cell in enumerate(row):
            if j:
                parts.append(",")
            parts += cell if isinstance(cell, list) else [cell]
        d.add(*parts)
    return d

# ---------------------------------------------------------------- mysqldump


def shop_sql():
    d = Doc("dumps/shop.sql")
    for s in ["-- MySQL dump 10.13  Distrib 8.0.35, for Linux (x86_64)", "--",
              "-- Host: localhost    Database: shop",
              "-- ------------------------------------------------------",
              "-- Server version\t8.0.35", "",
              "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;",
              "/*!50503 SET NAMES utf8mb4 */;",
              "/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;",
              "/*!40103 SET TIME_ZONE='+00:00' */;",
              "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;",
              "/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;", ""]:
        d.add(s)

    def table(name, cols, extra):
        d.add("--")
        d.add("-- Table structure for table `%s`" % name)
        d.add("--")
        d.add("")
        d.add("DROP TABLE IF EXISTS `%s`;" % name)
        d.add("/*!40101 SET @saved_cs_client     = @@character_set_client */;")
        d.add("/*!50503 SET character_set_client = utf8mb4 */;")
        d.add("CREATE TABLE `%s` (" % name)
        for c in cols:
            d.add("  " + c + ",")
        for i, e in enumerate(extra):
            d.add("  " + e + ("," if i < len(extra) - 1 else ""))
        d.add(") ENGINE=InnoDB AUTO_INCREMENT=%d DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;" % R.randint(1000, 90000))
        d.add("/*!40101 SET character_set_client = @saved_cs_client */;")
        d.add("")
        d.add("--")
        d.add("-- Dumping data for table `%s`" % name)
        d.add("--")
        d.add("")
        d.add("LOCK TABLES `%s` WRITE;" % name)
        d.add("/*!40000 ALTER TABLE `%s` DISABLE KEYS */;" % name)

    def end(name):
        d.add("/*!40000 ALTER TABLE `%s` ENABLE KEYS */;" % name)
        d.add("UNLOCK TABLES;")
        d.add("")

    def inserts(name, rows, per=5):
        for k in range(0, len(rows), per):
            parts = ["INSERT INTO `%s` VALUES " % name]
            for j, r in enumerate(rows[k:k + per]):
                if j:
                    parts.append(",")
                parts.append("(")
                for n, cell in enumerate(r):
                    if n:
                        parts.append(",")
                    parts += cell if isinstance(cell, list) else [cell]
                parts.append(")")
            parts.append(";")
            d.add(*parts)

    q = lambda f: ["'", f, "'"]   # noqa: E731
    table("products", ["`id` bigint NOT NULL AUTO_INCREMENT", "`sku` varchar(32) NOT NULL",
                       "`title` varchar(255) NOT NULL", "`price` decimal(10,2) NOT NULL",
                       "`stock` int NOT NULL DEFAULT '0'", "`barcode` varchar(20) DEFAULT NULL",
                       "`updated_at` datetime NOT NULL"],
          ["PRIMARY KEY (`id`)", "UNIQUE KEY `uk_sku` (`sku`)"])
    titles = ["无线蓝牙耳机", "快充数据线 1m", "保温杯 500ml", "机械键盘 87键", "运动手环", "充电宝 20000mAh",
              "手机壳", "钢化膜", "USB-C 扩展坞", "智能台灯"]
    rows = []
    for i in range(15):
        rows.append([str(i + 1), "'SKU%s'" % digits(8), "'%s'" % R.choice(titles),
                     "%d.%02d" % (R.randint(9, 899), R.randint(0, 99)), str(R.randint(0, 5000)),
                     "'%s'" % ean13(), "'2024-03-%02d %02d:%02d:%02d'" % (R.randint(1, 14), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))])
    inserts("products", rows)
    end("products")

    table("users", ["`id` bigint NOT NULL", "`nickname` varchar(64) DEFAULT NULL",
                    "`mobile` varchar(20) DEFAULT NULL", "`email` varchar(128) DEFAULT NULL",
                    "`id_card` char(18) DEFAULT NULL", "`birthday` date DEFAULT NULL",
                    "`reg_ip` varchar(45) DEFAULT NULL", "`device_imei` varchar(16) DEFAULT NULL",
                    "`callback_params` varchar(512) DEFAULT NULL", "`created_at` datetime NOT NULL"],
          ["PRIMARY KEY (`id`)", "KEY `idx_mobile` (`mobile`)"])
    rows = []
    cb = [
        lambda: ["'channel=huawei&oaid=", F("OAID", uuid4(), "uuid"), "&click_id=", md5(), "'"],
        lambda: ["'channel=appstore&idfa=", F("IDFA", uuid4().upper()), "&click_id=", md5(), "'"],
        lambda: ["'channel=oppo&oaid=00000000-0000-0000-0000-000000000000&click_id=", md5(), "'"],
        lambda: ["'channel=xiaomi&imei=", F("IMEI", imei("86")), "&androidid=", F("ANDROID_ID", android_id()), "'"],
    ]
    cb_rows = set(R.sample(range(15), len(cb)))
    cbi = iter(cb)
    for i in range(15):
        ip = ipv6() if i == 7 else ipv4()
        rows.append([snowflake(), "'%s'" % R.choice(["小鱼", "momo", "阿杰", "Tina", "老王", "星星"]),
                     q(F("CN_MOBILE", mobile(), "plain")),
                     q(F("EMAIL", email())) if R.random() < 0.6 else "NULL",
                     q(F("CN_RESIDENT_ID", id18(), "18")) if R.random() < 0.5 else "NULL",
                     q(F("BIRTH_DATE", birth("iso"), "iso")) if R.random() < 0.5 else "NULL",
                     q(F("IPV6" if ":" in ip else "IPV4", ip)),
                     q(F("IMEI", imei("86"))) if R.random() < 0.3 else "NULL",
                     next(cbi)() if i in cb_rows else "NULL",
                     "'2024-0%d-%02d %02d:%02d:%02d'" % (R.randint(1, 3), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))])
    inserts("users", rows)
    end("users")

    table("orders", ["`order_no` varchar(32) NOT NULL", "`user_id` bigint NOT NULL",
                     "`receiver_phone` varchar(20) NOT NULL", "`amount` decimal(10,2) NOT NULL",
                     "`pay_card` varchar(24) DEFAULT NULL", "`client_ip` varchar(45) DEFAULT NULL",
                     "`paid_at` bigint DEFAULT NULL COMMENT 'epoch ms'"],
          ["PRIMARY KEY (`order_no`)"])
    rows = []
    for i in range(15):
        pc = R.random()
        if i == 4:                  # at least one Amex (15 digits)
            pay = q(F("BANK_CARD", card("37", 15), "amex"))
        elif pc < 0.15:
            pay = q(F("BANK_CARD", card("621483", 16), "plain"))
        elif pc < 0.25:
            pay = q(F("BANK_CARD", card("37", 15), "amex"))
        elif pc < 0.35:
            pay = q(F("BANK_CARD", card("4", 16), "plain"))
        else:
            pay = "NULL"
        rows.append(["'2024031%d%s'" % (R.randint(0, 5), digits(12)), snowflake(),
                     q(F("CN_MOBILE", mobile(), "plain")), "%d.%02d" % (R.randint(9, 2999), R.randint(0, 99)),
                     pay, q(F("IPV4", ipv4())), epoch_ms()])
    inserts("orders", rows)
    end("orders")
    for s in ["/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;", "/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;",
              "/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;", "",
              "-- Dump completed on 2024-03-15  3:00:01"]:
        d.add(s)
    return d

# ---------------------------------------------------------------- pg_dump


def pg_users():
    d = Doc("dumps/pg_users.sql")
    for s in ["--", "-- PostgreSQL database dump", "--", "",
              "-- Dumped from database version 15.5 (Debian 15.5-1.pgdg120+1)",
              "-- Dumped by pg_dump version 15.5 (Debian 15.5-1.pgdg120+1)", "",
              "SET statement_timeout = 0;", "SET lock_timeout = 0;",
              "SET idle_in_transaction_session_timeout = 0;", "SET client_encoding = 'UTF8';",
              "SET standard_conforming_strings = on;",
              "SELECT pg_catalog.set_config('search_path', '', false);",
              "SET check_function_bodies = false;", "SET xmloption = content;",
              "SET client_min_messages = warning;", "SET row_security = off;", "",
              "SET default_tablespace = '';", "", "SET default_table_access_method = heap;", "",
              "--", "-- Name: app_users; Type: TABLE; Schema: public; Owner: app", "--", "",
              "CREATE TABLE public.app_users (", "    id bigint NOT NULL,", "    uid uuid NOT NULL,",
              "    phone character varying(20),", "    email text,", "    id_card character(18),",
              "    birthday date,", "    last_login_ip inet,", "    mac_addr macaddr,", "    profile jsonb,",
              "    created_at timestamp with time zone DEFAULT now() NOT NULL", ");", "", "",
              "ALTER TABLE public.app_users OWNER TO app;", "",
              "--", "-- Data for Name: app_users; Type: TABLE DATA; Schema: public; Owner: app", "--", "",
              "COPY public.app_users (id, uid, phone, email, id_card, birthday, last_login_ip, mac_addr, profile, created_at) FROM stdin;"]:
        d.add(s)
    profiles = [
        lambda: ['{"idfa": "', F("IDFA", uuid4().upper()), '", "lang": "zh-CN"}'],
        lambda: ['{"birthday": "', F("BIRTH_DATE", birth("iso"), "iso"), '", "tw_id": "', F("TW_ID", tw_id()), '"}'],
        lambda: ['{"passport_no": "', F("CN_PASSPORT", doc_number("G8"), "G8"), '", "nationality": "CN"}'],
        lambda: ['{"oaid": "', F("OAID", uuid4(), "uuid"), '", "channel": "vivo"}'],
        lambda: ['{"permit_no": "', F("HK_MACAU_PERMIT", doc_number("CL7"), "CL7"), '", "dob": "', F("BIRTH_DATE", birth("dot"), "dot"), '"}'],
        lambda: ['{"hkid": "', F("HKID", hkid(parens=False), "bare"), '", "lang": "zh-HK"}'],
        lambda: ['{"idfv": "', F("IDFV", uuid4().upper()), '", "push": true}'],
    ]
    prow = set(R.sample(range(40), len(profiles)))
    pit = iter(profiles)
    for i in range(40):
        cells = [[str(1000 + i)], [uuid4()]]
        cells.append([F("CN_MOBILE", mobile(), "plain")] if R.random() < 0.7 else ["\\N"])
        cells.append([F("EMAIL", email())] if R.random() < 0.4 else ["\\N"])
        cells.append([F("CN_RESIDENT_ID", id18(), "18")] if R.random() < 0.3 else ["\\N"])
        cells.append([F("BIRTH_DATE", birth("iso"), "iso")] if R.random() < 0.3 else ["\\N"])
        r = R.random()
        cells.append([F("IPV4", ipv4())] if r < 0.4 else ([F("IPV6", ipv6())] if r < 0.5 else ["\\N"]))
        cells.append([F("MAC", mac(), "colon")] if R.random() < 0.15 else ["\\N"])
        cells.append(next(pit)() if i in prow else ['{"lang": "zh-CN"}'])
        cells.append(["2024-03-%02d %02d:%02d:%02d.%06d+08" % (R.randint(1, 14), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59), R.randint(0, 999999))])
        parts = []
        for j, c in enumerate(cells):
            if j:
                parts.append("\t")
            parts += c
        d.add(*parts)
    for s in ["\\.", "", "", "--", "-- Name: app_users_id_seq; Type: SEQUENCE SET; Schema: public; Owner: app", "--", "",
              "SELECT pg_catalog.setval('public.app_users_id_seq', 1040, true);", "", "",
              "--", "-- Name: app_users app_users_pkey; Type: CONSTRAINT; Schema: public; Owner: app", "--", "",
              "ALTER TABLE ONLY public.app_users", "    ADD CONSTRAINT app_users_pkey PRIMARY KEY (id);", "", "",
              "--", "-- PostgreSQL database dump complete", "--", ""]:
        d.add(s)
    return d

# ---------------------------------------------------------------- chat


def kefu():
    d = Doc("chat/kefu.txt")
    clock = [9 * 3600 + 12 * 60]

    def t():
        clock[0] += R.randint(5, 140)
        c = clock[0]
        return "[2024-03-15 %02d:%02d:%02d] " % (c // 3600, c // 60 % 60, c % 60)

    def cust(*parts):
        d.add(t(), "客户: ", *parts)

    def agent(*parts):
        d.add(t(), "客服-小美: ", *parts)

    def session(sid):
        d.add("")
        d.add("==== 会话 %s 渠道: 微信小程序 ====" % sid)

    def ticket():
        return "订单号 %s" % (("2024031" + digits(12)))

    card_grp = lambda c, sizes, sep: sep.join(c[sum(sizes[:i]):sum(sizes[:i + 1])] for i in range(len(sizes)))  # noqa: E731

    d.add("# 客服会话导出 2024-03-15 (渠道: 微信小程序, 导出人: kefu-admin)")
    session(uuid4())
    agent("您好，这里是官方客服，请问有什么可以帮您？")
    cust("我的", ticket(), "一直没发货，都三天了")
    agent("非常抱歉，麻烦提供一下下单手机号，我帮您查询")
    cust(F("CN_MOBILE", mobile_form("spaces"), "spaces"))
    agent("好的，正在为您查询，请稍等")
    agent("查到了，仓库显示今天下午会发出，快递单号 SF%s" % digits(13))
    cust("能改一下收货电话吗？改成", F("CN_MOBILE", mobile_form("dashes"), "dashes"))
    agent("已为您修改，短信验证码已发送，请勿泄露给他人")
    cust("好的谢谢")
    agent("骑手当前位置 经度：", F("GPS", "%.4f" % R.uniform(103.5, 121.9), "key"), " 纬度：", F("GPS", "%.4f" % R.uniform(22.5, 40.5), "key"), "，预计 10 分钟送达")
    agent("不客气，祝您生活愉快～ 服务热线 400-820-8820")

    session(uuid4())
    cust("你好，实名认证一直失败")
    agent("您好，请问是提示什么错误呢？")
    cust("说身份证号不对，我的身份证号是", F("CN_RESIDENT_ID", id18(want_x=True), "18X"))
    agent("请问您的出生日期是多少？需要核对一下")
    cust("出生日期：", F("BIRTH_DATE", birth("slash"), "slash"))
    agent("请再确认一下出生年月")
    cust("出生年月 ", F("BIRTH_DATE", birth("dot"), "dot"))
    agent("好的。另外老身份证号也可以发一下")
    cust("老的身份证 ", F("CN_RESIDENT_ID", id15(), "15-hotword"))
    agent("收到，系统会在 24 小时内重新审核")
    cust("我的生日是", F("BIRTH_DATE", birth("cn"), "cn"), "，会有生日券吗")
    agent("会的，生日当天自动发放 ¥20 优惠券")
    cust("联系我可以打", F("CN_MOBILE", mobile_form("+86 spaces"), "+86 spaces"), "或者座机", F("CN_LANDLINE", "0755 " + landline("0755")[1], "space"))
    agent("好的，已备注")

    session(uuid4())
    cust("我要退款，钱退到哪张卡？")
    agent("原路退回，请提供付款银行卡号后四位")
    cust("银行卡号 ", F("BANK_CARD", card_grp(card("621700", 19), [4, 4, 4, 4, 3], " "), "4-4-4-4-3"), " 全发你了")
    agent("请勿在聊天中发送完整卡号，已为您隐藏。退款金额 ¥%d.%02d，预计 1-3 个工作日到账" % (R.randint(10, 500), R.randint(0, 99)))
    cust("另一张卡号：", F("BANK_CARD", card_bad("6217", 19), "up-luhn-fail-hotword"), " 是不是也有扣款")
    agent("这张卡没有扣款记录，请放心")
    cust("信用卡", F("BANK_CARD", card_grp(card("52", 16), [4, 4, 4, 4], "-"), "4-4-4-4-dash"), "也绑过")
    agent("好的，已为您解绑")
    cust("还有一张运通 ", F("BANK_CARD", card_grp(card("37", 15), [4, 6, 5], " "), "4-6-5"), " 和 ", F("BANK_CARD", card_grp(card("622848", 19), [6, 13], " "), "6-13"))
    agent("已记录，稍后专员联系您")

    session(uuid4())
    cust("我下个月去香港，护照号：", F("CN_PASSPORT", doc_number("E8"), "E8"), "，可以在线办理免税吗")
    agent("可以的，另外需要港澳通行证：")
    cust("港澳通行证：", F("HK_MACAU_PERMIT", doc_number("C8"), "C8"))
    cust("我老婆的通行证号码", F("HK_MACAU_PERMIT", doc_number("CL7"), "CL7"))
    cust("我的护照号是", F("CN_PASSPORT", doc_number("EL7"), "EL7"), "，老护照 ", F("CN_PASSPORT", doc_number("G8"), "G8"))
    agent("收到。若您是香港居民，也可提供回乡证")
    cust("我爸是香港人，回乡证 ", F("HK_MACAU_PERMIT", doc_number("H10"), "H10"), "，香港身份证 ", F("HKID", hkid(parens=True), "parens"))
    cust("我妈身份证 ", F("HKID", hkid(parens=False), "bare"), " 也是香港的")
    agent("好的，全部已登记")
    cust("我朋友是台湾的，身分證字號 ", F("TW_ID", tw_id()), "，可以代买吗")
    agent("可以的，台湾地区居民请提供台胞证或身分證")
    cust("另一个朋友 ", F("TW_ID", tw_id()), " 也要")
    cust("公务护照 passport: ", F("CN_PASSPORT", doc_number("DE7"), "DE7"))
    cust("澳门的朋友 回乡证 ", F("HK_MACAU_PERMIT", doc_number("M8"), "M8"))

    session(uuid4())
    cust("手机号换了，新号码", F("CN_MOBILE", mobile_form("fullwidth"), "fullwidth"))
    agent("好的，是", F("CN_MOBILE", mobile_form("plain"), "plain"), "吗？请确认")
    cust("不是，是", F("CN_MOBILE", mobile_form("(+86)"), "(+86)"), "，香港那边的朋友习惯写", F("CN_MOBILE", mobile_form("(86)"), "(86)"))
    cust("国外打来就是", F("CN_MOBILE", mobile_form("0086"), "0086"), "，或者 ", F("CN_MOBILE", mobile_form("0086-"), "0086-"))
    cust("有的系统要写成", F("CN_MOBILE", mobile_form("86-"), "86-"), "这种")
    cust("邮箱也改一下：", F("EMAIL", email("li_na+shop")))
    cust("QQ邮箱也行 ", F("EMAIL", "%d@qq.com" % R.randint(10000000, 999999999)))
    agent("已更新，验证邮件已发送，有效期 30 分钟")
    cust("电脑的物理地址是 ", F("MAC", mac("-", upper=True), "dash"), " 需要绑定吗")
    agent("不需要的，谢谢")
    cust("公司电话 ", F("CN_LANDLINE", "(%s)%s" % landline("020"), "paren"), "，传真 ", F("CN_LANDLINE", "(0571) %s" % landline("0571")[1], "paren-space"))
    agent("收到")
    cust("另外办公室座机 ", F("CN_LANDLINE", "%s-%s" % landline("010"), "dash"), "-", str(R.randint(100, 899)))

    session(uuid4())
    for _ in range(R.randint(20, 25)):
        R.choice([
            lambda: agent("您好，请问还有什么可以帮您？"),
            lambda: cust("物流怎么还没更新，", ticket()),
            lambda: agent("已为您催促仓库，预计 %d 小时内更新" % R.randint(2, 24)),
            lambda: cust("优惠券 SPRING%d 用不了" % R.randint(10, 99)),
            lambda: agent("这张券需满 %d 元可用" % R.randint(99, 399)),
            lambda: cust("好的，那我再凑凑单"),
            lambda: agent("系统版本 5.12.3 已修复该问题，请更新后重试"),
            lambda: cust("截图发你了 IMG_%s.jpg" % epoch_s()),
            lambda: agent("工单号 WO%s 已创建" % digits(10)),
            lambda: cust("价格 %d.%02d 怎么比昨天贵" % (R.randint(50, 500), R.randint(0, 99))),
        ])()
    cust("对了，我登录时提示 IP ", F("IPV4", ipv4()), " 异地登录，是我本人")
    agent("好的，已为您解除风控")
    return d

# ---------------------------------------------------------------- config


def app_ini():
    d = Doc("config/app.ini")
    a = ipv4()
    for item in [
        ["; order-service configuration"],
        ["; generated by deploy 2024-03-15 03:00:01, build 2.31.0 (rev %s)" % sha1()[:12]],
        [""], ["[server]"],
        ["listen = 0.0.0.0:8080"],
        ["listen_v6 = [::]:8080"],
        ["public_ip = ", F("IPV4", a)],
        ["advertise_addr = ", F("IPV6", ipv6(compressed_zero_run=True))],
        ["bind_v6 = ", F("IPV6", ipaddress.IPv6Address(ipv6(compressed_zero_run=True)).exploded, "exploded")],
        ["workers = 16"], ["read_timeout = 30s"], ["max_body = 10485760"],
        [""], ["[database]"],
        ["host = ", F("IPV4", "10.20.30.%d" % R.randint(2, 250))],
        ["port = 3306"], ["name = shop"], ["user = shop_rw"],
        ["password_file = /etc/shop/db.pass"],
        ["pool_size = 64"],
        [""], ["[redis]"],
        ["addr = 127.0.0.1:6379"],
        ["db = 2"],
        [""], ["[upstream]"],
        ["servers = ", F("IPV4", "10.20.31.%d" % R.randint(2, 250)), ":9000, ", F("IPV4", "10.20.31.%d" % R.randint(2, 250)), ":9000"],
        ["health_check = /healthz"],
        [""], ["[dns]"],
        ["nameservers = ", F("IPV4", "223.5.5.5"), ", ", F("IPV4", "114.114.114.114")],
        [""], ["[network]"],
        ["gateway_mac = ", F("MAC", mac_dot(), "dot")],
        ["trusted_proxies = ", F("IPV4", "172.16.%d.%d" % (R.randint(0, 31), R.randint(2, 250))), "/32"],
        ["multicast_group = 239.255.0.1"],
        [""], ["[admin]"],
        ["email = ", F("EMAIL", "ops-admin@shop.example.com")],
        ["alert_mailto = mailto:", F("EMAIL", email("oncall"))],
        ["oncall_phone = ", F("CN_MOBILE", mobile_form("+86"), "+86")],
        ["office_tel = ", F("CN_LANDLINE", "%s-%s" % landline("021"), "dash")],
        [""], ["[build]"],
        ["version = 2.31.0"], ["agent = v1.2.3.4"], ["win_build = 10.0.19041.1"],
        ["snmp_oid = 1.3.6.1.4.1.311.21.7"],
        ["release_id = %s" % uuid4()],
        ["checksum_sha256 = %s" % sha256()],
        ["built_at = %s" % epoch_s()],
        [""], ["[features]"],
        ["gps_default = 37.4219983,-122.084"],
        ["store_pickup_location = ", F("GPS", "%s, %s" % (gps_lat(), gps_lng()), "pair-space")],
        ["hotline = 400-820-8820"],
        ["cache_ttl = 12:00:00"],
    ]:
        d.add(*item)
    return d

# ---------------------------------------------------------------- lint


def load_regions():
    path = os.path.join(ROOT, "patterns", "data", "cn_region_codes.tsv")
    try:
        with open(path, encoding="utf-8") as f:
            return {ln.split("\t")[0] for ln in f if ln[:1].isdigit()}
    except OSError:
        return set(REGIONS)


RBI = {"01", "35", "86", "99", "98", "10", "30", "33", "44", "45", "49", "50", "51", "52", "53", "54", "91"}


def looks_mobile(s):
    return re.fullmatch(r"1(3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])\d{8}", s) is not None


def looks_id18(s, regions):
    if not re.fullmatch(r"\d{17}[\dXx]", s) or s[:6] not in regions:
        return False
    y, m, dd = int(s[6:10]), int(s[10:12]), int(s[12:14])
    return 1880 <= y <= 2025 and 1 <= m <= 12 and 1 <= dd <= 31 and ric_check(s[:17]) == s[17].upper()


def looks_card(s):
    # deliberately broad: any plausible IIN with Luhn
    return 13 <= len(s) <= 19 and s[0] in "2345689" and luhn_ok(s)


def lint(doc, regions):
    problems = []
    ALNUM = re.compile(r"[0-9A-Za-z]")
    for idx, raw in enumerate(doc.lines, 1):
        s = raw.decode("utf-8")
        hits = []

        def add(m_start, m_end, typ):
            b0 = len(s[:m_start].encode())
            hits.append((b0, b0 + len(s[m_start:m_end].encode()), typ, s[m_start:m_end]))

        def bounded(a, b):
            left = s[a - 1] if a > 0 else " "
            right = s[b] if b < len(s) else " "
            if ALNUM.match(left) or ALNUM.match(right):
                return False
            if right == "." and b + 1 < len(s) and s[b + 1].isdigit():
                return False
            return True

        for m in re.finditer(r"[0-9]+[Xx]?", s, re.ASCII):
            v, a, b = m.group(), m.start(), m.end()
            if not bounded(a, b):
                continue
            if looks_mobile(v):
                add(a, b, "CN_MOBILE")
            if len(v) == 18 and looks_id18(v, regions):
                add(a, b, "CN_RESIDENT_ID")
            if len(v) == 15 and v[:2] in RBI and luhn_ok(v):
                add(a, b, "IMEI")
            if v.isdigit() and looks_card(v):
                add(a, b, "BANK_CARD")
            if v.isdigit() and len(v) in (19, 20) and v.startswith("8986") and luhn_ok(v):
                add(a, b, "ICCID")
        for m in re.finditer(r"(?<![\d])(?:\(0\d{2,3}\) ?|0\d{2,3}[- ])[2-8]\d{6,7}(?!\d)", s):
            add(m.start(), m.end(), "CN_LANDLINE")
        for m in re.finditer(r"(?<![0-9A-Za-z])1\d{2}([ -])\d{4}\1\d{4}(?![0-9A-Za-z])", s):
            add(m.start(), m.end(), "CN_MOBILE")
        for m in re.finditer(r"(?<![0-9A-Za-z])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?"
                             r"|\d{4}([ -])\d{6}\2\d{5}|\d{6} \d{13})(?![0-9A-Za-z])", s):
            if looks_card(re.sub(r"\D", "", m.group())):
                add(m.start(), m.end(), "BANK_CARD")
        for m in re.finditer(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}", s):
            add(m.start(), m.end(), "EMAIL")
        for m in re.finditer(r"(?<![\d.vV])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d])(?!\.\d)", s):
            o = [int(x) for x in m.groups()]
            if max(o) > 255 or o == [0, 0, 0, 0] or o[0] == 127 or o[0] >= 224:
                continue
            add(m.start(), m.end(), "IPV4")
        for m in re.finditer(r"[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*", s):
            v = m.group().strip(".")
            if v.count(":") < 2:
                continue
            try:
                ip = ipaddress.IPv6Address(v)
            except ValueError:
                continue
            if str(ip) in ("::1", "::") or ALNUM.match(s[m.start() - 1] if m.start() else " "):
                continue
            add(m.start(), m.start() + len(v), "IPV6")
        for m in re.finditer(r"(?<![0-9A-Fa-f:.-])[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:-])|(?<![0-9A-Fa-f.])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Fa-f.])", s):
            h = re.sub(r"[^0-9A-Fa-f]", "", m.group()).lower()
            if int(h[:2], 16) & 1 or h in ("000000000000", "020000000000"):
                continue
            add(m.start(), m.end(), "MAC")
        for m in re.finditer(r"(?<![A-Za-z0-9])([A-Z]{1,2})(\d{6})(?:\(([0-9A])\)|([0-9A]))(?![A-Za-z0-9])", s):
            if hkid_check(m.group(1), m.group(2)) == (m.group(3) or m.group(4)):
                add(m.start(), m.end(), "HKID")
        for m in re.finditer(r"(?<![A-Za-z0-9])[A-Z][1289]\d{8}(?![A-Za-z0-9])", s):
            if tw_ok(m.group()):
                add(m.start(), m.end(), "TW_ID")
        for m in re.finditer(r"(?<![\d.])(-?\d{1,3}\.\d{5,})\s*,\s*(-?\d{1,3}\.\d{5,})(?![\d])", s):
            a_, b_ = float(m.group(1)), float(m.group(2))
            if (abs(a_) <= 90 and abs(b_) <= 180) or (abs(b_) <= 90 and abs(a_) <= 180):
                add(m.start(), m.end(), "GPS")
        exp = [(st, st + len(v.encode()), t, v) for (ln, st, t, v) in doc.found if ln == idx]
        for h in hits:
            if not any(e[0] <= h[0] and h[1] <= e[1] for e in exp):
                problems.append("%s:%d: lint found %s %r not in expected" % (doc.rel, idx, h[2], h[3]))
        lint_always = {"CN_MOBILE", "CN_RESIDENT_ID", "EMAIL", "IPV4", "IPV6", "HKID", "TW_ID"}
        for e in exp:
            if e[2] == "CN_RESIDENT_ID" and len(e[3]) == 15:
                continue            # legacy IDs are key/hotword-only
            if e[2] == "CN_MOBILE" and not e[3][:1] == "1":
                continue            # prefixed forms: the lint only re-finds bare numbers
            if e[2] in lint_always and not re.search(r"[\uff10-\uff19]", e[3]):
                if not any(h[0] <= e[0] and e[1] <= h[1] for h in hits):
                    problems.append("%s:%d: expected %s %r not re-found by lint" % (doc.rel, idx, e[2], e[3]))
        # hotword proximity review aid
        for m in re.finditer(r"护照|passport|通行证|回乡证|往来港澳|生日|出生|birthday|born|身份证|imsi|meid|卡号|银行卡|信用卡", s, re.I):
            tail = s[m.end():m.end() + 32]
            for v in re.findall(r"[A-Z]{0,2}\d{6,}|\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}", tail):
                if not any(v in e[3] or e[3] in v for e in exp):
                    print("review: %s:%d: hotword %r near %r (not expected)" % (doc.rel, idx, m.group(), v))
    return problems

# ---------------------------------------------------------------- main


REQUIRED_FORMS = {
    "CN_MOBILE": ["plain", "+86", "+86 ", "0086", "0086-", "86-", "(+86)", "(86)", "spaces", "dashes", "+86 spaces", "fullwidth"],
    "CN_LANDLINE": ["dash", "space", "paren", "paren-space", "bare-key", "7-digit"],
    "CN_RESIDENT_ID": ["18", "18X", "15-key", "15-hotword"],
    "MAC": ["colon", "colon-upper", "dash", "dot", "bare12"],
    "IMEI": ["dashed", "imeisv-key"],
    "MEID": ["check"],
    "ICCID": ["19", "20", "alnum-key"],
    "OAID": ["uuid", "hex16", "hex32", "hex64"],
    "BANK_CARD": ["plain", "amex", "4-4-4-4-space", "4-4-4-4-dash", "4-4-4-4-3", "4-6-5", "6-13", "up-luhn-fail-key", "up-luhn-fail-hotword"],
    "CN_PASSPORT": ["E8", "EL7", "G8", "DE7", "SE7", "PE7"],
    "HK_MACAU_PERMIT": ["C8", "CL7", "H8", "H10", "M8", "M10"],
    "HKID": ["parens", "bare", "2letter-parens"],
    "GPS": ["lat,lng", "lng,lat", "pair-space", "pair-space-neg", "key"],
    "IPV6": ["exploded"],
    "BIRTH_DATE": ["iso", "slash", "dot", "cn", "compact"],
}
ALL_TYPES = ["CN_RESIDENT_ID", "CN_MOBILE", "CN_LANDLINE", "EMAIL", "IPV4", "IPV6", "MAC", "IMEI", "MEID",
             "IMSI", "ICCID", "ANDROID_ID", "IDFA", "IDFV", "GAID", "OAID", "BANK_CARD", "CN_PASSPORT",
             "HK_MACAU_PERMIT", "HKID", "TW_ID", "GPS", "BIRTH_DATE", "PERSON_NAME"]


def main():
    docs = [nginx(), logcat(), telemetry(), customers(), shop_sql(), pg_users(), kefu(), app_ini()]
    for d in docs:
        n = len(d.lines)
        assert 50 <= n <= 300, (d.rel, n)
        d.write()
    for d in docs:              # the recorded spans must be the file's bytes
        with open(os.path.join(SAMPLE, d.rel), "rb") as f:
            lines = f.read().split(b"\n")
        for (ln, st, t, v) in d.found + d.later:
            assert lines[ln - 1][st:st + len(v.encode())] == v.encode(), (d.rel, ln, v)
    regions = load_regions()
    problems = []
    for d in docs:
        problems += lint(d, regions)
    counts = {}
    for d in docs:
        for f in d.found:
            counts[f[2]] = counts.get(f[2], 0) + 1
    for t in ALL_TYPES:
        if counts.get(t, 0) < 3:
            problems.append("type %s occurs %d times (< 3)" % (t, counts.get(t, 0)))
    for t, forms in REQUIRED_FORMS.items():
        for fm in forms:
            if (t, fm) not in FORMS_SEEN:
                problems.append("form %s/%s not covered" % (t, fm))
    rows = []
    for d in sorted(docs, key=lambda x: x.rel):
        for (ln, st, t, v) in sorted(d.found):
            assert "\t" not in v and "\n" not in v
            rows.append("%s\t%d\t%s\t%s" % (d.rel, ln, t, v))
    later = []
    for d in sorted(docs, key=lambda x: x.rel):
        for (ln, st, t, v) in sorted(d.later):
            later.append("#column-context\t%s\t%d\t%s\t%s" % (d.rel, ln, t, v))
    os.makedirs(os.path.dirname(EXPECTED), exist_ok=True)
    with open(EXPECTED, "w", encoding="utf-8") as f:
        f.write("# Expected findings of `piiscan scan --show-values corpora/sample` at the default confidence.\n")
        f.write("# Generated by corpora/gen/make_sample.py (seed %d); all values are fake.\n" % SEED)
        f.write("# Columns: path (relative to corpora/sample)<TAB>line (1-based)<TAB>TYPE<TAB>raw span bytes.\n")
        f.write("# Sorted by path, line, then position in the line.\n")
        f.write("# %d findings; per type: %s\n" % (len(rows), ", ".join("%s=%d" % (t, counts.get(t, 0)) for t in ALL_TYPES)))
        for r in rows:
            f.write(r + "\n")
        if later:
            f.write("# Values present but not expected (see L() in the generator):\n")
        for r in later:
            f.write(r + "\n")
    for p in problems:
        print("PROBLEM:", p, file=sys.stderr)
    print("%d findings, %d column-context values, %d problems" % (len(rows), len(later), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
