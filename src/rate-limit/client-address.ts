import type { Request } from 'express';

/**
 * The address rate limits count by: the socket's, or the proxy's X-Forwarded-For when TRUST_PROXY
 * says which hops to believe (Express computes `req.ip` from that setting, see server.ts).
 */
export function clientAddress(req: Pick<Request, 'ip' | 'socket'>): string {
  return req.ip ?? req.socket?.remoteAddress ?? 'unknown';
}
