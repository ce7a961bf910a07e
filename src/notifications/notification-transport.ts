import { NotificationChannel } from './notification-enums';

export interface OutgoingMessage {
  /** The outbox id: also the e-mail's Message-ID seed, so a receiver can drop a rare duplicate. */
  id: string;
  channel: NotificationChannel;
  recipient: string;
  subject: string | null;
  body: string;
}

/** One way out for one channel; throws when the message was not accepted, so the queue retries. */
export interface NotificationTransport {
  readonly name: string;
  send(message: OutgoingMessage): Promise<void>;
  close?(): void;
}
