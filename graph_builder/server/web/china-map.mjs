// Builds ../static/vendor/china-provinces.json, the province shapes of the query page's map,
// from the npm package @svg-maps/china (CC BY 4.0, after MapSVG's map of China):
//   npm ci && npm run build:map
// Each <path> of china.svg becomes {id, code, zh, en, d}: code is the GB/T 2260 division
// code, zh the full Chinese name, en and id the English name and slug the graph uses for
// place IRIs (place:henan, place:inner-mongolia), so the page can match a result's province
// by IRI, Chinese or English name or code. The paths are made absolute, rounded to 0.1 unit
// of the 774x569 viewBox and thinned (a point closer than 0.6 unit to the last kept one is
// dropped), which keeps the file small without a visible change at the page's size.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve("@svg-maps/china/package.json"));
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
const svg = readFileSync(join(pkgDir, "china.svg"), "utf8");
const out = process.argv[2] || join(here, "..", "static", "vendor", "china-provinces.json");

// svg id -> [graph slug, GB/T 2260 code, Chinese name, English name]
const NAMES = {
  anhui: ["anhui", "340000", "安徽省", "Anhui"],
  beijing: ["beijing", "110000", "北京市", "Beijing"],
  chongqing: ["chongqing", "500000", "重庆市", "Chongqing"],
  fujian: ["fujian", "350000", "福建省", "Fujian"],
  gansu: ["gansu", "620000", "甘肃省", "Gansu"],
  guangdong: ["guangdong", "440000", "广东省", "Guangdong"],
  "guangxi-zhuang": ["guangxi", "450000", "广西壮族自治区", "Guangxi"],
  guizhou: ["guizhou", "520000", "贵州省", "Guizhou"],
  hainan: ["hainan", "460000", "海南省", "Hainan"],
  hebei: ["hebei", "130000", "河北省", "Hebei"],
  heilongjiang: ["heilongjiang", "230000", "黑龙江省", "Heilongjiang"],
  henan: ["henan", "410000", "河南省", "Henan"],
  "hong-kong": ["hong-kong", "810000", "香港特别行政区", "Hong Kong"],
  hubei: ["hubei", "420000", "湖北省", "Hubei"],
  hunan: ["hunan", "430000", "湖南省", "Hunan"],
  jiangsu: ["jiangsu", "320000", "江苏省", "Jiangsu"],
  jiangxi: ["jiangxi", "360000", "江西省", "Jiangxi"],
  jilin: ["jilin", "220000", "吉林省", "Jilin"],
  liaoning: ["liaoning", "210000", "辽宁省", "Liaoning"],
  macau: ["macau", "820000", "澳门特别行政区", "Macau"],
  "nei-mongol": ["inner-mongolia", "150000", "内蒙古自治区", "Inner Mongolia"],
  "ningxia-hui": ["ningxia", "640000", "宁夏回族自治区", "Ningxia"],
  quinghai: ["qinghai", "630000", "青海省", "Qinghai"],
  shaanxi: ["shaanxi", "610000", "陕西省", "Shaanxi"],
  shandong: ["shandong", "370000", "山东省", "Shandong"],
  shanghai: ["shanghai", "310000", "上海市", "Shanghai"],
  shanxi: ["shanxi", "140000", "山西省", "Shanxi"],
  sichuan: ["sichuan", "510000", "四川省", "Sichuan"],
  tianjin: ["tianjin", "120000", "天津市", "Tianjin"],
  "xinjiang-uygur": ["xinjiang", "650000", "新疆维吾尔自治区", "Xinjiang"],
  xizang: ["tibet", "540000", "西藏自治区", "Tibet"],
  yunnan: ["yunnan", "530000", "云南省", "Yunnan"],
  zhejiang: ["zhejiang", "330000", "浙江省", "Zhejiang"],
};
const MIN_STEP = 0.6;

// The package's paths use only relative m (with implicit l) and z.
function thin(d) {
  const tokens = d.match(/[mMzZ]|-?\d*\.?\d+(?:e-?\d+)?/g);
  const rings = [];
  let ring = null;
  let x = 0;
  let y = 0;
  let start = [0, 0];
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i];
    if (t === "m" || t === "M") {
      const abs = t === "M";
      x = (abs ? 0 : x) + Number(tokens[i + 1]);
      y = (abs ? 0 : y) + Number(tokens[i + 2]);
      ring = [[x, y]];
      rings.push(ring);
      start = [x, y];
      i += 3;
      while (i < tokens.length && !/[mMzZ]/.test(tokens[i])) {
        x = (abs ? 0 : x) + Number(tokens[i]);
        y = (abs ? 0 : y) + Number(tokens[i + 1]);
        ring.push([x, y]);
        i += 2;
      }
    } else if (t === "z" || t === "Z") {
      [x, y] = start;
      i += 1;
    } else {
      throw new Error(`unexpected path token ${t}`);
    }
  }
  const parts = [];
  for (const points of rings) {
    const kept = [points[0]];
    for (const p of points.slice(1)) {
      const last = kept[kept.length - 1];
      if (Math.hypot(p[0] - last[0], p[1] - last[1]) >= MIN_STEP) kept.push(p);
    }
    if (kept.length < 3) continue;
    // Relative steps in tenths of a unit, rounded from absolute positions (no drift).
    const q = kept.map(([px, py]) => [Math.round(px * 10), Math.round(py * 10)]);
    let s = `M${q[0][0] / 10} ${q[0][1] / 10}l`;
    const steps = [];
    for (let k = 1; k < q.length; k++) {
      steps.push(`${(q[k][0] - q[k - 1][0]) / 10} ${(q[k][1] - q[k - 1][1]) / 10}`);
    }
    s += steps.join(" ").replace(/ -/g, "-") + "z";
    parts.push(s);
  }
  return parts.join("");
}

const viewBox = /viewBox="([^"]+)"/.exec(svg)[1];
const provinces = [];
for (const m of svg.matchAll(/<path\s+id="([^"]+)"\s+aria-label="[^"]*"\s+d="([^"]+)"/g)) {
  const names = NAMES[m[1]];
  if (!names) throw new Error(`no names for ${m[1]}`);
  const [id, code, zh, en] = names;
  provinces.push({ id, code, zh, en, d: thin(m[2]) });
}
if (provinces.length !== Object.keys(NAMES).length) {
  throw new Error(`expected ${Object.keys(NAMES).length} provinces, found ${provinces.length}`);
}
const data = {
  source: `${pkg.name} ${pkg.version} (npm), after MapSVG's map of China`,
  license: pkg.license,
  viewBox,
  provinces,
};
writeFileSync(out, JSON.stringify(data) + "\n");
console.log(`${provinces.length} provinces -> ${out}`);
