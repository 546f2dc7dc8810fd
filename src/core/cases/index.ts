/** The case desk: petitions with codes, lifecycle, deadlines and ratings. */
export { createCaseDesk, type CaseDeskDeps, type CaseDeskImpl, type UndeliveredOutcome } from './desk.js';
export { citizenMessage, formatDeadline } from './messages.js';
export { DEFAULT_RATING_SCALES_PATH, loadRatingScales, resolveRating, type RatingScales } from './ratings.js';
export { OPEN_STATES, TRANSITIONS, allowedActions, nextState } from './transitions.js';
export type * from './types.js';
