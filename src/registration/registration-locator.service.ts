import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountStatus } from '../accounts/account-status';
import { AccountReads } from '../accounts/account-reads';
import { BuildingEntity } from '../buildings/building.entity';
import { BuildingsService } from '../buildings/buildings.service';
import { BadInputException, DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { OrganizationsService } from '../organizations/organizations.service';
import { PremisesEntity } from '../premises/premises.entity';
import { premisesNumberKey } from '../premises/premises-number';
import { PremisesService } from '../premises/premises.service';
import { SubmitRegistrationInput } from './dto/registration.input';

/** Public names compare without case, quotes and extra spaces: «УК "Север"» and ук «север» are one choice. */
function publicNameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[«»"'“”„]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface Located {
  organizationId: string;
  buildings: BuildingEntity[];
  premises: PremisesEntity | null;
  /** The typed account number is an open account of `premises`. */
  accountConfirmed: boolean;
}

/** Where a resident's request goes: the organization serving the typed address and, when they can be told, the premises. */
@Injectable()
export class RegistrationLocator {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
    private readonly buildings: BuildingsService,
    private readonly premises: PremisesService,
    private readonly accounts: AccountReads,
  ) {}

  /**
   * Finds the organization serving the address and, when it can, the premises: by an account number
   * consistent with the address, else by a premises number unique in the building. Where several
   * organizations have a building at the address, the one whose registry holds these premises is
   * meant — so another organization creating a building at this address neither blocks nor diverts
   * the request; if that leaves a choice, the resident picks an organization by its public name
   * (`organizationName`; no organization's id is ever shown) and only that one gets the request.
   */
  async locate(input: SubmitRegistrationInput): Promise<Located> {
    let candidates = await this.buildings.findByStreetAndHouse(this.dataSource.manager, input);
    const names = await this.organizations.getMany([...new Set(candidates.map((b) => b.organizationId))]);
    if (input.organizationId) candidates = candidates.filter((b) => b.organizationId === input.organizationId);
    const chosen = input.organizationName ? publicNameKey(input.organizationName) : null;
    if (chosen)
      candidates = candidates.filter((b) => publicNameKey(names.get(b.organizationId)?.name ?? '') === chosen);
    if (candidates.length === 0) {
      throw BadInputException.field(
        chosen ? 'input.organizationName' : 'input.house',
        chosen
          ? 'эта организация не обслуживает дом по этому адресу: выберите одну из предложенных'
          : 'дом по этому адресу не обслуживается управляющими компаниями Домового: проверьте улицу и номер дома',
        chosen
          ? 'that organization does not serve a building at this address: choose one of those offered'
          : 'no organization in Domovoy serves a building at this address: check the street and house number',
      );
    }
    const located: Located[] = [];
    for (const organizationId of new Set(candidates.map((b) => b.organizationId))) {
      const buildings = candidates.filter((b) => b.organizationId === organizationId);
      located.push({ organizationId, buildings, ...(await this.identify(organizationId, buildings, input)) });
    }
    if (located.length === 1) return located[0];
    const identified = located.filter((l) => l.premises);
    if (identified.length === 1) return identified[0];
    const choices = [...new Set(located.map((l) => names.get(l.organizationId)?.name ?? ''))].sort();
    throw new DomainException(
      ErrorCode.BAD_USER_INPUT,
      {
        ru: `Этот адрес обслуживают несколько управляющих компаний: ${choices.map((name) => `«${name}»`).join(', ')}. Выберите свою.`,
        en: `Several management companies serve this address: ${choices.join(', ')}; choose yours in organizationName`,
      },
      [
        {
          path: 'input.organizationName',
          message: 'выберите свою управляющую компанию',
          messageEn: 'choose your management company',
        },
      ],
      { choices },
    );
  }

  private async identify(
    organizationId: string,
    buildings: BuildingEntity[],
    input: SubmitRegistrationInput,
  ): Promise<Pick<Located, 'premises' | 'accountConfirmed'>> {
    const manager = this.dataSource.manager;
    const buildingIds = buildings.map((b) => b.id);
    const account = input.accountNumber?.trim()
      ? await this.accounts.findByNumber(manager, organizationId, input.accountNumber)
      : null;
    if (account) {
      const premises = await this.premises.get(manager, organizationId, account.premisesId);
      // An account of another house, or of another flat than the one typed, identifies nothing.
      if (buildingIds.includes(premises.buildingId) && premises.numberKey === premisesNumberKey(input.premisesNumber)) {
        return { premises, accountConfirmed: account.status === AccountStatus.ACTIVE };
      }
    }
    const matches = await this.premises.findByNumberInBuildings(
      manager,
      organizationId,
      buildingIds,
      input.premisesNumber,
    );
    return { premises: matches.length === 1 ? matches[0] : null, accountConfirmed: false };
  }
}
