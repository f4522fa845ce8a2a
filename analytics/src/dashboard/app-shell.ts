/** The pages of the dashboard; any other path is not the dashboard's. */
export const dashboardPages = ['/', '/features', '/users', '/prompts', '/alerts', '/drift'] as const;

/**
 * The one HTML document of every page: the browser code reads the path and
 * query string and draws the page. `version` busts caches of the bundle
 * when the server restarts with new code.
 */
export function appShell(version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Spanlens</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/dashboard.css?v=${version}">
<script src="/assets/echarts.min.js?v=${version}" defer></script>
<script type="module" src="/assets/dashboard.js?v=${version}"></script>
</head>
<body>
<div id="app"><p class="loading">Loading…</p></div>
<noscript>The Spanlens dashboard needs JavaScript. The same figures are in the HTTP API under /api/v1.</noscript>
</body>
</html>
`;
}
