import { createSecretKey, KeyObject } from 'node:crypto';
import { runSql, sql } from '../common/sql/sql';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import jwt from 'jsonwebtoken';
import { DataSource, LessThan } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ForbiddenException, UnauthenticatedException } from '../common/errors/domain.exception';
import { EmployeeEntity } from '../organizations/employee.entity';
import { EmployeesService, normalizeEmail } from '../organizations/employees.service';
import { LoginThrottle } from './login-throttle';
import { verifyPassword } from '../access/passwords';
import { EmployeeRole } from '../kernel/role';
import { AuthSessionEntity } from './auth-session.entity';
import { EmployeeLockedOut } from '../kernel/events';
import { StaffPrincipal } from '../access/principal';
import { StaffAccess, StaffAccessCache } from '../access/staff-access-cache';
import { TokenClaims, VerifiedTokens } from './verified-tokens';
import { viewsPersonalData } from '../clients/personal-data';
import { CrmSpace } from '../kernel/crm-space';

interface StaffTokenClaims {
  realm: 'staff';
  sid: string;
  sub: string;
  org: string;
}

const INVALID_CREDENTIALS = new UnauthenticatedException({
  ru: 'Неверный e-mail или пароль',
  en: 'Invalid e-mail or password',
});
const SESSION_ENDED = new UnauthenticatedException({
  ru: 'Сеанс завершён или истёк: войдите снова',
  en: 'The session has ended or expired: sign in again',
});

function principalOf(claims: StaffTokenClaims, access: StaffAccess): StaffPrincipal {
  return {
    realm: 'staff',
    employeeId: claims.sub,
    organizationId: claims.org,
    role: access.role,
    sessionId: claims.sid,
    crmSpace: access.crmSpace,
    specializationIds: access.specializationIds,
    viewsPersonalData: access.viewsPersonalData,
  };
}

@Injectable()
export class AuthService {
  /**
   * Given the secret as a string, jsonwebtoken first tries to read it as a PEM public key and
   * throws inside on every call (a third of a millisecond per request, measured); a key object does not.
   */
  private readonly signingKey: KeyObject;
  private readonly verifiedTokens = new VerifiedTokens();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly employees: EmployeesService,
    private readonly accessCache: StaffAccessCache,
    private readonly throttle: LoginThrottle,
  ) {
    this.signingKey = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  /**
   * Throttled (LoginThrottle) before the password is looked at; an unknown e-mail costs the same
   * bcrypt compare (verifyPassword) and gets the same answers as a wrong password.
   */
  async login(
    rawEmail: string,
    password: string,
    clientAddress: string,
  ): Promise<{ accessToken: string; expiresAt: Date; employee: EmployeeEntity }> {
    const email = normalizeEmail(rawEmail);
    const admitted = await this.throttle.admit(email, clientAddress);
    const employee = await this.employees.findByEmailForLogin(email);
    const matches = await verifyPassword(password, employee?.passwordHash);
    if (!employee || !matches) throw INVALID_CREDENTIALS;
    await admitted.succeeded();
    if (employee.blocked) {
      throw new ForbiddenException({
        ru: 'Учётная запись заблокирована. Обратитесь к администратору вашей организации.',
        en: 'This account is blocked. Contact your organization administrator.',
      });
    }
    const expiresAt = new Date(Date.now() + this.config.tokenTtlSeconds * 1000);
    const session = await this.dataSource.getRepository(AuthSessionEntity).save({
      organizationId: employee.organizationId,
      employeeId: employee.id,
      expiresAt,
      revokedAt: null,
    });
    const claims: StaffTokenClaims = {
      realm: 'staff',
      sid: session.id,
      sub: employee.id,
      org: employee.organizationId,
    };
    const accessToken = this.issueToken(claims, this.config.tokenTtlSeconds);
    return { accessToken, expiresAt, employee };
  }

  async logout(principal: StaffPrincipal): Promise<void> {
    await this.dataSource
      .getRepository(AuthSessionEntity)
      .update({ id: principal.sessionId, organizationId: principal.organizationId }, { revokedAt: new Date() });
    this.accessCache.forgetEmployee(principal.employeeId);
  }

  /** Signs the claims of either realm with the one server key. */
  issueToken(claims: object, ttlSeconds: number): string {
    return jwt.sign(claims, this.signingKey, { expiresIn: ttlSeconds, algorithm: 'HS256' });
  }

  /**
   * The verified claims of a bearer token (either realm), or UNAUTHENTICATED; undefined without a
   * header. A token verified before is answered from VerifiedTokens until it expires.
   */
  readClaims(authorization: string | undefined): TokenClaims | undefined {
    if (!authorization) return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw SESSION_ENDED;
    const known = this.verifiedTokens.get(match[1]);
    if (known) return known;
    let claims: TokenClaims;
    try {
      claims = jwt.verify(match[1], this.signingKey, { algorithms: ['HS256'] }) as TokenClaims;
    } catch {
      throw SESSION_ENDED;
    }
    return this.verifiedTokens.put(match[1], claims);
  }

  /**
   * Resolves staff claims to the employee they act for, in one statement that also checks the
   * session is live and the employee not blocked, or from StaffAccessCache when this process checked
   * the session recently. Logout and blocking take effect on this process's next request; other
   * processes drop the session when the trigger's notification reaches them (milliseconds later).
   */
  async authenticate(authorization: string | undefined): Promise<StaffPrincipal | undefined> {
    const claims = this.readClaims(authorization);
    return claims ? this.authenticateStaff(claims) : undefined;
  }

  async authenticateStaff(raw: TokenClaims): Promise<StaffPrincipal> {
    if (raw.realm !== 'staff') {
      throw new ForbiddenException({
        ru: 'Этот токен не даёт доступа к операциям сотрудников',
        en: 'This token does not open staff operations',
      });
    }
    const claims = raw as unknown as StaffTokenClaims;
    const cached = this.accessCache.get(claims.sid);
    if (cached && cached.employeeId === claims.sub && cached.organizationId === claims.org)
      return principalOf(claims, cached);
    const stamp = this.accessCache.stamp();
    const row = await runSql<Record<string, unknown> & { expires_at: string | Date }>(
      this.dataSource,
      sql`SELECT a.*, s.expires_at
         FROM auth_session s
         JOIN LATERAL (${this.employees.accessSql(sql`s.organization_id`, sql`s.employee_id`)}) a ON true
        WHERE s.id = ${claims.sid} AND s.organization_id = ${claims.org} AND s.employee_id = ${claims.sub}
          AND s.revoked_at IS NULL AND s.expires_at > now()`,
    );
    if (row.length === 0) throw SESSION_ENDED;
    if (row[0].blocked)
      throw new ForbiddenException({ ru: 'Учётная запись заблокирована', en: 'This account is blocked' });
    const access: StaffAccess = {
      organizationId: claims.org,
      employeeId: claims.sub,
      role: row[0].role as EmployeeRole,
      crmSpace: row[0].crm_space as CrmSpace,
      specializationIds: row[0].specializations as string[],
      viewsPersonalData: viewsPersonalData(row[0].role as EmployeeRole, row[0].personal_data_roles as string[] | null),
      expiresAt: new Date(row[0].expires_at).getTime(),
    };
    this.accessCache.put(claims.sid, access, stamp);
    return principalOf(claims, access);
  }

  /** EmployeeLockedOut: the employee's open sessions end. */
  async onEmployeeLockedOut({ tx, organizationId, employeeId }: EmployeeLockedOut): Promise<void> {
    await runSql(
      tx,
      sql`UPDATE auth_session SET revoked_at = now() WHERE organization_id = ${organizationId} AND employee_id = ${employeeId} AND revoked_at IS NULL`,
    );
  }

  /** Housekeeping: drop sessions that expired (or were revoked) more than a day ago. */
  async purgeExpiredSessions(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - 24 * 3600 * 1000);
    const repository = this.dataSource.getRepository(AuthSessionEntity);
    const expired = await repository.delete({ expiresAt: LessThan(cutoff) });
    const revoked = await repository.delete({ revokedAt: LessThan(cutoff) });
    return (expired.affected ?? 0) + (revoked.affected ?? 0);
  }
}
