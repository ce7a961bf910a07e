import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  it('answers a verified token until the second its exp names, and not from then on (as jsonwebtoken judges expiry)', () => {
    let now = 1_000_000;
    const tokens = new VerifiedTokens(() => now);
    tokens.put('token-a', { realm: 'staff', sub: 'e1', exp: 1_060 });
    now = 1_059_999;
    expect(tokens.get('token-a')).toEqual({ realm: 'staff', sub: 'e1', exp: 1_060 });
    now = 1_060_000;
    expect(tokens.get('token-a')).toBeUndefined();
    now = 1_000_000;
    expect(tokens.get('token-a')).toBeUndefined();
  });

  it('knows only the exact token text it verified', () => {
    const tokens = new VerifiedTokens(() => 0);
    tokens.put('header.payload.signature', { realm: 'staff', exp: 60 });
    expect(tokens.get('header.payload.signaturE')).toBeUndefined();
    expect(tokens.get('header.payload.signature')?.realm).toBe('staff');
  });

  it('does not remember a token without an expiry', () => {
    const tokens = new VerifiedTokens(() => 0);
    tokens.put('forever', { realm: 'staff' });
    expect(tokens.get('forever')).toBeUndefined();
  });

  it('forgets the oldest token first when full', () => {
    const tokens = new VerifiedTokens(() => 0, 2);
    tokens.put('first', { realm: 'staff', exp: 60 });
    tokens.put('second', { realm: 'staff', exp: 60 });
    tokens.put('third', { realm: 'staff', exp: 60 });
    expect([tokens.get('first'), tokens.get('second')?.realm, tokens.get('third')?.realm]).toEqual([
      undefined,
      'staff',
      'staff',
    ]);
  });

  it('hands out frozen claims, so no request can change what the next one reads', () => {
    const tokens = new VerifiedTokens(() => 0);
    const claims = tokens.put('token', { realm: 'staff', exp: 60 });
    expect(Object.isFrozen(claims)).toBe(true);
    expect(Object.isFrozen(tokens.get('token'))).toBe(true);
  });
});
