import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';
import { ROOT } from '../helpers/cli.js';

interface ClassDecl {
  readonly file: string;
  readonly name: string;
  readonly base: string | undefined;
  readonly setsName: boolean;
}

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every class declared under src/, with the class it extends and whether its constructor names it. */
function classesOf(dir: string): ClassDecl[] {
  return tsFiles(dir).flatMap((file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const out: ClassDecl[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node) && node.name !== undefined) {
        const base = node.heritageClauses
          ?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)
          ?.types[0]?.expression.getText(source);
        const body = node.getText(source);
        out.push({
          file: relative(ROOT, join(ROOT, file)),
          name: node.name.text,
          base,
          setsName:
            body.includes('this.name = this.constructor.name') &&
            body.includes('Object.setPrototypeOf(this, new.target.prototype)'),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return out;
  });
}

describe('error classes live in one room', () => {
  const classes = classesOf('src');
  const byName = new Map(classes.map((c) => [c.name, c]));
  /** The class an error class inherits `Error` through, or undefined when it is not an error. */
  const errorRoot = (c: ClassDecl): ClassDecl | undefined => {
    if (c.base === 'Error') return c;
    const base = c.base === undefined ? undefined : byName.get(c.base);
    return base === undefined ? undefined : errorRoot(base);
  };
  const errors = classes.filter((c) => errorRoot(c) !== undefined);

  it('every error class under src/ is in src/errors, one class per file', () => {
    expect(errors.length).toBeGreaterThan(15);
    expect(errors.filter((c) => !c.file.startsWith(join('src', 'errors'))).map((c) => c.file)).toEqual([]);
    const files = errors.map((c) => c.file);
    expect(files.filter((f, i) => files.indexOf(f) !== i)).toEqual([]);
  });

  it('every error class sets its name and prototype, itself or through the class it extends', () => {
    // the root of a hierarchy names every subclass: `this.constructor.name` is the one thrown
    expect(errors.filter((c) => errorRoot(c)?.setsName !== true).map((c) => c.name)).toEqual([]);
  });
});
