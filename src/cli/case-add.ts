import { parseArgs } from 'node:util';
import { parseConfig } from '../config.js';
import { loadWorkCalendar } from '../core/calendar/index.js';
import { createCaseDesk } from '../core/cases/index.js';
import { identityForStaff } from '../core/cases/identity.js';
import { AppError, isAppError } from '../core/errors.js';
import { errorText } from '../core/i18n/errors-text.js';
import { loadDeadlineRules } from '../core/deadlines/index.js';
import { maskPersonalData } from '../core/privacy/mask.js';
import { CASE_TYPES, type CaseType, type ChannelName } from '../core/types.js';
import { openStore } from '../storage/open-store.js';
import type { CliIo } from './types.js';

/** Channels a case can be logged from by hand (the chat channels file their own). */
const LOGGED_CHANNELS = ['phone', 'letter', 'visit', 'minxin'] as const;

export const caseAddUsage = `Usage: npm run cli -- cases add --type TYPE --channel CHANNEL --text TEXT [--received YYYY-MM-DDTHH:MM]
         [--name NAME] [--contact CONTACT] [--applicant TYPE --id-type TYPE --id-number NUMBER]
         [--form 纸质|电子 --method 邮寄|自取|电子邮件 [--address ADDRESS]]
  Logs a case received by ${LOGGED_CHANNELS.join('/')} (--received: local time in TIMEZONE; default now).
  TYPE: ${CASE_TYPES.join(', ')}.
  A 政府信息公开申请 (--type disclosure) must carry what 《政府信息公开条例》第二十九条 requires:
  --name, --contact, --applicant (自然人/商业企业/科研机构/社会公益组织/法律服务机构/其他) and the 身份证明:
  --id-type 居民身份证|港澳台居民居住证或通行证|护照|其他 with --id-number for a 自然人, or
  --id-type 统一社会信用代码 with the code for an organisation. Numbers are checked (GB 11643, GB 32100) and shown masked.
  第二十九条（三）形式要求: --form 纸质|电子 and --method (纸质: 邮寄/自取; 电子: 电子邮件/自取), with --address: the
  postal address for 邮寄, the e-mail address for 电子邮件.
  --contact: a mobile, a landline with its area code (an extension as "0414-4284123 转 801"), or an e-mail address;
  for a disclosure request also a postal address. Phones are stored normalised.`;

const options = {
  type: { type: 'string' }, channel: { type: 'string' }, text: { type: 'string' }, received: { type: 'string' },
  name: { type: 'string' }, contact: { type: 'string' }, applicant: { type: 'string' },
  'id-type': { type: 'string' }, 'id-number': { type: 'string' },
  form: { type: 'string' }, method: { type: 'string' }, address: { type: 'string' },
} as const;

/** "2026-11-02T09:30" in `timeZone` → the instant (offset from the zone's own formatting of the guess). */
function localInstant(text: string, timeZone: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text)) throw new AppError('cli_usage', `--received must look like 2026-11-02T09:30 (got "${text}").\n${caseAddUsage}`);
  const guess = new Date(`${text}:00Z`);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(guess);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return new Date(guess.getTime() - (Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute')) - guess.getTime()));
}

/** `cases add`: one case logged by staff; the desk refuses a disclosure request without its 第二十九条 fields. */
export async function addCase(args: string[], io: CliIo): Promise<number> {
  let values: Partial<Record<keyof typeof options, string>>;
  try {
    ({ values } = parseArgs({ args, options }));
  } catch (error) {
    throw new AppError('cli_usage', `${(error as Error).message}\n${caseAddUsage}`);
  }
  const type = values.type as CaseType | undefined;
  if (!type || !CASE_TYPES.includes(type)) throw new AppError('cli_usage', `--type must be one of ${CASE_TYPES.join(', ')}.\n${caseAddUsage}`);
  const channel = values.channel as (typeof LOGGED_CHANNELS)[number] | undefined;
  if (!channel || !LOGGED_CHANNELS.includes(channel)) throw new AppError('cli_usage', `--channel must be one of ${LOGGED_CHANNELS.join(', ')}.\n${caseAddUsage}`);
  if (!values.text?.trim()) throw new AppError('cli_usage', `--text is required.\n${caseAddUsage}`);
  const config = parseConfig(io.env);
  const receivedAt = values.received ? localInstant(values.received, config.TIMEZONE) : undefined;
  const db = await openStore(config.DATABASE_PATH);
  try {
    const desk = createCaseDesk({ db, config, rules: loadDeadlineRules(), calendar: loadWorkCalendar() });
    let record;
    try {
      record = await desk.file({
        type, channel: channel as ChannelName, text: values.text, actor: 'cli',
        contact: values.contact ?? null, citizenName: values.name ?? null,
        ...(receivedAt ? { receivedAt } : {}),
        applicantType: values.applicant ?? null, applicantIdType: values['id-type'] ?? null, applicantIdNumber: values['id-number'] ?? null,
        deliveryForm: values.form ?? null, deliveryMethod: values.method ?? null, deliveryAddress: values.address ?? null,
      });
    } catch (error) {
      // The desk's coded refusal in STAFF_LOCALE first, then the English text (AppError message) for the log.
      if (isAppError(error)) throw new AppError(error.code, `${errorText(config.STAFF_LOCALE, error)}\n${error.message}`, { cause: error });
      throw error;
    }
    const lines = [`Logged ${record.code} (${record.type}, ${record.channel}); deadline ${record.deadlineOn ?? 'set when claimed'}.`];
    if (record.type === 'disclosure')
      lines.push(`Applicant: ${maskPersonalData(record.citizenName ?? '')} (${record.applicantType}), 身份证明 ${identityForStaff(record.applicantIdType, record.applicantIdNumber)}, contact ${maskPersonalData(record.contact ?? '')}, 形式 ${record.deliveryForm}/${record.deliveryMethod}`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await db.close();
  }
}
