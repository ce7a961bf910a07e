/** The only codes clients ever see in `extensions.code`. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  CONFLICT = 'CONFLICT',
  RATE_LIMITED = 'RATE_LIMITED',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  INTERNAL = 'INTERNAL',
}

/** A message shown to staff (Russian) with its English twin for integrators' logs. */
export interface BilingualMessage {
  ru: string;
  en: string;
}

export interface FieldError {
  /** Dotted path inside the operation's `input`, e.g. `input.number`. */
  path: string;
  message: string;
  messageEn: string;
}
