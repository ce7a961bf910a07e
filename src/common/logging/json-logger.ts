import { LoggerService } from '@nestjs/common';
import { currentRequestContext } from '../context/request-context';
import type { LogLevel } from '../../config/config';

const SEVERITY: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** One JSON object per line on stdout, with the request id when there is one. */
export class JsonLogger implements LoggerService {
  private threshold = SEVERITY.info;

  setLevel(level: LogLevel): void {
    this.threshold = SEVERITY[level];
  }

  private write(level: LogLevel, message: unknown, fields: Record<string, unknown> = {}): void {
    if (SEVERITY[level] > this.threshold) return;
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      msg: typeof message === 'string' ? message : JSON.stringify(message),
      ...fields,
    };
    const requestId = currentRequestContext()?.requestId;
    if (requestId) entry.requestId = requestId;
    (level === 'error' ? process.stderr : process.stdout).write(JSON.stringify(entry) + '\n');
  }

  error(message: unknown, fields?: Record<string, unknown> | string, context?: string): void {
    this.write('error', message, this.nestFields(fields, context));
  }
  warn(message: unknown, fields?: Record<string, unknown> | string): void {
    this.write('warn', message, this.nestFields(fields));
  }
  log(message: unknown, fields?: Record<string, unknown> | string): void {
    this.write('info', message, this.nestFields(fields));
  }
  info(message: unknown, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }
  debug(message: unknown, fields?: Record<string, unknown> | string): void {
    this.write('debug', message, this.nestFields(fields));
  }
  verbose(message: unknown, fields?: Record<string, unknown> | string): void {
    this.write('debug', message, this.nestFields(fields));
  }

  /** Nest passes its context name (or a stack for errors) as a trailing string argument. */
  private nestFields(fields?: Record<string, unknown> | string, context?: string): Record<string, unknown> {
    if (typeof fields === 'string') return context ? { stack: fields, context } : { context: fields };
    return fields ?? {};
  }
}

export const appLogger = new JsonLogger();
