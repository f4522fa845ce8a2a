/**
 * The span attributes that name a prompt and its version, one pair per
 * instrumentation dialect, in lookup order: the first id present wins. The
 * collector reads them from spans and the language server finds them as
 * literal keys in source, so both work from this one list. It imports nothing,
 * so the bundled language server can use it without pulling in storage
 * (`@spanlens/core/prompt-keys`).
 *
 * Id and version are read as a pair from the same dialect, so a version never
 * belongs to another dialect's id.
 */
export const PROMPT_KEY_PAIRS: readonly (readonly [id: string, version: string])[] = [
  ['spanlens.prompt.id', 'spanlens.prompt.version'],
  // OpenLLMetry (traceloop SpanAttributes), set for prompts from Traceloop's registry.
  ['traceloop.prompt.key', 'traceloop.prompt.version'],
  // Langfuse (LangfuseOtelSpanAttributes): the linked prompt's name and version.
  ['langfuse.observation.prompt.name', 'langfuse.observation.prompt.version'],
  // OpenInference (SemanticConventions PROMPT_ID, LLM_PROMPT_TEMPLATE_VERSION).
  ['prompt.id', 'llm.prompt_template.version'],
];
