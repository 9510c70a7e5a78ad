import { createLogger } from './log';
import { runWorker } from './run-worker';

runWorker().catch((error: unknown) => {
  createLogger('worker').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
