import { registerEnumType } from '@nestjs/graphql';

/**
 * An organization's setting: when a request from the resident app attaches its author to the premises
 * at once, without staff. The rule that applies it is registration/auto-attach-policy.ts.
 */
export enum AutoAttachPolicy {
  /** The article's rule: the address identified the premises → attached as owner. */
  PREMISES_FOUND = 'PREMISES_FOUND',
  /** The account number typed in the form must be an open account of those premises (the default). */
  ACCOUNT_CONFIRMED = 'ACCOUNT_CONFIRMED',
  /** Every request waits for an employee. */
  NEVER = 'NEVER',
}

registerEnumType(AutoAttachPolicy, {
  name: 'AutoAttachPolicy',
  description: 'When a registration from the app attaches its author as owner at once',
});
