/**
 * A read of a table the store owner's migrations create, for a process that
 * reads a ClickHouse server it does not migrate: until the table (or the
 * database) exists, it reads as empty rather than failing the start.
 */
export function emptyUntilMigrated<T>(read: () => Promise<T[]>): () => Promise<T[]> {
  return () => read().catch((error: Error) => (/UNKNOWN_TABLE|UNKNOWN_DATABASE|doesn't exist|does not exist/i.test(error.message) ? [] : Promise.reject(error)));
}
