import { AsyncLocalStorage } from 'node:async_hooks';

/** What follows one HTTP request through every await: its id for logs and its SQL statement count. */
export interface RequestContext {
  requestId: string;
  sqlStatements: number;
}

export const requestContextStorage = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext | undefined {
  return requestContextStorage.getStore();
}
