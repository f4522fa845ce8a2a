import type { Request, Response, Router } from 'express';
import { buildCostReport } from '../reports/build-cost-report';
import { renderCostReport } from '../reports/render-report';
import { parseCostReportRequest } from '../reports/report-query';
import type { ApiRouterOptions } from './router';

/**
 * `GET /reports/cost?by=feature|user|model|prompt&from=ISO&to=ISO&format=csv|json|html`:
 * the finance report. CSV comes as an attachment to save; JSON and HTML are
 * shown in place.
 */
export function mountReportRoutes(router: Router, options: ApiRouterOptions): void {
  const now = options.now ?? (() => new Date());
  router.get('/reports/cost', async (req: Request, res: Response) => {
    const parsed = parseCostReportRequest(req.query, now());
    if (!parsed.ok) {
      res.status(400).json({ error: 'bad_request', message: parsed.error });
      return;
    }
    const { by, from, to, format } = parsed.value;
    const model = await buildCostReport({ client: options.client, database: options.database, finance: options.config.finance, now }, { by, from, to });
    const rendered = await renderCostReport(model, format);
    res.setHeader('Content-Type', rendered.contentType);
    if (format === 'csv') res.setHeader('Content-Disposition', `attachment; filename="${rendered.filename}"`);
    res.status(200).send(rendered.body);
  });
}
