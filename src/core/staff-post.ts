/**
 * A message for the staff channel, as jobs and the case desk produce it.
 * The Slack desk posts `blocks` (falling back to `text`) and uploads `file`;
 * the console desk prints `text`. `text` must read well on its own.
 */
export interface StaffPost {
  text: string;
  blocks?: unknown[];
  file?: { filename: string; title: string; data: Buffer };
  /** Slack user ids to mention (reminders, escalations). */
  mentions?: string[];
}

export interface StaffPoster {
  post(post: StaffPost): Promise<void>;
}
