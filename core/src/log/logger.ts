import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs on stderr, so stdout stays free for CLI output. Keys that
 * could carry secrets are redacted before anything is written.
 */
export function createLogger(options: { level: string; name?: string }): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'spanlens',
      redact: {
        paths: ['password', '*.password', 'authorization', '*.authorization', 'headers.authorization', 'apiKey', '*.apiKey'],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
