import { REDACTED, redactText, redactValue } from './redaction';

const BCRYPT = '$2b$10$abcdefghijklmnopqrstuuQm1hb6XyIyQKJtCr7eKvG0Wl4w9Fmy6';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

describe('redactText (by value shape)', () => {
  it.each([
    ['a bcrypt hash', `hash ${BCRYPT} stored`],
    ['a JWT', `token=${JWT}`],
    ['an INN of 10 digits', 'inn 7707083893 given'],
    ['an INN of 12 digits', 'inn 500100732259 given'],
    ['a SNILS with separators', 'snils 112-233-445 95'],
    ['a SNILS without separators', 'snils 11223344595'],
    ['a passport with spaces', 'passport 45 10 123456'],
    ['a passport as series and number', 'passport 4510 123456'],
    ['a phone in E.164', 'to +79161234567'],
  ])('hides %s', (_name, text) => {
    const result = redactText(text);
    expect(result).toContain(REDACTED);
    expect(result.replace(REDACTED, '')).not.toMatch(/\d{6}|\$2b\$|eyJ/);
  });

  it('keeps the scheme of a bearer header and hides its token', () => {
    expect(redactText('Authorization: Bearer abc.def-ghi')).toBe(`Authorization: Bearer ${REDACTED}`);
  });

  it("keeps the column of PostgreSQL's key detail and hides its value", () => {
    expect(redactText('Key (organization_id, email)=(7d0c…, a@b.ru) already exists.')).toBe(
      `Key (organization_id, email)=(${REDACTED}) already exists.`,
    );
  });

  it('leaves ordinary text alone: ids, times, counts, SQL placeholders', () => {
    const text =
      'job 5f0c2a9e-1b2c-4d3e-8f90-123456789012 at 2026-12-06T21:48:39.123Z took 1234 ms, WHERE id = $1 AND n > 100000';
    expect(redactText(text)).toBe(text);
  });
});

describe('redactValue (by field name, at any depth)', () => {
  it('replaces secret fields whatever their value looks like', () => {
    expect(
      redactValue({
        input: { email: 'a@b.ru', password: 'hunter22', signInCode: '4821', nested: [{ passport_number: 'ab' }] },
      }),
    ).toEqual({
      input: { email: 'a@b.ru', password: REDACTED, signInCode: REDACTED, nested: [{ passport_number: REDACTED }] },
    });
  });

  it('reduces an error to name, message, code and stack, never its SQL parameters or driver detail', () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint "uq_employee_email"'), {
      name: 'QueryFailedError',
      code: '23505',
      constraint: 'uq_employee_email',
      parameters: ['a@b.ru', BCRYPT],
      detail: 'Key (email)=(a@b.ru) already exists.',
      driverError: { parameters: [BCRYPT] },
    });
    const logged = redactValue({ error }) as { error: Record<string, unknown> };
    expect(logged.error).toMatchObject({ name: 'QueryFailedError', code: '23505', constraint: 'uq_employee_email' });
    expect(JSON.stringify(logged)).not.toContain(BCRYPT);
    expect(JSON.stringify(logged)).not.toContain('a@b.ru');
  });

  it('scrubs strings inside ordinary fields and keeps numbers and booleans', () => {
    expect(redactValue({ message: `Bearer ${JWT}`, ms: 1.5, ok: true, none: null })).toEqual({
      message: `Bearer ${REDACTED}`,
      ms: 1.5,
      ok: true,
      none: null,
    });
  });
});
