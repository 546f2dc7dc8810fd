import { z } from 'zod';
import { t } from '../../i18n/index.js';
import '../../i18n/staff.js';
import type { Locale } from '../../types.js';

/**
 * The registers behind the annual report's tables and narrative, declared as
 * data: each kind lists its fields (label, type, DB column). The CLI flags,
 * the CSV headers and the Slack modal all come from this table, and the zod
 * schema that validates every edge is built from it.
 *
 * @example
 *   parseRegisterItem('proposal', { category: '政协提案', title: '关于改善校园周边交通的提案', handledOn: '2018-06-30' })
 */
export const REGISTER_COLUMNS = ['title', 'ref', 'category', 'dateOn', 'endOn', 'outcome', 'amountYuan', 'count', 'note'] as const;
export type RegisterColumn = (typeof REGISTER_COLUMNS)[number];

export interface FieldSpec {
  name: string;
  label: string;
  type: 'text' | 'date' | 'int' | 'money' | 'enum';
  column: RegisterColumn;
  required: boolean;
  options?: readonly string[];
  default?: string | number;
  /** This date may not be earlier than that field's date. */
  notBefore?: string;
}

const f = (name: string, label: string, type: FieldSpec['type'], column: RegisterColumn, more: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  label,
  type,
  column,
  required: true,
  ...more,
});
const opt = { required: false } as const;
const title = (label = '名称') => f('title', label, 'text', 'title');
const ref = (label = '文号') => f('ref', label, 'text', 'ref', opt);
const note = f('note', '备注', 'text', 'note', opt);

export const REGISTER_KINDS = {
  'normative-doc': {
    label: '规范性文件',
    fields: [
      title('文件名称'),
      ref(),
      f('category', '类别', 'enum', 'category', { options: ['规章', '行政规范性文件'], default: '行政规范性文件', required: false }),
      f('issuedOn', '制发日期', 'date', 'dateOn'),
      f('repealedOn', '废止日期', 'date', 'endOn', { required: false, notBefore: 'issuedOn' }),
    ],
  },
  license: {
    label: '行政许可决定',
    fields: [title('事项'), ref('决定文号'), f('decidedOn', '决定日期', 'date', 'dateOn'), f('count', '决定数量', 'int', 'count', { default: 1, required: false })],
  },
  enforcement: {
    label: '行政处罚/行政强制决定',
    fields: [
      f('category', '类别', 'enum', 'category', { options: ['行政处罚', '行政强制'] }),
      title('事项'),
      ref('决定文号'),
      f('decidedOn', '决定日期', 'date', 'dateOn'),
      f('count', '决定数量', 'int', 'count', { default: 1, required: false }),
    ],
  },
  fee: {
    label: '行政事业性收费',
    fields: [title('收费项目'), f('collectedOn', '收费日期', 'date', 'dateOn'), f('amountYuan', '金额（元）', 'money', 'amountYuan'), note],
  },
  proposal: {
    label: '建议提案',
    fields: [
      f('category', '类别', 'enum', 'category', { options: ['政协提案', '人大建议'] }),
      title('标题'),
      ref('编号'),
      f('handledOn', '办结日期', 'date', 'dateOn'),
    ],
  },
  review: {
    label: '行政复议/行政诉讼',
    fields: [
      f('category', '类别', 'enum', 'category', { options: ['行政复议', '未经复议直接起诉', '复议后起诉'] }),
      title('案件名称'),
      ref('案号'),
      f('filedOn', '收到日期', 'date', 'dateOn'),
      f('outcome', '结果', 'enum', 'outcome', { options: ['维持', '纠正', '其他', '尚未审结'], default: '尚未审结', required: false }),
      f('decidedOn', '审结日期', 'date', 'endOn', { required: false, notBefore: 'filedOn' }),
    ],
  },
  'info-fee': {
    label: '信息处理费',
    fields: [
      f('title', '事由', 'text', 'title', { default: '信息处理费', required: false }),
      f('collectedOn', '收取日期', 'date', 'dateOn'),
      f('amountYuan', '金额（元）', 'money', 'amountYuan'),
      note,
    ],
  },
  project: {
    label: '重大项目',
    fields: [title('项目名称'), f('completedOn', '完成（或实施）日期', 'date', 'dateOn'), f('note', '说明', 'text', 'note', opt)],
  },
} as const satisfies Record<string, { label: string; fields: FieldSpec[] }>;

export type RegisterKind = keyof typeof REGISTER_KINDS;
export const REGISTER_KIND_NAMES = Object.keys(REGISTER_KINDS) as RegisterKind[];
export const isRegisterKind = (k: string): k is RegisterKind => k in REGISTER_KINDS;

/** A validated item as stored (one row of register_items). */
export type RegisterItemInput = { [K in RegisterColumn]?: string | number | null };

const empty = (v: unknown) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v);
const isDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
};

/**
 * The zod messages are keys of the staff catalogue (staff.register.check.*), worded in the staff's language when the
 * problems are listed (parseRegisterItem).
 */
function fieldSchema(spec: FieldSpec): z.ZodType {
  const base =
    spec.type === 'date'
      ? z.string().trim().refine(isDate, 'date')
      : spec.type === 'int'
        ? z.coerce.number({ message: 'int' }).int('int').min(1, 'int')
        : spec.type === 'money'
          ? z.coerce.number({ message: 'money' }).min(0, 'money')
          : spec.type === 'enum'
            ? z.enum(spec.options as [string, ...string[]], { message: 'enum' })
            : z.string().trim().min(1, 'empty').max(500, 'tooLong');
  const b = base as z.ZodType<unknown>;
  const shaped = spec.default !== undefined ? b.optional().transform((v) => v ?? spec.default) : spec.required ? b : b.optional();
  return z.preprocess(empty, shaped);
}

/** The zod messages fieldSchema sets (keys of staff.register.check.*). */
const MESSAGE_KEYS = new Set(['date', 'int', 'money', 'enum', 'empty', 'tooLong']);

const schemas = new Map<RegisterKind, z.ZodType<Record<string, unknown>>>();
function schemaFor(kind: RegisterKind): z.ZodType<Record<string, unknown>> {
  const cached = schemas.get(kind);
  if (cached) return cached;
  const fields: FieldSpec[] = [...REGISTER_KINDS[kind].fields];
  const shape = Object.fromEntries(fields.map((s) => [s.name, fieldSchema(s)]));
  const schema = z.strictObject(shape) as z.ZodType<Record<string, unknown>>;
  schemas.set(kind, schema);
  return schema;
}

/** Problems zod cannot see field by field: a required field left empty, a date before the date it follows. */
function crossFieldProblems(fields: readonly FieldSpec[], raw: Record<string, unknown>, locale: Locale): { missing: string[]; order: string[] } {
  const missing = fields.filter((s) => s.required && s.default === undefined && empty(raw[s.name]) === undefined).map((s) => s.name);
  const order = fields.flatMap((s) => {
    const a = raw[s.name];
    const b = s.notBefore ? raw[s.notBefore] : undefined;
    if (typeof a !== 'string' || typeof b !== 'string' || !isDate(a.trim()) || !isDate(b.trim())) return [];
    return a.trim() < b.trim() ? [`${s.name}: ${t(locale, 'staff.register.check.notBefore', { other: s.notBefore ?? '', date: b.trim() })}`] : [];
  });
  return { missing, order };
}

/**
 * Validates one item (field names as in REGISTER_KINDS); returns every problem as `field: message`, the message in the
 * staff's language (`locale`, STAFF_LOCALE; default zh).
 */
export function parseRegisterItem(
  kind: RegisterKind,
  raw: Record<string, unknown>,
  options: { today?: string; locale?: Locale } = {},
): { ok: true; item: RegisterItemInput } | { ok: false; problems: string[] } {
  const locale = options.locale ?? 'zh';
  const check = (key: string, params: Record<string, string | number> = {}) => t(locale, `staff.register.check.${key}`, params);
  const fields: readonly FieldSpec[] = REGISTER_KINDS[kind].fields;
  const { missing, order } = crossFieldProblems(fields, raw, locale);
  // A date after today is a typo (2062 for 2026): it would count in a year's report that has not happened.
  const today = options.today;
  if (today)
    for (const s of fields) {
      const v = raw[s.name];
      if (s.type === 'date' && typeof v === 'string' && isDate(v.trim()) && v.trim() > today) order.push(`${s.name}: ${check('notAfterToday', { today })}`);
    }
  const result = schemaFor(kind).safeParse(raw);
  const optionsOf = (name: string) => (fields.find((s) => s.name === name)?.options ?? []).join(' / ');
  const issues = (result.error?.issues ?? [])
    .filter((i) => !missing.includes(String(i.path[0])))
    .map((i) =>
      i.code === 'unrecognized_keys'
        ? check('unknown', { keys: i.keys.join(', '), kind, fields: fields.map((s) => s.name).join(', ') })
        : `${i.path.join('.') || '?'}: ${MESSAGE_KEYS.has(i.message) ? check(i.message, { options: optionsOf(String(i.path[0])) }) : i.message}`,
    );
  const problems = [...missing.map((name) => `${name}: ${check('required')}`), ...issues, ...order];
  if (!result.success || problems.length > 0) return { ok: false, problems: problems.length > 0 ? problems : [check('invalid')] };
  const item: RegisterItemInput = {};
  for (const s of fields) {
    const v = result.data[s.name];
    if (v !== undefined) item[s.column] = v as string | number;
  }
  return { ok: true, item };
}
