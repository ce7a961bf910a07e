/** Makes user text literal inside a LIKE pattern (PostgreSQL's default escape is the backslash). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
