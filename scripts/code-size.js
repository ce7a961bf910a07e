#!/usr/bin/env node
/*
 * Fails when a source file is over MAX_FILE_LINES lines or a function over MAX_FUNCTION_LINES, both as
 * prettier formats them (lint checks the formatting first). Files are those of src/, test/, bench/ and
 * scripts/, generated migrations left out. `npm run lint` runs it, so CI does.
 *
 *   node scripts/code-size.js   prints every file and function over the limits, exits 1 when there is one
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;
const ROOTS = ['src', 'test', 'bench', 'scripts'];
const SKIP = [/\/migrations\//, /\/dist\//, /\.d\.ts$/];

function sourceFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return /\.(ts|js)$/.test(entry.name) && !SKIP.some((pattern) => pattern.test(full)) ? [full] : [];
    });
}

function isFunction(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessor(node) ||
    ts.isSetAccessor(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node)
  );
}

/** The name a reader would search for: the declaration's, or the variable or property it is assigned to. */
function nameOf(node) {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name) {
    return parent.name.getText();
  }
  if (parent && ts.isCallExpression(parent)) return `callback of ${parent.expression.getText().slice(0, 40)}`;
  return '(anonymous)';
}

/** Functions over the limit; a test's describe/it callbacks are suites, not functions, and are left out. */
function longFunctions(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (isFunction(node) && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.end).line;
      const lines = end - start + 1;
      const parent = node.parent;
      const isSuite =
        parent && ts.isCallExpression(parent) && /^(describe|it|test)\b/.test(parent.expression.getText());
      if (lines > MAX_FUNCTION_LINES && !isSuite) found.push({ name: nameOf(node), line: start + 1, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every file and function over the limits under `roots`, as lines a reader can follow to the place. */
function oversized(roots = ROOTS) {
  const problems = [];
  for (const file of roots.flatMap(sourceFiles)) {
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > MAX_FILE_LINES) problems.push(`${file}: ${lines} lines (at most ${MAX_FILE_LINES})`);
    for (const fn of longFunctions(file, text)) {
      problems.push(`${file}:${fn.line}: ${fn.name} is ${fn.lines} lines (at most ${MAX_FUNCTION_LINES})`);
    }
  }
  return problems;
}

function main() {
  const problems = oversized();
  if (problems.length === 0) {
    console.log(`no file over ${MAX_FILE_LINES} lines, no function over ${MAX_FUNCTION_LINES}`);
    return;
  }
  console.error(problems.join('\n'));
  console.error(`${problems.length} over the limits`);
  process.exitCode = 1;
}

if (require.main === module) main();

module.exports = { oversized, MAX_FILE_LINES, MAX_FUNCTION_LINES };
