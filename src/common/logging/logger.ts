import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger } from 'pino';
import pretty from 'pino-pretty';
import { currentRequestContext } from '../context/request-context';
import type { LogLevel } from '../../config/config';
import { redactText, redactValue } from './redaction';

export type LogFormat = 'json' | 'pretty';

/** JSON lines for machines; pino-pretty's one-liners when a person watches the terminal. */
export function defaultLogFormat(): LogFormat {
  return process.stdout.isTTY ? 'pretty' : 'json';
}

/**
 * Writes through `process.stdout.write` at call time (not a file descriptor captured at start), so the
 * lines stay in order with the start banner and anything that watches stdout sees them. Writes to a
 * pipe or a file are synchronous on Linux, so the last line before `process.exit` is not lost.
 */
const stdout: DestinationStream = { write: (line: string) => void process.stdout.write(line) };

function createPino(format: LogFormat, level: LogLevel): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        // Every line's fields pass the one redaction list (redaction.ts) on their way out.
        log: (fields) => redactValue(fields) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, write) {
          const [fields, message, ...rest] = args as unknown[];
          write.apply(this, [
            fields,
            typeof message === 'string' ? redactText(message) : message,
            ...rest,
          ] as Parameters<typeof write>);
        },
      },
      // With REQUEST_TRACING=on every line written while serving a request names it; off (the default),
      // there is no store to read and this costs one lookup per line (request-context.ts says why).
      mixin: () => {
        const requestId = currentRequestContext()?.requestId;
        return requestId ? { requestId } : {};
      },
    },
    format === 'pretty'
      ? pretty({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l', destination: process.stdout })
      : stdout,
  );
}

/**
 * The process's logger: pino underneath, with the call shape the code base uses —
 * `appLogger.info(message, fields)` — and Nest's LoggerService for the framework's own lines.
 */
export class AppLogger implements LoggerService {
  private pino: Logger;

  constructor(format: LogFormat = defaultLogFormat(), level: LogLevel = 'info') {
    this.pino = createPino(format, level);
  }

  /** Called once by main from the configuration (LOG_LEVEL, LOG_FORMAT). */
  configure(options: { level: LogLevel; format?: LogFormat }): void {
    this.pino = createPino(options.format ?? defaultLogFormat(), options.level);
  }

  setLevel(level: LogLevel): void {
    this.pino.level = level;
  }

  isLevelEnabled(level: LogLevel): boolean {
    return this.pino.isLevelEnabled(level);
  }

  error(message: unknown, fields?: Record<string, unknown> | string, context?: string): void {
    this.pino.error(nestFields(fields, context), text(message));
  }
  warn(message: unknown, fields?: Record<string, unknown> | string): void {
    this.pino.warn(nestFields(fields), text(message));
  }
  info(message: unknown, fields?: Record<string, unknown>): void {
    this.pino.info(fields ?? {}, text(message));
  }
  /** Nest's name for info. */
  log(message: unknown, fields?: Record<string, unknown> | string): void {
    this.pino.info(nestFields(fields), text(message));
  }
  debug(message: unknown, fields?: Record<string, unknown> | string): void {
    this.pino.debug(nestFields(fields), text(message));
  }
  verbose(message: unknown, fields?: Record<string, unknown> | string): void {
    this.pino.debug(nestFields(fields), text(message));
  }
}

function text(message: unknown): string {
  return typeof message === 'string' ? message : JSON.stringify(message);
}

/** Nest passes its context name (or a stack for errors) as a trailing string argument. */
function nestFields(fields?: Record<string, unknown> | string, context?: string): Record<string, unknown> {
  if (typeof fields === 'string') return context ? { stack: fields, context } : { context: fields };
  return fields ?? {};
}

export const appLogger = new AppLogger();
