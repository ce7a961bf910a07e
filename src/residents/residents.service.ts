import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { runSql, sql } from '../common/sql/sql';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service';
import { ResidentPrincipal } from '../access/principal';
import { BadInputException, UnauthenticatedException } from '../common/errors/domain.exception';
import { normalizePhone, PHONE_MESSAGE } from '../common/validation/phone';
import { unpackMessage } from '../common/validation/messages';
import { APP_CONFIG, AppConfig } from '../config/config';
import { NotificationChannel } from '../notifications/notification-enums';
import { NotificationsService } from '../notifications/notifications.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { ResidentSessionEntity } from './resident-session.entity';
import { ResidentEntity } from './resident.entity';
import { SignInCodeEntity } from './sign-in-code.entity';

interface ResidentTokenClaims {
  realm: 'resident';
  sid: string;
  sub: string;
  phone: string;
}

const HOUR = 3600;
const SESSION_ENDED = new UnauthenticatedException({
  ru: 'Сеанс завершён или истёк: войдите снова',
  en: 'The session has ended or expired: sign in again',
});
const NO_CODE = new UnauthenticatedException({
  ru: 'Код не запрашивался или уже истёк: запросите новый',
  en: 'No code was requested for this phone or it has expired: request a new one',
});

export interface CodeRequestResult {
  expiresAt: Date;
}

/** The resident realm: one-time SMS codes, sessions, and "last seen" for the dispatcher's card. */
@Injectable()
export class ResidentsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auth: AuthService,
    private readonly notifications: NotificationsService,
    private readonly rateLimits: RateLimitService,
  ) {}

  async requestCode(rawPhone: string, clientAddress: string): Promise<CodeRequestResult> {
    const phone = this.phoneOf(rawPhone);
    const limits = this.config.residents;
    await this.rateLimits.consume([
      {
        scope: 'sign-in-code:phone',
        subject: phone,
        limit: limits.codesPerPhonePerHour,
        windowSeconds: HOUR,
        message: { ru: 'Слишком много кодов для этого номера', en: 'Too many codes for this phone' },
      },
      {
        scope: 'sign-in-code:address',
        subject: clientAddress,
        limit: limits.codesPerAddressPerHour,
        windowSeconds: HOUR,
        message: { ru: 'Слишком много запросов кода с этого адреса', en: 'Too many code requests from this address' },
      },
    ]);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(Date.now() + limits.signInCodeTtlSeconds * 1000);
    const ids = await this.dataSource.transaction(async (tx) => {
      await tx
        .getRepository(SignInCodeEntity)
        .upsert({ phone, codeHash: this.hash(phone, code), expiresAt, attemptsLeft: limits.signInCodeAttempts }, [
          'phone',
        ]);
      return this.notifications.write(tx, [
        {
          organizationId: null,
          channel: NotificationChannel.SMS,
          recipient: phone,
          body: `Код для входа в приложение «Домовой»: ${code}. Никому его не сообщайте.`,
          dedupKey: `sign-in-code:${phone}:${randomUUID()}`,
          redactAfterDelivery: true,
        },
      ]);
    });
    await this.notifications.dispatch(ids);
    return { expiresAt };
  }

  async signIn(
    rawPhone: string,
    code: string,
    clientAddress: string,
  ): Promise<{ accessToken: string; expiresAt: Date; resident: ResidentEntity }> {
    const phone = this.phoneOf(rawPhone);
    const limits = this.config.residents;
    await this.rateLimits.consume([
      {
        scope: 'sign-in:phone',
        subject: phone,
        limit: limits.signInsPerPhonePerHour,
        windowSeconds: HOUR,
        message: { ru: 'Слишком много попыток входа для этого номера', en: 'Too many sign-in attempts for this phone' },
      },
      {
        scope: 'sign-in:address',
        subject: clientAddress,
        limit: limits.signInsPerAddressPerHour,
        windowSeconds: HOUR,
        message: {
          ru: 'Слишком много попыток входа с этого адреса',
          en: 'Too many sign-in attempts from this address',
        },
      },
    ]);
    const outcome = await this.dataSource.transaction(async (tx) => {
      const codes = tx.getRepository(SignInCodeEntity);
      const live = await codes
        .createQueryBuilder('c')
        .setLock('pessimistic_write')
        .where('c.phone = :phone', { phone })
        .getOne();
      if (!live || live.expiresAt <= new Date()) return { error: NO_CODE };
      if (!this.matches(live.codeHash, this.hash(phone, code.trim()))) {
        const attemptsLeft = live.attemptsLeft - 1;
        if (attemptsLeft <= 0) await codes.delete({ phone });
        else await codes.update({ phone }, { attemptsLeft });
        return {
          error: new UnauthenticatedException(
            attemptsLeft > 0
              ? {
                  ru: `Неверный код: осталось попыток — ${attemptsLeft}`,
                  en: `Wrong code: ${attemptsLeft} attempts left`,
                }
              : {
                  ru: 'Неверный код. Попытки исчерпаны: запросите новый код',
                  en: 'Wrong code. No attempts left: request a new code',
                },
          ),
        };
      }
      await codes.delete({ phone });
      await runSql(
        tx,
        sql`INSERT INTO resident (phone, last_seen_at) VALUES (${phone}, now()) ON CONFLICT (phone) DO UPDATE SET last_seen_at = now()`,
      );
      const resident = await tx.getRepository(ResidentEntity).findOneByOrFail({ phone });
      const expiresAt = new Date(Date.now() + limits.tokenTtlSeconds * 1000);
      const session = await tx
        .getRepository(ResidentSessionEntity)
        .save({ residentId: resident.id, expiresAt, revokedAt: null });
      return { resident, session, expiresAt };
    });
    // The failed attempt is committed before it is reported, so it counts.
    if ('error' in outcome) throw outcome.error;
    const claims: ResidentTokenClaims = {
      realm: 'resident',
      sid: outcome.session!.id,
      sub: outcome.resident!.id,
      phone,
    };
    return {
      accessToken: this.auth.issueToken(claims, limits.tokenTtlSeconds),
      expiresAt: outcome.expiresAt!,
      resident: outcome.resident!,
    };
  }

  /** Checks the session and, at most every five minutes, records the resident as seen — in one statement. */
  async authenticate(raw: { realm: string } & Record<string, unknown>): Promise<ResidentPrincipal> {
    const claims = raw as unknown as ResidentTokenClaims;
    const rows: { id: string; phone: string }[] = await runSql(
      this.dataSource,
      sql`WITH live AS (
         SELECT r.id, r.phone, r.last_seen_at FROM resident_session s JOIN resident r ON r.id = s.resident_id
          WHERE s.id = ${claims.sid} AND s.resident_id = ${claims.sub} AND s.revoked_at IS NULL AND s.expires_at > now()
       ), seen AS (
         UPDATE resident SET last_seen_at = now() WHERE id IN (SELECT id FROM live WHERE last_seen_at < now() - interval '5 minutes') RETURNING id
       )
       SELECT id, phone FROM live`,
    );
    if (rows.length === 0) throw SESSION_ENDED;
    return { realm: 'resident', residentId: rows[0].id, phone: rows[0].phone, sessionId: claims.sid };
  }

  async signOut(resident: ResidentPrincipal): Promise<void> {
    await this.dataSource
      .getRepository(ResidentSessionEntity)
      .update({ id: resident.sessionId, residentId: resident.residentId }, { revokedAt: new Date() });
  }

  /** Housekeeping: expired codes and sessions. */
  async purgeExpired(): Promise<void> {
    await runSql(this.dataSource, sql`DELETE FROM resident_sign_in_code WHERE expires_at < now()`);
    await runSql(
      this.dataSource,
      sql`DELETE FROM resident_session WHERE expires_at < now() - interval '1 day' OR revoked_at < now() - interval '1 day'`,
    );
    await this.rateLimits.purgeOld();
  }

  private phoneOf(raw: string): string {
    const phone = normalizePhone(raw ?? '');
    if (!phone) {
      const { ru, en } = unpackMessage(PHONE_MESSAGE);
      throw new BadInputException([{ path: 'input.phone', message: ru, messageEn: en }]);
    }
    return phone;
  }

  private hash(phone: string, code: string): string {
    return createHmac('sha256', this.config.jwtSecret).update(`${phone}:${code}`).digest('hex');
  }

  private matches(expected: string, actual: string): boolean {
    const a = Buffer.from(expected, 'hex');
    const b = Buffer.from(actual, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
