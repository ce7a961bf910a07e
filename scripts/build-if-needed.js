#!/usr/bin/env node
// `npm start` on a fresh clone: compile once, and again only when a source file is newer than the build.
const { existsSync, readdirSync, rmSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');

const root = join(__dirname, '..');
const output = join(root, 'dist', 'main.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const stale =
  process.argv.includes('--force') ||
  !existsSync(output) ||
  newestSource(join(root, 'src')) > statSync(output).mtimeMs ||
  statSync(join(root, 'tsconfig.json')).mtimeMs > statSync(output).mtimeMs;
if (stale) {
  process.stdout.write('Building (tsc)…\n');
  // A clean output folder, so that a deleted migration or module never runs from a stale build.
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
    cwd: root,
  });
}
