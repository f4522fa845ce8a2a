import { SpanlensError } from '../errors/spanlens-error';

export type StorageErrorCode =
  | 'DATA_DIR_NOT_WRITABLE'
  | 'DATA_DIR_UNAVAILABLE'
  | 'SERVER_UNREACHABLE'
  | 'DATABASE_SETUP_FAILED'
  | 'MIGRATION_FAILED'
  | 'INVALID_IDENTIFIER'
  | 'OWNER_UNREACHABLE'
  | 'OWNER_REFUSED';

/**
 * Storage could not be opened or prepared. Every message names the setting
 * or the server involved, so an operator can fix it without reading code.
 */
export class StorageError extends SpanlensError {
  override readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options: { cause?: unknown } = {}) {
    // 503: the service cannot work without its store, but the request was fine.
    super(code, message, { status: 503, cause: options.cause });
    this.name = 'StorageError';
    this.code = code;
  }
}
