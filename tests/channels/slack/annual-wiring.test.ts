import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { t } from '../../../src/core/i18n/index.js';
import type { AnnualReport } from '../../../src/core/reports/annual/model.js';
import { slashCommand } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { postCommand } from '../../helpers/slack-signer.js';

/** The factory's `annual` option wires /report and /register (annual-commands.ts) with the desk's staff check. */
describe('createSlackApp({ annual }): /report annual and /register', () => {
  let h: SlackHarness;
  const drafted: number[] = [];
  beforeEach(async () => {
    drafted.length = 0;
    h = await startSlackHarness({
      annual: {
        async draftDocx(year) {
          drafted.push(year);
          return { report: { title: `本溪市溪湖区教育局${year}年政府信息公开工作年度报告` } as AnnualReport, bytes: Buffer.from('PK docx') };
        },
        saveRegisterItem: async () => 1,
      },
    });
  });
  afterEach(async () => {
    await h.close();
  });

  it('drafts and uploads the report for staff (channel members too), and refuses others', async () => {
    const res = await postCommand(h.url, slashCommand({ command: '/report', text: 'annual 2025', user_id: 'USTAFF2' }));
    expect(await res.json()).toEqual({ response_type: 'ephemeral', text: t('zh', 'annualSlack.reportWorking', { year: 2025 }) });
    const done = await h.stub.waitFor('files.completeUploadExternal');
    expect(done.body.channel_id).toBe('CSTAFF01');
    expect(drafted).toEqual([2025]);

    const refused = await postCommand(h.url, slashCommand({ command: '/report', text: 'annual 2025', user_id: 'USTRANGER' }));
    expect(await refused.json()).toEqual({ response_type: 'ephemeral', text: t('zh', 'annualSlack.notStaff') });
    expect(drafted).toEqual([2025]);
  });

  it('answers /register with an unknown kind with the usage', async () => {
    const res = await postCommand(h.url, slashCommand({ command: '/register', text: '火星' }));
    expect(((await res.json()) as { text: string }).text).toMatch(/^用法：\/register/);
    expect(h.stub.callsOf('views.open')).toEqual([]);
  });
});
