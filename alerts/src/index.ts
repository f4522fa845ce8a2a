/**
 * The alert engine: rules as code, metric evaluation, the pending/firing/
 * resolved lifecycle, and Slack, PagerDuty and webhook notifiers.
 */
export { alertDimensions, alertMetrics, alertStates, severities } from './model';
export type { AlertCondition, AlertDimension, AlertInstance, AlertMetric, AlertRule, AlertState, Comparison, Evaluation, Notification, Sample, Severity, Silence } from './model';
export { defaultMinVotes, defaultRulesDir, loadRules, parseRuleFile } from './rules/rule-file';
export type { LoadedRules, LoadRulesOptions } from './rules/rule-file';
export { formatDuration, parseDuration } from './rules/duration';
export { checkTemplate, renderTemplate } from './rules/template';
export type { TemplateContext } from './rules/template';
export { baselineScale, evaluateRule, meetsCondition } from './metrics/evaluate-rule';
export { groupDimensions, metricQuery } from './metrics/metric-sql';
export type { MetricQuery, TimeRange } from './metrics/metric-sql';
export { advance } from './engine/advance';
export type { AdvanceInput, AdvanceResult, PlannedNotification } from './engine/advance';
export { fingerprint } from './engine/fingerprint';
export { alertLabels } from './engine/alert-labels';
export { matchesSilence, silenceStatus, silencedBy } from './engine/silence-match';
export type { SilenceStatus } from './engine/silence-match';
export { validateSilence } from './engine/silence-validation';
export type { SilenceInput } from './engine/silence-validation';
export { firingKey, repeatKey, resolvedKey } from './engine/notification-key';
export { loadInstances, saveInstances } from './engine/instance-store';
export { createSilence, listSilences, deleteSilence } from './engine/silence-store';
export { claimNotification, recordDelivery } from './engine/claims';
export type { NotificationClaim, ClaimOptions } from './engine/claims';
export { deliver, channelRequest } from './notifiers/deliver';
export type { DeliverOptions } from './notifiers/deliver';
export type { ChannelDelivery, DeliveryAttempt, HttpRequest } from './notifiers/delivery-attempt';
export { alertmanagerPayload, webhookRequest, webhookSignature } from './notifiers/webhook';
export type { AlertmanagerWebhookPayload, AlertmanagerAlert } from './notifiers/webhook';
export { slackMessage, slackRequest } from './notifiers/slack';
export { pagerDutyEvent, pagerDutyRequest, pagerDutyEventsUrl } from './notifiers/pagerduty';
export type { PagerDutyEvent } from './notifiers/pagerduty';
export { alertUrl } from './notifiers/present';
export { AlertEvaluator } from './evaluator';
export type { AlertEvaluatorOptions, EvaluationSummary } from './evaluator';
export { createAlertsRouter } from './api/alerts-routes';
export type { AlertsRouterOptions } from './api/alerts-routes';
export { testRuleFile } from './api/test-rules';
export type { RuleFileTest, RuleTestResult } from './api/test-rules';
