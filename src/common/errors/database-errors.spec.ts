import { QueryFailedError } from 'typeorm';
import {
  domainErrorOfDatabase,
  fieldOfUniqueKey,
  isForeignKeyViolation,
  isRetryableTransactionFailure,
  isUniqueViolation,
  keyColumnsOfDetail,
  retryOnceOnTransactionFailure,
  uniqueKeyTaken,
} from './database-errors';

/** node-postgres' DatabaseError as TypeORM wraps it. */
function pgError(fields: Record<string, string>): QueryFailedError {
  return new QueryFailedError('INSERT …', ['secret-parameter'], Object.assign(new Error('boom'), fields));
}

describe('database errors', () => {
  it('reads the key columns of a violation, not its values', () => {
    expect(keyColumnsOfDetail('Key (organization_id, phone)=(0b0e…, +79161234567) already exists.')).toEqual([
      'organization_id',
      'phone',
    ]);
    expect(keyColumnsOfDetail('Key (lower(email))=(a@b.ru) already exists.')).toEqual(['email']);
    expect(keyColumnsOfDetail(undefined)).toEqual([]);
  });

  it('derives the input field from the key’s last column, so a new index needs no entry', () => {
    expect(fieldOfUniqueKey('uq_whatever', ['organization_id', 'building_id', 'type', 'number_key'])).toBe('number');
    expect(fieldOfUniqueKey('uq_whatever', ['organization_id', 'inn'])).toBe('inn');
    expect(fieldOfUniqueKey('uq_whatever', ['organization_id', 'contact_phone'])).toBe('contactPhone');
    expect(fieldOfUniqueKey('uq_building_address', ['organization_id', 'address_key'])).toBe('street');
    expect(fieldOfUniqueKey('PK_0d0f7abb', ['organization_id', 'id'])).toBeUndefined();
    expect(fieldOfUniqueKey('uq_employee_organization_id_id', ['organization_id', 'id'])).toBeUndefined();
  });

  it('answers a unique violation with CONFLICT naming the field and quoting nothing of the row', () => {
    const mapped = domainErrorOfDatabase(
      pgError({
        code: '23505',
        constraint: 'uq_client_phone',
        detail: 'Key (organization_id, phone)=(x, +79161234567) already exists.',
      }),
    );
    expect(mapped?.code).toBe('CONFLICT');
    expect(mapped?.fields?.map((f) => f.path)).toEqual(['input.phone']);
    expect(JSON.stringify(mapped)).not.toContain('+7916');
  });

  it('says of a taken staff e-mail only that it cannot be used, the same on both paths', () => {
    const raised = domainErrorOfDatabase(
      pgError({ code: '23505', constraint: 'uq_employee_email', detail: 'Key (email)=(a@b.ru) already exists.' }),
    );
    const checked = uniqueKeyTaken('uq_employee_email');
    expect(raised?.text).toEqual(checked.text);
    expect(raised?.fields).toEqual([{ path: 'input.email', message: checked.text.ru, messageEn: checked.text.en }]);
    expect(checked.text.ru).not.toMatch(/организац|сотрудник/);
    expect(checked.text.en).not.toMatch(/organization|employee/i);
  });

  it('answers deadlocks and serialization failures with CONFLICT, bad values with BAD_USER_INPUT', () => {
    expect(domainErrorOfDatabase(pgError({ code: '40P01' }))?.code).toBe('CONFLICT');
    expect(domainErrorOfDatabase(pgError({ code: '40001' }))?.code).toBe('CONFLICT');
    expect(domainErrorOfDatabase(pgError({ code: '22021' }))?.code).toBe('BAD_USER_INPUT');
    expect(domainErrorOfDatabase(pgError({ code: '54000' }))?.code).toBe('BAD_USER_INPUT');
    const check = domainErrorOfDatabase(pgError({ code: '23514', constraint: 'ck_premises_area', table: 'premises' }));
    expect(check?.fields?.[0].path).toBe('input.area');
  });

  it('tells a referenced row that is gone (NOT_FOUND) from a row still referenced (CONFLICT)', () => {
    const gone = domainErrorOfDatabase(
      pgError({
        code: '23503',
        detail: 'Key (organization_id, premises_id)=(a, b) is not present in table "premises".',
      }),
    );
    expect(gone?.code).toBe('NOT_FOUND');
    expect(gone?.fields?.[0].path).toBe('input.premisesId');
    expect(
      domainErrorOfDatabase(
        pgError({
          code: '23503',
          detail: 'Key (organization_id, id)=(a, b) is still referenced from table "account".',
        }),
      )?.code,
    ).toBe('CONFLICT');
  });

  it('recognises violations for the services that handle one themselves', () => {
    expect(isUniqueViolation(pgError({ code: '23505', constraint: 'uq_account_number' }), 'uq_account_number')).toBe(
      true,
    );
    expect(isUniqueViolation(pgError({ code: '23505', constraint: 'uq_client_phone' }), 'uq_account_number')).toBe(
      false,
    );
    expect(isForeignKeyViolation(pgError({ code: '23001' }))).toBe(true);
    expect(isForeignKeyViolation(new Error('plain'))).toBe(false);
  });

  it('leaves server faults (and anything not from the database) to the formatter', () => {
    expect(domainErrorOfDatabase(pgError({ code: '42P01' }))).toBeUndefined();
    expect(domainErrorOfDatabase(new Error('plain'))).toBeUndefined();
    expect(domainErrorOfDatabase(Object.assign(new Error('fs'), { code: 'ENOENT' }))).toBeUndefined();
  });

  it('runs work once more after a deadlock, and only once', async () => {
    const noPause = () => Promise.resolve();
    let calls = 0;
    await expect(
      retryOnceOnTransactionFailure(
        async () => (++calls === 1 ? Promise.reject(pgError({ code: '40P01' })) : 'done'),
        noPause,
      ),
    ).resolves.toBe('done');
    expect(calls).toBe(2);
    calls = 0;
    const second = await retryOnceOnTransactionFailure(async () => {
      calls++;
      throw pgError({ code: '40001' });
    }, noPause).catch((error: unknown) => error);
    expect(isRetryableTransactionFailure(second)).toBe(true);
    expect(calls).toBe(2);
    calls = 0;
    await expect(
      retryOnceOnTransactionFailure(async () => {
        calls++;
        throw pgError({ code: '23505' });
      }, noPause),
    ).rejects.toBeInstanceOf(QueryFailedError);
    expect(calls).toBe(1);
  });
});
