import { m0001Initial } from './0001-initial.js';
import { m0002Telegram } from './0002-telegram.js';
import { m0003Slack } from './0003-slack.js';
import { m0004Jobs } from './0004-jobs.js';
import { m0005AnnualRegisters } from './0005-annual-registers.js';
import { m0006GapGroups } from './0006-gap-groups.js';
import { m0010WebChat } from './0010-web-chat.js';

export interface Migration {
  id: number;
  name: string;
  up: string;
}

/** Append only: never edit or reorder an entry that has shipped. */
export const migrations: readonly Migration[] = [m0001Initial, m0002Telegram, m0003Slack, m0004Jobs, m0005AnnualRegisters, m0006GapGroups, m0010WebChat];
