import { describe, expect, expectTypeOf, it } from 'vitest';
import { traceLlmCall } from './index';

// Declarations in the style of the OpenAI and Vercel AI SDKs: literal unions,
// overloads chosen by `stream: true`, and a schema class with private members.
type Message = { role: 'system' | 'user' | 'assistant'; content: string | Array<{ type: 'text'; text: string }> };
type Completion = { id: string };
type Chunk = { delta: string };
interface LanguageModel {
  readonly provider: string;
  readonly modelId: string;
}
class Schema {
  private cached: unknown = null;
  readonly shape = { answer: 'string' };
  parse(value: unknown): unknown {
    return (this.cached = value);
  }
}

function create(body: { model: string; messages: Message[]; temperature?: number; stream?: false }): Promise<Completion>;
function create(body: { model: string; messages: Message[]; temperature?: number; stream: true }): Promise<AsyncIterable<Chunk>>;
async function create(body: { stream?: boolean }): Promise<Completion | AsyncIterable<Chunk>> {
  return body.stream ? (async function* () {})() : { id: 'chatcmpl-1' };
}
async function generateObject(options: { model: LanguageModel; schema: Schema; prompt: string; image?: Uint8Array }): Promise<{ object: unknown }> {
  return { object: options.schema.parse({}) };
}

// Type-checked by `pnpm typecheck`; the runtime part only shows the calls run.
describe('the request form keeps the request type the SDK method expects', () => {
  it('an inline literal request: roles stay literal, `stream: true` picks the stream overload', async () => {
    const reply = await traceLlmCall({ callSite: false }, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2 }, (request) => create(request));
    expectTypeOf(reply).toEqualTypeOf<Completion>();
    const stream = await traceLlmCall({ callSite: false }, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true }, (request) => create(request));
    expectTypeOf(stream).toEqualTypeOf<AsyncIterable<Chunk>>();
    expect(reply).toEqual({ id: 'chatcmpl-1' });
  });

  it('typed variables, model objects, class instances and binary data pass through', async () => {
    const messages: Message[] = [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }];
    await traceLlmCall({ callSite: false }, { model: 'gpt-4o', messages }, (request) => create(request));
    const model: LanguageModel = { provider: 'openai.chat', modelId: 'gpt-4o' };
    const result = await traceLlmCall({ callSite: false }, { model, schema: new Schema(), prompt: 'Answer', image: new Uint8Array(4) }, (request) => generateObject(request));
    expectTypeOf(result).toEqualTypeOf<{ object: unknown }>();
  });

  it('a wrong request is still a type error', async () => {
    // @ts-expect-error 'robot' is not a role.
    await traceLlmCall({ callSite: false }, { model: 'gpt-4o', messages: [{ role: 'robot', content: 'Hi' }] }, (request) => create(request));
  });
});
