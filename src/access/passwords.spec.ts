import { compare, getRounds } from 'bcryptjs';
import { BCRYPT_ROUNDS, DUMMY_HASH, hashPassword, verifyPassword } from './passwords';

// The real bcrypt, only watched: which hash each compare ran against.
jest.mock('bcryptjs', () => {
  const actual = jest.requireActual<typeof import('bcryptjs')>('bcryptjs');
  return { ...actual, compare: jest.fn(actual.compare) };
});

describe('passwords', () => {
  it('keeps the dummy hash at the cost real hashes get, so an unknown e-mail costs one equal compare', async () => {
    expect(getRounds(DUMMY_HASH)).toBe(BCRYPT_ROUNDS);
    expect(getRounds(await hashPassword('whatever-password'))).toBe(BCRYPT_ROUNDS);
  });

  it('matches the right password only, and never without a stored hash', async () => {
    const stored = await hashPassword('right-password');
    await expect(verifyPassword('right-password', stored)).resolves.toBe(true);
    await expect(verifyPassword('wrong-password', stored)).resolves.toBe(false);
    await expect(verifyPassword('right-password', null)).resolves.toBe(false);
  });

  it('spends on an unknown account the same one bcrypt compare, at the same cost, as on a wrong password', async () => {
    // The cost equality is the first test's; this one shows the compare is never skipped.
    const stored = await hashPassword('right-password');
    const watched = jest.mocked(compare);
    watched.mockClear();
    await expect(verifyPassword('wrong-password', stored)).resolves.toBe(false);
    await expect(verifyPassword('wrong-password', undefined)).resolves.toBe(false);
    await expect(verifyPassword('wrong-password', null)).resolves.toBe(false);
    expect(watched.mock.calls.map(([, hashed]) => hashed)).toEqual([stored, DUMMY_HASH, DUMMY_HASH]);
  });
});
