import type { NotificationTransport, OutgoingMessage } from './notification-transport';

/**
 * Development only (no SMS_URL, NODE_ENV not production): a front-end developer signing in to the resident
 * app reads the code here. Written straight to stdout, not through the structured logger, whose lines are
 * redacted of sign-in codes: this one line is meant to show it. The phone is masked but for its end.
 */
export function devSmsLine(message: Pick<OutgoingMessage, 'recipient' | 'body'>): string {
  const phone = message.recipient.replace(/^(\+\d{2})\d+(\d{4})$/, '$1*****$2');
  return `\n*** DEV ONLY (no SMS_URL) — SMS to ${phone}: ${message.body} ***\n\n`;
}

export class DevConsoleSmsTransport implements NotificationTransport {
  readonly name = 'dev-console';

  async send(message: OutgoingMessage): Promise<void> {
    process.stdout.write(devSmsLine(message));
  }
}
