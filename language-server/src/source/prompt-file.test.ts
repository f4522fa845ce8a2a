import { describe, expect, it } from 'vitest';
import { parsePromptFile } from './prompt-file';

describe('parsePromptFile', () => {
  it('reads a YAML prompt template, keeping the version as written', () => {
    const text = [
      '# Triage prompt for the support inbox', // 0
      'id: support-triage', // 1
      'version: 1.10', // 2
      'model: gpt-4o-mini', // 3
      'template: |', // 4
      '  Classify this ticket as billing, bug or other.', // 5
      '  Ticket: {{ticket}}', // 6
    ].join('\n');
    expect(parsePromptFile('/repo/prompts/triage.yaml', text)).toEqual({
      ok: true,
      prompt: {
        id: 'support-triage',
        version: '1.10',
        model: 'gpt-4o-mini',
        template: 'Classify this ticket as billing, bug or other.\nTicket: {{ticket}}\n',
        line: 1,
      },
    });
  });

  it('reads a .prompty file: name, model from its configuration, body as the template', () => {
    const text = [
      '---', // 0
      'description: Answers product questions', // 1
      'name: product-qa', // 2
      'model:', // 3
      '  api: chat', // 4
      '  configuration:', // 5
      '    type: azure_openai', // 6
      '    azure_deployment: gpt-4o', // 7
      '---', // 8
      'system:', // 9
      'You answer questions about {{product}}.', // 10
    ].join('\n');
    expect(parsePromptFile('qa.prompty', text)).toEqual({
      ok: true,
      prompt: { id: 'product-qa', model: 'gpt-4o', template: 'system:\nYou answer questions about {{product}}.', line: 2 },
    });
  });

  it('returns errors as values', () => {
    expect(parsePromptFile('a.yaml', 'id: x\n')).toEqual({ ok: false, error: 'missing `template` (a string)' });
    expect(parsePromptFile('a.yml', 'template: hi\n')).toEqual({ ok: false, error: 'missing `id`' });
    expect(parsePromptFile('a.prompty', 'no front matter')).toEqual({ ok: false, error: 'missing front matter between `---` lines' });
    const invalid = parsePromptFile('a.yaml', 'id: [unclosed\n');
    expect(invalid.ok).toBe(false);
    expect(parsePromptFile('a.txt', '')).toEqual({ ok: false, error: 'not a prompt file: a.txt' });
  });
});
