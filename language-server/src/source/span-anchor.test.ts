import { describe, expect, it } from 'vitest';
import { anchorLine, matchSpanPath } from './span-anchor';

describe('matchSpanPath', () => {
  const workspace = [
    '/home/ana/support-bot/src/chat.ts',
    '/home/ana/support-bot/src/admin/chat.ts',
    '/home/ana/support-bot/scripts/seed.py',
    '/home/ana/support-bot/worker/src/chat.py',
  ];

  it('matches a container build path to the workspace file with the longest shared suffix', () => {
    expect(matchSpanPath('/app/dist/src/admin/chat.ts', workspace)).toBe('/home/ana/support-bot/src/admin/chat.ts');
    expect(matchSpanPath('/app/src/chat.ts', workspace)).toBe('/home/ana/support-bot/src/chat.ts');
  });

  it('normalises Windows separators', () => {
    expect(matchSpanPath('C:\\build\\src\\chat.py', workspace)).toBe('/home/ana/support-bot/worker/src/chat.py');
  });

  it('reports an ambiguous match as undefined, and so a file that is not in the workspace', () => {
    // Both `chat.ts` files share only the file name with this path.
    expect(matchSpanPath('/srv/app/chat.ts', workspace)).toBeUndefined();
    expect(matchSpanPath('/app/src/billing.ts', workspace)).toBeUndefined();
  });

  it('finds a moved file by its name when only one candidate has it', () => {
    expect(matchSpanPath('/app/lib/seed.py', workspace)).toBe('/home/ana/support-bot/scripts/seed.py');
  });
});

// Lines are 0-based: the span line here is OTel's `code.line.number` minus one.
const deployed = [
  'import OpenAI from "openai";', // 0
  'const openai = new OpenAI();', // 1
  '', // 2
  'export async function answer(question: string) {', // 3
  '  const context = await retrieve(question);', // 4
  '  const draft = await openai.chat.completions.create({', // 5
  '    model: "gpt-4o-mini",', // 6
  '    messages: [{ role: "user", content: question }],', // 7
  '  });', // 8
  '  const checked = await openai.chat.completions.create({', // 9  <- the span
  '    model: "gpt-4o",', // 10
  '    messages: [{ role: "user", content: draft.choices[0]?.message.content ?? "" }],', // 11
  '  });', // 12
  '  return checked;', // 13
  '}', // 14
];

describe('anchorLine', () => {
  it('keeps the annotation on the call after lines were added above it (span line 10, call now at 14)', () => {
    const text = [
      'import Anthropic from "@anthropic-ai/sdk";', // 0
      '', // 1
      'const anthropic = new Anthropic();', // 2
      '', // 3
      'export async function suggestReply(ticket: Ticket) {', // 4
      '  // Tickets from enterprise customers get a longer, more careful answer.', // 5  (added)
      '  const enterprise = ticket.plan === "enterprise";', // 6  (added)
      '  const maxTokens = enterprise ? 2048 : 512;', // 7  (added)
      '  const history = await loadHistory(ticket.id);', // 8
      '  if (history.length === 0) {', // 9
      '    return undefined;', // 10
      '  }', // 11
      '  const prompt = renderPrompt(ticket, history);', // 12
      '  // The call below was at line 10 when the span was recorded.', // 13 (added)
      '  return anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: maxTokens, messages: prompt });', // 14
      '}', // 15
    ].join('\n');
    expect(anchorLine({ spanLine: 10, spanFunction: 'suggestReply', text, languageId: 'typescript' })).toBe(14);
  });

  it('tells two calls in one function apart by the span model when insertions moved both', () => {
    const edited = [
      ...deployed.slice(0, 4),
      '  // Log what we were asked, for the audit trail.',
      '  logger.info({ question });',
      '  if (question.length > 4000) {',
      '    throw new Error("question too long");',
      '  }',
      ...deployed.slice(4),
    ].join('\n');
    // Five lines went in above both calls: the first moved from 5 to 10, the second from 9 to 14.
    expect(anchorLine({ spanLine: 9, spanFunction: 'answer', spanModel: 'gpt-4o-2024-08-06', text: edited, languageId: 'typescript' })).toBe(14);
    expect(anchorLine({ spanLine: 5, spanFunction: 'answer', spanModel: 'gpt-4o-mini', text: edited, languageId: 'typescript' })).toBe(10);
    // A span line that falls inside a multi-line call anchors on that call's first line.
    expect(anchorLine({ spanLine: 12, spanFunction: 'answer', text: edited, languageId: 'typescript' })).toBe(10);
  });

  it('matches a qualified function name on its last part', () => {
    const text = deployed.join('\n');
    expect(anchorLine({ spanLine: 11, spanFunction: 'SupportService.answer', text, languageId: 'typescript' })).toBe(9);
  });

  it('clamps the line of a span from an older deployment that is past the end of the file', () => {
    const text = ['def greet(name):', '    return f"hi {name}"', ''].join('\n');
    expect(anchorLine({ spanLine: 57, spanFunction: 'answer_ticket', text, languageId: 'python' })).toBe(2);
    expect(anchorLine({ spanLine: -1, text, languageId: 'python' })).toBe(0);
  });

  it('re-anchors in Python, and falls back to the function header when its call is no longer recognised', () => {
    const text = [
      'import anthropic', // 0
      '', // 1
      'client = anthropic.Anthropic()', // 2
      '', // 3
      '', // 4
      'def summarise(doc):', // 5
      '    prompt = f"Summarise: {doc}"', // 6
      '    return client.messages.create(', // 7
      '        model="claude-3-5-haiku-latest", max_tokens=300,', // 8
      '        messages=[{"role": "user", "content": prompt}],', // 9
      '    )', // 10
      '', // 11
      '', // 12
      'def classify(doc):', // 13
      '    return my_gateway.complete(doc)', // 14
    ].join('\n');
    expect(anchorLine({ spanLine: 4, spanFunction: 'summarise', text, languageId: 'python' })).toBe(7);
    expect(anchorLine({ spanLine: 3, spanFunction: 'classify', text, languageId: 'python' })).toBe(13);
    expect(anchorLine({ spanLine: 14, spanFunction: 'classify', text, languageId: 'python' })).toBe(14);
  });
});
