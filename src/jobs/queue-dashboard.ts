import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { AuthService } from '../auth/auth.service';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { Permission, roleAllows } from '../kernel/role';
import { BullJobQueue } from './bull-job-queue';
import { JobQueue, QUEUE_NAMES } from './job-queue';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
/** Browsers cannot send a bearer header when a person opens a URL: `?token=` once sets this cookie. */
const TOKEN_COOKIE = 'domovoy_queues_token';

function cookieToken(request: Request): string | undefined {
  const pair = request.headers.cookie?.split(/;\s*/).find((part) => part.startsWith(`${TOKEN_COOKIE}=`));
  return pair ? decodeURIComponent(pair.slice(TOKEN_COOKIE.length + 1)) : undefined;
}

/**
 * Bull Board at /admin/queues when jobs run on Redis: staff with VIEW_JOB_QUEUES (admins) only,
 * by `Authorization: Bearer <accessToken>`, or in a browser by opening `/admin/queues?token=<accessToken>`
 * once (an HttpOnly, SameSite=Strict cookie limited to this path keeps it). Without Redis, `jobQueues` tells the same.
 */
@Injectable()
export class QueueDashboard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queue: JobQueue,
    private readonly auth: AuthService,
  ) {}

  onModuleInit(): void {
    if (!(this.queue instanceof BullJobQueue) || !this.adapterHost.httpAdapter) return;
    const bull = this.queue;
    const board = new ExpressAdapter();
    board.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({ queues: QUEUE_NAMES.map((name) => new BullAdapter(bull.queue(name))), serverAdapter: board });
    this.adapterHost.httpAdapter.use(
      QUEUE_DASHBOARD_PATH,
      (request: Request, response: Response, next: NextFunction) => {
        void this.admit(request, response).then((admitted) => (admitted ? next() : undefined), next);
      },
      board.getRouter(),
    );
  }

  /** Answers 401/403 itself, or says the request may go on to the board. */
  private async admit(request: Request, response: Response): Promise<boolean> {
    const fromQuery = typeof request.query.token === 'string' ? request.query.token : undefined;
    const token = fromQuery ?? cookieToken(request);
    const authorization = request.headers.authorization ?? (token ? `Bearer ${token}` : undefined);
    try {
      const principal = await this.auth.authenticate(authorization);
      if (!principal)
        return refuse(response, 401, {
          ru: 'Войдите: нужен токен сотрудника',
          en: 'Sign in: a staff token is required',
        });
      if (!roleAllows(principal.role, Permission.VIEW_JOB_QUEUES)) {
        return refuse(response, 403, {
          ru: `Роль ${principal.role} не позволяет смотреть очереди задач`,
          en: `Role ${principal.role} lacks permission ${Permission.VIEW_JOB_QUEUES}`,
        });
      }
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      return refuse(response, error.code === ErrorCode.FORBIDDEN ? 403 : 401, error.text);
    }
    if (fromQuery) {
      response.cookie(TOKEN_COOKIE, fromQuery, {
        httpOnly: true,
        sameSite: 'strict',
        path: QUEUE_DASHBOARD_PATH,
        secure: request.secure,
      });
      response.redirect(303, QUEUE_DASHBOARD_PATH);
      return false;
    }
    return true;
  }
}

function refuse(response: Response, status: 401 | 403, text: { ru: string; en: string }): false {
  response.status(status).json({
    code: status === 401 ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN,
    message: text.ru,
    messageEn: text.en,
  });
  return false;
}
