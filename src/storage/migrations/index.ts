import { m0001Initial } from './0001-initial.js';

export interface Migration {
  id: number;
  name: string;
  up: string;
}

/** Append only: never edit or reorder an entry that has shipped. */
export const migrations: readonly Migration[] = [m0001Initial];
