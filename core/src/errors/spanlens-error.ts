/** An exceptional failure with a stable code and the HTTP status it maps to. */
export class SpanlensError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SpanlensError';
    this.code = code;
    this.status = options.status ?? 500;
  }
}
