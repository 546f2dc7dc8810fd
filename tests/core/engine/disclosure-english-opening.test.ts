import { describe, expect, it } from 'vitest';
import { PERSON_ID } from '../../helpers/identity-numbers.js';
import type { Engine } from '../../../src/core/engine/index.js';
import type { Reply } from '../../../src/core/types.js';
import { chat, labels, makeEngine, tempDbPath, texts } from './harness.js';

/**
 * An English opening of a 政府信息公开申请 names the request, it is not the information asked for: it starts the
 * disclosure flow, and the description is asked for (in English), or taken from what follows the opening.
 */
const en = { platformLocale: 'en' as const };
const ASK_DESCRIPTION = 'Please describe the information you ask for: its title, document number, or details that help find it (date, school, matter):';
const ASK_CONTACT =
  'An information request must give a contact so staff can reach you. Please leave a phone number (mobile, or landline with area code), an e-mail address or a postal address:';

/** A parent whose phone is set to English: every message and button press carries the platform locale. */
function englishParent(engine: Engine) {
  const c = chat(engine);
  const press = (reply: Reply[], label: string) => {
    const found = reply.flatMap((r) => r.buttons ?? []).flat().find((b) => b.label === label);
    if (!found) throw new Error(`no button "${label}" in ${texts(reply)}`);
    return c.say(found.label, { ...en, action: found.payload });
  };
  return { say: (text: string) => c.say(text, en), press };
}

/** The opening, then the applicant's steps; returns the reply after the ID number. */
async function throughApplicant(opening: string) {
  const made = await makeEngine(tempDbPath());
  const c = englishParent(made.engine);
  const first = await c.say(opening);
  expect([opening, texts(first), labels(first)]).toEqual([
    opening,
    'Who is applying (Article 29 of the Regulations on the Disclosure of Government Information asks for the applicant)?',
    ['Individual', 'Organisation', 'Cancel'],
  ]);
  await c.press(first, 'Individual');
  await c.press(await c.say('Zhang San'), 'Resident ID card');
  return { ...made, c, afterId: await c.say(PERSON_ID) };
}

describe('an English disclosure opening', () => {
  it('alone, starts the disclosure flow and asks for the description in English; the description given is the request’s', async () => {
    for (const opening of ['I want to apply for government information disclosure', 'open government information request', 'I would like to make a government information disclosure request, please.']) {
      const { db, cases, c, afterId } = await throughApplicant(opening);
      expect([opening, texts(afterId)]).toEqual([opening, ASK_DESCRIPTION]);
      expect(texts(await c.say('The 2026 enrolment plan of Caitun Primary School'))).toBe(ASK_CONTACT);
      const confirm = await c.press(await c.press(await c.say('13912345678'), '纸质'), '自取');
      expect(texts(confirm)).toContain('\nInformation: The 2026 enrolment plan of Caitun Primary School\n');
      await c.press(confirm, 'Submit');
      expect(await cases.get('XH-2026-000001')).toMatchObject({ type: 'disclosure', text: 'The 2026 enrolment plan of Caitun Primary School' });
      await db.close();
    }
  });

  it('with the information after it, takes that as the description (not the opening words)', async () => {
    for (const [opening, information] of [
      ['I want to apply for government information disclosure of the 2026 school bus contract', 'the 2026 school bus contract'],
      ['Open government information request: the canteen inspection reports of 2026', 'the canteen inspection reports of 2026'],
    ] as const) {
      const { db, afterId, c } = await throughApplicant(opening);
      expect([opening, texts(afterId)]).toEqual([opening, ASK_CONTACT]);
      const confirm = await c.press(await c.press(await c.say('13912345678'), '纸质'), '自取');
      expect(texts(confirm)).toContain(`\nInformation: ${information}\n`);
      await db.close();
    }
  });

  it('a question about the procedure is still answered as a question', async () => {
    const { db, engine } = await makeEngine(tempDbPath());
    const reply = await englishParent(engine).say('How long does an open government information request take?');
    expect(labels(reply)).not.toContain('Individual');
    await db.close();
  });
});
