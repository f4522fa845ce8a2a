import { PROMPT_KEY_PAIRS } from '@spanlens/core/prompt-keys';
import { describe, expect, it } from 'vitest';
import { findPromptIds } from './prompt-ids';

describe('findPromptIds', () => {
  it('finds ids and versions set as span attributes and options in TypeScript', () => {
    const text = [
      "span.setAttributes({ 'spanlens.prompt.id': 'support-triage', 'spanlens.prompt.version': '3' });", // 0
      "// span.setAttribute('spanlens.prompt.id', 'old-triage');", // 1
      'await traced(openai, { promptId: "refund-policy", promptVersion: 7 });', // 2
      "span.setAttribute('traceloop.prompt.key', 'welcome-email');", // 3
      "const p = await langfuse.getPrompt('faq-answer', 2);", // 4
    ].join('\n');
    expect(findPromptIds(text, 'typescript')).toEqual([
      { id: 'support-triage', version: '3', line: 0, character: 44 },
      { id: 'refund-policy', version: '7', line: 2, character: 34 },
      { id: 'welcome-email', line: 3, character: 43 },
      { id: 'faq-answer', version: '2', line: 4, character: 36 },
    ]);
  });

  it('finds keyword and dictionary forms in Python', () => {
    const text = [
      'prompt = langfuse.get_prompt("movie-critic", version=4)', // 0
      'run(prompt_id="summarise-v2")', // 1
      'attrs = {"prompt_id": "classify", "prompt_version": "2024-06-01"}', // 2
      '# prompt_id="commented"', // 3
      'same = prompt_id == "not-an-assignment"', // 4
    ].join('\n');
    expect(findPromptIds(text, 'python')).toEqual([
      { id: 'movie-critic', version: '4', line: 0, character: 30 },
      { id: 'summarise-v2', line: 1, character: 15 },
      { id: 'classify', version: '2024-06-01', line: 2, character: 23 },
    ]);
  });

  it('finds OpenInference and Langfuse attribute keys, where the README recommends them', () => {
    const ts = [
      "const ctx = setAttributes(context.active(), { 'prompt.id': 'support-reply', 'llm.prompt_template.version': '3' });", // 0
      "span.setAttribute('langfuse.observation.prompt.name', 'faq-answer');", // 1
      "span.setAttribute('spanlens.prompt.id', 'not-openinference');", // 2: `prompt.id` inside a longer key is not OpenInference's
    ].join('\n');
    expect(findPromptIds(ts, 'typescript')).toEqual([
      { id: 'support-reply', version: '3', line: 0, character: 60 },
      { id: 'faq-answer', line: 1, character: 55 },
      { id: 'not-openinference', line: 2, character: 41 },
    ]);
    const py = 'span.set_attributes({"langfuse.observation.prompt.name": "movie-critic", "langfuse.observation.prompt.version": 4})';
    expect(findPromptIds(py, 'python')).toEqual([{ id: 'movie-critic', version: '4', line: 0, character: 58 }]);
  });

  it('recognises every prompt id key the collector maps, with its version key', () => {
    expect(PROMPT_KEY_PAIRS.map(([id]) => id)).toEqual(['spanlens.prompt.id', 'traceloop.prompt.key', 'langfuse.observation.prompt.name', 'prompt.id']);
    for (const [idKey, versionKey] of PROMPT_KEY_PAIRS) {
      const text = `span.setAttributes({ '${idKey}': 'triage', '${versionKey}': '7' });`;
      expect(findPromptIds(text, 'typescript'), idKey).toEqual([{ id: 'triage', version: '7', line: 0, character: 26 + idKey.length }]);
    }
  });
});
