import { resolve } from 'node:path';

export type ProcessRole = 'all' | 'api' | 'worker';
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface AppConfig {
  /** External PostgreSQL; when absent an embedded server is started under `dataDir/pg`. */
  databaseUrl?: string;
  /** External Redis for Bull; when absent jobs run in-process. */
  redisUrl?: string;
  port: number;
  role: ProcessRole;
  jwtSecret: string;
  /** True when JWT_SECRET was not given and a per-data-dir secret was generated. */
  jwtSecretGenerated: boolean;
  tokenTtlSeconds: number;
  logLevel: LogLevel;
  /**
   * Follow each HTTP request through its awaits (AsyncLocalStorage), so every log line written while
   * serving it carries its id and the request's line counts its SQL statements. Off by default: on
   * Node 20 the async hooks it needs cost every promise of every request (about 14 % of a contact
   * card's CPU, bench/contact-card.ts). Without it the request's own line and its unhandled-error lines
   * still carry the id.
   */
  requestTracing: boolean;
  dataDir: string;
  bootstrapAdminEmail?: string;
  bootstrapAdminPassword?: string;
  graphql: GraphqlLimits;
  /** Bull key prefix; the braces make it a Redis Cluster hash tag. */
  queuePrefix: string;
  /**
   * How long a Bull job stays locked to a worker without the worker renewing it; a worker that died
   * leaves its job to be taken over by another within about twice this.
   */
  queueLockMs: number;
  /** Express `trust proxy`: which hops' X-Forwarded-For to believe when rate-limiting by client address. */
  trustProxy?: string;
  notifications: NotificationsConfig;
  residents: ResidentsConfig;
  login: LoginThrottleConfig;
  imports: ImportsConfig;
  observability: ObservabilityConfig;
}

/** What operators and front-end developers look at: logs, metrics, the GraphQL IDE. */
export interface ObservabilityConfig {
  /** `json` lines, or pino-pretty's lines for a person; absent → pretty when stdout is a terminal. */
  logFormat?: 'json' | 'pretty';
  /** GraphiQL at GET /graphql (a browser's Accept: text/html): on outside production unless GRAPHQL_IDE=off. */
  graphqlIde: boolean;
  /** Bearer token that opens GET /metrics on the HTTP port; absent → /metrics answers 404 there. */
  metricsToken?: string;
  /** A separate port serving only /metrics (the worker's only HTTP); the token, when set, is asked there too. */
  metricsPort?: number;
}

/** What one GraphQL operation may ask for, whatever transport brings it (src/graphql/gate). */
export interface GraphqlLimits {
  maxDepth: number;
  maxComplexity: number;
  /** Aliased object/list fields in one operation: aliases multiply work without raising depth. */
  maxAliases: number;
  /** Characters of any one string value (argument or variable); longer texts are refused naming the field. */
  maxStringLength: number;
  /** Bytes of one HTTP request body to /graphql and of one WebSocket message: the same cap on both. */
  maxBodyBytes: number;
  /** Schema introspection (the IDE's docs explorer, code generators); off by default in production. */
  introspection: boolean;
}

/**
 * Staff login throttling (auth/login-throttle.ts). Counted per e-mail (known or not) and per client
 * address in fixed windows; a successful login clears its account's count and takes back only its
 * own hit on the address.
 */
export interface LoginThrottleConfig {
  windowSeconds: number;
  /** Failed attempts on one account answered at once; each next one waits `delayMs`, doubled every time. */
  freeFailuresPerAccount: number;
  /** Attempts on one account past this many failures are refused (RATE_LIMITED) until the window ends. */
  maxFailuresPerAccount: number;
  /** The same for one client address, whatever the accounts (an office behind one NAT shares it). */
  maxFailuresPerAddress: number;
  delayMs: number;
}

export interface ImportsConfig {
  /** Where uploads are kept for the worker and the error report; api and worker processes must share it. */
  dir: string;
  maxUploadBytes: number;
  /** Data rows per transaction: each is one checkpoint. */
  batchRows: number;
  /**
   * Uploads at least this big are read and parsed in a thread beside the job's (row-batches-thread.ts);
   * null: none is (IMPORT_READING_THREAD=off, the default: on two cores it bought 3 % of an import's time
   * for ~90 MB more RSS, see the README).
   */
  readingThreadMinBytes: number | null;
  /** Uploads and their errors are removed this long after the job ends. */
  keepDays: number;
}

/** Where e-mail, push and SMS go; an absent URL means that channel is written to the log (development). */
export interface NotificationsConfig {
  smtpUrl?: string;
  mailFrom: string;
  pushUrl?: string;
  smsUrl?: string;
  /** No SMS_URL outside production: SMS (the resident sign-in code) are printed to the console, marked DEV ONLY. */
  devConsoleSms: boolean;
  /** Delivery tries, the first included; after the last one the message is marked dead. */
  attempts: number;
  /** First retry delay; each next one doubles it. */
  backoffMs: number;
}

export interface ResidentsConfig {
  tokenTtlSeconds: number;
  signInCodeTtlSeconds: number;
  signInCodeAttempts: number;
  codesPerPhonePerHour: number;
  codesPerAddressPerHour: number;
  signInsPerPhonePerHour: number;
  signInsPerAddressPerHour: number;
  registrationsPerPhonePerHour: number;
}

/** Raised for a bad environment value; main prints its message as the one line a person reads. */
export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const value = nonEmpty(env, name);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name}: not a valid URL (expected ${protocols[0]}//host:port/...)`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name}: protocol must be ${protocols.join(' or ')}, got ${parsed.protocol}`);
  }
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${name}: must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${name}: must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

function loginThrottle(env: Env): LoginThrottleConfig {
  const config = {
    windowSeconds: integer(env, 'LOGIN_WINDOW_SECONDS', 900, 1, 24 * 3600),
    freeFailuresPerAccount: integer(env, 'LOGIN_FREE_FAILURES', 5, 0, 1000),
    maxFailuresPerAccount: integer(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 10, 1, 1000),
    maxFailuresPerAddress: integer(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 50, 1, 1_000_000),
    delayMs: integer(env, 'LOGIN_DELAY_MS', 1000, 0, 60_000),
  };
  if (config.freeFailuresPerAccount >= config.maxFailuresPerAccount) {
    throw new ConfigError(
      `LOGIN_FREE_FAILURES: must be below LOGIN_MAX_FAILURES_PER_ACCOUNT (${config.maxFailuresPerAccount}), got "${config.freeFailuresPerAccount}"`,
    );
  }
  return config;
}

function queuePrefix(env: Env): string {
  const value = nonEmpty(env, 'QUEUE_PREFIX') ?? '{domovoy}';
  if (!/^\{[\w-]{1,50}\}$/.test(value))
    throw new ConfigError(`QUEUE_PREFIX: must look like {name} (a Redis Cluster hash tag), got "${value}"`);
  return value;
}

/** Separate api and worker processes share jobs through Redis and cannot share the embedded database. */
function processRole(env: Env, databaseUrl: string | undefined, redisUrl: string | undefined): ProcessRole {
  const role = oneOf(env, 'ROLE', ['all', 'api', 'worker'] as const, 'all');
  if (role !== 'all' && !redisUrl) {
    throw new ConfigError(
      `ROLE: "${role}" needs REDIS_URL (separate api and worker processes share jobs through Redis)`,
    );
  }
  if (role !== 'all' && !databaseUrl) {
    throw new ConfigError(`ROLE: "${role}" needs DATABASE_URL (separate processes cannot share the embedded database)`);
  }
  return role;
}

function jwtSecretOf(
  env: Env,
  databaseUrl: string | undefined,
  generatedSecret: ((dataDir: string) => string) | undefined,
): { jwtSecret: string; jwtSecretGenerated: boolean } {
  const jwtSecret = nonEmpty(env, 'JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET: must be at least 32 characters long');
  }
  if (jwtSecret !== undefined) return { jwtSecret, jwtSecretGenerated: false };
  if (databaseUrl) throw new ConfigError('JWT_SECRET: required when DATABASE_URL is set (all processes must share it)');
  if (!generatedSecret) throw new ConfigError('JWT_SECRET: required');
  return { jwtSecret: generatedSecret(resolve(nonEmpty(env, 'DATA_DIR') ?? '.data')), jwtSecretGenerated: true };
}

function bootstrapAdmin(env: Env): { email: string | undefined; password: string | undefined } {
  const email = nonEmpty(env, 'BOOTSTRAP_ADMIN_EMAIL');
  if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new ConfigError(`BOOTSTRAP_ADMIN_EMAIL: not an e-mail address: "${email}"`);
  }
  const password = nonEmpty(env, 'BOOTSTRAP_ADMIN_PASSWORD');
  if (password !== undefined && password.length < 8) {
    throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD: must be at least 8 characters long');
  }
  return { email, password };
}

/**
 * Reads and validates the environment once. Throws ConfigError naming the first bad variable.
 * `generatedSecret` supplies a secret when JWT_SECRET is absent (the embedded default keeps one under DATA_DIR).
 */
export function loadConfig(env: Env = process.env, generatedSecret?: (dataDir: string) => string): AppConfig {
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const role = processRole(env, databaseUrl, redisUrl);
  const { jwtSecret, jwtSecretGenerated } = jwtSecretOf(env, databaseUrl, generatedSecret);
  const production = nonEmpty(env, 'NODE_ENV') === 'production';
  const admin = bootstrapAdmin(env);
  return {
    databaseUrl,
    redisUrl,
    port: integer(env, 'PORT', 3000, 0, 65535),
    role,
    jwtSecret,
    jwtSecretGenerated,
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 12 * 3600, 60, 30 * 24 * 3600),
    logLevel: oneOf(env, 'LOG_LEVEL', ['error', 'warn', 'info', 'debug'] as const, 'info'),
    requestTracing: oneOf(env, 'REQUEST_TRACING', ['off', 'on'] as const, 'off') === 'on',
    dataDir: resolve(nonEmpty(env, 'DATA_DIR') ?? '.data'),
    bootstrapAdminEmail: admin.email,
    bootstrapAdminPassword: admin.password,
    graphql: {
      maxDepth: integer(env, 'GRAPHQL_MAX_DEPTH', 10, 2, 50),
      maxComplexity: integer(env, 'GRAPHQL_MAX_COMPLEXITY', 5000, 10, 1_000_000),
      maxAliases: integer(env, 'GRAPHQL_MAX_ALIASES', 30, 0, 10_000),
      maxStringLength: integer(env, 'GRAPHQL_MAX_STRING_LENGTH', 100_000, 100, 10_000_000),
      maxBodyBytes: integer(env, 'GRAPHQL_MAX_BODY_BYTES', 2 * 1024 * 1024, 10_000, 100 * 1024 * 1024),
      introspection: oneOf(env, 'GRAPHQL_INTROSPECTION', ['off', 'on'] as const, production ? 'off' : 'on') === 'on',
    },
    queuePrefix: queuePrefix(env),
    queueLockMs: integer(env, 'QUEUE_LOCK_MS', 30_000, 500, 600_000),
    trustProxy: nonEmpty(env, 'TRUST_PROXY'),
    notifications: {
      smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
      mailFrom: nonEmpty(env, 'MAIL_FROM') ?? 'Домовой <no-reply@domovoy.local>',
      pushUrl: url(env, 'PUSH_URL', ['http:', 'https:']),
      smsUrl: url(env, 'SMS_URL', ['http:', 'https:']),
      devConsoleSms: !url(env, 'SMS_URL', ['http:', 'https:']) && env.NODE_ENV !== 'production',
      attempts: integer(env, 'NOTIFICATION_ATTEMPTS', 8, 1, 50),
      backoffMs: integer(env, 'NOTIFICATION_BACKOFF_MS', 5000, 10, 3_600_000),
    },
    residents: {
      tokenTtlSeconds: integer(env, 'RESIDENT_TOKEN_TTL_SECONDS', 30 * 24 * 3600, 60, 365 * 24 * 3600),
      signInCodeTtlSeconds: integer(env, 'SIGN_IN_CODE_TTL_SECONDS', 300, 30, 3600),
      signInCodeAttempts: integer(env, 'SIGN_IN_CODE_ATTEMPTS', 5, 1, 20),
      codesPerPhonePerHour: integer(env, 'RATE_CODES_PER_PHONE_PER_HOUR', 5, 1, 100_000),
      codesPerAddressPerHour: integer(env, 'RATE_CODES_PER_ADDRESS_PER_HOUR', 30, 1, 100_000),
      signInsPerPhonePerHour: integer(env, 'RATE_SIGN_INS_PER_PHONE_PER_HOUR', 10, 1, 100_000),
      signInsPerAddressPerHour: integer(env, 'RATE_SIGN_INS_PER_ADDRESS_PER_HOUR', 60, 1, 100_000),
      registrationsPerPhonePerHour: integer(env, 'RATE_REGISTRATIONS_PER_PHONE_PER_HOUR', 10, 1, 100_000),
    },
    login: loginThrottle(env),
    imports: {
      dir: resolve(nonEmpty(env, 'IMPORT_DIR') ?? resolve(nonEmpty(env, 'DATA_DIR') ?? '.data', 'imports')),
      maxUploadBytes: integer(env, 'IMPORT_MAX_BYTES', 100 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024),
      batchRows: integer(env, 'IMPORT_BATCH_ROWS', 2000, 1, 50_000),
      readingThreadMinBytes: { off: null, on: 1024 * 1024, always: 0 }[
        oneOf(env, 'IMPORT_READING_THREAD', ['off', 'on', 'always'] as const, 'off')
      ],
      keepDays: integer(env, 'IMPORT_KEEP_DAYS', 7, 1, 365),
    },
    observability: observability(env),
  };
}

function observability(env: Env): ObservabilityConfig {
  const production = env.NODE_ENV === 'production';
  const logFormat = oneOf(env, 'LOG_FORMAT', ['auto', 'json', 'pretty'] as const, 'auto');
  const metricsToken = nonEmpty(env, 'METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16)
    throw new ConfigError('METRICS_TOKEN: must be at least 16 characters long');
  const metricsPort =
    nonEmpty(env, 'METRICS_PORT') === undefined ? undefined : integer(env, 'METRICS_PORT', 0, 0, 65535);
  return {
    logFormat: logFormat === 'auto' ? undefined : logFormat,
    graphqlIde: oneOf(env, 'GRAPHQL_IDE', ['on', 'off'] as const, production ? 'off' : 'on') === 'on',
    metricsToken,
    metricsPort,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
