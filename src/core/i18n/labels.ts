import { hasText, registerCatalog, t, type Catalog } from './index.js';
import type { Locale } from '../types.js';

/**
 * The one catalogue of the words staff read for stored enum values: case states, case types and
 * channels, in the console desk, Slack (case messages, lists, modals, history), the daily digest and
 * the monthly counts, and the outcomes of a 复查 / 复核. Parents' wording lives in chat (状态 as a parent reads it) and cases (types
 * inside sentences). A value with no label is shown as stored (data from a newer version).
 */
export const labelCatalog: Catalog = {
  zh: {
    'state.received': '待认领',
    'state.claimed': '办理中',
    'state.replied': '已答复',
    'state.closed': '已办结',
    'state.returned': '已退单',
    'state.extended': '已延期',
    'state.unreachable': '联系不上',
    'state.withdrawn': '已撤回',
    'state.reopened': '已重新办理',
    'type.inquiry': '咨询',
    'type.complaint': '投诉',
    'type.suggestion': '建议',
    'type.help': '求助',
    'type.disclosure': '政府信息公开申请',
    'type.petition': '信访',
    'channel.telegram': 'Telegram',
    'channel.slack': 'Slack',
    'channel.console': '控制台',
    'channel.web': '网页',
    'channel.phone': '电话',
    'channel.minxin': '民心网',
    'channel.visit': '来访',
    'channel.letter': '来信',
    'actor.citizen': '市民',
    'actor.console': '控制台',
    'actor.system': '系统',
    'actor.cli': '命令行',
    'reviewOutcome.维持': '维持',
    'reviewOutcome.撤销': '撤销',
    'reviewOutcome.变更': '变更',
    'reviewOutcome.不予受理': '不予受理',
    'reviewOutcome.不再受理': '不再受理',
    'reviewOutcome.撤回': '撤回',
    'reviewOutcome.待决定': '待决定',
  },
  en: {
    'state.received': 'Unclaimed',
    'state.claimed': 'In progress',
    'state.replied': 'Replied',
    'state.closed': 'Closed',
    'state.returned': 'Returned',
    'state.extended': 'Extended',
    'state.unreachable': 'Unreachable',
    'state.withdrawn': 'Withdrawn',
    'state.reopened': 'Reopened',
    'type.inquiry': 'Inquiry',
    'type.complaint': 'Complaint',
    'type.suggestion': 'Suggestion',
    'type.help': 'Request for help',
    'type.disclosure': 'Information disclosure request',
    'type.petition': 'Petition',
    'channel.telegram': 'Telegram',
    'channel.slack': 'Slack',
    'channel.console': 'Console',
    'channel.web': 'Web chat',
    'channel.phone': 'Phone',
    'channel.minxin': 'Minxin portal',
    'channel.visit': 'Visit',
    'channel.letter': 'Letter',
    'actor.citizen': 'the citizen',
    'actor.console': 'the console',
    'actor.system': 'the system',
    'actor.cli': 'the command line',
    // The stored outcome of a 复查 / 复核 (reviews.ts), written as the appeal modal writes its results: English first,
    // the term of the decision letter in parentheses.
    'reviewOutcome.维持': 'Upheld (维持)',
    'reviewOutcome.撤销': 'Revoked (撤销)',
    'reviewOutcome.变更': 'Changed (变更)',
    'reviewOutcome.不予受理': 'Not taken up (不予受理)',
    'reviewOutcome.不再受理': 'Not accepted again (不再受理)',
    'reviewOutcome.撤回': 'Withdrawn (撤回)',
    'reviewOutcome.待决定': 'Awaiting decision (待决定)',
  },
};

registerCatalog('label', labelCatalog);

const label = (kind: 'state' | 'type' | 'channel' | 'actor') => (locale: Locale, value: string | null | undefined): string => {
  if (!value) return '-';
  const key = `label.${kind}.${value}`;
  return hasText(key) ? t(locale, key) : value;
};

/** '待认领' for 'received'. */
export const stateLabel = label('state');
/** '政府信息公开申请' for 'disclosure'. */
export const typeLabel = label('type');
/** '网页' for 'web', '民心网' for 'minxin'. */
export const channelLabel = label('channel');
/** '市民' for 'citizen', '控制台' for 'console'; a staff id ('slack:U07') as stored. */
export const actorLabel = label('actor');
