import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runConsole } from '../../../src/channels/console/console-channel.js';
import { silentLogger } from '../../../src/logger.js';
import { FRIDAY_MORNING, makeEngine, tempDbPath } from '../../core/engine/harness.js';

/**
 * The console chat (buttons shown as numbered choices): typing a button's label instead of its number is the press,
 * as on Telegram and the web chat — the reading is the engine's, not the adapter's.
 */
describe('console: a button label typed', () => {
  it('"就用这个号码" typed takes the offered number and "确认提交" files the case with it', async () => {
    const { engine, cases, db } = await makeEngine(tempDbPath(), () => FRIDAY_MORNING);
    const output = new PassThrough();
    let out = '';
    output.on('data', (c) => (out += String(c)));
    await runConsole({
      engine,
      cases,
      db,
      logger: silentLogger(),
      locale: 'zh',
      bureau: '本溪市溪湖区教育局',
      input: Readable.from(['我要投诉彩屯小学乱收费，每人500元，电话 139 1234 5678\n', '就用这个号码\n', '确认提交\n']),
      output,
      staffDesk: false,
      echo: false,
      prompt: false,
      now: () => FRIDAY_MORNING,
    });
    expect(out).toContain('您在内容里留了电话 139****5678');
    expect(out).toContain('联系电话：139****5678');
    const [filed] = await cases.list({});
    expect(filed?.contact).toBe('13912345678');
    expect(filed?.text).toBe('我要投诉彩屯小学乱收费，每人500元，电话 139****5678');
    await db.close();
  });
});
