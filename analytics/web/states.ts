import { h } from './dom';

/** What a fresh Spanlens shows: how to send it spans, with a snippet to copy. */
export function emptyState(): HTMLElement {
  const endpoint = `${location.protocol}//${location.host}`;
  const snippet = [
    `export OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}`,
    `export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=${endpoint}/v1/traces`,
    'export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
  ].join('\n');
  const code = h('code', null, snippet);
  const copy = h('button', {
    type: 'button',
    onclick: async () => {
      // The clipboard API exists only in secure contexts (https or localhost); elsewhere the text is selected for Ctrl+C.
      const copied = navigator.clipboard ? await navigator.clipboard.writeText(snippet).then(() => true, () => false) : false;
      if (!copied) getSelection()?.selectAllChildren(code);
      copy.textContent = copied ? 'Copied' : 'Selected — press Ctrl+C';
    },
  }, 'Copy');
  return h('section', { class: 'empty', dataset: { state: 'empty' } },
    h('h2', null, `No spans yet — point an OTLP exporter at ${endpoint}`),
    h('p', null, 'Any OpenTelemetry SDK with an OTLP/HTTP exporter will do; LLM calls are recognised by their GenAI attributes (gen_ai.request.model, gen_ai.usage.input_tokens, …). Set these in the environment of your application:'),
    h('pre', { class: 'snippet' }, code),
    copy,
    h('p', { class: 'note' }, 'This page fills in by itself once spans arrive (auto-refresh).'),
  );
}

/** A failed request, with the API's message and a way to try again. */
export function errorState(message: string, retry: () => void): HTMLElement {
  return h('section', { class: 'error', role: 'alert', dataset: { state: 'error' } },
    h('h2', null, 'Could not load this view'),
    h('p', null, message),
    h('button', { type: 'button', onclick: retry }, 'Try again'),
  );
}

/** A view with nothing in its range (spans exist, just not here). */
export function nothingHere(what: string): HTMLElement {
  return h('p', { class: 'note', dataset: { state: 'nothing' } }, what);
}
