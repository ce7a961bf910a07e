import { DataSource } from 'typeorm';
import { BuildingEntity } from '../buildings/building.entity';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { readEntitiesWithParents } from '../database/entity-reads';
import { PremisesEntity } from '../premises/premises.entity';

/**
 * Premises with the building each is in, in one statement (a card's addresses and a ticket's place ask
 * for both at once). It spans two modules' tables, so it is composed here, where the loaders compose
 * what several modules own, from the generic parent read of database/entity-reads.ts: neither the
 * premises module nor the buildings module reads the other's table.
 */
export async function premisesWithBuildings(
  dataSource: DataSource,
  organizationId: string,
  ids: readonly string[],
): Promise<Map<string, { premises: PremisesEntity; building: BuildingEntity }>> {
  requireOrganization(organizationId);
  const rows = await readEntitiesWithParents(dataSource, PremisesEntity, organizationId, 'id', ids.filter(isUuid), {
    target: BuildingEntity,
    via: 'buildingId',
  });
  return new Map(rows.map(([premises, building]) => [premises.id, { premises, building }]));
}
