import { BadInputException } from '../../common/errors/domain.exception';
import { ImportMode } from '../job/import-enums';

const TRUE = ['true', '1', 'on', 'yes', 'да'];
const FALSE = ['false', '0', 'off', 'no', 'нет', ''];

function modeOf(value: string | undefined): ImportMode {
  const mode = (value ?? ImportMode.MERGE).trim().toUpperCase() || ImportMode.MERGE;
  if (!(Object.values(ImportMode) as string[]).includes(mode)) {
    throw BadInputException.field(
      'mode',
      `режим импорта — DRY_RUN, MERGE или REPLACE, а не «${value}»`,
      `mode is DRY_RUN, MERGE or REPLACE, not "${value}"`,
    );
  }
  return mode as ImportMode;
}

function flagOf(field: string, value: string | undefined): boolean {
  const text = (value ?? '').trim().toLowerCase();
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  throw BadInputException.field(
    field,
    `${field} — true или false, а не «${value}»`,
    `${field} is true or false, not "${value}"`,
  );
}

/** The multipart fields of an upload besides the file: mode (MERGE by default), sync and allowAccountMoves (false). */
export function uploadOptionsOf(fields: Record<string, string | undefined>): {
  mode: ImportMode;
  sync: boolean;
  allowAccountMoves: boolean;
} {
  return {
    mode: modeOf(fields.mode),
    sync: flagOf('sync', fields.sync),
    allowAccountMoves: flagOf('allowAccountMoves', fields.allowAccountMoves),
  };
}
