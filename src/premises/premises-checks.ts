import { EntityManager } from 'typeorm';
import { BuildingEntity } from '../buildings/building.entity';
import { isUniqueViolation } from '../common/errors/database-errors';
import { BadInputException, ConflictException } from '../common/errors/domain.exception';
import { FieldError } from '../common/errors/error-code';
import { premisesNumberKey } from './premises-number';
import { PremisesEntity } from './premises.entity';
import { PremisesType } from './premises-type';

/*
 * What premises must satisfy, whichever path writes them (the API, the integrations, the import): values
 * that fit the building (its entrances and floors, a positive area) and a number free in the building.
 */

const TYPE_NAMES: Record<PremisesType, string> = {
  [PremisesType.FLAT]: 'квартира',
  [PremisesType.NON_RESIDENTIAL]: 'нежилое помещение',
  [PremisesType.PARKING]: 'машино-место',
  [PremisesType.STORAGE]: 'кладовая',
  [PremisesType.COMMERCIAL]: 'коммерческое помещение',
};

function duplicateNumber(number: string, type: PremisesType): ConflictException {
  return new ConflictException(
    {
      ru: `В этом доме уже есть ${TYPE_NAMES[type]} № ${number}`,
      en: `This building already has ${type} premises number ${number}`,
    },
    [{ path: 'input.number', message: 'номер уже занят', messageEn: 'number already taken' }],
  );
}

/** Refuses (BAD_USER_INPUT, per field) values that do not fit the building: its entrances and floors, a positive area. */
export function assertFitsBuilding(
  building: BuildingEntity,
  entrance: number | null,
  floor: number | null,
  area: string | null,
): void {
  const errors: FieldError[] = [];
  if (area !== null && Number(area) <= 0)
    errors.push({
      path: 'input.area',
      message: 'площадь должна быть больше нуля',
      messageEn: 'area must be positive',
    });
  if (entrance !== null && building.entrances.length > 0) {
    const known = building.entrances.find((e) => e.number === entrance);
    if (!known) {
      errors.push({
        path: 'input.entrance',
        message: `в доме нет подъезда ${entrance} (есть: ${building.entrances.map((e) => e.number).join(', ')})`,
        messageEn: `the building has no entrance ${entrance} (it has ${building.entrances.map((e) => e.number).join(', ')})`,
      });
    } else if (floor !== null && floor > known.floors) {
      errors.push({
        path: 'input.floor',
        message: `в подъезде ${entrance} всего ${known.floors} этажей`,
        messageEn: `entrance ${entrance} has only ${known.floors} floors`,
      });
    }
  }
  if (errors.length) throw new BadInputException(errors);
}

/** What would make the values not fit the building (assertFitsBuilding's fields); empty when they fit. */
export function misfitsOfBuilding(
  building: BuildingEntity,
  entrance: number | null,
  floor: number | null,
  area: string | null,
): FieldError[] {
  try {
    assertFitsBuilding(building, entrance, floor, area);
    return [];
  } catch (error) {
    if (error instanceof BadInputException) return error.fields ?? [];
    throw error;
  }
}

/** Refuses (CONFLICT on input.number) a number the building already has for premises of this type. */
export async function assertNumberFree(
  tx: EntityManager,
  organizationId: string,
  buildingId: string,
  type: PremisesType,
  number: string,
): Promise<void> {
  const taken = await tx
    .getRepository(PremisesEntity)
    .existsBy({ organizationId, buildingId, type, numberKey: premisesNumberKey(number) });
  if (taken) throw duplicateNumber(number.trim(), type);
}

/** A unique-index race on the number (two writers at once) answers as a taken number does. */
export async function translateNumberRaces<T>(number: string, type: PremisesType, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, 'uq_premises_number')) throw duplicateNumber(number.trim(), type);
    throw error;
  }
}
