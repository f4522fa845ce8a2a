/**
 * What counts as personal data or a secret, and how each is recognised.
 * Patterns find candidates; checks with a real rule behind them (Luhn for
 * cards, ISO 7064 mod 97 for IBANs, the check letter of a Spanish DNI, the
 * IPv6 grammar) throw out look-alikes, so an order number does not become
 * `[CARD]`. Each detector has a cheap trigger so that text which cannot hold
 * its kind of data is not searched at all.
 */
import { isIPv6 } from 'node:net';

export type RedactionType = 'private_key' | 'jwt' | 'secret' | 'email' | 'iban' | 'card' | 'national_id' | 'ip' | 'phone';

export interface Detector {
  type: RedactionType | string;
  placeholder: string;
  pattern: RegExp;
  /** Whether a text can contain a match at all; false skips the pattern. */
  trigger: (text: string) => boolean;
  /** A second look at a candidate; false keeps it. */
  check?: (match: string) => boolean;
}

const DIGITS_7 = /\d(?:\D?\d){6}/;
const hasDigits = (text: string) => DIGITS_7.test(text);
/** A UK National Insurance number has only six digits. */
const DIGITS_6 = /\d(?:\D?\d){5}/;

/** Built-in detectors, in the order they run: secrets first, so a key is not half-taken for a phone number. */
export const builtInDetectors: readonly Detector[] = [
  {
    type: 'private_key',
    placeholder: '[PRIVATE_KEY]',
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g,
    trigger: (text) => text.includes('-----BEGIN'),
  },
  {
    type: 'jwt',
    placeholder: '[JWT]',
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g,
    trigger: (text) => text.includes('eyJ'),
    check: (match) => isJsonObject(match.slice(0, match.indexOf('.'))),
  },
  {
    type: 'secret',
    placeholder: '[SECRET]',
    pattern: new RegExp(
      [
        // OpenAI (project, service-account, admin and legacy keys) and Anthropic (sk-ant-api03-…).
        String.raw`\bsk-(?:ant-(?:api|admin)\d\d-|proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}`,
        // AWS access key ids.
        String.raw`\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b`,
        // GitHub tokens and fine-grained PATs.
        String.raw`\bgh[pousr]_[A-Za-z0-9]{36,}\b`,
        String.raw`\bgithub_pat_[A-Za-z0-9_]{50,}\b`,
        // Slack tokens.
        String.raw`\bxox[abposr]-[A-Za-z0-9-]{10,}`,
        // Google API keys.
        String.raw`\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])`,
        // Stripe secret and restricted keys.
        String.raw`\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}\b`,
        // Hugging Face, Groq, xAI, Replicate, GitLab.
        String.raw`\bhf_[A-Za-z0-9]{30,}\b`,
        String.raw`\bgsk_[A-Za-z0-9]{40,}\b`,
        String.raw`\bxai-[A-Za-z0-9]{40,}\b`,
        String.raw`\br8_[A-Za-z0-9]{30,}\b`,
        String.raw`\bglpat-[A-Za-z0-9_-]{20,}\b`,
        // Any bearer credential in a header written out.
        String.raw`(?<=\bBearer\s)[A-Za-z0-9._~+/-]{20,}=*`,
      ].join('|'),
      'g',
    ),
    trigger: (text) => /sk-|AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|xox|AIza|_live_|_test_|hf_|gsk_|xai-|r8_|glpat-|Bearer/.test(text),
  },
  {
    type: 'email',
    placeholder: '[EMAIL]',
    pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/g,
    trigger: (text) => text.includes('@'),
    check: (match) => !match.slice(0, match.indexOf('@')).includes('..'),
  },
  {
    type: 'iban',
    placeholder: '[IBAN]',
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g,
    trigger: hasDigits,
    check: isIban,
  },
  {
    type: 'card',
    placeholder: '[CARD]',
    // Not inside a longer word or id (`resp_6557985232548a58…` holds a Luhn-valid run by chance).
    pattern: /(?<![\w.-])(?:\d[ -]?){12,18}\d(?![\w-]|\.\d)/g,
    trigger: hasDigits,
    check: isCardNumber,
  },
  {
    type: 'national_id',
    placeholder: '[NATIONAL_ID]',
    pattern: new RegExp(
      [
        // US Social Security numbers (never 000, 666 or 9xx in the area, 00 in the group, 0000 in the serial).
        String.raw`(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])`,
        // UK National Insurance numbers.
        String.raw`\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b`,
        // Spanish DNI / NIE (checked below).
        String.raw`\b[XYZ]?\d{7,8}-?[A-HJ-NP-TV-Z]\b`,
      ].join('|'),
      'g',
    ),
    trigger: (text) => DIGITS_6.test(text),
    check: (match) => !/^[XYZ]?\d{7,8}-?[A-Z]$/.test(match) || isSpanishId(match),
  },
  {
    type: 'ip',
    placeholder: '[IP]',
    pattern: /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w.]|\.\d)|(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g,
    trigger: (text) => text.includes('.') || text.includes(':'),
    check: (match) => !match.includes(':') || (isIPv6(match) && match !== '::' && /[0-9A-Fa-f]/.test(match.replaceAll(':', ''))),
  },
  {
    type: 'phone',
    placeholder: '[PHONE]',
    // International numbers written with + and North American ones with separators.
    pattern: /(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){1,5}[ .-]?\d{2,4}(?![\w])|(?<![\w-])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\w-])/g,
    trigger: hasDigits,
    check: (match) => {
      const digits = match.replace(/\D/g, '').length;
      return digits >= 8 && digits <= 15;
    },
  },
];

function isJsonObject(base64url: string): boolean {
  try {
    const value: unknown = JSON.parse(Buffer.from(base64url, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && ('alg' in value || 'typ' in value);
  } catch {
    return false;
  }
}

/** Issuer prefixes and the lengths their card numbers have (Visa, Mastercard, Amex, Diners, JCB, Discover/UnionPay). */
const CARD_LENGTHS: ReadonlyArray<[RegExp, readonly number[]]> = [
  [/^4/, [13, 16, 19]],
  [/^(?:5[1-5]|2[2-7])/, [16]],
  [/^3[47]/, [15]],
  [/^35/, [16, 17, 18, 19]],
  [/^3[0689]/, [14, 15, 16, 17, 18, 19]],
  [/^6/, [16, 17, 18, 19]],
];

/** Luhn checksum over a number of a known issuer prefix and a length that issuer uses. */
export function isCardNumber(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, '');
  const issuer = CARD_LENGTHS.find(([prefix]) => prefix.test(digits));
  if (issuer === undefined || !issuer[1].includes(digits.length)) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Lengths of IBANs by country (ISO 13616 registry), for the countries most seen. */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18, FR: 27, GB: 22, GI: 23, GR: 27, HR: 21,
  HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, SE: 24, SI: 19,
  SK: 24, SM: 27, TR: 26, AE: 23, SA: 24, IL: 23, BR: 29, UA: 29,
};

/** ISO 7064 mod 97-10 over the rearranged IBAN, with the country's length. */
export function isIban(candidate: string): boolean {
  const iban = candidate.replace(/ /g, '');
  const length = IBAN_LENGTHS[iban.slice(0, 2)];
  if (length === undefined || iban.length !== length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

function isSpanishId(candidate: string): boolean {
  const text = candidate.replace('-', '');
  const number = text.slice(0, -1).replace(/^X/, '0').replace(/^Y/, '1').replace(/^Z/, '2');
  return 'TRWAGMYFPDXBNJZSQVHLCKE'[Number(number) % 23] === text.at(-1);
}
