/**
 * The identity rule — "is this the same person" — for every path that makes or finds a client card:
 * manual creation, the Excel import, the integration API and self-registration from the app.
 *
 * 1. An external identifier (of any CRM space) the record carries decides.
 * 2. Else the same normalized full name (nameKey) together with any phone of the card, login or contact.
 * 3. Else, where the caller knows the premises, the same full name among that premises' residents
 *    (a resident first listed without a phone is the same person when a later file gives one).
 * 4. Else a new card.
 *
 * A phone shared by two different people (a family's landline, a husband's mobile given for his wife)
 * stays on both cards as a contact phone; only one card may use it as the login of the resident app.
 */

/** What the rule needs to know of an existing card. */
export interface IdentityCard {
  id: string;
  nameKey: string;
  /** The login phone (E.164), unique in the organization. */
  phone: string | null;
  extraPhones: readonly string[];
}

/** The person a row, a form or a request describes. */
export interface IdentityCandidate {
  nameKey: string;
  /** E.164, in the order given; the first free one becomes the login of a new card. */
  phones: readonly string[];
}

export type IdentityMatch =
  | { by: 'externalId'; clientId: string }
  | { by: 'nameAndPhone'; clientId: string }
  | { by: 'premisesResident'; clientId: string }
  | { by: 'none' };

export interface IdentitySources {
  /** The card an external identifier of the candidate points to, if any. */
  externalMatchId?: string | null;
  /** Cards carrying any of the candidate's phones (login or contact). */
  cardsWithPhones?: readonly IdentityCard[];
  /** Residents of the premises the candidate is written for, when known. */
  premisesResidents?: readonly IdentityCard[];
}

export function phonesOf(card: Pick<IdentityCard, 'phone' | 'extraPhones'>): string[] {
  return card.phone ? [card.phone, ...card.extraPhones] : [...card.extraPhones];
}

/** Whether the card carries any of these phones, as login or as contact phone. */
export function carriesAnyPhone(card: Pick<IdentityCard, 'phone' | 'extraPhones'>, phones: readonly string[]): boolean {
  return phones.some((p) => card.phone === p || card.extraPhones.includes(p));
}

/** The rule itself: which existing card, if any, is the candidate. */
export function matchIdentity(candidate: IdentityCandidate, sources: IdentitySources): IdentityMatch {
  if (sources.externalMatchId) return { by: 'externalId', clientId: sources.externalMatchId };
  if (candidate.nameKey && candidate.phones.length) {
    // The login owner first: of two namesakes sharing a phone, the one who signs in with it.
    const same = (sources.cardsWithPhones ?? []).filter(
      (c) => c.nameKey === candidate.nameKey && carriesAnyPhone(c, candidate.phones),
    );
    const chosen = same.find((c) => c.phone !== null && candidate.phones.includes(c.phone)) ?? same[0];
    if (chosen) return { by: 'nameAndPhone', clientId: chosen.id };
  }
  if (candidate.nameKey) {
    const resident = (sources.premisesResidents ?? []).find((c) => c.nameKey === candidate.nameKey);
    if (resident) return { by: 'premisesResident', clientId: resident.id };
  }
  return { by: 'none' };
}

/** A phone the card carries as a contact phone because another person's card signs in with it. */
export interface SharedPhone {
  phone: string;
  loginOwnerId: string;
}

export interface PhoneAssignment {
  /** The card's login phone after the assignment. */
  login: string | null;
  /** Contact phones, in order, without the login. */
  extra: string[];
  /** Listed phones that are another card's login: kept on this card as contact phones. */
  shared: SharedPhone[];
}

/**
 * Where the phones listed for a card go: an existing login stays (changing it is changeClientPhone's
 * work, audited, signing the resident out); a card without one takes the first listed phone that no
 * other card signs in with; the rest are contact phones. `loginOwnerOf` answers which card signs in
 * with a phone.
 */
export function assignPhones(
  cardId: string,
  currentLogin: string | null,
  listed: readonly string[],
  loginOwnerOf: (phone: string) => string | undefined,
): PhoneAssignment {
  const shared: SharedPhone[] = [];
  let login = currentLogin;
  const extra: string[] = [];
  for (const phone of new Set(listed)) {
    if (phone === login) continue;
    const owner = loginOwnerOf(phone);
    const ownedByOther = owner !== undefined && owner !== cardId;
    if (ownedByOther) shared.push({ phone, loginOwnerId: owner });
    if (!login && !ownedByOther) login = phone;
    else extra.push(phone);
  }
  return { login, extra, shared };
}
