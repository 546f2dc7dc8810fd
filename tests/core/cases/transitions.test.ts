import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseAction } from '../../../src/core/cases/types.js';
import type { CaseState } from '../../../src/core/types.js';
import { complaint, deskFixture, outbox } from './setup.js';
import { errorText } from '../../../src/core/i18n/errors-text.js';
import { t } from '../../../src/core/i18n/index.js';
import { stateLabel } from '../../../src/core/i18n/labels.js';

type Kind = CaseAction['kind'];
const ACTIONS: Record<Kind, CaseAction> = {
  claim: { kind: 'claim' },
  reply: { kind: 'reply', text: '经核实，该校已退还资料费。' },
  extend: { kind: 'extend', reason: '需要向学校调取收费凭证', approvedBy: '王科长' },
  close: { kind: 'close', note: '已电话回访' },
  return: { kind: 'return', reason: '该事项属市教育局职责' },
  unreachable: { kind: 'unreachable', note: '三次致电无人接听' },
  withdraw: { kind: 'withdraw' },
  reopen: { kind: 'reopen', note: '家长表示仍未退费' },
};

// How to bring a fresh case into each state.
const PATHS: Record<CaseState, Kind[]> = {
  received: [],
  claimed: ['claim'],
  replied: ['claim', 'reply'],
  closed: ['claim', 'reply', 'close'],
  returned: ['return'],
  extended: ['claim', 'extend'],
  unreachable: ['unreachable'],
  withdrawn: ['withdraw'],
  reopened: ['claim', 'reply', 'close', 'reopen'],
};

// The expected lifecycle, written out independently of src/core/cases/transitions.ts.
const LEGAL: Record<CaseState, Partial<Record<Kind, CaseState>>> = {
  received: { claim: 'claimed', return: 'returned', unreachable: 'unreachable', withdraw: 'withdrawn' },
  claimed: { reply: 'replied', extend: 'extended', close: 'closed', return: 'returned', unreachable: 'unreachable', withdraw: 'withdrawn' },
  replied: { reply: 'replied', close: 'closed', unreachable: 'unreachable', withdraw: 'withdrawn' },
  closed: { reopen: 'reopened' },
  returned: {},
  extended: { reply: 'replied', close: 'closed', unreachable: 'unreachable', withdraw: 'withdrawn' },
  unreachable: { reply: 'replied', close: 'closed', withdraw: 'withdrawn' },
  withdrawn: {},
  reopened: { claim: 'claimed', reply: 'replied', extend: 'extended', close: 'closed', return: 'returned', unreachable: 'unreachable', withdraw: 'withdrawn' },
};

// What the parent reads after each change (zh), for a complaint filed 2026-02-10 (deadline 2026-03-02: 10 working days, 2月14日 and 2月28日 counted).
const CITIZEN_TEXT: Record<CaseState, (code: string, from: CaseState) => string> = {
  received: (c) => `您的投诉已登记，编号 ${c}。我们将在 2026年3月2日前答复您。查询进度请发送“查询 ${c}”。`,
  claimed: (c) => `您的诉求 ${c} 已由工作人员签收办理，答复期限为 2026年3月2日。`,
  replied: (c) => `关于您的诉求 ${c}，工作人员答复如下：\n经核实，该校已退还资料费。`,
  extended: (c) => `您的诉求 ${c} 需要延长办理期限，新的答复期限为 2026年3月9日。延期原因：需要向学校调取收费凭证`,
  // Closed without an earlier reply: the closing note is the answer the parent reads (issue 15).
  closed: (c, from) =>
    (from === 'replied'
      ? `您的诉求 ${c} 已办结，感谢您的耐心等待。\n办结说明：已电话回访\n`
      : `关于您的诉求 ${c}，工作人员答复如下：\n已电话回访\n该诉求已办结。\n`) +
    '请为本次办理结果评价（1 星最低，5 星最高）。如对办理结果不满意，可在办结后 15 日内点“不满意，要求重新办理”或直接回复“要求重新办理”及原因。',
  reopened: (c) => `您的诉求 ${c} 已重新办理，答复期限为 2026年3月2日。您接下来发送的情况说明会补充到这个诉求（发送“取消”即不再补充）。`,
  returned: (c) => `您的诉求 ${c} 已退回，原因：该事项属市教育局职责。如有疑问请致电 024-42842001。`,
  unreachable: (c) => `工作人员多次尝试联系您未能联系上（诉求 ${c}）。如需继续办理，请回复本消息或致电 024-42842001。`,
  withdrawn: (c) => `您的诉求 ${c} 已撤回，不再办理。如有需要可随时重新提交。`,
};

const STATES = Object.keys(PATHS) as CaseState[];
const KINDS = Object.keys(ACTIONS) as Kind[];
const pairs = STATES.flatMap((state) => KINDS.map((kind) => ({ state, kind, to: LEGAL[state][kind] ?? null })));
const legal = pairs.flatMap((p) => (p.to ? [{ ...p, to: p.to }] : []));
const illegal = pairs.filter((p) => !p.to);

describe('case lifecycle: every state × action', () => {
  let fx: Awaited<ReturnType<typeof deskFixture>>;
  beforeAll(async () => {
    fx = await deskFixture();
  });
  afterAll(() => fx.close());

  const caseIn = async (state: CaseState) => {
    const record = await fx.desk.file(complaint());
    for (const kind of PATHS[state]) await fx.desk.act(record.code, ACTIONS[kind], 'slack:U01STAFF');
    expect((await fx.desk.get(record.code))?.state).toBe(state);
    return record;
  };

  it.each(legal)('$state + $kind → legal', async ({ state, kind, to }) => {
    const record = await caseIn(state);
    const { case: after, event } = await fx.desk.act(record.code, ACTIONS[kind], 'slack:U01STAFF');
    expect(after.state).toBe(to);
    expect(event).toMatchObject({ caseId: record.id, actor: 'slack:U01STAFF', fromState: state, toState: to, kind: kind === 'reply' ? 'reply' : 'transition' });
    const rows = await outbox(fx.db, record.id);
    const last = rows.slice(-2);
    expect(last[0]).toMatchObject({ target: 'telegram', address: '10001' });
    expect((last[0]!.payload as { text: string }[])[0]!.text).toBe(CITIZEN_TEXT[to](record.code, state));
    expect(last[1]).toEqual({ target: 'staff', address: '-', payload: { change: kind === 'reply' ? 'reply' : 'transition', caseCode: record.code, eventId: event.id } });
    const audit = await fx.db.all<{ action: string }>('SELECT action FROM audit_log WHERE subject = ? ORDER BY id', [record.code]);
    expect(audit.at(-1)?.action).toBe(`case.${kind}`);
  });

  it.each(illegal)('$state + $kind → rejected', async ({ state, kind }) => {
    const record = await caseIn(state);
    const before = await fx.desk.history(record.code);
    const allowed = Object.keys(LEGAL[state]);
    const error = await fx.desk.act(record.code, ACTIONS[kind], 'console').catch((e: unknown) => e);
    const action = (l: 'zh' | 'en', k: string) => t(l, `staff.action.${k}`);
    expect(error).toMatchObject({
      code: 'case_illegal_transition',
      message: allowed.length
        ? `Case ${record.code} is "${stateLabel('en', state)}": it cannot ${action('en', kind)} now. Allowed: ${allowed.map((k) => action('en', k)).join(', ')}.`
        : `Case ${record.code} is "${stateLabel('en', state)}", a final state: it cannot ${action('en', kind)} any more.`,
    });
    // What staff read (console, Slack): the same refusal in Chinese, with no English left in it.
    expect(errorText('zh', error)).toContain(`诉求 ${record.code} 当前状态为“${stateLabel('zh', state)}”`);
    expect(errorText('zh', error)).not.toMatch(/[A-Za-z]{3,}/);
    expect(await fx.desk.history(record.code)).toEqual(before);
    expect((await fx.desk.get(record.code))?.state).toBe(state);
  });

  it('covers all 72 pairs', () => {
    expect(pairs).toHaveLength(72);
  });
});
