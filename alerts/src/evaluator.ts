import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertsConfig, Logger } from '@spanlens/core';
import { advance, type PlannedNotification } from './engine/advance';
import { claimNotification, recordDelivery, type NotificationClaim } from './engine/claims';
import { loadInstances, saveInstances } from './engine/instance-store';
import { listSilences } from './engine/silence-store';
import { evaluateRule } from './metrics/evaluate-rule';
import type { AlertInstance, AlertRule } from './model';
import { deliver } from './notifiers/deliver';
import { renderTemplate } from './rules/template';

export interface AlertEvaluatorOptions {
  client: ClickHouseClient;
  database: string;
  config: AlertsConfig;
  rules: AlertRule[];
  logger: Logger;
  /** This process's name among evaluator replicas (claims are by replica). */
  replica: string;
  /** Injected in tests. */
  now?: () => number;
  /** Injected in tests: the delay after a failed delivery attempt, doubling. */
  deliveryBaseDelayMs?: number;
}

export interface EvaluationSummary {
  rules: number;
  firing: number;
  notifications: { sent: number; suppressed: number; claimed_elsewhere: number; failed: number };
}

/**
 * The alerts role: every `evaluation_interval_ms`, each rule is evaluated
 * against stored spans, its instances advance one step of the lifecycle, the
 * new states are saved (so a restart neither re-pages nor forgets a firing
 * alert), and each notification is claimed (so of several replicas only one
 * sends it) and delivered. A rule whose evaluation fails is recorded in the
 * error state and the other rules carry on.
 */
export class AlertEvaluator {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: AlertEvaluatorOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One evaluation of every rule at `now`. */
  async evaluateOnce(): Promise<EvaluationSummary> {
    const { client, database, config, rules, logger } = this.options;
    // Replicas evaluating on the same tick compute the same states and so the
    // same notification keys, which is what lets only one of them send.
    const interval = config.evaluation_interval_ms;
    const now = Math.floor(this.now() / interval) * interval;
    const [previous, silences] = await Promise.all([loadInstances(client, database), listSilences(client, database)]);
    const summary: EvaluationSummary = { rules: rules.length, firing: 0, notifications: { sent: 0, suppressed: 0, claimed_elsewhere: 0, failed: 0 } };
    for (const rule of rules) {
      const evaluation = await evaluateRule(client, database, rule, new Date(now));
      if (evaluation.kind === 'error') logger.error({ rule: rule.name, error: evaluation.message }, 'alert rule evaluation failed');
      const result = advance({
        rule,
        evaluation,
        previous,
        now,
        repeatIntervalMs: config.repeat_interval_ms,
        silences,
        renderAnnotations: (instance) => annotations(rule, instance),
      });
      // An instance that was and stays inactive has nothing to remember; not
      // writing it each tick keeps the table to the alerts that matter.
      const changed = result.instances.filter((instance) => instance.state !== 'inactive' || (previous.get(instance.fingerprint)?.state ?? 'inactive') !== 'inactive');
      if (changed.length > 0) await saveInstances(client, database, changed, now);
      summary.firing += result.instances.filter((instance) => instance.state === 'firing').length;
      await this.notify(result.notifications, now, summary);
    }
    return summary;
  }

  /**
   * Claims each of a rule's notifications (deduplicated by the instance's
   * fingerprint and state), then delivers those this replica won in groups:
   * the rule's alerts that fired (or resolved) in this evaluation and go to
   * the same channels become one message, as Alertmanager groups by alertname.
   */
  private async notify(notifications: readonly PlannedNotification[], now: number, summary: EvaluationSummary): Promise<void> {
    const { client, database, config, logger, replica } = this.options;
    const groups = new Map<string, Array<{ notification: PlannedNotification; claim: NotificationClaim }>>();
    for (const notification of notifications) {
      const claim = { key: notification.key, replica, fingerprint: notification.instance.fingerprint, rule: notification.rule.name, kind: notification.kind };
      if (!(await claimNotification(client, database, claim))) {
        summary.notifications.claimed_elsewhere += 1;
        continue;
      }
      if (notification.channels.length === 0) {
        summary.notifications.suppressed += 1;
        await recordDelivery(client, database, claim, [], now);
        continue;
      }
      const groupKey = `${notification.kind}\u0000${[...notification.channels].sort().join(',')}`;
      groups.set(groupKey, [...(groups.get(groupKey) ?? []), { notification, claim }]);
    }
    for (const members of groups.values()) {
      const deliveries = await deliver(members.map((member) => member.notification), config.channels, {
        timeoutMs: config.delivery_timeout_ms,
        attempts: config.delivery_attempts,
        logger,
        dashboardUrl: config.dashboard_url,
        key: members.map((member) => member.notification.key).join(' '),
        ...(this.options.deliveryBaseDelayMs === undefined ? {} : { baseDelayMs: this.options.deliveryBaseDelayMs }),
      });
      const attempts = deliveries.flatMap((delivery) => delivery.attempts);
      for (const member of members) await recordDelivery(client, database, member.claim, attempts, now);
      for (const delivery of deliveries) {
        if (delivery.ok) summary.notifications.sent += members.length;
        else summary.notifications.failed += members.length;
      }
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.evaluateOnce()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'alert evaluation failed; retrying on the next interval'))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.options.config.evaluation_interval_ms);
        });
    }, delayMs);
    this.timer.unref();
  }
}

function annotations(rule: AlertRule, instance: AlertInstance): { summary: string; description: string } {
  const context = {
    value: instance.value,
    threshold: rule.condition.threshold ?? null,
    baseline: instance.baseline,
    labels: instance.labels,
    rule: rule.name,
  };
  return { summary: renderTemplate(rule.annotations.summary, context), description: renderTemplate(rule.annotations.description, context) };
}
