import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// The check `npm run lint` runs over src/ (scripts/module-cycles.js), here on small trees of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findCycles } = require('../scripts/module-cycles.js') as {
  findCycles(
    dir: string,
    options?: { platform?: string[] },
  ): Promise<{ fileCycles: string[][]; moduleCycles: { modules: string[]; imports: string[] }[] }>;
};

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'module-cycles-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

describe('the import cycle check', () => {
  const layered = {
    'kernel/actor.ts': `export interface Actor { organizationId: string }\n`,
    'clients/clients.service.ts': `import type { Actor } from '../kernel/actor';\nexport const merge = (actor: Actor) => actor.organizationId;\n`,
    'tickets/tickets.service.ts': `import { merge } from '../clients/clients.service';\nexport const follow = merge;\n`,
  };

  it('passes a tree whose modules only import downwards', async () => {
    const root = tree(layered);
    roots.push(root);
    expect(await findCycles(root)).toEqual({ fileCycles: [], moduleCycles: [] });
  });

  it('reports the modules of a cycle and the imports that close it, even when no two files import each other', async () => {
    const root = tree({
      ...layered,
      'clients/client-names.ts': `import { follow } from '../tickets/tickets.service';\nexport const names = follow;\n`,
    });
    roots.push(root);
    const { fileCycles, moduleCycles } = await findCycles(root);
    expect(fileCycles).toEqual([]);
    expect(moduleCycles).toEqual([
      {
        modules: ['clients', 'tickets'],
        imports: [
          'clients/client-names.ts → tickets/tickets.service.ts',
          'tickets/tickets.service.ts → clients/clients.service.ts',
        ],
      },
    ]);
  });

  it('reports a cycle between files, type-only imports included', async () => {
    const root = tree({
      ...layered,
      'kernel/actor.ts': `import type { follow } from '../tickets/tickets.service';\nexport interface Actor { organizationId: string; f?: typeof follow }\n`,
    });
    roots.push(root);
    const { fileCycles, moduleCycles } = await findCycles(root);
    // clients → kernel → tickets → clients, from whichever file madge starts at.
    expect(fileCycles.map((cycle) => [...cycle].sort())).toEqual([
      ['clients/clients.service.ts', 'kernel/actor.ts', 'tickets/tickets.service.ts'],
    ]);
    expect(moduleCycles.map((c) => c.modules)).toEqual([['clients', 'kernel', 'tickets']]);
  });

  it('leaves the platform folders out of the module graph but not out of the file check', async () => {
    const root = tree({
      ...layered,
      'database/entities.ts': `import { follow } from '../tickets/tickets.service';\nexport const all = [follow];\n`,
      'clients/reads.ts': `import { all } from '../database/entities';\nexport const reads = all;\n`,
    });
    roots.push(root);
    expect(await findCycles(root, { platform: ['database'] })).toEqual({ fileCycles: [], moduleCycles: [] });
    expect((await findCycles(root, { platform: [] })).moduleCycles.map((c) => c.modules)).toEqual([
      ['clients', 'database', 'tickets'],
    ]);
  });
});
