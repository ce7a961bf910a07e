import { ClientType } from '../clients/client-enums';
import { CrmSpace } from '../kernel/crm-space';
import { OccupancyRole } from '../occupancy/occupancy-enums';
import { PremisesType } from '../premises/premises-type';

/**
 * The consolidated registry sheet: a row is premises + account + client. One list of columns serves
 * the template, the export and (next) the import, so the three cannot drift apart.
 */
export interface RegistryColumn {
  key: RegistryKey;
  /** The header staff see; the import matches headers by it. */
  header: string;
  required: boolean;
  /** How to fill the cell, for the instruction sheet. */
  format: string;
  example: string;
  /** Allowed cell texts (a drop-down in the template) and the value each stands for. */
  choices?: readonly (readonly [string, string])[];
  width: number;
}

export type RegistryKey =
  | 'city'
  | 'street'
  | 'house'
  | 'block'
  | 'premisesType'
  | 'premisesNumber'
  | 'entrance'
  | 'floor'
  | 'area'
  | 'accountNumber'
  | 'hiddenFromResident'
  | 'paymentsEnabled'
  | 'clientType'
  | 'lastName'
  | 'firstName'
  | 'middleName'
  | 'organizationName'
  | 'phones'
  | 'email'
  | 'birthDate'
  | 'inn'
  | 'snils'
  | 'passportSeries'
  | 'passportNumber'
  | 'role'
  | 'keepOnSync'
  | 'externalSpace'
  | 'externalSystem'
  | 'externalId'
  | 'tags';

export const YES_NO = [
  ['Да', 'true'],
  ['Нет', 'false'],
] as const;

export const PREMISES_TYPE_CHOICES = [
  ['Квартира', PremisesType.FLAT],
  ['Нежилое помещение', PremisesType.NON_RESIDENTIAL],
  ['Машино-место', PremisesType.PARKING],
  ['Кладовая', PremisesType.STORAGE],
  ['Коммерческое помещение', PremisesType.COMMERCIAL],
] as const;

export const CLIENT_TYPE_CHOICES = [
  ['Физическое лицо', ClientType.INDIVIDUAL],
  ['Индивидуальный предприниматель', ClientType.SOLE_PROPRIETOR],
  ['Юридическое лицо', ClientType.LEGAL_ENTITY],
  ['Филиал иностранного юрлица', ClientType.FOREIGN_BRANCH],
] as const;

export const ROLE_CHOICES = [
  ['Собственник', OccupancyRole.OWNER],
  ['Совладелец', OccupancyRole.CO_OWNER],
  ['Арендатор', OccupancyRole.TENANT],
  ['Член семьи', OccupancyRole.FAMILY_MEMBER],
  ['Представитель', OccupancyRole.REPRESENTATIVE],
  ['Другое', OccupancyRole.OTHER],
] as const;

export const SPACE_CHOICES = [
  ['Эксплуатация', CrmSpace.OPERATION],
  ['Строительство', CrmSpace.CONSTRUCTION],
] as const;

const column = (
  key: RegistryKey,
  header: string,
  required: boolean,
  format: string,
  example: string,
  width: number,
  choices?: RegistryColumn['choices'],
): RegistryColumn => ({ key, header, required, format, example, width, choices });

export const REGISTRY_COLUMNS: readonly RegistryColumn[] = [
  column('city', 'Город', true, 'Текст', 'Москва', 14),
  column('street', 'Улица', true, 'Текст, «ул.», «пр-т» и т. п. можно писать или нет', 'ул. Ленина', 22),
  column('house', 'Дом', true, 'Номер дома с литерой, если есть', '5А', 8),
  column('block', 'Корпус', false, 'Корпус или строение', '2', 8),
  column('premisesType', 'Тип помещения', false, 'Из списка; пусто — квартира', 'Квартира', 20, PREMISES_TYPE_CHOICES),
  column('premisesNumber', 'Номер помещения', true, 'Текст: ведущие нули сохраняются', '12', 12),
  column('entrance', 'Подъезд', false, 'Целое число от 1', '2', 9),
  column('floor', 'Этаж', false, 'Целое число от −10 до 200', '4', 7),
  column('area', 'Площадь, м²', false, 'Число, до двух знаков после запятой', '54,30', 11),
  column('accountNumber', 'Лицевой счёт', false, 'Текст: ведущие нули сохраняются', '0012345', 14),
  column('hiddenFromResident', 'Скрыть ЛС от жителя', false, 'Да / Нет; пусто — нет', 'Нет', 12, YES_NO),
  column('paymentsEnabled', 'Оплата в приложении', false, 'Да / Нет; пусто — да', 'Да', 12, YES_NO),
  column(
    'clientType',
    'Тип клиента',
    false,
    'Из списка; пусто — физическое лицо',
    'Физическое лицо',
    24,
    CLIENT_TYPE_CHOICES,
  ),
  column('lastName', 'Фамилия', false, 'Обязательна для физлиц и ИП', 'Иванов', 16),
  column('firstName', 'Имя', false, 'Обязательно для физлиц и ИП', 'Иван', 14),
  column('middleName', 'Отчество', false, 'Текст', 'Иванович', 16),
  column(
    'organizationName',
    'Наименование организации',
    false,
    'Обязательно для юрлиц и филиалов',
    'ООО «Ромашка»',
    24,
  ),
  column(
    'phones',
    'Телефоны',
    false,
    'Один или несколько через «;», в любой записи; первый — вход в приложение. Слияние (MERGE) добавляет номера к карточке, замена (REPLACE) заменяет её список',
    '8 916 123-45-67; +7 495 123-45-67',
    26,
  ),
  column('email', 'E-mail', false, 'Адрес электронной почты', 'ivanov@mail.ru', 20),
  column('birthDate', 'Дата рождения', false, 'ДД.ММ.ГГГГ или дата Excel', '31.12.1980', 13),
  column('inn', 'ИНН', false, '10 или 12 цифр (проверяется контрольная сумма)', '500100732259', 14),
  column('snils', 'СНИЛС', false, '11 цифр (проверяется контрольная сумма)', '112-233-445 95', 15),
  column('passportSeries', 'Серия паспорта', false, '4 цифры', '4510', 9),
  column('passportNumber', 'Номер паспорта', false, '6 цифр', '123456', 10),
  column('role', 'Роль', false, 'Из списка; пусто — собственник', 'Собственник', 16, ROLE_CHOICES),
  column(
    'keepOnSync',
    'Не удалять при интеграции',
    false,
    'Да / Нет; «Да» — повторный импорт не отвяжет клиента',
    'Нет',
    14,
    YES_NO,
  ),
  column('externalSpace', 'Пространство ID', false, 'Из списка; пусто — ваше', 'Эксплуатация', 15, SPACE_CHOICES),
  column('externalSystem', 'Система ID', false, 'Название внешней системы', '1С', 12),
  column('externalId', 'Внешний ID клиента', false, 'Идентификатор клиента в этой системе', 'C-000123', 16),
  column('tags', 'Теги', false, 'Через «;»', 'Должник; Совет дома', 18),
];

/** The cell text staff read for a value of an enumerated column. */
export function choiceText(choices: RegistryColumn['choices'], value: string | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return choices?.find(([, v]) => v === String(value))?.[0] ?? String(value);
}
