import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** A folder's imports of another folder, with one file import that shows it. */
export interface FolderEdge {
  readonly from: string;
  readonly to: string;
  readonly example: string;
}

/** The room a file sits in: `src/<folder>` inside src/, else its top-level folder (sim, bench, workers). */
export function folderOf(file: string): string {
  const parts = file.split(sep);
  return parts[0] === 'src' && parts.length > 2 ? `src/${parts[1]}` : (parts[0] ?? file);
}

/** The TypeScript files under `dir` (relative to `root`), declaration files left out. */
export function tsFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(root, path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** One file's relative import (`import type` and `import()` included), resolved from the root. */
export interface FileImport {
  readonly file: string;
  readonly specifier: string;
  readonly target: string;
}

/** Every relative import of the TypeScript files under the given top-level folders. */
export function fileImports(root: string, tops: readonly string[]): FileImport[] {
  return tops
    .flatMap((top) => tsFiles(root, top))
    .flatMap((file) =>
      ts
        .preProcessFile(readFileSync(join(root, file), 'utf8'), true, true)
        .importedFiles.filter(({ fileName }) => fileName.startsWith('.'))
        .map(({ fileName }) => ({
          file,
          specifier: fileName,
          target: relative(root, resolve(root, dirname(file), fileName)),
        })),
    );
}

/**
 * The folder-to-folder imports of the given top-level folders, from every relative import,
 * `import type` and `import()` included: a folder that names another's types depends on it.
 */
export function folderEdges(root: string, tops: readonly string[]): FolderEdge[] {
  const edges = new Map<string, FolderEdge>();
  for (const { file, specifier, target } of fileImports(root, tops)) {
    const [from, to] = [folderOf(file), folderOf(target)];
    if (from === to || edges.has(`${from} ${to}`)) continue;
    edges.set(`${from} ${to}`, { from, to, example: `${file} imports ${specifier}` });
  }
  return [...edges.values()];
}

/** The groups of folders that import each other round a cycle (Tarjan's strongly connected components). */
export function folderCycles(edges: readonly FolderEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (stack.includes(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    for (let top = stack.pop(); top !== undefined; top = top === node ? undefined : stack.pop())
      group.push(top);
    if (group.length > 1) cycles.push(group.sort());
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return cycles.sort((a, b) => a.join().localeCompare(b.join()));
}
