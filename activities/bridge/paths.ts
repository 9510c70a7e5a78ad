import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

let cachedRoot: string | undefined;

/** The project root: the nearest folder above this file whose package.json is cloudtrust's. Works from sources and from dist/. */
export function projectRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'cloudtrust') return (cachedRoot = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the cloudtrust project root above ${__dirname}`);
    dir = parent;
  }
}

export function powershellDir(): string {
  return path.join(projectRoot(), 'powershell');
}

export function dispatcherPath(): string {
  return path.join(powershellDir(), 'host', 'Cloudtrust.Host.ps1');
}
