import type { Migration } from './index.js';

/**
 * A pressed "您是不是想问" choice (intent 'kb-choice') names the question row it answers, so the gaps
 * list can say which entry the parent picked. Only a row id: no personal data beyond what the two rows
 * keep (retention clears the question's text; erasure clears it and re-homes both rows under the
 * erased chat). Plain ADD COLUMN and an index: the same text runs on SQLite and PostgreSQL.
 */
export const m0025ChoiceQuestionLink: Migration = {
  id: 25,
  name: 'choice-question-link',
  up: `
ALTER TABLE messages ADD COLUMN question_id INTEGER;
CREATE INDEX IF NOT EXISTS messages_question_id ON messages (question_id);
`,
};
