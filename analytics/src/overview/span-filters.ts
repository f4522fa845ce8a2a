import { costKeyExpressions } from '../rollup/span-sql';

/**
 * The filters of the dashboard's views, as they appear in its URL. Each is an
 * exact match, except `prompt`, which matches a prompt id (all its versions)
 * or one `id@version`, and `callsite`, which also matches when one path ends
 * with the other: an editor knows a file by its workspace path, a span by
 * whatever path the application reported.
 */
export interface SpanFilters {
  feature?: string;
  model?: string;
  provider?: string;
  user?: string;
  prompt?: string;
  callsite?: string;
}

export const spanFilterNames = ['feature', 'model', 'provider', 'user', 'prompt', 'callsite'] as const;
export type SpanFilterName = (typeof spanFilterNames)[number];

/** The groupings of the dashboard's charts: the cost groupings plus provider. */
export const overviewGroupings = ['feature', 'model', 'provider', 'user', 'prompt', 'callsite'] as const;
export type OverviewGrouping = (typeof overviewGroupings)[number];

export const overviewKeyExpressions: Record<OverviewGrouping, string> = {
  ...costKeyExpressions,
  provider: 'toString(provider)',
};

/** The llm_spans columns the filters and keys read. */
export const filterColumns = ['feature', 'model', 'provider', 'user_id', 'prompt_id', 'prompt_version', 'code_file_path', 'code_line_number'] as const;

/**
 * The SQL condition of a set of filters, with its bound parameters (never
 * spliced into the text). "1" when there is no filter.
 */
export function filterSql(filters: SpanFilters): { sql: string; params: Record<string, string> } {
  const conditions: string[] = [];
  const params: Record<string, string> = {};
  const add = (name: SpanFilterName, condition: string) => {
    const value = filters[name];
    if (value === undefined || value === '') return;
    params[`filter_${name}`] = value;
    conditions.push(condition);
  };
  add('feature', 'toString(feature) = {filter_feature:String}');
  add('model', 'toString(model) = {filter_model:String}');
  add('provider', 'toString(provider) = {filter_provider:String}');
  add('user', 'user_id = {filter_user:String}');
  add('prompt', `(toString(prompt_id) = {filter_prompt:String} OR ${costKeyExpressions.prompt} = {filter_prompt:String})`);
  const site = costKeyExpressions.callsite;
  add(
    'callsite',
    `(code_file_path != '' AND (${site} = {filter_callsite:String} OR endsWith(${site}, concat('/', {filter_callsite:String})) OR endsWith({filter_callsite:String}, concat('/', ${site}))))`,
  );
  return { sql: conditions.length > 0 ? conditions.join(' AND ') : '1', params };
}

/**
 * The filters of a query string: known names with a non-empty string value.
 * Returns the problem when a value is not a single string.
 */
export function parseSpanFilters(query: Record<string, unknown>): { ok: true; filters: SpanFilters } | { ok: false; message: string } {
  const filters: SpanFilters = {};
  for (const name of spanFilterNames) {
    const value = query[name];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') return { ok: false, message: `${name}: expected one value` };
    if (value.length > 1000) return { ok: false, message: `${name}: longer than 1000 characters` };
    filters[name] = value;
  }
  return { ok: true, filters };
}
