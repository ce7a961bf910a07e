import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, LoginThrottleConfig } from '../config/config';
import { RateCounter, RateLimitedException, RateLimitService } from '../rate-limit/rate-limit.service';

/** The longest a single attempt is held back, whatever the configuration. */
const MAX_DELAY_MS = 30_000;

const ACCOUNT_LOCKED = {
  ru: 'Слишком много неудачных попыток входа с этим e-mail',
  en: 'Too many failed sign-in attempts with this e-mail',
};
const ADDRESS_LOCKED = {
  ru: 'Слишком много неудачных попыток входа с этого адреса',
  en: 'Too many failed sign-in attempts from this address',
};

/**
 * How long the attempt that makes `attempts` (this one included) on one account waits before its
 * password is checked: nothing for the free ones, then `delayMs`, doubled for each next attempt.
 */
export function loginDelayMs(
  attempts: number,
  config: Pick<LoginThrottleConfig, 'freeFailuresPerAccount' | 'delayMs'>,
): number {
  const over = attempts - config.freeFailuresPerAccount;
  return over <= 0 ? 0 : Math.min(config.delayMs * 2 ** (over - 1), MAX_DELAY_MS);
}

/** A login attempt that was let through; the caller reports how it ended. */
export interface AdmittedLogin {
  /** The password was right: the account's failures are forgotten and this attempt's hit on the address taken back. */
  succeeded(): Promise<void>;
}

/**
 * Staff login throttling, counted in RateLimitService (PostgreSQL, shared by every api process with
 * or without Redis). Every attempt is counted before the password is checked, so parallel guesses
 * cannot slip past the limit; only a success takes its own hits back. Counting is by the e-mail as
 * typed (normalized), whether or not an account has it, so an unknown e-mail is answered exactly as a known one.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rateLimits: RateLimitService,
  ) {}

  /** Counts the attempt; refuses it (RATE_LIMITED with retryAfterSeconds) past a limit, else waits its delay. */
  async admit(normalizedEmail: string, clientAddress: string): Promise<AdmittedLogin> {
    const limits = this.config.login;
    const account: RateCounter = {
      scope: 'staff-login:account',
      subject: normalizedEmail,
      windowSeconds: limits.windowSeconds,
    };
    const address: RateCounter = {
      scope: 'staff-login:address',
      subject: clientAddress,
      windowSeconds: limits.windowSeconds,
    };
    const onAccount = await this.rateLimits.hit(account);
    const onAddress = await this.rateLimits.hit(address);
    if (onAccount.hits > limits.maxFailuresPerAccount)
      throw new RateLimitedException(ACCOUNT_LOCKED, onAccount.retryAfterSeconds);
    if (onAddress.hits > limits.maxFailuresPerAddress)
      throw new RateLimitedException(ADDRESS_LOCKED, onAddress.retryAfterSeconds);
    const delay = loginDelayMs(onAccount.hits, limits);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    return {
      succeeded: async () => {
        await this.rateLimits.reset(account);
        await this.rateLimits.refund(address);
      },
    };
  }
}
