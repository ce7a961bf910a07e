import { getRounds } from 'bcryptjs';
import { BCRYPT_ROUNDS, DUMMY_HASH, hashPassword, verifyPassword } from './passwords';

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

  it('spends about as long on an unknown account as on a wrong password (the same bcrypt compare)', async () => {
    const stored = await hashPassword('right-password');
    const time = async (run: () => Promise<unknown>) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < 3; i++) await run();
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const known = await time(() => verifyPassword('wrong-password', stored));
    const unknown = await time(() => verifyPassword('wrong-password', undefined));
    expect(unknown / known).toBeGreaterThan(0.5);
    expect(unknown / known).toBeLessThan(2);
  });
});
