import { loadConfig } from '../config/config';
import { devSmsLine } from './dev-console-sms';
import { NotificationChannel } from './notification-enums';
import { transportsFor } from './transports';

const generated = () => 'generated-secret-'.padEnd(40, '0');

describe('the development SMS line', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['no gateway, development', {}, 'dev-console'],
    ['no gateway, NODE_ENV=test', { NODE_ENV: 'test' }, 'dev-console'],
    ['no gateway, production: never printed', { NODE_ENV: 'production' }, 'log'],
    ['a gateway', { SMS_URL: 'https://sms.example/send' }, 'http'],
    ['a gateway in production', { SMS_URL: 'https://sms.example/send', NODE_ENV: 'production' }, 'http'],
  ];
  it.each(cases)('%s → the %s transport', (_title, env, transport) => {
    expect(transportsFor(loadConfig(env, generated).notifications)[NotificationChannel.SMS].name).toBe(transport);
  });

  it('is one clearly marked line with the code and the end of the phone only', () => {
    const line = devSmsLine({
      recipient: '+79161234567',
      body: 'Код для входа в приложение «Домовой»: 123456. Никому его не сообщайте.',
    });
    expect(line).toContain('DEV ONLY (no SMS_URL)');
    expect(line).toContain('123456');
    expect(line).toContain('+79*****4567');
    expect(line).not.toContain('9161234567');
  });
});
