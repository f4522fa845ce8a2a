import { createRedactor, type Redactor } from '@spanlens/collector';
import type { SpanlensConfig } from '@spanlens/core';

/**
 * A user id as the collectors store it: personal data in it replaced by its
 * pseudonym (collector/src/redaction/redact-spans.ts). Erasure looks the user
 * up under this form as well as the one asked for; it depends on the same
 * `redaction` settings (and pseudonym key) as the collectors'.
 */
export function storedUserId(config: SpanlensConfig, redactor: Redactor = createRedactor(config.redaction)): (userId: string) => string {
  return (userId) => redactor.pseudonymize(userId, new Map());
}
