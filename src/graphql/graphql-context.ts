import type { Request } from 'express';
import type { StaffPrincipal } from '../auth/principal';
import type { DomainException } from '../common/errors/domain.exception';
import type { RequestLoaders } from './request-loaders';

export interface GraphqlContext {
  req: Request;
  /** Absent for anonymous requests; the guard then answers UNAUTHENTICATED (or `authError`). */
  principal?: StaffPrincipal;
  /** Why a presented token was refused, reported only if the operation needs one. */
  authError?: DomainException;
  loaders: RequestLoaders;
}
