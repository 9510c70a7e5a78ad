import { EXIT } from '../exit-codes';
import type { Io } from '../io';

/**
 * While following a run, Ctrl-C stops following only: the run goes on on the server. Returns the function that
 * removes the handler again.
 */
export function onInterrupt(io: Io, id: string, before: () => void): () => void {
  const handler = () => {
    before();
    if (io.json) io.err(JSON.stringify({ interrupted: true, id }));
    else io.err(`stopped following; ${id} goes on on the server (\`cloudtrust status ${id}\`)`);
    process.exit(EXIT.interrupted);
  };
  process.once('SIGINT', handler);
  return () => process.removeListener('SIGINT', handler);
}
