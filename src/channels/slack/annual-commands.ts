import type { App, webApi } from '@slack/bolt';
import { isAppError } from '../../core/errors.js';
import { registerCatalog, t } from '../../core/i18n/index.js';
import { slackFailureText } from './api-failure.js';
import { errorText } from '../../core/i18n/errors-text.js';
import { draftAnnualReport, loadAnnualTemplates } from '../../core/reports/annual/index.js';
import type { AnnualReport } from '../../core/reports/annual/model.js';
import { countServiceGuides } from '../../core/reports/annual/service-guides.js';
import {
  REGISTER_KINDS,
  REGISTER_KIND_NAMES,
  isRegisterKind,
  parseRegisterItem,
  type FieldSpec,
  type RegisterItemInput,
  type RegisterKind,
} from '../../core/reports/annual/registers.js';
import type { Locale } from '../../core/types.js';
import type { Logger } from '../../logger.js';
import { createAnnualSource } from '../../storage/annual-report-repo.js';
import type { Db } from '../../storage/db.js';
import { dateInZone } from '../../core/calendar/dates.js';
import { duplicateRegisterItem, insertRegisterItems, linkedAppealConflict } from '../../storage/registers-repo.js';

/**
 * Slack side of the annual report: `/report annual YYYY` acks at once, drafts
 * the .docx and uploads it to the staff channel (files.uploadV2); `/register
 * KIND` opens a modal built from REGISTER_KINDS and records the item. The
 * composition root supplies the data functions, so this file opens nothing.
 *
 * @example
 *   registerAnnualCommands(app, annualCommandDeps({ db, bureau: config.BUREAU_NAME, timezone: config.TIMEZONE,
 *     knowledgeDir: config.KNOWLEDGE_DIR, templatesDir: 'reports/annual', staffChannel: config.SLACK_STAFF_CHANNEL,
 *     isStaff: (id) => authz.isStaff(id), logger }));
 */
export interface AnnualCommandDeps {
  staffChannel: string;
  isStaff(userId: string): Promise<boolean>;
  /** `serviceGuides` is the staff's figure for 办事指南 (`--service-guides N`, as in the CLI); else the knowledge base's count. */
  draftDocx(year: number, serviceGuides?: number): Promise<{ report: AnnualReport; bytes: Buffer; warnings?: string[] }>;
  saveRegisterItem(kind: RegisterKind, item: RegisterItemInput, actor: string): Promise<number>;
  /** Why the item would count an appeal already linked to a disclosure request a second time (shown under 收到日期); null if not. */
  registerConflict?(kind: RegisterKind, item: RegisterItemInput): Promise<string | null>;
  /** Why the item is already registered (same title, 文号 and date; shown under 名称); null if it is new. */
  registerDuplicate?(kind: RegisterKind, item: RegisterItemInput): Promise<string | null>;
  /** Today in the bureau's time zone: a register date after it is refused. */
  today?(): string;
  logger: Logger;
  locale?: Locale;
  now?: () => Date;
}

export const REGISTER_CALLBACK = 'annual_register';

/** The usual wiring over the database; templates and service guides are re-read per report, so edits apply at once. */
export function annualCommandDeps(o: {
  db: Db;
  bureau: string;
  timezone: string;
  knowledgeDir: string;
  templatesDir: string;
  staffChannel: string;
  isStaff(userId: string): Promise<boolean>;
  logger: Logger;
  /** The clock reports and register entries are dated by (tests fix it); default the wall clock. */
  now?: () => Date;
}): AnnualCommandDeps {
  const now = o.now ?? (() => new Date());
  return {
    staffChannel: o.staffChannel,
    isStaff: o.isStaff,
    logger: o.logger,
    async draftDocx(year, serviceGuides) {
      const { report, warnings } = await draftAnnualReport({
        year,
        bureau: o.bureau,
        timezone: o.timezone,
        now: now(),
        serviceGuides: serviceGuides ?? (await countServiceGuides(o.knowledgeDir)),
        source: createAnnualSource(o.db),
        templates: loadAnnualTemplates(o.templatesDir),
      });
      return { report, warnings, bytes: await (await import('../../core/reports/annual/render-docx.js')).renderDocx(report) }; // loaded on first use
    },
    saveRegisterItem: async (kind, item, actor) => (await insertRegisterItems(o.db, kind, [item], actor, now()))[0] ?? 0,
    registerConflict: async (kind, item) => (kind === 'review' ? linkedAppealConflict(o.db, item) : null),
    registerDuplicate: (kind, item) => duplicateRegisterItem(o.db, kind, item),
    today: () => dateInZone(now(), o.timezone),
  };
}

export const annualSlackCatalog = {
  zh: {
    notStaff: '只有工作人员可以使用此命令。',
    reportUsage: '用法：/report annual YYYY [`--service-guides N`]，例如 /report annual {example}；`--service-guides` 给出该年公开的办事指南数（不写则按当前知识库的中文办事指南计数）',
    reportWorking: '正在生成 {year} 年政府信息公开工作年度报告，完成后上传到工作群。',
    reportUploaded: '{title}（草稿，请核对后发布）',
    reportFailed: '{year} 年度报告未生成：{reason}',
    registerUsage: '用法：/register 类型。可用类型：{kinds}',
    registerSaved: '{label} #{id} 已登记：{title}（{date}），登记人 <@{user}>',
    modalTitle: '登记：{label}',
    submit: '登记',
    cancel: '取消',
  },
  en: {
    notStaff: 'Only staff can use this command.',
    reportUsage: 'Usage: /report annual YYYY [--service-guides N], e.g. /report annual {example}; --service-guides gives the number of 办事指南 published that year (default: the Chinese service guides in the knowledge base now)',
    reportWorking: 'Drafting the {year} annual information-disclosure report; it will be uploaded to the staff channel.',
    reportUploaded: '{title} (draft: check before publishing)',
    reportFailed: 'The {year} annual report was not drafted: {reason}',
    registerUsage: 'Usage: /register KIND. Kinds: {kinds}',
    registerSaved: '{label} #{id} recorded: {title} ({date}) by <@{user}>',
    modalTitle: 'Record: {label}',
    submit: 'Save',
    cancel: 'Cancel',
  },
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const plain = (text: string) => ({ type: 'plain_text' as const, text: text.slice(0, 75) });

function fieldElement(f: FieldSpec) {
  const action_id = 'value';
  if (f.type === 'date') return { type: 'datepicker', action_id };
  if (f.type === 'int' || f.type === 'money')
    return { type: 'number_input', action_id, is_decimal_allowed: f.type === 'money', min_value: f.type === 'int' ? '1' : '0' };
  if (f.type === 'enum')
    return {
      type: 'static_select',
      action_id,
      options: (f.options ?? []).map((o) => ({ text: plain(o), value: o })),
      ...(f.default ? { initial_option: { text: plain(String(f.default)), value: String(f.default) } } : {}),
    };
  return { type: 'plain_text_input', action_id, max_length: 500 };
}

/** The modal for one register kind: one input block per field, block_id = field name. */
export function registerModal(kind: RegisterKind, locale: Locale) {
  const spec = REGISTER_KINDS[kind];
  return {
    type: 'modal' as const,
    callback_id: REGISTER_CALLBACK,
    private_metadata: kind,
    title: plain(t(locale, 'annualSlack.modalTitle', { label: spec.label }).slice(0, 24)),
    submit: plain(t(locale, 'annualSlack.submit')),
    close: plain(t(locale, 'annualSlack.cancel')),
    blocks: (spec.fields as readonly FieldSpec[]).map((f) => ({
      type: 'input',
      block_id: f.name,
      optional: !f.required || f.default !== undefined,
      label: plain(f.label),
      element: fieldElement(f),
    })),
  };
}

type StateValues = Record<string, Record<string, { value?: string | null; selected_date?: string | null; selected_option?: { value: string } | null }>>;

function readState(values: StateValues): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(values).map(([block, actions]) => {
      const a = actions.value;
      return [block, a?.selected_date ?? a?.selected_option?.value ?? a?.value ?? undefined];
    }),
  );
}

async function uploadReport(client: webApi.WebClient, deps: AnnualCommandDeps, year: number, locale: Locale, serviceGuides?: number): Promise<void> {
  const { report, bytes } = await deps.draftDocx(year, serviceGuides);
  await client.files.uploadV2({
    channel_id: deps.staffChannel,
    file: bytes,
    filename: `政府信息公开工作年度报告-${year}.docx`,
    title: report.title,
    initial_comment: t(locale, 'annualSlack.reportUploaded', { title: report.title }),
  });
}

export function registerAnnualCommands(app: App, deps: AnnualCommandDeps): void {
  registerCatalog('annualSlack', annualSlackCatalog);
  const locale = deps.locale ?? 'zh';
  const now = deps.now ?? (() => new Date());

  // The staff check comes before these acks (the ack carries the answer): a check Slack cannot answer is said in the
  // ack too, at once (the App's client neither retries nor waits out a 429), instead of Bolt's 3 s timeout.
  const staffCheck = async (userId: string, requestId: unknown): Promise<string | null> => {
    try {
      return (await deps.isStaff(userId)) ? null : t(locale, 'annualSlack.notStaff');
    } catch (error) {
      const text = slackFailureText(locale, error, String(requestId ?? '') || '-');
      if (!text) throw error;
      deps.logger.warn({ err: error }, 'slack: staff check failed');
      return text;
    }
  };

  app.command('/report', async ({ ack, command, client, respond, context }) => {
    const [kind, yearText, ...rest] = command.text.trim().split(/\s+/);
    const thisYear = now().getFullYear();
    const year = Number(yearText);
    // The CLI's `--service-guides N` (also `--service-guides=N`): the figure for a past year is the bureau's, not today's knowledge base.
    const guides = /^--service-guides(?:=|\s+)(\d{1,4})$/.exec(rest.join(' '));
    const refused = await staffCheck(command.user_id, context.requestId);
    if (refused) return ack({ response_type: 'ephemeral', text: refused });
    if (kind !== 'annual' || !/^\d{4}$/.test(yearText ?? '') || year < 2008 || year > thisYear || (rest.length > 0 && !guides))
      return ack({ response_type: 'ephemeral', text: t(locale, 'annualSlack.reportUsage', { example: thisYear - 1 }) });
    await ack({ response_type: 'ephemeral', text: t(locale, 'annualSlack.reportWorking', { year }) });
    try {
      await uploadReport(client, deps, year, locale, guides ? Number(guides[1]) : undefined);
    } catch (error) {
      deps.logger.warn({ err: error, year }, 'annual report failed');
      const reason = isAppError(error) ? errorText(locale, error) : t(locale, 'slack.msg.internal');
      await respond({ response_type: 'ephemeral', text: t(locale, 'annualSlack.reportFailed', { year, reason: esc(reason) }) });
    }
  });

  app.command('/register', async ({ ack, command, client, context }) => {
    const kind = command.text.trim();
    const refused = await staffCheck(command.user_id, context.requestId);
    if (refused) return ack({ response_type: 'ephemeral', text: refused });
    if (!isRegisterKind(kind)) {
      const kinds = REGISTER_KIND_NAMES.map((k) => `${k}（${REGISTER_KINDS[k].label}）`).join('、');
      return ack({ response_type: 'ephemeral', text: t(locale, 'annualSlack.registerUsage', { kinds }) });
    }
    await ack();
    await client.views.open({ trigger_id: command.trigger_id, view: registerModal(kind, locale) });
  });

  app.view(REGISTER_CALLBACK, async ({ ack, view, body, client, context }) => {
    const kind = view.private_metadata;
    if (!isRegisterKind(kind)) return ack();
    const refused = await staffCheck(body.user.id, context.requestId);
    // Slack could not confirm staff: the modal stays open with what was typed, the reason under its first field.
    const first = REGISTER_KINDS[kind].fields[0]?.name;
    if (refused && refused !== t(locale, 'annualSlack.notStaff') && first) return ack({ response_action: 'errors', errors: { [first]: refused } });
    if (refused) return ack();
    const parsed = parseRegisterItem(kind, readState(view.state.values as StateValues), { today: deps.today?.() });
    if (!parsed.ok) {
      const errors: Record<string, string> = {};
      for (const p of parsed.problems) {
        const [field = '', ...rest] = p.split(': ');
        errors[field] = errors[field] ? `${errors[field]}; ${rest.join(': ')}` : rest.join(': ');
      }
      return ack({ response_action: 'errors', errors });
    }
    const conflict = await deps.registerConflict?.(kind, parsed.item);
    if (conflict) return ack({ response_action: 'errors', errors: { filedOn: conflict } });
    const duplicate = await deps.registerDuplicate?.(kind, parsed.item);
    if (duplicate) return ack({ response_action: 'errors', errors: { title: duplicate } });
    await ack();
    const id = await deps.saveRegisterItem(kind, parsed.item, `slack:${body.user.id}`);
    const text = t(locale, 'annualSlack.registerSaved', {
      label: REGISTER_KINDS[kind].label,
      id,
      title: esc(String(parsed.item.title)),
      date: String(parsed.item.dateOn),
      user: body.user.id,
    });
    await client.chat.postMessage({ channel: deps.staffChannel, text });
  });
}
