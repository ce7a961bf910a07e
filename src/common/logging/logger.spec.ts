import { AppLogger } from './logger';
import { REDACTED } from './redaction';

/** The lines a logger writes to stdout while `run` runs. */
function linesOf(run: () => void): string[] {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    written.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return written.join('').split('\n').filter(Boolean);
}

describe('AppLogger (pino)', () => {
  it('writes one JSON line per call with the level name, an ISO time, the message and the fields', () => {
    const logger = new AppLogger('json', 'info');
    const [line] = linesOf(() => logger.info('Domovoy is up', { role: 'all' }));
    expect(line).toContain('"msg":"Domovoy is up"');
    expect(JSON.parse(line)).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      msg: 'Domovoy is up',
      role: 'all',
    });
  });

  it('drops lines below its level and takes a new level at once', () => {
    const logger = new AppLogger('json', 'warn');
    expect(linesOf(() => logger.info('hidden'))).toEqual([]);
    logger.setLevel('debug');
    expect(linesOf(() => logger.debug('shown'))).toHaveLength(1);
  });

  it('passes every line, message included, through the redaction list', () => {
    const logger = new AppLogger('json', 'debug');
    const [line] = linesOf(() =>
      logger.error('failed for inn 7707083893', {
        password: 'hunter22',
        error: new Error('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'),
      }),
    );
    expect(line).not.toMatch(/7707083893|hunter22|eyJ/);
    expect(JSON.parse(line)).toMatchObject({ level: 'error', msg: `failed for inn ${REDACTED}`, password: REDACTED });
  });

  it("takes Nest's trailing context and stack arguments as fields", () => {
    const logger = new AppLogger('json', 'info');
    const [line] = linesOf(() => logger.error('boom', 'Error: boom\n    at x', 'ExceptionsHandler'));
    expect(JSON.parse(line)).toMatchObject({
      msg: 'boom',
      context: 'ExceptionsHandler',
      stack: 'Error: boom\n    at x',
    });
  });
});
