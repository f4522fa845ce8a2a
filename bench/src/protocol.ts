/** Messages between `bench/ingest.ts` and its child processes (Node IPC). */

export interface GeneratorConfig {
  /** Where the OTLP requests go. */
  url: string;
  /** Where the markers' visibility is polled (the costs API); `url` when absent. */
  apiUrl?: string;
  seconds: number;
  warmupSeconds: number;
  concurrency: number;
  minSpans: number;
  maxSpans: number;
  poolBodies: number;
  seed: number;
  runId: string;
  markerIntervalMs: number;
  /** Pause before resending a request the server refused with 503/429. */
  retryPauseMs: number;
}

/** Per acknowledged request, as parallel arrays (cheap to ship over IPC). */
export interface AckLog {
  /** Epoch ms at which the 200 arrived. */
  at: number[];
  /** Send of the accepted attempt → 200, ms. */
  latencyMs: number[];
  spans: number[];
  llmSpans: number[];
  /** `partial_success.rejected_spans` of the answer. */
  rejected: number[];
}

export interface MarkerOutcome {
  feature: string;
  sentAt: number;
  ackMs: number | null;
  /** Send → first costs answer listing the marker's feature; null if it never showed up in time. */
  visibleMs: number | null;
}

export interface GeneratorResult {
  measureStart: number;
  measureEnd: number;
  acks: AckLog;
  markerAcks: AckLog;
  overloaded: { total: number; inWindow: number };
  transportErrors: { total: number; samples: string[] };
  /** Answers other than 200/429/503, by status, with a sample body. */
  failures: Record<string, { count: number; sample: string }>;
  /** Requests still unacknowledged when the drain deadline passed. */
  abandoned: number;
  markers: MarkerOutcome[];
  pollMs: number[];
  pollFailures: number;
  generatorCpu: { userMs: number; systemMs: number };
  eventLoopDelayP99Ms: number;
}

export type GeneratorMessage =
  | { type: 'pool'; bodies: number; spans: number; llmSpans: number; bytes: number; buildMs: number }
  | { type: 'phase'; phase: 'measure-start' | 'measure-end'; at: number }
  | { type: 'result'; result: GeneratorResult }
  | { type: 'error'; message: string };

export interface RawInsertConfig {
  rows: number;
  batch: number;
  minSpans: number;
  maxSpans: number;
  poolBodies: number;
  seed: number;
  dataDir: string;
}

export type RawInsertMessage =
  | { type: 'built'; rows: number; templates: number; buildMs: number }
  | { type: 'inserting' }
  | { type: 'result'; rows: number; seconds: number; rowsPerSecond: number; stored: number; batches: number; batchMsP50: number; batchMsMax: number; cpuSeconds: number }
  | { type: 'error'; message: string };

/** Sends one message to bench/ingest.ts, which started this process with an IPC channel. */
export function tellParent(message: GeneratorMessage | RawInsertMessage, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error(`${script} must be started by bench/ingest.ts (it reports over IPC)`));
      return;
    }
    process.send(message, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}
