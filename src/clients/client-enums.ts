export enum ClientStatus {
  ACTIVE = 'ACTIVE',
  BLOCKED = 'BLOCKED',
}

export enum ClientType {
  INDIVIDUAL = 'INDIVIDUAL',
  SOLE_PROPRIETOR = 'SOLE_PROPRIETOR',
  LEGAL_ENTITY = 'LEGAL_ENTITY',
  FOREIGN_BRANCH = 'FOREIGN_BRANCH',
}

export enum Gender {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}

/** Legal entities and foreign branches carry an organization name instead of a person's name. */
export function isOrganizationType(type: ClientType): boolean {
  return type === ClientType.LEGAL_ENTITY || type === ClientType.FOREIGN_BRANCH;
}
