import type { ChannelName } from '../types.js';
import type { CaseRecord } from './types.js';

/** Channels whose cases the bot answers itself: a reply queued in the outbox reaches the citizen's chat. */
export const BOT_CHANNELS: readonly ChannelName[] = ['telegram', 'console', 'web'];

/**
 * Whether the bot can deliver a message to the citizen of this case. Phone, letter, visit and 民心网 cases
 * (and Slack-logged ones) have no chat: staff answer them by phone, in writing or in person and record the way.
 */
export const botCanReach = (record: Pick<CaseRecord, 'channel' | 'chatId'>): boolean =>
  Boolean(record.chatId) && BOT_CHANNELS.includes(record.channel);
