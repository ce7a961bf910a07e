import { AutoAttachFacts, autoAttachHold, RegistrationHoldReason as R } from './auto-attach-policy';
import { AutoAttachPolicy as P } from '../organizations/auto-attach-setting';

describe('autoAttachHold', () => {
  const facts = (
    policy: P,
    premisesFound: boolean,
    accountConfirmed: boolean,
    premisesHasOwner: boolean,
    phoneOfAnotherClient = false,
  ): AutoAttachFacts => ({ policy, premisesFound, accountConfirmed, premisesHasOwner, phoneOfAnotherClient });
  const cases: [P, boolean, boolean, boolean, R | null][] = [
    // policy, premises found, account confirmed, has owner → hold reason (null: attach at once)
    [P.PREMISES_FOUND, true, false, false, null],
    [P.PREMISES_FOUND, true, true, false, null],
    [P.PREMISES_FOUND, true, true, true, R.PREMISES_HAS_OWNER],
    [P.PREMISES_FOUND, false, false, false, R.PREMISES_NOT_FOUND],
    [P.ACCOUNT_CONFIRMED, true, true, false, null],
    [P.ACCOUNT_CONFIRMED, true, false, false, R.ACCOUNT_NOT_CONFIRMED],
    [P.ACCOUNT_CONFIRMED, true, true, true, R.PREMISES_HAS_OWNER],
    [P.ACCOUNT_CONFIRMED, false, false, false, R.PREMISES_NOT_FOUND],
    [P.NEVER, true, true, false, R.POLICY_NEVER],
    [P.NEVER, true, true, true, R.POLICY_NEVER],
    [P.NEVER, false, false, false, R.PREMISES_NOT_FOUND],
  ];
  it.each(cases)('%s, found=%s, account=%s, owner=%s → %s', (policy, found, account, owner, expected) => {
    expect(autoAttachHold(facts(policy, found, account, owner))).toBe(expected);
  });

  it.each([P.PREMISES_FOUND, P.ACCOUNT_CONFIRMED])(
    '%s: a phone another client signs in with waits for staff',
    (policy) => {
      expect(autoAttachHold(facts(policy, true, true, false, true))).toBe(R.PHONE_OF_ANOTHER_CLIENT);
      expect(autoAttachHold(facts(policy, true, true, true, true))).toBe(R.PREMISES_HAS_OWNER);
    },
  );
});
