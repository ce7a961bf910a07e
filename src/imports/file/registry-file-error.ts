export type ImportFileProblem =
  | 'EMPTY'
  | 'NOT_A_SPREADSHEET'
  | 'LEGACY_XLS'
  | 'PASSWORD_PROTECTED'
  | 'ZIP_BOMB'
  | 'TOO_LARGE'
  | 'NO_DATA_SHEET'
  | 'BAD_HEADER'
  | 'TOO_MANY_ROWS';

/** A file the import refuses as a whole: one clear message for the clerk, Russian with an English twin. */
export class ImportFileError extends Error {
  constructor(
    readonly problem: ImportFileProblem,
    readonly ru: string,
    readonly en: string,
  ) {
    super(en);
    this.name = 'ImportFileError';
  }
}

export interface RegistryFileLimits {
  /** The upload itself. */
  maxBytes: number;
  /** All zip entries together once unpacked. */
  maxUncompressedBytes: number;
  /** Unpacked/packed size of one big zip entry; real sheets pack 5–20 times. */
  maxCompressionRatio: number;
  /** Data rows (the header not counted); Excel's own sheet limit by default. */
  maxRows: number;
}

export const DEFAULT_REGISTRY_FILE_LIMITS: RegistryFileLimits = {
  maxBytes: 100 * 1024 * 1024,
  maxUncompressedBytes: 4 * 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxRows: 1_048_576,
};

const SUPPORTED_RU = 'загрузите книгу Excel (.xlsx) или CSV';
const SUPPORTED_EN = 'upload an Excel workbook (.xlsx) or a CSV file';

const megabytes = (bytes: number): string => String(Math.round(bytes / (1024 * 1024)));

/** The messages of every refusal, in one place so the wording stays consistent. */
export const fileErrors = {
  emptyFile: () => new ImportFileError('EMPTY', 'Файл пустой.', 'The file is empty.'),
  noDataRows: () =>
    new ImportFileError('EMPTY', 'В файле нет ни одной строки с данными.', 'The file has no data rows.'),
  noHeader: (rows: number) =>
    new ImportFileError(
      'BAD_HEADER',
      `Не найдена строка заголовка: в первых ${rows} строках ни одного листа нет столбцов шаблона («Город», «Улица», «Дом», «Номер помещения»). Скачайте пример и сверьте заголовки.`,
      `No header row found: none of the first ${rows} rows of any sheet names the template's columns ("Город", "Улица", "Дом", "Номер помещения"); download the template and compare the headers.`,
    ),
  misnamed: (extension: string) =>
    new ImportFileError(
      'NOT_A_SPREADSHEET',
      `Файл назван «${extension}», но это не книга Excel: ${SUPPORTED_RU}.`,
      `The file is named "${extension}" but is not an Excel workbook: ${SUPPORTED_EN}.`,
    ),
  notASpreadsheet: () =>
    new ImportFileError(
      'NOT_A_SPREADSHEET',
      `Файл не является таблицей: ${SUPPORTED_RU}.`,
      `The file is not a spreadsheet: ${SUPPORTED_EN}.`,
    ),
  damaged: () =>
    new ImportFileError(
      'NOT_A_SPREADSHEET',
      'Файл повреждён и не читается: откройте его в Excel, сохраните заново как .xlsx и загрузите снова.',
      'The file is damaged and cannot be read: open it in Excel, save it again as .xlsx and upload it again.',
    ),
  badCsv: (line: number) =>
    new ImportFileError(
      'NOT_A_SPREADSHEET',
      `CSV-файл не читается: в строке ${line} незакрытая кавычка или лишний символ.`,
      `The CSV file cannot be read: line ${line} has an unclosed quote or a stray character.`,
    ),
  legacyXls: () =>
    new ImportFileError(
      'LEGACY_XLS',
      'Формат .xls не поддерживается: сохраните файл как .xlsx (Книга Excel).',
      'The .xls format is not supported: save the file as .xlsx (Excel Workbook).',
    ),
  passwordProtected: () =>
    new ImportFileError(
      'PASSWORD_PROTECTED',
      'Файл защищён паролем: снимите пароль в Excel (Файл → Сведения → Защитить книгу) и загрузите файл снова.',
      'The file is password-protected: remove the password in Excel (File → Info → Protect Workbook) and upload the file again.',
    ),
  cellTooLong: () =>
    new ImportFileError(
      'ZIP_BOMB',
      'В файле ячейка длиннее 32 767 символов — столько Excel не хранит: файл составлен не табличной программой или повреждён.',
      'A cell in the file is longer than the 32,767 characters Excel keeps: the file was not written by a spreadsheet program, or is damaged.',
    ),
  zipBomb: () =>
    new ImportFileError(
      'ZIP_BOMB',
      'Файл распаковывается в слишком большой объём данных, поэтому его нельзя обработать.',
      'The file unpacks into too much data to be processed.',
    ),
  tooLarge: (maxBytes: number) =>
    new ImportFileError(
      'TOO_LARGE',
      `Файл больше ${megabytes(maxBytes)} МБ: разделите реестр на несколько файлов.`,
      `The file is larger than ${megabytes(maxBytes)} MB: split the registry into several files.`,
    ),
  noDataSheet: (referenceSheets: readonly string[]) =>
    new ImportFileError(
      'NO_DATA_SHEET',
      `В файле нет листа с реестром: данные должны быть на отдельном листе, а не на листах ${referenceSheets.map((s) => `«${s}»`).join(' и ')}.`,
      `The file has no registry sheet: the data must be on its own sheet, not on the ${referenceSheets.map((s) => `"${s}"`).join(' and ')} sheets.`,
    ),
  tooManyRows: (maxRows: number) =>
    new ImportFileError(
      'TOO_MANY_ROWS',
      `В файле больше ${maxRows} строк с данными: разделите реестр на несколько файлов.`,
      `The file has more than ${maxRows} data rows: split the registry into several files.`,
    ),
};
