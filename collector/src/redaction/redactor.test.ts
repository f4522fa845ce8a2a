import { describe, expect, it } from 'vitest';
import { isCardNumber, isIban } from './detectors';
import { placeholderOf, redactionCorpus } from './redaction-corpus';
import { createRedactor, type RedactionTally } from './redactor';

const allOn = { enabled: true, disabled: [], patterns: [] };

describe('redaction corpus', () => {
  it('removes every positive case and leaves every near miss alone; precision and recall per type are printed', () => {
    const redactor = createRedactor(allOn);
    const stats = new Map<string, { tp: number; fn: number; fp: number; tn: number }>();
    const stat = (type: string) => stats.get(type) ?? stats.set(type, { tp: 0, fn: 0, fp: 0, tn: 0 }).get(type)!;
    const failures: string[] = [];
    for (const item of redactionCorpus) {
      const tally: RedactionTally = new Map();
      const out = redactor.redact(item.text, tally);
      if (item.secret !== undefined) {
        const caught = !out.includes(item.secret) && out.includes(placeholderOf(item.type)) && tally.get(item.type) === 1;
        stat(item.type)[caught ? 'tp' : 'fn']++;
        if (!caught) failures.push(`missed ${item.type}: ${JSON.stringify(item.text)} → ${JSON.stringify(out)}`);
      } else if (out === item.text) {
        stat(item.type).tn++;
      } else {
        // A false positive counts against the type that fired, once.
        for (const type of tally.keys()) stat(type).fp++;
        failures.push(`false positive ${[...tally.keys()].join(',')}: ${JSON.stringify(item.text)} → ${JSON.stringify(out)}`);
      }
    }
    const rows = [...stats].filter(([, s]) => s.tp + s.fn > 0).map(([type, s]) => `${type.padEnd(12)} precision ${(s.tp / Math.max(1, s.tp + s.fp)).toFixed(3)}  recall ${(s.tp / Math.max(1, s.tp + s.fn)).toFixed(3)}  (tp ${s.tp}, fn ${s.fn}, fp ${s.fp}, tn ${s.tn})`);
    console.log(`redaction corpus, ${redactionCorpus.length} cases:\n${rows.join('\n')}`);
    expect(failures).toEqual([]);
  });
});

describe('createRedactor', () => {
  it('keeps the surrounding text and counts each value', () => {
    const tally: RedactionTally = new Map();
    const out = createRedactor(allOn).redact('mail jane@example.com or bob@example.org, card 4242 4242 4242 4242', tally);
    expect(out).toBe('mail [EMAIL] or [EMAIL], card [CARD]');
    expect(Object.fromEntries(tally)).toEqual({ email: 2, card: 1 });
  });

  it('leaves disabled types alone and runs configured patterns with their placeholder', () => {
    const redactor = createRedactor({ enabled: true, disabled: ['ip'], patterns: [{ name: 'employee_id', pattern: 'EMP-\\d{6}' }, { name: 'ticket', pattern: 'TCK\\d+', placeholder: '<ticket>' }] });
    const tally: RedactionTally = new Map();
    expect(redactor.redact('EMP-123456 at 10.0.0.1 filed TCK991', tally)).toBe('[EMPLOYEE_ID] at 10.0.0.1 filed <ticket>');
    expect(Object.fromEntries(tally)).toEqual({ employee_id: 1, ticket: 1 });
  });

  it('answers a repeated value as the first time, tally included (short values are remembered)', () => {
    const redactor = createRedactor(allOn);
    const text = 'ana@example.com 4242 4242 4242 4242';
    const first: RedactionTally = new Map();
    const second: RedactionTally = new Map([['email', 5]]);
    expect(redactor.redact(text, first)).toBe('[EMAIL] [CARD]');
    expect(redactor.redact(text, second)).toBe('[EMAIL] [CARD]');
    expect(Object.fromEntries(first)).toEqual({ email: 1, card: 1 });
    expect(Object.fromEntries(second)).toEqual({ email: 6, card: 1 });
    const ids: RedactionTally = new Map();
    const once = redactor.pseudonymize('Ana@Example.com', ids);
    expect(redactor.pseudonymize('Ana@Example.com', ids)).toBe(once);
    expect(once).toMatch(/^\[EMAIL:[a-p]{12}\]$/);
    expect(ids.get('email')).toBe(2);
    // The redacted form of a value is not mistaken for its pseudonym, nor the other way round.
    expect(redactor.redact('Ana@Example.com', new Map())).toBe('[EMAIL]');
    // Past the memo's size every value is still redacted.
    for (let i = 0; i < 10_000; i++) expect(redactor.redact(`user${i}@example.com`, new Map())).toBe('[EMAIL]');
    const long = `${'x'.repeat(300)} ana@example.com`;
    const tally: RedactionTally = new Map();
    redactor.redact(long, tally);
    redactor.redact(long, tally);
    expect(tally.get('email')).toBe(2);
  });

  it('does nothing when turned off', () => {
    const tally: RedactionTally = new Map();
    expect(createRedactor({ ...allOn, enabled: false }).redact('jane@example.com', tally)).toBe('jane@example.com');
    expect(tally.size).toBe(0);
  });
});

describe('checks', () => {
  it('Luhn: published test numbers pass, one changed digit fails', () => {
    expect(['4111111111111111', '5555555555554444', '378282246310005', '6011000990139424', '3530111333300000'].map(isCardNumber)).toEqual([true, true, true, true, true]);
    expect(['4111111111111112', '5555555555554445', '1234567812345678'].map(isCardNumber)).toEqual([false, false, false]);
  });

  it('IBAN: mod 97 and the country length', () => {
    expect(['DE89370400440532013000', 'GB82WEST12345698765432', 'CH9300762011623852957'].map(isIban)).toEqual([true, true, true]);
    expect(['DE89370400440532013001', 'DE8937040044053201300', 'XX89370400440532013000'].map(isIban)).toEqual([false, false, false]);
  });
});
