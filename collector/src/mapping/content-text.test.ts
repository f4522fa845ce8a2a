import { describe, expect, it } from 'vitest';
import type { OtlpKeyValue } from '../otlp/types';
import { contentText } from './content-text';

const text = (key: string, value: string): OtlpKeyValue => ({ key, value: { type: 'string', value } });

describe('contentText', () => {
  it('reads the GenAI semantic conventions message lists as their text parts', () => {
    const attributes = [
      text('gen_ai.system_instructions', JSON.stringify([{ type: 'text', content: 'You are terse.' }])),
      text('gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Summarise this.' }, { type: 'blob', mime_type: 'image/png' }] }])),
      text('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Done.' }], finish_reason: 'stop' }])),
    ];
    expect(contentText(attributes, [], 1000)).toEqual({ prompt: 'You are terse.\nSummarise this.', completion: 'Done.' });
  });

  it('reads OpenLLMetry and OpenInference indexed messages in index order', () => {
    const openLlmetry = [text('gen_ai.prompt.1.content', 'second'), text('gen_ai.prompt.0.content', 'first'), text('gen_ai.prompt.0.role', 'system'), text('gen_ai.completion.0.content', 'answer')];
    expect(contentText(openLlmetry, [], 1000)).toEqual({ prompt: 'first\nsecond', completion: 'answer' });
    const openInference = [text('llm.input_messages.0.message.content', 'hi'), text('llm.output_messages.0.message.content', 'hello')];
    expect(contentText(openInference, [], 1000)).toEqual({ prompt: 'hi', completion: 'hello' });
  });

  it('reads the Vercel AI SDK prompt and deprecated message events, keeps plain text as it is, and cuts to the cap', () => {
    const vercel = [text('ai.prompt.messages', JSON.stringify([{ role: 'user', content: [{ type: 'text', text: 'Plan a trip' }] }])), text('ai.response.text', 'Go to Porto.')];
    expect(contentText(vercel, [], 1000)).toEqual({ prompt: 'Plan a trip', completion: 'Go to Porto.' });
    const events = [{ name: 'gen_ai.user.message', timeUnixNano: '1', attributes: [text('content', 'from an event')] }, { name: 'gen_ai.choice', timeUnixNano: '2', attributes: [text('message', JSON.stringify({ role: 'assistant', content: 'event answer' }))] }];
    expect(contentText([], events, 1000)).toEqual({ prompt: 'from an event', completion: 'event answer' });
    expect(contentText([text('input.value', '[not json'), text('output.value', 'x'.repeat(50))], [], 10)).toEqual({ prompt: '[not json', completion: 'x'.repeat(10) });
  });
});
