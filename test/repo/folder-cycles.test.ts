import { describe, expect, it } from '@jest/globals';
import { ROOT } from '../helpers/cli.js';
import { folderCycles, folderEdges, type FolderEdge } from '../helpers/import-graph.js';

const edge = (from: string, to: string): FolderEdge => ({ from, to, example: `${from} -> ${to}` });

describe('folders import each other in one direction only', () => {
  it('finds a cycle between folders, however long, and no cycle in a one-way chain', () => {
    const chain = [edge('src/a', 'src/b'), edge('src/b', 'src/c'), edge('src/a', 'src/c')];
    expect(folderCycles(chain)).toEqual([]);
    expect(
      folderCycles([...chain, edge('src/c', 'src/a'), edge('src/d', 'src/e'), edge('src/e', 'src/d')]),
    ).toEqual([
      ['src/a', 'src/b', 'src/c'],
      ['src/d', 'src/e'],
    ]);
  });

  it('has no folder of src, sim, bench or workers that imports a folder importing it back', () => {
    const edges = folderEdges(ROOT, ['src', 'sim', 'bench', 'workers']);
    expect(edges.length).toBeGreaterThan(20);
    const cycles = folderCycles(edges).map((group) => ({
      group,
      through: edges.filter((e) => group.includes(e.from) && group.includes(e.to)).map((e) => e.example),
    }));
    expect(cycles).toEqual([]);
  });
});
