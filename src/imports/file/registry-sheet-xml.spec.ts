import { isDateFormat } from './registry-cell-text';
import { SheetContext, sheetXmlRows } from './registry-sheet-xml';

const CONTEXT: SheetContext = {
  sharedStrings: ['  Москва ', { richText: [{ text: 'ул. ' }, { text: 'Ленина' }] }],
  // Style 1 is a date format, style 2 a number format.
  isDateStyle: (index) => index === 1,
  date1904: false,
};

const sheet = (rows: string): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;

async function read(chunks: (string | Buffer)[], context: SheetContext = CONTEXT) {
  const rows = [];
  for await (const row of sheetXmlRows(
    (async function* () {
      yield* chunks;
    })(),
    context,
  ))
    rows.push(row);
  return rows;
}

describe('sheetXmlRows', () => {
  it('turns every kind of cell into the text staff see', async () => {
    const xml = sheet(
      '<row r="2">' +
        '<c r="A2" t="s"><v>0</v></c>' +
        '<c r="B2" t="s"><v>1</v></c>' +
        '<c r="C2" t="inlineStr"><is><r><t>5</t></r><r><t xml:space="preserve">А </t></r><rPh sb="0" eb="1"><t>ゴ</t></rPh></is></c>' +
        '<c r="D2"><v>79161234567</v></c>' +
        '<c r="E2" s="2"><v>54.300000000000004</v></c>' +
        '<c r="F2" s="1"><v>29586</v></c>' +
        '<c r="G2" t="b"><v>1</v></c>' +
        '<c r="H2" t="b"><v>0</v></c>' +
        '<c r="I2" t="e"><v>#N/A</v></c>' +
        '<c r="J2" t="str"><f>A2&amp;""</f><v> Москва </v></c>' +
        '<c r="K2"><f>1+1</f><v>2</v></c>' +
        '<c r="L2" t="d"><v>1980-12-31T00:00:00</v></c>' +
        '<c r="M2" t="inlineStr"><is><t><![CDATA[Тест & <CDATA>]]></t></is></c>' +
        '<c r="N2" t="str"><v>Рога &amp; копыта</v></c>' +
        '<c r="O2" s="1"/>' +
        '</row>',
    );
    expect(await read([xml])).toEqual([
      {
        rowNumber: 2,
        cells: [
          'Москва',
          'ул. Ленина',
          '5А',
          '79161234567',
          '54.3',
          '1980-12-31',
          'true',
          'false',
          '',
          'Москва',
          '2',
          '1980-12-31',
          'Тест & <CDATA>',
          'Рога & копыта',
        ],
      },
    ]);
  });

  it('leaves empty columns empty, and places cells and rows without a reference after their predecessor', async () => {
    const xml = sheet(
      '<row r="1"><c r="B1" t="inlineStr"><is><t>b</t></is></c><c r="E1" t="inlineStr"><is><t>e</t></is></c></row>' +
        '<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c></row>' +
        '<row r="7"/>' +
        '<row r="9"><c r="AA9"><v>1</v></c></row>',
    );
    const rows = await read([xml]);
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 2, 7, 9]);
    expect(rows[0].cells).toEqual(['', 'b', '', '', 'e']);
    expect(rows[1].cells).toEqual(['a', 'b']);
    expect(rows[2].cells).toEqual([]);
    expect(rows[3].cells).toHaveLength(27);
    expect(rows[3].cells[26]).toBe('1');
  });

  it('reads tags with a namespace prefix, and 1904-based dates', async () => {
    const xml =
      '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
      '<x:row r="3"><x:c r="A3" s="1"><x:v>28124</x:v></x:c></x:row></x:sheetData></x:worksheet>';
    expect(await read([xml], { ...CONTEXT, date1904: true })).toEqual([{ rowNumber: 3, cells: ['1980-12-31'] }]);
  });

  it('joins a Cyrillic character split between two chunks', async () => {
    const bytes = Buffer.from(sheet('<row r="2"><c r="A2" t="inlineStr"><is><t>Щёлково</t></is></c></row>'));
    const at = bytes.indexOf(Buffer.from('ё')) + 1;
    expect(await read([bytes.subarray(0, at), bytes.subarray(at)])).toEqual([{ rowNumber: 2, cells: ['Щёлково'] }]);
  });

  it('throws on XML that is not well-formed', async () => {
    await expect(read([sheet('<row r="2"><c r="A2"><v>1</c></row>')])).rejects.toThrow();
  });
});

describe('isDateFormat', () => {
  it.each([
    ['dd.mm.yyyy', true],
    ['mm-dd-yy', true],
    ['[$-419]d mmmm yyyy', true],
    ['h:mm', true],
    ['0.00', false],
    ['#,##0', false],
    ['"дней" 0', false],
    ['[Red]0.00', false],
    ['General', false],
    [undefined, false],
  ])('%s → %s', (format, date) => {
    expect(isDateFormat(format)).toBe(date);
  });
});
