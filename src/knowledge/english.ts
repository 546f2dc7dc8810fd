/**
 * English questions against a Chinese knowledge base: the bot speaks English on request, but bureaus write
 * their entries in Chinese. English words and phrases map to the Chinese terms the entries use, so "What
 * documents do I need for primary school registration?" finds 小学 + 报名 + 材料 like its Chinese twin; the
 * answer itself is the entry's (Chinese) text. Function words carry no topic.
 *
 * Phrases are replaced in the normalised (lower-case) text before segmentation, on word boundaries; single
 * words are synonyms of the Chinese term (the group's first word), applied to whole tokens.
 */
export const ENGLISH_PHRASES: readonly (readonly [string, string])[] = [
  ['primary school', '小学'],
  ['elementary school', '小学'],
  ['grade one', '一年级'],
  ['first grade', '一年级'],
  ['grade 1', '一年级'],
  ['middle school', '初中'],
  ['junior high school', '初中'],
  ['junior high', '初中'],
  ['senior high school', '高中'],
  ['high school', '高中'],
  ['school district', '划片'],
  ['school zone', '划片'],
  ['residence permit', '居住证'],
  ['residency permit', '居住证'],
  ['household register', '户口簿'],
  ['household registration', '户籍'],
  ['birth certificate', '出生证明'],
  ['property certificate', '房产证'],
  ['property deed', '房产证'],
  ['rental contract', '租房'],
  ['lease agreement', '租房'],
  ['student status', '学籍'],
  ['school records', '学籍'],
  ['teacher qualification', '教师资格'],
  ['teaching certificate', '教师资格'],
  ['teaching qualification', '教师资格'],
  ['information disclosure', '信息公开'],
  ['government information', '信息公开'],
  ['special needs', '残疾'],
  ['school bus', '校车'],
  ['after school care', '课后服务'],
  ['after-school care', '课后服务'],
  ['after school', '课后服务'],
  ['financial aid', '资助'],
  ['phone number', '电话'],
  ['service guide', '办事指南'],
  ['education bureau', '教育局'],
  ['hong kong', '香港'],
];

export const ENGLISH_WORDS: readonly (readonly string[])[] = [
  ['孩子', 'child', 'children', 'kid', 'kids', 'son', 'daughter', 'student', 'students', 'pupil', 'pupils'],
  ['家长', 'parent', 'parents', 'guardian', 'guardians'],
  ['老师', 'teacher', 'teachers'],
  ['学校', 'school', 'schools'],
  ['入学', 'enrollment', 'enrolment', 'enroll', 'enrol', 'enrolling', 'admission', 'admissions', 'attend'],
  ['报名', 'register', 'registration', 'registering', 'apply', 'application', 'applications', 'signup'],
  ['材料', 'documents', 'document', 'materials', 'paperwork', 'papers'],
  ['年龄', 'age', 'ages', 'old'],
  ['出生', 'born', 'birth', 'birthday'],
  ['转学', 'transfer', 'transfers', 'transferring'],
  ['户籍', 'hukou', 'household'],
  ['居住证', 'residence'],
  ['幼儿园', 'kindergarten', 'preschool', 'nursery'],
  ['小学', 'primary', 'elementary'],
  ['初中', 'junior'],
  ['收费', 'fee', 'fees', 'tuition', 'charge', 'charges', 'cost', 'costs', 'price', 'pay', 'payment'],
  ['划片', 'catchment', 'zoning'],
  ['摇号', 'lottery'],
  ['民办', 'private'],
  ['公办', 'public'],
  ['毕业证', 'diploma', 'graduation'],
  ['补办', 'replace', 'replacement', 'reissue', 'lost'],
  ['资助', 'subsidy', 'subsidies', 'grant', 'grants', 'aid', 'poor', 'needy', 'hardship'],
  ['租房', 'rent', 'rental', 'renting', 'rented', 'lease', 'tenant'],
  ['随迁子女', 'migrant', 'migrants'],
  ['残疾', 'disability', 'disabilities', 'disabled'],
  ['校车', 'bus'],
  ['电话', 'phone', 'telephone', 'hotline', 'contact'],
  ['地点', 'address', 'location', 'office', 'where'],
  ['时间', 'when', 'time', 'date', 'dates', 'deadline', 'schedule', 'hours'],
  ['证明', 'certificate', 'proof'],
  ['投诉', 'complaint', 'complaints', 'complain'],
  ['信息公开', 'disclosure', 'foi'],
  ['课后服务', 'afterschool'],
  ['教育局', 'bureau'],
  ['外籍', 'foreign', 'foreigner', 'foreigners', 'international', 'nationals', 'nationality', 'expat', 'expats'],
  ['校服', 'uniform', 'uniforms'],
  ['午餐', 'lunch', 'lunches', 'meal', 'meals', 'canteen', 'cafeteria'],
  ['开学', 'term', 'semester', 'reopen', 'reopens'],
  ['放假', 'holiday', 'holidays', 'vacation', 'vacations', 'break'],
  // Other authorities' business (lexicon.ts OUT_OF_SCOPE_TERMS): a question about it is not answered from our entries.
  ['护照', 'passport', 'passports'],
  ['签证', 'visa', 'visas'],
  ['天气', 'weather'],
  ['驾照', 'driving'],
  ['港澳台', 'macao', 'macau', 'taiwan'],
];

/** English words that say nothing about the topic (question words, pronouns, auxiliaries, politeness). */
export const ENGLISH_STOPWORDS: readonly string[] = (
  'a an the what which who whom whose how why is are am was were be been being do does did done can could would should will shall may might must ' +
  'i me my mine we us our you your he him his she her they them their it its this that these those there here ' +
  'to for of in on at by with from about into as and or but if so than then not no yes ok okay hi hello hey thanks thank please ' +
  'need needs needed want wants like get gets got know tell let much many any some all each every other another have has had ' +
  'start starts go goes going make just also still now one two up out new s t don doesn didn isn aren won'
).split(' ');

/** `text` (normalised: lower case) with the English phrases replaced by their Chinese term. */
export function replaceEnglishPhrases(text: string): string {
  if (!/[a-z]/.test(text)) return text;
  return text.replace(PHRASE_PATTERN, (m) => PHRASE_MAP.get(m.replace(/\s+/g, ' ')) ?? m);
}

const PHRASE_MAP = new Map(ENGLISH_PHRASES.map(([en, zh]) => [en, zh] as const));
const PHRASE_PATTERN = new RegExp(
  `\\b(${[...ENGLISH_PHRASES]
    .map(([en]) => en)
    .sort((a, b) => b.length - a.length)
    .map((en) => en.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&').replace(/ /g, '\\s+'))
    .join('|')})\\b`,
  'g',
);
