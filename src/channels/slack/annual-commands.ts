import type { App, webApi } from '@slack/bolt';
import { isAppError } from '../../core/errors.js';
import { registerCatalog, t } from '../../core/i18n/index.js';
import { slackFailureText } from './api-failure.js';
import { DEFAULT_SLACK_BOUNDS, seconds, SlackStepHung, within, type SlackBounds } from './bounded.js';
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
  /** `locale`: the staff's (STAFF_LOCALE), for a refusal's words. */
  saveRegisterItem(kind: RegisterKind, item: RegisterItemInput, actor: string, locale?: Locale): Promise<number>;
  /** Why the item would count an appeal already linked to a disclosure request a second time (shown under 收到日期); null if not. */
  registerConflict?(kind: RegisterKind, item: RegisterItemInput, locale?: Locale): Promise<string | null>;
  /** Why the item is already registered (same title, 文号 and date; shown under 名称); null if it is new. */
  registerDuplicate?(kind: RegisterKind, item: RegisterItemInput, locale?: Locale): Promise<string | null>;
  /** Today in the bureau's time zone: a register date after it is refused. */
  today?(): string;
  logger: Logger;
  locale?: Locale;
  now?: () => Date;
  /** Bounds on the staff check and the work (bounded.ts); the desk's when wired by createSlackApp. */
  bounds?: Partial<SlackBounds>;
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
    saveRegisterItem: async (kind, item, actor, locale) => (await insertRegisterItems(o.db, kind, [item], actor, now(), { locale }))[0] ?? 0,
    registerConflict: async (kind, item, locale) => (kind === 'review' ? linkedAppealConflict(o.db, item, locale) : null),
    registerDuplicate: (kind, item, locale) => duplicateRegisterItem(o.db, kind, item, locale),
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
    reportHung: '{year} 年度报告在 {seconds} 秒内没有生成完（数据库或 Slack 没有回应）。若稍后生成，会上传到工作群；没有看到的话，请稍后再试一次。',
    registerHung: '没有保存：{seconds} 秒内没有完成核对（数据库或 Slack 没有回应）。填写的内容还在，请稍后再点“登记”。',
    registerSaveHung: '{label}“{title}”在 {seconds} 秒内没有保存完（数据库没有回应），是否已登记不能确定：请稍后在工作群查看登记消息，没有的话再登记一次。',
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
    reportHung: 'The {year} annual report was not finished within {seconds} s (the database or Slack did not answer). If it finishes later it is uploaded to the staff channel; if you do not see it, try again later.',
    registerHung: 'Not saved: the checks did not finish within {seconds} s (the database or Slack did not answer). What you typed is still here; press Save again later.',
    registerSaveHung: '{label} "{title}" was not saved within {seconds} s (the database did not answer); whether it was recorded is not known: look for the record message in the staff channel later and record it again if it is missing.',
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
  const bounds: SlackBounds = { ...DEFAULT_SLACK_BOUNDS, ...deps.bounds };
  /** The staff check before an ack, within the ack's bound: a check still unanswered then is a refusal that says so. */
  const staffCheckBeforeAck = (userId: string, requestId: unknown, command: string): Promise<string | null> =>
    within(bounds, bounds.ackMs, staffCheck(userId, requestId)).catch((error: unknown) => {
      if (!(error instanceof SlackStepHung)) throw error;
      deps.logger.warn({ command, ms: error.ms }, 'slack: staff check did not answer before the ack; command not run');
      return t(locale, 'slack.api.staffCheckHung', { seconds: seconds(error.ms), what: t(locale, 'slack.api.whatCommand', { command }) });
    });

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
    const refused = await staffCheckBeforeAck(command.user_id, context.requestId, '/report');
    if (refused) return ack({ response_type: 'ephemeral', text: refused });
    if (kind !== 'annual' || !/^\d{4}$/.test(yearText ?? '') || year < 2008 || year > thisYear || (rest.length > 0 && !guides))
      return ack({ response_type: 'ephemeral', text: t(locale, 'annualSlack.reportUsage', { example: thisYear - 1 }) });
    await ack({ response_type: 'ephemeral', text: t(locale, 'annualSlack.reportWorking', { year }) });
    try {
      await within(bounds, bounds.reportMs, uploadReport(client, deps, year, locale, guides ? Number(guides[1]) : undefined));
    } catch (error) {
      if (error instanceof SlackStepHung) {
        deps.logger.error({ year, ms: error.ms }, 'annual report did not finish in time (database or Slack not answering)');
        return void (await respond({ response_type: 'ephemeral', text: t(locale, 'annualSlack.reportHung', { year, seconds: seconds(error.ms) }) }));
      }
      deps.logger.warn({ err: error, year }, 'annual report failed');
      const reason = isAppError(error) ? errorText(locale, error) : t(locale, 'slack.msg.internal');
      await respond({ response_type: 'ephemeral', text: t(locale, 'annualSlack.reportFailed', { year, reason: esc(reason) }) });
    }
  });

  app.command('/register', async ({ ack, command, client, context }) => {
    const kind = command.text.trim();
    const refused = await staffCheckBeforeAck(command.user_id, context.requestId, '/register');
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
    const first = REGISTER_KINDS[kind].fields[0]?.name;
    // The checks before the ack (staff, the register's own refusals) within the ack's bound: past it the modal stays
    // open with what was typed and says nothing was saved, instead of Slack's own timeout.
    let checked: { errors: Record<string, string> | null; item?: RegisterItemInput } | 'refused';
    try {
      checked = await within(bounds, bounds.ackMs, checkRegister(kind, view, body.user.id, context.requestId));
    } catch (error) {
      if (!(error instanceof SlackStepHung)) throw error;
      deps.logger.warn({ kind, ms: error.ms }, 'slack: register checks did not answer before the ack; nothing saved');
      return first ? ack({ response_action: 'errors', errors: { [first]: t(locale, 'annualSlack.registerHung', { seconds: seconds(error.ms) }) } }) : ack();
    }
    if (checked === 'refused') return ack();
    if (checked.errors) return ack({ response_action: 'errors', errors: checked.errors });
    await ack();
    const item = checked.item!;
    let id: number;
    try {
      id = await within(bounds, bounds.workMs, deps.saveRegisterItem(kind, item, `slack:${body.user.id}`, locale));
    } catch (error) {
      if (!(error instanceof SlackStepHung)) throw error;
      deps.logger.error({ kind, ms: error.ms }, 'slack: register item not saved in time (database not answering)');
      const text = t(locale, 'annualSlack.registerSaveHung', { label: REGISTER_KINDS[kind].label, title: esc(String(item.title)), seconds: seconds(error.ms) });
      return void (await client.chat.postEphemeral({ channel: deps.staffChannel, user: body.user.id, text }));
    }
    const text = t(locale, 'annualSlack.registerSaved', {
      label: REGISTER_KINDS[kind].label,
      id,
      title: esc(String(item.title)),
      date: String(item.dateOn),
      user: body.user.id,
    });
    await client.chat.postMessage({ channel: deps.staffChannel, text });
  });

  /** The submission's checks before its ack: errors to show under the fields, 'refused' (not staff), or the item. */
  async function checkRegister(kind: RegisterKind, view: { state: { values: unknown } }, userId: string, requestId: unknown): Promise<{ errors: Record<string, string> | null; item?: RegisterItemInput } | 'refused'> {
    const refused = await staffCheck(userId, requestId);
    // Slack could not confirm staff: the modal stays open with what was typed, the reason under its first field.
    const first = REGISTER_KINDS[kind].fields[0]?.name;
    if (refused && refused !== t(locale, 'annualSlack.notStaff') && first) return { errors: { [first]: refused } };
    if (refused) return 'refused';
    const parsed = parseRegisterItem(kind, readState(view.state.values as StateValues), { today: deps.today?.(), locale });
    if (!parsed.ok) {
      const errors: Record<string, string> = {};
      for (const p of parsed.problems) {
        const [field = '', ...rest] = p.split(': ');
        errors[field] = errors[field] ? `${errors[field]}; ${rest.join(': ')}` : rest.join(': ');
      }
      return { errors };
    }
    const conflict = await deps.registerConflict?.(kind, parsed.item, locale);
    if (conflict) return { errors: { filedOn: conflict } };
    const duplicate = await deps.registerDuplicate?.(kind, parsed.item, locale);
    if (duplicate) return { errors: { title: duplicate } };
    return { errors: null, item: parsed.item };
  }
}
