import { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { appLogger } from '../logging/json-logger';
import { DomainExceptionFilter } from './domain-exception.filter';
import { ConflictException } from './domain.exception';

/** An Express response that records what the filter answered. */
function restHost(): { host: ArgumentsHost; answer: { status?: number; body?: Record<string, unknown> } } {
  const answer: { status?: number; body?: Record<string, unknown> } = {};
  const response = {
    status(code: number) {
      answer.status = code;
      return this;
    },
    json(body: Record<string, unknown>) {
      answer.body = body;
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ArgumentsHost;
  return { host, answer };
}

function pgError(fields: Record<string, string>): QueryFailedError {
  return new QueryFailedError('INSERT …', ['+79161234567'], Object.assign(new Error('boom'), fields));
}

describe('DomainExceptionFilter on REST endpoints', () => {
  const filter = new DomainExceptionFilter();

  it('answers a domain error with its HTTP status, code and both messages', () => {
    const { host, answer } = restHost();
    filter.catch(new ConflictException({ ru: 'Занято', en: 'Taken' }), host);
    expect(answer).toEqual({ status: 409, body: { code: 'CONFLICT', message: 'Занято', messageEn: 'Taken' } });
  });

  it('answers a database error as the GraphQL formatter does, without its values', () => {
    const { host, answer } = restHost();
    filter.catch(
      pgError({
        code: '23505',
        constraint: 'uq_client_phone',
        detail: 'Key (organization_id, phone)=(x, +79161234567) already exists.',
      }),
      host,
    );
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: 'CONFLICT', fields: [expect.objectContaining({ path: 'input.phone' })] });
    expect(JSON.stringify(answer.body)).not.toContain('+7916');
  });

  it('answers an unmapped database error as INTERNAL and logs its SQLSTATE only', () => {
    const { host, answer } = restHost();
    const logged: unknown[] = [];
    const spy = jest.spyOn(appLogger, 'error').mockImplementation((...args: unknown[]) => void logged.push(args));
    try {
      filter.catch(pgError({ code: '42P01' }), host);
    } finally {
      spy.mockRestore();
    }
    expect(answer).toMatchObject({ status: 500, body: { code: 'INTERNAL', messageEn: 'Internal server error' } });
    expect(JSON.stringify(logged)).toContain('42P01');
    expect(JSON.stringify(logged)).not.toContain('+7916');
  });

  it('hands GraphQL errors on to the error formatter untouched', () => {
    const error = pgError({ code: '23505' });
    expect(filter.catch(error, { getType: () => 'graphql' } as unknown as ArgumentsHost)).toBe(error);
  });
});
