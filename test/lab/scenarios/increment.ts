// Run as its own Node process by store.test.ts: `count` EstateStore.update increments of one mutation counter.
import { EstateStore, recordMutation } from '../../../lab/estate/store';

async function main(): Promise<void> {
  const [file, count, key] = process.argv.slice(2);
  const store = new EstateStore(file);
  for (let i = 0; i < Number(count); i += 1) {
    await store.update((estate) => recordMutation(estate, key));
  }
  process.stdout.write(`incremented ${count}\n`);
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(2);
});
