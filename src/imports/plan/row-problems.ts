import { fullName } from '../../clients/client-names';
import type { ClientEntity } from '../../clients/client.entity';
import type { FieldError } from '../../common/errors/error-code';
import { REGISTRY_COLUMNS, RegistryKey } from '../registry-columns';
import type { RowProblem } from '../rows/registry-row';

/** What the plan says about a row, in Russian with its English twin, each prefixed with its column's header. */

const HEADER = new Map(REGISTRY_COLUMNS.map((c) => [c.key, c.header]));

export function rowProblem(column: RegistryKey | null, code: string, ru: string, en: string): RowProblem {
  const header = column ? HEADER.get(column) : null;
  return { column, code, ru: header ? `${header}: ${ru}` : ru, en: header ? `${header}: ${en}` : en };
}

export function fieldProblems(
  errors: FieldError[],
  code: string,
  columnOf: (path: string) => RegistryKey | null,
): RowProblem[] {
  return errors.map((e) => rowProblem(columnOf(e.path), code, e.message, e.messageEn));
}

/** A row without the card's login phone: the import keeps the login (changing it is the card's own operation). */
export function loginPhoneKept(card: ClientEntity): RowProblem {
  const name = fullName(card);
  return rowProblem(
    'phones',
    'LOGIN_PHONE_KEPT',
    `клиент «${name}» входит в приложение с телефоном ${card.phone}, которого в строке нет: импорт телефон входа не меняет (его меняют в карточке клиента), телефоны строки записаны как контактные`,
    `client "${name}" signs in to the app with ${card.phone}, which the row does not list: the import does not change a login phone (change it on the client's card); the row's phones are kept as contact phones`,
  );
}

/** Another person's login phone stays on this card as a contact phone: the row says whose it is. */
export function phoneShared(phone: string, loginOwner: ClientEntity | undefined): RowProblem {
  const name = loginOwner ? fullName(loginOwner) : '';
  return rowProblem(
    'phones',
    'PHONE_SHARED',
    `телефон ${phone} — вход в приложение клиента «${name}»: отдельный клиент создан, у него телефон записан как контактный`,
    `phone ${phone} is the app login of client "${name}": this client keeps it as a contact phone`,
  );
}

export function foreignSpace(space: string): RowProblem {
  return rowProblem(
    'externalSpace',
    'FOREIGN_SPACE',
    `идентификаторы пространства «${space}» меняет только это пространство — идентификатор не добавлен`,
    `identifiers of the ${space} space are changed only there — the identifier was not added`,
  );
}

export function premisesNumberCollision(number: string, existing: string): RowProblem {
  return rowProblem(
    'premisesNumber',
    'PREMISES_NUMBER_COLLISION',
    `номер «${number}» после приведения совпадает с помещением «${existing}»: строка загружена в него; если это разные помещения, исправьте номер в файле`,
    `number "${number}" normalizes to premises "${existing}": the row was loaded into it; if they are different premises, correct the number in the file`,
  );
}

/** The same file lists the account on other premises too (`row`: the earlier row, when it is in this batch). */
export function accountListedTwice(number: string, home: string, row: number | null): RowProblem {
  return rowProblem(
    'accountNumber',
    'ACCOUNT_LISTED_TWICE',
    `лицевой счёт ${number} уже указан в этом файле для помещения «${home}»${row ? ` (строка ${row})` : ''}: у счёта одно помещение, строка не загружена`,
    `account ${number} is already listed in this file for premises "${home}"${row ? ` (row ${row})` : ''}: an account has one premises, the row was not loaded`,
  );
}

export function accountOnOtherPremises(number: string, home: string): RowProblem {
  return rowProblem(
    'accountNumber',
    'ACCOUNT_ON_OTHER_PREMISES',
    `лицевой счёт ${number} открыт на помещение «${home}»: строка не загружена. Перенесите счёт вручную или загрузите файл с разрешением переноса счетов (allowAccountMoves)`,
    `account ${number} is on premises "${home}": the row was not loaded. Move the account by hand, or upload the file with account moves allowed (allowAccountMoves)`,
  );
}

export function accountMoved(number: string, home: string): RowProblem {
  return rowProblem(
    'accountNumber',
    'ACCOUNT_MOVED',
    `лицевой счёт ${number} перенесён с помещения «${home}»: там этого счёта больше нет, жители этого помещения его видят`,
    `account ${number} was moved from premises "${home}": it is no longer there, and this premises' residents see it`,
  );
}
