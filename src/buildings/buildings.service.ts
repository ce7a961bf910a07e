import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { BadInputException, ConflictException, NotFoundException } from '../common/errors/domain.exception';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { paginate } from '../common/pagination/keyset';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { addressKey, searchText, AddressParts } from './address';
import { BuildingEntity, EntranceRecord } from './building.entity';
import { BuildingFilter, CreateBuildingInput, EntranceInput, UpdateBuildingInput, UpdateReferenceSheetInput } from './dto/building.input';
import { sanitizeReferenceSheet } from './reference-sheet.sanitizer';
import { isUniqueViolation } from '../common/errors/unique-violation';

export const BUILDING = { ru: 'Дом', en: 'Building' };

function entrancesOf(input: EntranceInput[] | undefined, path: string): EntranceRecord[] {
  const entrances = (input ?? []).map((e) => ({ number: e.number, floors: e.floors })).sort((a, b) => a.number - b.number);
  const duplicate = entrances.find((e, i) => i > 0 && entrances[i - 1].number === e.number);
  if (duplicate) throw BadInputException.field(path, `подъезд ${duplicate.number} указан дважды`, `entrance ${duplicate.number} is listed twice`);
  return entrances;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

@Injectable()
export class BuildingsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(organizationId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<BuildingEntity> {
    requireOrganization(organizationId);
    const building = isUuid(id) ? await manager.getRepository(BuildingEntity).findOneBy({ organizationId, id }) : null;
    if (!building) throw new NotFoundException(BUILDING, id);
    return building;
  }

  /** Batch for loaders: one statement, rows keyed by id. */
  async getMany(organizationId: string, ids: readonly string[]): Promise<Map<string, BuildingEntity>> {
    requireOrganization(organizationId);
    const rows = await this.dataSource.getRepository(BuildingEntity).findBy({ organizationId, id: In(ids.filter(isUuid)) });
    return new Map(rows.map((b) => [b.id, b]));
  }

  async list(organizationId: string, filter: BuildingFilter | undefined, page: PageArgs, withTotal: boolean): Promise<ConnectionShape<BuildingEntity>> {
    requireOrganization(organizationId);
    const query = this.dataSource
      .getRepository(BuildingEntity)
      .createQueryBuilder('b')
      .where('b.organization_id = :organizationId', { organizationId });
    for (const [index, word] of (filter?.search ?? '').toLowerCase().replace(/ё/g, 'е').split(/[\s,]+/).filter(Boolean).entries()) {
      query.andWhere(`b.search_text LIKE :word_${index}`, { [`word_${index}`]: `%${escapeLike(word)}%` });
    }
    if (filter?.city?.trim()) query.andWhere('lower(b.city) = lower(:city)', { city: filter.city.trim() });
    return paginate(query, page, [
      { sql: 'b.search_text', value: (b) => b.searchText },
      { sql: 'b.id', value: (b) => b.id },
    ], withTotal);
  }

  async create(organizationId: string, actorId: string, input: CreateBuildingInput): Promise<BuildingEntity> {
    requireOrganization(organizationId);
    return this.translateAddressRace(() => this.insert(organizationId, actorId, input));
  }

  private async insert(organizationId: string, actorId: string, input: CreateBuildingInput): Promise<BuildingEntity> {
    const address: AddressParts = { city: input.city.trim(), street: input.street.trim(), house: input.house.trim(), block: input.block?.trim() || null };
    return this.dataSource.transaction(async (tx) => {
      await this.assertAddressFree(tx, organizationId, address);
      const sheet = input.referenceSheet ? sanitizeReferenceSheet(input.referenceSheet) : '';
      return tx.getRepository(BuildingEntity).save({
        organizationId,
        ...address,
        postalIndex: input.postalIndex ?? null,
        addressKey: addressKey(address),
        searchText: searchText(address),
        entrances: entrancesOf(input.entrances, 'input.entrances'),
        referenceSheetHtml: sheet,
        referenceSheetUpdatedAt: sheet ? new Date() : null,
        referenceSheetUpdatedBy: sheet ? actorId : null,
      });
    });
  }

  async update(organizationId: string, input: UpdateBuildingInput): Promise<BuildingEntity> {
    requireOrganization(organizationId);
    return this.translateAddressRace(() => this.dataSource.transaction(async (tx) => {
      const building = await this.get(organizationId, input.id, tx);
      const address: AddressParts = {
        city: input.city?.trim() ?? building.city,
        street: input.street?.trim() ?? building.street,
        house: input.house?.trim() ?? building.house,
        block: input.block === undefined ? building.block : input.block?.trim() || null,
      };
      if (addressKey(address) !== building.addressKey) await this.assertAddressFree(tx, organizationId, address);
      Object.assign(building, address, { addressKey: addressKey(address), searchText: searchText(address) });
      if (input.postalIndex !== undefined) building.postalIndex = input.postalIndex;
      if (input.entrances) building.entrances = entrancesOf(input.entrances, 'input.entrances');
      return tx.getRepository(BuildingEntity).save(building);
    }));
  }

  async updateReferenceSheet(organizationId: string, actorId: string, input: UpdateReferenceSheetInput): Promise<BuildingEntity> {
    requireOrganization(organizationId);
    return this.dataSource.transaction(async (tx) => {
      const building = isUuid(input.buildingId)
        ? await tx.getRepository(BuildingEntity).findOne({ where: { organizationId, id: input.buildingId }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!building) throw new NotFoundException(BUILDING, input.buildingId);
      if (input.expectedUpdatedAt && building.referenceSheetUpdatedAt?.toISOString() !== new Date(input.expectedUpdatedAt).toISOString()) {
        throw new ConflictException({
          ru: 'Справку по объекту уже изменил другой сотрудник. Обновите страницу и внесите правку заново.',
          en: 'The reference sheet was changed by someone else since you opened it. Reload and apply your edit again.',
        });
      }
      building.referenceSheetHtml = sanitizeReferenceSheet(input.html);
      building.referenceSheetUpdatedAt = new Date();
      building.referenceSheetUpdatedBy = actorId;
      return tx.getRepository(BuildingEntity).save(building);
    });
  }

  /** Two clerks saving the same address at once: the loser gets the same CONFLICT as a sequential duplicate. */
  private async translateAddressRace<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error, 'uq_building_address')) {
        throw new ConflictException({ ru: 'Дом с таким адресом уже есть', en: 'A building with this address already exists' }, [
          { path: 'input.street', message: 'адрес уже занят', messageEn: 'address already exists' },
        ]);
      }
      throw error;
    }
  }

  private async assertAddressFree(tx: EntityManager, organizationId: string, address: AddressParts): Promise<void> {
    const existing = await tx.getRepository(BuildingEntity).findOneBy({ organizationId, addressKey: addressKey(address) });
    if (existing) {
      throw new ConflictException(
        { ru: `Дом с таким адресом уже есть (id ${existing.id})`, en: `A building with this address already exists (id ${existing.id})` },
        [{ path: 'input.street', message: 'адрес уже занят', messageEn: 'address already exists' }],
      );
    }
  }
}
