import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The Node options the service runs with: those of package.json's start script, their one home. */
export function serviceNodeOptions(): string[] {
  const script: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start;
  const run = /\bnode((?: --[^ ]+)*) dist\/main\.js/.exec(script);
  if (!run) throw new Error(`package.json's start script does not run dist/main.js with node: ${script}`);
  return run[1].trim().split(' ').filter(Boolean);
}

/** The options of docker-compose's worker command (a copy V8 makes necessary: it refuses some in NODE_OPTIONS). */
export function composeWorkerNodeOptions(): string[] {
  const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
  const worker = compose.slice(compose.indexOf('\n  worker:'));
  const command = /\n {4}command: (\[.*\])/.exec(worker);
  if (!command) throw new Error("docker-compose's worker has no command");
  const words: string[] = JSON.parse(command[1]);
  return words.filter((word) => word.startsWith('--'));
}
