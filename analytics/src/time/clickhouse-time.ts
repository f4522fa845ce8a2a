/** ClickHouse's `YYYY-MM-DD hh:mm:ss[.fff]` (UTC columns) as ISO 8601. */
export function isoOfClickHouse(value: string | number | null | undefined): string {
  return new Date(`${String(value).replace(' ', 'T')}Z`).toISOString();
}
