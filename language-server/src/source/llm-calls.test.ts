import { describe, expect, it } from 'vitest';
import { findLlmCalls } from './llm-calls';

// Line numbers in comments are 0-based, as LSP positions are.
const supportAgent = [
  "import OpenAI from 'openai';", // 0
  "import Anthropic from '@anthropic-ai/sdk';", // 1
  '', // 2
  'const openai = new OpenAI();', // 3
  'const anthropic = new Anthropic();', // 4
  '', // 5
  '// openai.chat.completions.create({ model: "gpt-3.5" }) was the old path', // 6
  'export async function answerTicket(ticket: Ticket): Promise<string> {', // 7
  '  const triage = await openai.chat.completions.create({', // 8
  "    model: 'gpt-4o-mini',", // 9
  "    messages: [{ role: 'user', content: `Classify: ${ticket.body}` }],", // 10
  '  });', // 11
  '  const label = triage.choices[0]?.message.content;', // 12
  '  const reply = await anthropic.messages.create({', // 13
  '    model: "claude-sonnet-4-5",', // 14
  '    max_tokens: 1024,', // 15
  "    messages: [{ role: 'user', content: label ?? '' }],", // 16
  '  });', // 17
  "  return reply.content[0]?.type === 'text' ? reply.content[0].text : '';", // 18
  '}', // 19
  '', // 20
  'export class Summariser {', // 21
  '  constructor(private readonly client: OpenAI) {}', // 22
  '', // 23
  '  async summarise(text: string): Promise<string> {', // 24
  '    const chunks = text.split("\\n\\n").map(async (chunk) => {', // 25
  '      const r = await this.client.responses.create({ model: MODEL, input: chunk });', // 26
  '      return r.output_text;', // 27
  '    });', // 28
  "    return (await Promise.all(chunks)).join(' ');", // 29
  '  }', // 30
  '}', // 31
  '', // 32
  "const quick = async (q: string) => generateText({ model: openai('gpt-4.1'), prompt: q });", // 33
].join('\n');

describe('findLlmCalls in TypeScript', () => {
  const calls = findLlmCalls(supportAgent, 'typescript');

  it('finds both calls in one function, with their models and ranges, and ignores the comment', () => {
    expect(calls.slice(0, 2)).toEqual([
      {
        line: 8, character: 23, endLine: 11, endCharacter: 4,
        provider: 'openai', sdk: 'openai', model: 'gpt-4o-mini', functionName: 'answerTicket',
      },
      {
        line: 13, character: 22, endLine: 17, endCharacter: 4,
        provider: 'anthropic', sdk: 'anthropic', model: 'claude-sonnet-4-5', functionName: 'answerTicket',
      },
    ]);
  });

  it('attributes a call in an anonymous callback to the method around it, without a model for a variable', () => {
    expect(calls[2]).toEqual({
      line: 26, character: 22, endLine: 26, endCharacter: 82,
      provider: 'openai', sdk: 'openai', functionName: 'summarise',
    });
  });

  it('reads the provider and model of a Vercel AI SDK call from its provider factory', () => {
    expect(calls[3]).toMatchObject({ line: 33, sdk: 'ai', provider: 'openai', model: 'gpt-4.1', functionName: 'quick' });
    expect(calls).toHaveLength(4);
  });
});

describe('findLlmCalls for other SDKs', () => {
  it('finds Google, Mistral and LangChain calls in JavaScript', () => {
    const text = [
      'async function compare(prompt) {', // 0
      "  const g = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: prompt });", // 1
      "  const m = await mistral.chat.complete({ model: 'mistral-large-latest', messages });", // 2
      "  const llm = new ChatAnthropic({ model: 'claude-3-5-haiku-latest', temperature: 0 });", // 3
      "  const s = streamText({ model: 'anthropic/claude-opus-4', prompt });", // 4
      '  return [g, m, llm, s];', // 5
      '}', // 6
    ].join('\n');
    const summary = findLlmCalls(text, 'javascript').map(({ line, character, provider, sdk, model, functionName }) => ({
      line, character, provider, sdk, model, functionName,
    }));
    expect(summary).toEqual([
      { line: 1, character: 18, provider: 'google', sdk: 'google-genai', model: 'gemini-2.5-flash', functionName: 'compare' },
      { line: 2, character: 18, provider: 'mistral', sdk: 'mistral', model: 'mistral-large-latest', functionName: 'compare' },
      { line: 3, character: 14, provider: 'anthropic', sdk: 'langchain', model: 'claude-3-5-haiku-latest', functionName: 'compare' },
      { line: 4, character: 12, provider: 'anthropic', sdk: 'ai', model: 'anthropic/claude-opus-4', functionName: 'compare' },
    ]);
  });

  it('does not take OpenAI Assistants thread messages or a local generateText definition for calls', () => {
    const text = [
      "await openai.beta.threads.messages.create(thread.id, { role: 'user', content: q });",
      'export function generateText(options) { return options; }',
    ].join('\n');
    expect(findLlmCalls(text, 'javascript')).toEqual([]);
  });
});

describe('findLlmCalls in Python', () => {
  const text = [
    'from openai import OpenAI', // 0
    'import anthropic', // 1
    '', // 2
    'client = OpenAI()', // 3
    '', // 4
    'class Assistant:', // 5
    '    def __init__(self):', // 6
    '        self.claude = anthropic.Anthropic()', // 7
    '', // 8
    '    async def plan(self, goal: str) -> str:', // 9
    '        """Plan steps.', // 10
    '', // 11
    'def not_a_function(): client.chat.completions.create(model="x")', // 12 (inside the docstring)
    '"""', // 13
    '        if goal:', // 14
    '            response = client.chat.completions.create(', // 15
    '                model="gpt-4o",', // 16
    '                messages=[{"role": "user", "content": goal}],', // 17
    '            )', // 18
    '        return response.choices[0].message.content', // 19
    '', // 20
    '    def critique(self, plan):', // 21
    '        # client.chat.completions.create(model="commented-out")', // 22
    '        msg = self.claude.messages.create(model = "claude-3-7-sonnet-latest", max_tokens=512,', // 23
    '            messages=[{"role": "user", "content": plan}])', // 24
    '        return msg', // 25
    '', // 26
    'llm = ChatOpenAI(model_name="gpt-4o-mini")', // 27
  ].join('\n');

  it('finds calls with keyword models and the enclosing def, skipping docstrings and comments', () => {
    expect(findLlmCalls(text, 'python')).toEqual([
      { line: 15, character: 23, endLine: 18, endCharacter: 13, provider: 'openai', sdk: 'openai', model: 'gpt-4o', functionName: 'plan' },
      {
        line: 23, character: 14, endLine: 24, endCharacter: 57,
        provider: 'anthropic', sdk: 'anthropic', model: 'claude-3-7-sonnet-latest', functionName: 'critique',
      },
      { line: 27, character: 6, endLine: 27, endCharacter: 42, provider: 'openai', sdk: 'langchain', model: 'gpt-4o-mini' },
    ]);
  });
});
