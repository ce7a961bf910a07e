import { foldYo } from '../../common/text/yo';
import { REGISTRY_COLUMNS, RegistryKey, YES_NO } from '../registry-columns';

/** Case, ё and doubled spaces do not make a choice text different. */
function foldChoice(text: string): string {
  return foldYo(text.toLowerCase()).replace(/\s+/g, ' ');
}

// Yes/no cells also come from other systems' exports and from Excel's own booleans.
const YES_NO_ALIASES = [
  ['да', 'true'],
  ['нет', 'false'],
  ['yes', 'true'],
  ['no', 'false'],
  ['1', 'true'],
  ['0', 'false'],
] as const;

/** Per enumerated column: folded cell text (the Russian choice or the enum value itself) → value. */
const CHOICES = new Map<RegistryKey, { lookup: Map<string, string>; allowed: string }>(
  REGISTRY_COLUMNS.filter((column) => column.choices).map((column) => {
    const pairs = [...column.choices!, ...(column.choices === YES_NO ? YES_NO_ALIASES : [])];
    const lookup = new Map(
      pairs.flatMap(([text, value]) => [
        [foldChoice(text), value],
        [foldChoice(value), value],
      ]),
    );
    return [column.key, { lookup, allowed: column.choices!.map(([text]) => text).join(', ') }];
  }),
);

/**
 * Cell texts already read, per column: a file repeats a handful of spellings («Квартира», «да») in
 * every row, and folding each one again cost ~0.9 s of a 100,000-row import's thread. Only texts that
 * are a choice are kept (text typed into the wrong column, a name say, is not held by the process),
 * and at most READ_PER_COLUMN of them.
 */
const READ = new Map<RegistryKey, Map<string, string | undefined>>();
const READ_PER_COLUMN = 256;

function valueOf(key: RegistryKey, text: string): string | undefined {
  let read = READ.get(key);
  if (read?.has(text)) return read.get(text);
  const value = CHOICES.get(key)?.lookup.get(foldChoice(text));
  if (!read) READ.set(key, (read = new Map()));
  if (value !== undefined && read.size < READ_PER_COLUMN) read.set(text, value);
  return value;
}

/** The value a cell text of an enumerated column stands for (as the parser reads it); undefined when it is none. */
export function choiceValue(key: RegistryKey, text: string): string | undefined {
  return valueOf(key, text.trim());
}

/** An enumerated cell's text as the parser reads it: its value (undefined when none) and the choices a message lists. */
export function readChoice(key: RegistryKey, text: string): { value: string | undefined; allowed: string } {
  return { value: valueOf(key, text), allowed: CHOICES.get(key)!.allowed };
}
