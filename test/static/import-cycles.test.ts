import path from 'node:path';
import { importCycles, importGraph, sourceFiles } from './module-graph';

const repoRoot = path.resolve(__dirname, '..', '..');

describe('imports among workflows/ and model/', () => {
  const files = sourceFiles(repoRoot, ['workflows', 'model']);
  const graph = importGraph(repoRoot, files);

  test('the graph holds the files and their imports, type-only ones included', () => {
    expect(files).toEqual(expect.arrayContaining(['workflows/domain.ts', 'workflows/domain-input.ts', 'workflows/channels/gpo.ts', 'model/spec.ts']));
    expect(graph.get('workflows/domain.ts')).toEqual(expect.arrayContaining(['workflows/domain-input.ts', 'workflows/channels/channel-for.ts']));
    expect(graph.get('workflows/channels/gpo.ts')).toEqual(expect.arrayContaining(['model/spec.ts', 'workflows/channels/channel.ts']));
  });

  test('a cycle is found and named, type-only or not', () => {
    const cyclic = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
    ]);
    expect(importCycles(cyclic)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
    expect(importCycles(new Map([['a.ts', ['b.ts']], ['b.ts', []]]))).toEqual([]);
  });

  test('no file imports itself back, directly or through others', () => {
    expect(importCycles(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });
});
