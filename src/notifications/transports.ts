import { createTransport, Transporter } from 'nodemailer';
import { appLogger } from '../common/logging/json-logger';
import { NotificationsConfig } from '../config/config';
import { NotificationChannel } from './notification-enums';
import { DevConsoleSmsTransport } from './dev-console-sms';
import { NotificationTransport, OutgoingMessage } from './notification-transport';

/** Development default: the message goes to the log (never the body of a sign-in code). */
export class LogTransport implements NotificationTransport {
  readonly name = 'log';

  async send(message: OutgoingMessage): Promise<void> {
    appLogger.info('notification (log transport)', {
      id: message.id,
      channel: message.channel,
      recipient: message.recipient,
      subject: message.subject,
    });
  }
}

export class SmtpTransport implements NotificationTransport {
  readonly name = 'smtp';
  private readonly transporter: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    // Short timeouts: a mail server that does not answer is retried by the queue, not waited for.
    this.transporter = createTransport(url, {
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 10000,
    } as object);
  }

  async send(message: OutgoingMessage): Promise<void> {
    await this.transporter.sendMail({
      from: this.from,
      to: message.recipient,
      subject: message.subject ?? '',
      text: message.body,
      messageId: `<outbox-${message.id}@domovoy>`,
    });
  }

  close(): void {
    this.transporter.close();
  }
}

/** Push provider or SMS gateway: a JSON POST that must answer 2xx. */
export class HttpTransport implements NotificationTransport {
  readonly name = 'http';

  constructor(private readonly url: string) {}

  async send(message: OutgoingMessage): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `outbox-${message.id}` },
      body: JSON.stringify({ id: message.id, to: message.recipient, title: message.subject, text: message.body }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`${this.url} answered ${response.status}`);
  }
}

export function transportsFor(config: NotificationsConfig): Record<NotificationChannel, NotificationTransport> {
  const log = new LogTransport();
  return {
    [NotificationChannel.EMAIL]: config.smtpUrl ? new SmtpTransport(config.smtpUrl, config.mailFrom) : log,
    [NotificationChannel.PUSH]: config.pushUrl ? new HttpTransport(config.pushUrl) : log,
    [NotificationChannel.SMS]: config.smsUrl
      ? new HttpTransport(config.smsUrl)
      : config.devConsoleSms
        ? new DevConsoleSmsTransport()
        : log,
  };
}
