import { tableName } from './tables';

/**
 * Feedback scores become ratings as well as votes: 1 / -1 for thumbs up and
 * down, or a number between 0 and 1. Nothing wrote to the table before this
 * version. Each statement is idempotent, like every migration's.
 */
export function feedbackRatings(database: string): string[] {
  const feedback = tableName(database, 'feedback');
  return [
    `ALTER TABLE ${feedback} DROP CONSTRAINT IF EXISTS score_is_a_vote`,
    `ALTER TABLE ${feedback} MODIFY COLUMN score Float64`,
    `ALTER TABLE ${feedback} ADD CONSTRAINT IF NOT EXISTS score_is_a_vote_or_rating CHECK score = -1 OR (score >= 0 AND score <= 1)`,
  ];
}
