import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labEstateSchema } from '../../lab/estate/schema';
import { EstateStore, recordMutation } from '../../lab/estate/store';

const COUNTER = 'counter:lab:store-test';
const scenario = path.join(__dirname, '..', '..', 'dist', 'test', 'lab', 'scenarios', 'increment.js');

function estateFile(): string {
  const source = path.join(__dirname, '..', '..', 'lab', 'estates', 'default.json');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cloudtrust-store-')), 'estate.json');
  writeFileSync(file, readFileSync(source));
  return file;
}

function incrementInChild(file: string, count: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [scenario, file, String(count), COUNTER], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`increment scenario exited ${code}: ${output}`))));
  });
}

describe('EstateStore across processes', () => {
  test('two processes doing 200 updates each on one file: 400 increments, never a torn file', async () => {
    const file = estateFile();
    let reads = 0;
    const torn: string[] = [];
    let running = true;
    // Readers open the file without the lock while the writers run: every read must be a complete estate.
    const watcher = (async () => {
      while (running) {
        const text = readFileSync(file, 'utf8');
        reads += 1;
        try {
          labEstateSchema.parse(JSON.parse(text));
        } catch (error) {
          torn.push(String(error));
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    try {
      const outputs = await Promise.all([incrementInChild(file, 200), incrementInChild(file, 200)]);
      expect(outputs).toEqual(['incremented 200\n', 'incremented 200\n']);
    } finally {
      running = false;
      await watcher;
    }
    expect(torn).toEqual([]);
    expect(reads).toBeGreaterThan(10);
    const estate = await new EstateStore(file).read();
    expect(estate.mutations[COUNTER]).toBe(400);
  }, 120_000);

  test('a lock directory older than 30 s is taken over', async () => {
    const file = estateFile();
    const lock = `${file}.lock`;
    mkdirSync(lock);
    const stale = new Date(Date.now() - 31_000);
    utimesSync(lock, stale, stale);
    const started = Date.now();
    await new EstateStore(file).update((estate) => recordMutation(estate, COUNTER));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await new EstateStore(file).read()).mutations[COUNTER]).toBe(1);
  });

  test('a fresh lock directory is waited for, not taken over', async () => {
    const file = estateFile();
    const store = new EstateStore(file);
    const lock = `${file}.lock`;
    mkdirSync(lock);
    const started = Date.now();
    setTimeout(() => rmSync(lock, { recursive: true, force: true }), 400);
    await store.update((estate) => recordMutation(estate, COUNTER));
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect((await store.read()).mutations[COUNTER]).toBe(1);
  });
});
