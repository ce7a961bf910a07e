import { BadInputException } from '../../common/errors/domain.exception';
import { ImportMode } from '../job/import-enums';
import { uploadOptionsOf } from './upload-options';

describe('upload options', () => {
  it('defaults: MERGE, no sync, no account moves', () => {
    expect(uploadOptionsOf({})).toEqual({ mode: ImportMode.MERGE, sync: false, allowAccountMoves: false });
  });

  it('reads the mode in any case and the flags as a clerk’s form sends them', () => {
    expect(uploadOptionsOf({ mode: ' replace ', sync: 'да', allowAccountMoves: 'true' })).toEqual({
      mode: ImportMode.REPLACE,
      sync: true,
      allowAccountMoves: true,
    });
    expect(uploadOptionsOf({ mode: 'dry_run', sync: '0', allowAccountMoves: 'нет' })).toEqual({
      mode: ImportMode.DRY_RUN,
      sync: false,
      allowAccountMoves: false,
    });
  });

  it.each([
    ['mode', { mode: 'APPEND' }],
    ['sync', { sync: 'может быть' }],
    ['allowAccountMoves', { allowAccountMoves: 'иногда' }],
  ])('refuses a wrong %s naming the field, in Russian and English', (field, fields) => {
    let error: unknown;
    try {
      uploadOptionsOf(fields);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BadInputException);
    expect((error as BadInputException).fields).toEqual([
      expect.objectContaining({
        path: field,
        message: expect.stringMatching(/[а-я]/),
        messageEn: expect.stringMatching(/[a-z]/),
      }),
    ]);
  });
});
