import { Injectable } from '@nestjs/common';
import { requireOrganization } from '../common/tenancy/require-organization';

export interface AppStatus {
  usesApp: boolean;
  lastSeenAt: Date | null;
}

/**
 * Whether clients use the resident app and when they last signed in, for many clients at once.
 *
 * MERGE NOTE: the resident sign-in (issue 5, registration) is built in another tree. Until it lands
 * no resident has ever signed in, so every client answers "does not use the app". At merge, replace
 * the body with one query over the resident sign-in table (latest sign-in per client, scoped by
 * organization_id); the loader and the card already call it once per request.
 */
@Injectable()
export class ResidentAppStatusService {
  async appStatusByClientIds(organizationId: string, clientIds: readonly string[]): Promise<Map<string, AppStatus>> {
    requireOrganization(organizationId);
    return new Map(clientIds.map((id) => [id, { usesApp: false, lastSeenAt: null }]));
  }
}
