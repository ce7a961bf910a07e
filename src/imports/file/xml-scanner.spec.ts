import { SaxesParser } from 'saxes';
import { XmlEvents, XmlScanner } from './xml-scanner';

type XmlEvent = ['open', string, Record<string, string>] | ['close', string] | ['text', string];

/** Events with adjacent texts joined (where a text run is cut is no part of the document). */
function joined(events: XmlEvent[]): XmlEvent[] {
  const out: XmlEvent[] = [];
  for (const event of events) {
    const last = out[out.length - 1];
    if (event[0] === 'text' && last?.[0] === 'text') last[1] += event[1];
    else out.push(event[0] === 'text' ? ['text', event[1]] : event);
  }
  return out.filter((event) => event[0] !== 'text' || event[1] !== '');
}

function scanned(chunks: string[]): XmlEvent[] {
  const events: XmlEvent[] = [];
  const sink: XmlEvents = {
    open: (name, attributes) => events.push(['open', name, { ...attributes }]),
    close: (name) => events.push(['close', name]),
    text: (text) => events.push(['text', text]),
  };
  const scanner = new XmlScanner(sink);
  for (const chunk of chunks) scanner.write(chunk);
  scanner.close();
  return joined(events);
}

/** What saxes, the parser the scanner replaced for the sheet, reports for the same document. */
function bySaxes(xml: string): XmlEvent[] {
  const events: XmlEvent[] = [];
  const parser = new SaxesParser();
  let failure: Error | null = null;
  parser.on('error', (error) => (failure ??= error));
  parser.on('opentag', (tag) => events.push(['open', tag.name, { ...(tag.attributes as Record<string, string>) }]));
  parser.on('closetag', (tag) => events.push(['close', tag.name]));
  parser.on('text', (text) => events.push(['text', text]));
  parser.on('cdata', (text) => events.push(['text', text]));
  parser.write(xml).close();
  if (failure) throw failure;
  // saxes reports the text between the root's siblings (whitespace) outside the root: the scanner drops it.
  const inside: XmlEvent[] = [];
  let depth = 0;
  for (const event of events) {
    if (event[0] === 'text' && depth === 0) continue;
    if (event[0] === 'open') depth++;
    if (event[0] === 'close') depth--;
    inside.push(event);
  }
  return joined(inside);
}

const WELL_FORMED = [
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="urn:x"><sheetData><row r="2" spans="1:3"><c r="A2" s="1" t="s"><v>0</v></c><c r="B2"/></row></sheetData></worksheet>',
  '<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row r="3"><x:c r="A3"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>',
  '<a b=\'1\' c = "2" ><!-- a comment with <tags> --><t xml:space="preserve"> x &amp; y &lt;&gt; &quot;&apos; &#1046;&#x416;</t></a>',
  '<a><t><![CDATA[Тест & <CDATA> ]] >]]></t><t>line\r\nbreak\rand\nmore</t></a>',
  '<a v="tab\there&#10;lf\r\ncrlf &amp; &#x9;"><?pi some data?><b/><b></b><c>Щёлково — «кавычки»</c></a>',
  '\uFEFF<a>\n  <b>  </b>\n</a>\n',
];

const MALFORMED = [
  '<row r="2"><c r="A2"><v>1</c></row>',
  '<a><b></a>',
  '<a><b></c></a>',
  '<a>&nbsp;</a>',
  '<a>x & y</a>',
  '<a></a><b></b>',
  'text<a></a>',
  '<a b=1></a>',
  '<a b="1" b="2"></a>',
  '<a>',
  '<a><b',
  '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
];

describe('XmlScanner', () => {
  it.each(WELL_FORMED.map((xml, index) => [index, xml]))(
    'reports what saxes reports for document %i, however it is cut into chunks',
    (_, xml) => {
      const expected = bySaxes(xml.replace(/^\uFEFF/, ''));
      expect(scanned([xml.replace(/^\uFEFF/, '')])).toEqual(expected);
      for (let cut = 1; cut < xml.length; cut++) expect(scanned([xml.slice(0, cut), xml.slice(cut)])).toEqual(expected);
      expect(scanned([...xml])).toEqual(expected);
    },
  );

  it.each(MALFORMED)('refuses %j, as saxes does', (xml) => {
    expect(() => bySaxes(xml)).toThrow();
    expect(() => scanned([xml])).toThrow();
  });

  it('keeps a character reference to a line end, and reads an attribute line end as a space', () => {
    expect(scanned(['<a v="x&#13;\r\ny"><t>p&#13;q\r\n</t></a>'])).toEqual([
      ['open', 'a', { v: 'x\r y' }],
      ['open', 't', {}],
      ['text', 'p\rq\n'],
      ['close', 't'],
      ['close', 'a'],
    ]);
  });
});
