/**
 * A labelled corpus for the redactor: per type, texts that hold a value that
 * must disappear (with the value), and near misses that must come out
 * unchanged. Card numbers are issuers' published test numbers; IBANs are the
 * registry's examples; the JWT is the well-known jwt.io example.
 */
export interface CorpusCase {
  type: string;
  text: string;
  /** The sensitive value inside `text`; absent for a negative case. */
  secret?: string;
}

const positives: Array<[string, string, string]> = [
  // [type, text, the value that must disappear]
  ['email', 'Reply to jane.doe@example.com before Friday', 'jane.doe@example.com'],
  ['email', 'cc: First+billing@mail.example.co.uk', 'First+billing@mail.example.co.uk'],
  ['email', 'USER_42@EXAMPLE.ORG asked for a refund', 'USER_42@EXAMPLE.ORG'],
  ['phone', 'Call me on +1 415 555 0132 tomorrow', '+1 415 555 0132'],
  ['phone', 'London office: +44 20 7946 0958', '+44 20 7946 0958'],
  ['phone', 'mobile (415) 555-0199, evenings', '(415) 555-0199'],
  ['phone', 'fax 212.555.0147', '212.555.0147'],
  ['phone', 'Berlin +49 30 901820', '+49 30 901820'],
  ['card', 'card 4111 1111 1111 1111 exp 12/29', '4111 1111 1111 1111'],
  ['card', 'paid with 5500-0000-0000-0004', '5500-0000-0000-0004'],
  ['card', 'amex 378282246310005 on file', '378282246310005'],
  ['card', 'Discover 6011111111111117.', '6011111111111117'],
  ['iban', 'Refund to DE89 3704 0044 0532 0130 00 please', 'DE89 3704 0044 0532 0130 00'],
  ['iban', 'IBAN: GB82WEST12345698765432', 'GB82WEST12345698765432'],
  ['iban', 'NL91 ABNA 0417 1643 00 is my account', 'NL91 ABNA 0417 1643 00'],
  ['iban', 'virement FR14 2004 1010 0505 0001 3M02 606', 'FR14 2004 1010 0505 0001 3M02 606'],
  ['national_id', 'SSN 123-45-6789 on the form', '123-45-6789'],
  ['national_id', 'NI number AB 12 34 56 C', 'AB 12 34 56 C'],
  ['national_id', 'DNI 12345678Z', '12345678Z'],
  ['national_id', 'NIE X1234567L del cliente', 'X1234567L'],
  ['ip', 'request from 192.168.10.24 was slow', '192.168.10.24'],
  ['ip', 'client ip=203.0.113.7;', '203.0.113.7'],
  ['ip', 'v6 peer 2001:db8::8a2e:370:7334 dropped', '2001:db8::8a2e:370:7334'],
  ['ip', 'fe80::1ff:fe23:4567:890a%eth0', 'fe80::1ff:fe23:4567:890a'],
  ['secret', 'OPENAI_API_KEY=sk-proj-Abc123Def456Ghi789Jkl012Mno345', 'sk-proj-Abc123Def456Ghi789Jkl012Mno345'],
  ['secret', 'x-api-key: sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz012345-_ab', 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz012345-_ab'],
  ['secret', 'aws AKIAIOSFODNN7EXAMPLE key', 'AKIAIOSFODNN7EXAMPLE'],
  ['secret', 'token ghp_0123456789abcdefghijABCDEFGHIJ012345', 'ghp_0123456789abcdefghijABCDEFGHIJ012345'],
  ['secret', 'slack xoxb-123456789012-123456789012-AbCdEfGhIjKlMnOpQrStUvWx', 'xoxb-123456789012-123456789012-AbCdEfGhIjKlMnOpQrStUvWx'],
  ['secret', 'key=AIzaSyD-1234567890abcdefghijklmnopqrstu', 'AIzaSyD-1234567890abcdefghijklmnopqrstu'],
  ['secret', 'stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
  ['secret', 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789', 'abcdefghijklmnopqrstuvwxyz0123456789'],
  ['secret', 'HF_TOKEN=hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567', 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567'],
  ['jwt', 'session eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c expired', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
  ['private_key', 'key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\n-----END RSA PRIVATE KEY-----\nend', 'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB'],
  ['private_key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ'],
];

const negatives: Array<[string, string]> = [
  // [type whose look-alike it is, text that must stay unchanged]
  ['email', 'ssh to admin@localhost for the box'],
  ['email', 'ping @support-team in the channel'],
  ['email', 'write to jane at example dot com'],
  ['email', 'a..b@example.com is not an address'],
  ['email', 'pinned lodash@4.17.21 in the lockfile'],
  ['phone', 'released on 2026-11-22 at 10:30:00'],
  ['phone', 'pi is 3.14159265'],
  ['phone', 'order 123456789 shipped'],
  ['phone', 'build 1.2.3-beta.4'],
  ['card', 'card 4111 1111 1111 1112 was declined (bad check digit)'],
  ['card', 'timestamp 1700000000000 ms'],
  ['card', 'tracking 1234 5678 9012 3456'],
  ['card', '0000 0000 0000 0000 placeholder'],
  ['card', 'response id resp_6557985232548a5824982ff8'],
  ['card', 'request 4111111111111111abc is a token, not a card'],
  ['iban', 'DE89 3704 0044 0532 0130 01 has a wrong check'],
  ['iban', 'model GB82 WEST is not an account'],
  ['national_id', 'SSN 000-12-3456 is never issued'],
  ['national_id', 'ISBN 978-3-16-148410-0'],
  ['national_id', 'DNI 12345678A has the wrong letter'],
  ['national_id', 'ticket BG123456C'],
  ['ip', 'version 1.2.3 of the SDK'],
  ['ip', 'value 999.1.1.1 is out of range'],
  ['ip', 'at 12:30:45 the job ran'],
  ['ip', 'semver 1.2.3.4.5 is odd'],
  ['ip', 'C++::std::vector'],
  ['secret', 'the sk-short key was rotated'],
  ['secret', 'task-force meeting, desk-booking'],
  ['secret', 'AKIA alone is only a prefix'],
  ['secret', 'Bearer token expired'],
  ['jwt', 'eyJxxxxxxxxxxx.eyJyyyyyyyyyyyy.zzzzzzzzzzzzzzzzzzzzzz'],
  ['private_key', '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----'],
  ['none', 'gpt-4o-mini answered in 1.8s for feature support'],
  ['none', 'chat gpt-4o-2024-08-06'],
];

export const redactionCorpus: CorpusCase[] = [
  ...positives.map(([type, text, secret]) => ({ type, text, secret })),
  ...negatives.map(([type, text]) => ({ type, text })),
];

export const placeholderOf = (type: string) => `[${type.toUpperCase()}]`;
