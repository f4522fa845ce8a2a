import type { CostReportModel } from './cost-report-model';
import { renderCsv } from './render-csv';
import { renderHtml } from './render-html';
import type { ReportFormat } from './report-query';

export interface RenderedReport {
  contentType: string;
  body: string;
  /** The name to save it under: `spanlens-cost-by-feature-20261101T000000Z-20261201T000000Z.csv`. */
  filename: string;
}

/** The report in one of its formats; JSON is the model itself. */
export async function renderCostReport(model: CostReportModel, format: ReportFormat): Promise<RenderedReport> {
  const filename = reportFilename(model, format);
  if (format === 'csv') return { contentType: 'text/csv; charset=utf-8', body: renderCsv(model), filename };
  if (format === 'html') return { contentType: 'text/html; charset=utf-8', body: await renderHtml(model), filename };
  return { contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(model, null, 2)}\n`, filename };
}

/**
 * The range in ISO 8601 basic format (no colons, which Windows forbids in
 * file names), milliseconds kept only when there are some.
 */
export function reportFilename(model: Pick<CostReportModel, 'by' | 'from' | 'to'>, format: ReportFormat): string {
  const compact = (iso: string) => iso.replace(/\.000Z$/, 'Z').replace(/[-:]/g, '');
  return `spanlens-cost-by-${model.by}-${compact(model.from)}-${compact(model.to)}.${format}`;
}
