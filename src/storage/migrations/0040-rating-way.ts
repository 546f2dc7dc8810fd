import type { Migration } from './index.js';

/**
 * ratings.via: how a rating staff recorded was given (民心网 / 电话回访 / 书面 / 当面), for the phone, 民心网, letter
 * and visit cases the bot cannot ask (review17 #15); null when the citizen rated in the bot's chat. Reports keep the
 * way, so the bot's ratings and those given on 民心网 or on the 回访 call are told apart.
 */
export const m0040RatingWay: Migration = {
  id: 40,
  name: 'rating-way',
  up: `
ALTER TABLE ratings ADD COLUMN via TEXT;
`,
};
