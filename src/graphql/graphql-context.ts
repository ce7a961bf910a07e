import type { Request } from 'express';
import type { ResidentPrincipal, StaffPrincipal } from '../access/principal';
import type { DomainException } from '../common/errors/domain.exception';
import type { RequestLoaders } from './request-loaders';

export interface GraphqlContext {
  /** The HTTP request; over a socket, the upgrade request (headers and socket, no Express extras). */
  req: Request;
  /** Absent for anonymous requests; the guard then answers UNAUTHENTICATED (or `authError`). */
  principal?: StaffPrincipal;
  /** A resident signed in through the app (the other realm); never set together with `principal`. */
  resident?: ResidentPrincipal;
  /** Why a presented token was refused, reported only if the operation needs one. */
  authError?: DomainException;
  loaders: RequestLoaders;
  /** Clients whose personal data this request showed (clients/personal-data.ts), recorded when it ends. */
  personalDataReads?: Set<string>;
}
