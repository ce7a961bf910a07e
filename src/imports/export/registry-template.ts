import type { Writable } from 'node:stream';
import { DataValidation, stream as excelStream, Worksheet } from 'exceljs';
import { REGISTRY_COLUMNS } from '../registry-columns';

export const REGISTRY_SHEET = 'Реестр';
export const CHOICES_SHEET = 'Значения';
export const INSTRUCTION_SHEET = 'Инструкция';
/** Rows the drop-downs cover: Excel's limit, so any file staff fill stays checked. */
const LAST_ROW = 1_048_576;

function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Starts a workbook whose first sheet is the registry with its headers, drop-downs and frozen header row. */
export function startRegistryWorkbook(output: Writable): {
  workbook: excelStream.xlsx.WorkbookWriter;
  registry: Worksheet;
} {
  const workbook = new excelStream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const registry = workbook.addWorksheet(REGISTRY_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  registry.columns = REGISTRY_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    style: { numFmt: '@' },
  }));
  registry.getRow(1).font = { bold: true };
  // The streaming writer has data validations, its typings do not list them.
  const validations = (registry as unknown as { dataValidations: { add(range: string, rule: DataValidation): void } })
    .dataValidations;
  let choiceColumn = 0;
  REGISTRY_COLUMNS.forEach((c, index) => {
    if (!c.choices) return;
    const letter = columnLetter(choiceColumn++);
    validations.add(`${columnLetter(index)}2:${columnLetter(index)}${LAST_ROW}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`'${CHOICES_SHEET}'!$${letter}$2:$${letter}$${c.choices.length + 1}`],
      showErrorMessage: true,
      errorTitle: c.header,
      error: `Выберите значение из списка: ${c.choices.map(([text]) => text).join(', ')}`,
    });
  });
  return { workbook, registry: registry as Worksheet };
}

/** The instruction and allowed-values sheets, written after the registry rows. */
export function addReferenceSheets(workbook: excelStream.xlsx.WorkbookWriter): void {
  const instruction = workbook.addWorksheet(INSTRUCTION_SHEET);
  instruction.columns = [
    { header: 'Колонка', width: 26 },
    { header: 'Обязательна', width: 12 },
    { header: 'Как заполнять', width: 60 },
    { header: 'Пример', width: 30 },
  ];
  instruction.getRow(1).font = { bold: true };
  for (const c of REGISTRY_COLUMNS)
    instruction.addRow([c.header, c.required ? 'Да' : 'Нет', c.format, c.example]).commit();
  instruction.addRow([]).commit();
  instruction
    .addRow([
      'Строка — это помещение, его лицевой счёт и один клиент. Несколько клиентов одного помещения — несколько строк.',
    ])
    .commit();
  instruction
    .addRow([
      'Помещение ищется по адресу дома, типу и номеру; счёт — по номеру; клиент — по внешнему ID, затем по телефону, затем по ФИО в помещении.',
    ])
    .commit();
  instruction.commit();

  const choices = workbook.addWorksheet(CHOICES_SHEET);
  const lists = REGISTRY_COLUMNS.filter((c) => c.choices);
  choices.addRow(lists.map((c) => c.header)).commit();
  const longest = Math.max(...lists.map((c) => c.choices!.length));
  for (let i = 0; i < longest; i++) choices.addRow(lists.map((c) => c.choices![i]?.[0] ?? '')).commit();
  choices.commit();
}

/** The empty template: headers, drop-downs, the instruction and the allowed values. */
export async function writeRegistryTemplate(output: Writable): Promise<void> {
  const { workbook, registry } = startRegistryWorkbook(output);
  registry.commit();
  addReferenceSheets(workbook);
  await workbook.commit();
}
