import { uniquePhone } from './support/factories';
import { residentApp, MY_PREMISES, waitFor, randomAddress, Gateway } from './support/resident-app';
import { errorCode, TestApp, TestOrganization } from './support/test-app';

describe('resident self-registration', () => {
  const { world, call, requestCode, codeSentTo, signInResident } = residentApp();
  let app: TestApp;
  let sms: Gateway;
  let org: TestOrganization;
  beforeAll(() => ({ app, sms, org } = world));

  describe('phone sign-in', () => {
    it('sends a six-digit code by SMS, keeps only its hash, and exchanges it once for a resident token', async () => {
      const phone = uniquePhone();
      const before = sms.received.length;
      const requested = await requestCode(
        `8 (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8, 10)}-${phone.slice(10)}`,
      );
      expect(requested.data.requestSignInCode.phone).toBe(phone);
      const code = await codeSentTo(phone, before);
      const [row] = await app.dataSource.query(`SELECT code_hash FROM resident_sign_in_code WHERE phone = $1`, [phone]);
      expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.code_hash).not.toContain(code);
      // The SMS body with the code does not outlive its delivery in the outbox.
      await waitFor(
        'the code SMS to be redacted',
        async () =>
          (
            await app.dataSource.query(
              `SELECT body FROM notification_outbox WHERE recipient = $1 AND status = 'SENT' AND body = ''`,
              [phone],
            )
          ).length === 1,
      );

      const signIn = `mutation($phone: String!, $code: String!) { signIn(input: { phone: $phone, code: $code }) { accessToken phone } }`;
      const wrong = await call(signIn, { phone, code: code === '000000' ? '111111' : '000000' });
      expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
      expect(wrong.errors![0].message).toContain('осталось попыток — 4');
      const ok = await call(signIn, { phone, code });
      expect(ok.data.signIn.phone).toBe(phone);
      expect(errorCode(await call(signIn, { phone, code }))).toBe('UNAUTHENTICATED');
    });

    it('refuses an expired code and a code after its attempts are used up', async () => {
      const phone = uniquePhone();
      let before = sms.received.length;
      await requestCode(phone);
      let code = await codeSentTo(phone, before);
      await app.dataSource.query(
        `UPDATE resident_sign_in_code SET expires_at = now() - interval '1 second' WHERE phone = $1`,
        [phone],
      );
      const signIn = `mutation($phone: String!, $code: String!) { signIn(input: { phone: $phone, code: $code }) { accessToken } }`;
      const expired = await call(signIn, { phone, code });
      expect(errorCode(expired)).toBe('UNAUTHENTICATED');
      expect(expired.errors![0].message).toContain('истёк');

      before = sms.received.length;
      await requestCode(phone);
      code = await codeSentTo(phone, before);
      const wrongCode = code === '999999' ? '888888' : '999999';
      for (let i = 0; i < 5; i++)
        expect(errorCode(await call(signIn, { phone, code: wrongCode }))).toBe('UNAUTHENTICATED');
      expect(errorCode(await call(signIn, { phone, code }))).toBe('UNAUTHENTICATED');
    });

    it('rate-limits code requests per phone and per client address with a retry-after', async () => {
      const phone = uniquePhone();
      for (let i = 0; i < 5; i++) expect((await requestCode(phone)).errors).toBeUndefined();
      const limited = await requestCode(phone);
      expect(errorCode(limited)).toBe('RATE_LIMITED');
      expect(limited.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
      expect(limited.errors![0].message).toMatch(/Повторите через \d+ с/);

      const address = randomAddress();
      for (let i = 0; i < 30; i++) expect((await requestCode(uniquePhone(), address)).errors).toBeUndefined();
      expect(errorCode(await requestCode(uniquePhone(), address))).toBe('RATE_LIMITED');
      expect((await requestCode(uniquePhone(), randomAddress())).errors).toBeUndefined();
    });

    it('rate-limits sign-in attempts per phone', async () => {
      const phone = uniquePhone();
      const signIn = `mutation($phone: String!) { signIn(input: { phone: $phone, code: "123456" }) { accessToken } }`;
      for (let i = 0; i < 10; i++) expect(errorCode(await call(signIn, { phone }))).toBe('UNAUTHENTICATED');
      expect(errorCode(await call(signIn, { phone }))).toBe('RATE_LIMITED');
    });

    it('keeps the realms apart: a resident token opens no staff operation and a staff token no resident one', async () => {
      const resident = await signInResident();
      expect(errorCode(await call(`{ me { id } }`, {}, resident.token))).toBe('FORBIDDEN');
      expect(errorCode(await call(`{ registrationRequests(first: 5) { totalCount } }`, {}, resident.token))).toBe(
        'FORBIDDEN',
      );
      expect(errorCode(await call(MY_PREMISES, {}, org.adminToken))).toBe('FORBIDDEN');
      expect(errorCode(await call(MY_PREMISES))).toBe('UNAUTHENTICATED');
      expect((await call(MY_PREMISES, {}, resident.token)).data.myPremises).toEqual([]);
      expect(await call(`mutation { signOutResident }`, {}, resident.token)).toEqual({
        data: { signOutResident: true },
      });
      expect(errorCode(await call(MY_PREMISES, {}, resident.token))).toBe('UNAUTHENTICATED');
    });
  });
});
