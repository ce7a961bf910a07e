/** What a verified token says: its realm, its other claims, and `exp` (seconds since the epoch). */
export type TokenClaims = { realm: string } & Record<string, unknown>;

const CAPACITY = 10_000;

/**
 * The claims of the bearer tokens this process has verified, by the token's text, until each token
 * expires. A client sends the same token with every request, and verifying it anew (base64 and JSON
 * decoding, an HMAC-SHA256, jsonwebtoken's checks) took 2.3 % of the api's CPU under the dispatchers'
 * load of bench/load.ts. A token's text alone decides its claims and whether its signature is good
 * (one signing key a process, fixed at start), so only time can change the answer: an entry answers
 * only before the token's `exp`, as jsonwebtoken judges it. Sessions are still checked on every
 * request (AuthService.authenticateStaff, ResidentsService.authenticate), so logout, blocking and
 * revocation take effect as before. The claims are frozen: every request shares them.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { claims: TokenClaims; expiresAtMs: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly capacity = CAPACITY,
  ) {}

  get(token: string): TokenClaims | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.now() < entry.expiresAtMs) return entry.claims;
    this.entries.delete(token);
    return undefined;
  }

  /** Remembers a token jsonwebtoken has just verified; one without `exp` is not remembered. */
  put(token: string, claims: TokenClaims): TokenClaims {
    const frozen = Object.freeze(claims);
    if (typeof claims.exp !== 'number') return frozen;
    // The oldest entry goes first (a Map keeps insertion order): tokens of sessions that ended or moved on.
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { claims: frozen, expiresAtMs: claims.exp * 1000 });
    return frozen;
  }
}
