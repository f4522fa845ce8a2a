import type { CostReport } from '@spanlens/core';

export async function getCosts(baseUrl: string, query: Record<string, string>): Promise<CostReport> {
  const response = await fetch(`${baseUrl}/api/v1/costs?${new URLSearchParams(query)}`);
  if (response.status !== 200) throw new Error(`costs answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as CostReport;
}

/** Rounds to a millionth of a cent so float noise does not fail an exact comparison. */
export const usd = (value: number): number => Math.round(value * 1e8) / 1e8;
