import { describe, expect, it } from 'vitest';
import { createRedactor } from './create-redactor.js';
import { isSecretKey } from './secret-keys.js';
import { maskSecret } from './mask-secret.js';
import { BUILT_IN_SECRET_PATTERNS, REDACTED } from './secret-patterns.js';

const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

/** One secret of each kind, the exact text that must never survive. */
const SECRETS = {
  openai: 'sk-proj-Abc123Def456Ghi789',
  anthropic: 'sk-ant-api03-Zyx987Wvu654',
  langfuse: 'sk-lf-1234abcd-5678',
  awsAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  awsTemporaryKeyId: 'ASIAY34FZKBOKMUTVV7A',
  githubClassic: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  githubOauth: 'gho_16C7e42F292c6912E7710c838347Ae178B4a',
  githubFineGrained: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop',
  slack: 'xoxb-123456789012-abcdefghijkl',
  jwt: JWT,
  pemBody: 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  bearer: 'abcDEF123ghiJKL456',
};

describe('createRedactor().text', () => {
  const redactor = createRedactor();

  it('redacts every built-in secret kind', () => {
    const text = [
      `openai ${SECRETS.openai}, anthropic ${SECRETS.anthropic}, langfuse ${SECRETS.langfuse}`,
      `aws ${SECRETS.awsAccessKeyId} and ${SECRETS.awsTemporaryKeyId}`,
      `github ${SECRETS.githubClassic} ${SECRETS.githubOauth} ${SECRETS.githubFineGrained}`,
      `slack ${SECRETS.slack}; jwt ${SECRETS.jwt}`,
      `key:\n${PEM}\n`,
      `Authorization: Bearer ${SECRETS.bearer}`,
    ].join('\n');
    const out = redactor.text(text);
    for (const [kind, secret] of Object.entries(SECRETS)) {
      expect(out, kind).not.toContain(secret);
    }
    expect(out).toContain('Bearer [REDACTED]');
    expect(out).not.toContain('PRIVATE KEY');
  });

  it('redacts secrets inside serialised JSON too (escaped newlines in a PEM block)', () => {
    const json = JSON.stringify({ note: `key:\n${PEM}\nend`, jwt: SECRETS.jwt });
    const out = redactor.text(json);
    expect(out).not.toContain(SECRETS.pemBody);
    expect(out).not.toContain(SECRETS.jwt);
    expect(JSON.parse(out)).toEqual({ note: 'key:\n[REDACTED]\nend', jwt: REDACTED });
    const escaped = JSON.stringify({
      note: `a\nCookie: sid=abc123\n${SECRETS.githubClassic}\tpassword=hunter22`,
    });
    expect(JSON.parse(redactor.text(escaped))).toEqual({
      note: 'a\nCookie: [REDACTED]\n[REDACTED]\tpassword=[REDACTED]',
    });
  });

  it('keeps the name of a key=value pair and the shape of a URL, and drops the value', () => {
    const cases: Array<[string, string]> = [
      ['password=hunter22', 'password=[REDACTED]'],
      ['OPENAI_API_KEY=abc123xyz', 'OPENAI_API_KEY=[REDACTED]'],
      ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG', 'aws_secret_access_key = [REDACTED]'],
      ['{"api_key": "v4lue-123", "n": 1}', '{"api_key": "[REDACTED]", "n": 1}'],
      [
        'GET https://x.io/v1?api_key=abc123&page=2',
        'GET https://x.io/v1?api_key=[REDACTED]&page=2',
      ],
      [
        'postgres://admin:s3cr3tpw@db.local:5432/app',
        'postgres://admin:[REDACTED]@db.local:5432/app',
      ],
      ['Cookie: session=abc; theme=dark', 'Cookie: [REDACTED]'],
    ];
    for (const [input, expected] of cases) expect(redactor.text(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const text =
      'The task is done; see sketch-1.png. max_tokens=100, author: Bob, https://example.com/a?b=c, tokens used: 12';
    expect(redactor.text(text)).toBe(text);
  });

  it('replaces literal secrets (the configured keys) whatever they look like, longest first', () => {
    const withSecrets = createRedactor({
      secrets: ['plain-key-1', 'plain-key-12', '', undefined, 'ollama'],
    });
    expect(withSecrets.text('echo plain-key-12 and plain-key-1, ollama')).toBe(
      'echo [REDACTED] and [REDACTED], ollama',
    );
  });

  it('takes the caller’s patterns (keeping prefix and suffix groups) and runs mask last', () => {
    const custom = createRedactor({
      patterns: [/ticket-\d+/, /(?<prefix>pin: )\d{4}/i],
      mask: (text) => text.replace('Bob', '[NAME]'),
    });
    expect(custom.text('Bob has ticket-42 and PIN: 1234')).toBe(
      '[NAME] has [REDACTED] and PIN: [REDACTED]',
    );
  });
});

describe('createRedactor().value', () => {
  const redactor = createRedactor({ secretKeys: ['x-internal-pass'] });

  it('redacts strings deep inside values and values under secret-named keys, without changing the input', () => {
    const input = {
      note: `used ${SECRETS.openai}`,
      nested: [{ headers: { Authorization: 'whatever', accept: 'json', Cookie: 'a=b' } }],
      env: { OPENAI_API_KEY: 'short', aws_secret_access_key: 'x', private_key: { pem: 'y' } },
      password: 'hunter2',
      'X-Internal-Pass': 'mine',
      count: 3,
      max_tokens: 100,
      at: new Date(0),
    };
    const copy = structuredClone(input);
    expect(redactor.value(input)).toEqual({
      note: `used ${REDACTED}`,
      nested: [{ headers: { Authorization: REDACTED, accept: 'json', Cookie: REDACTED } }],
      env: { OPENAI_API_KEY: REDACTED, aws_secret_access_key: REDACTED, private_key: REDACTED },
      password: REDACTED,
      'X-Internal-Pass': REDACTED,
      count: 3,
      max_tokens: 100,
      at: new Date(0),
    });
    expect(input).toEqual(copy);
  });

  it('never returns a deep value unredacted: past maxDepth it becomes a marker', () => {
    let deep: unknown = { leaf: SECRETS.githubClassic };
    for (let level = 0; level < 200; level++) deep = { level, inner: deep };
    const out = JSON.stringify(createRedactor({ maxDepth: 32 }).value(deep));
    expect(out).not.toContain(SECRETS.githubClassic);
    expect(out).toContain('[REDACTED: nested deeper than 32 levels]');
    // The default depth walks far enough for ordinary JSON.
    expect(JSON.stringify(redactor.value({ a: { b: { c: SECRETS.slack } } }))).not.toContain(
      SECRETS.slack,
    );
  });

  it('survives cycles, and copies shared (non-cyclic) references', () => {
    const shared = { token: 'abc', text: SECRETS.jwt };
    const cyclic: Record<string, unknown> = { a: shared, b: shared };
    cyclic.self = cyclic;
    expect(redactor.value(cyclic)).toEqual({
      a: { token: REDACTED, text: REDACTED },
      b: { token: REDACTED, text: REDACTED },
      self: '[Circular]',
    });
  });
});

describe('isSecretKey', () => {
  it('knows secret key names in any case style, and not their look-alikes', () => {
    for (const key of [
      'apiKey',
      'OPENAI_API_KEY',
      'x-api-key',
      'aws_secret_access_key',
      'private_key',
      'cookie',
      'Set-Cookie',
      'authorization',
      'clientSecret',
      'password',
      'refresh_token',
    ])
      expect(isSecretKey(key), key).toBe(true);
    for (const key of ['max_tokens', 'author', 'keyId', 'tokens', 'name', 'passwordHint'])
      expect(isSecretKey(key), key).toBe(false);
  });
});

describe('linear time', () => {
  // A quadratic pattern takes minutes on 1 MB; a linear one milliseconds. The
  // bound is generous so a loaded machine never fails it.
  const MB = 1024 * 1024;
  const adversarial: Record<string, string> = {
    'sk- prefixes': 'sk-a'.repeat(MB / 4),
    'dash-separated words': 'a-'.repeat(MB / 2),
    'JWT heads with no dot': 'eyJaaaa-'.repeat(MB / 8),
    'JWT two segments': 'eyJaaaa.eyJbbbb-'.repeat(MB / 16),
    'PEM headers, no end': '-----BEGIN PRIVATE KEY-----\nAAAA'.repeat(MB / 32),
    'key names with no value': 'password '.repeat(MB / 9),
    'key names, separators, no value': 'api_key= '.repeat(MB / 9),
    'long key-like run': `${'a'.repeat(MB)}token`,
    'URLs with no @': 'http://user:pass/'.repeat(MB / 17),
    'bearer with short tokens': 'Bearer ab '.repeat(MB / 10),
    'cookie headers': 'Cookie: '.repeat(MB / 8),
    'AWS-like ids': 'AKIA'.repeat(MB / 4),
    whitespace: ' '.repeat(MB),
  };
  const redactor = createRedactor({ secrets: ['configured-secret'] });

  for (const [name, text] of Object.entries(adversarial)) {
    it(`redacts 1 MB of ${name} in linear time`, () => {
      const started = performance.now();
      redactor.text(text);
      expect(performance.now() - started).toBeLessThan(5_000);
    });
  }

  it('has only global patterns (replace must take every match)', () => {
    for (const pattern of BUILT_IN_SECRET_PATTERNS) expect(pattern.flags).toContain('g');
  });
});

describe('maskSecret', () => {
  it.each([
    ['sk-proj-abcdefghijklmnop1234', 'sk-proj-…1234'],
    ['sk-ant-api03-abcdefghijkl9876', 'sk-ant-…9876'],
    ['sk-0123456789abcdabcd', 'sk-…abcd'],
    ['pk-lf-0123456789abcdef', 'pk-lf-…cdef'],
    ['0123456789abcdefWXYZ', '…WXYZ'],
    ['my-long-user-token-1234', '…1234'],
    ['short-token', '…'],
  ])('%s → %s', (secret, shown) => {
    expect(maskSecret(secret)).toBe(shown);
  });
});
