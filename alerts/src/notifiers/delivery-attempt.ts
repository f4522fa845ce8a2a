/** One HTTP attempt to deliver a notification to one channel, as logged and recorded in alert_notifications. */
export interface DeliveryAttempt {
  channel: string;
  /** 1-based. */
  attempt: number;
  /** The HTTP status, or null when there was no response (network error, timeout). */
  status: number | null;
  ok: boolean;
  error?: string;
  /** Epoch ms when the attempt finished. */
  at: number;
  duration_ms: number;
}

/** The outcome for one channel: delivered or not, and every attempt it took. */
export interface ChannelDelivery {
  channel: string;
  ok: boolean;
  attempts: DeliveryAttempt[];
}

/** A prepared POST: what a notifier sends, kept apart from sending it so payloads are pure and testable. */
export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}
