import type { CommandSpec } from '../command';
import { EXIT } from '../exit-codes';

export const workerCommand: CommandSpec = {
  name: 'worker',
  group: 'service',
  summary: 'run a worker until Ctrl-C (and the embedded dev server unless TEMPORAL_ADDRESS)',
  args: [],
  details: [
    'The same worker as `npm run worker`: workflows and step activities on CLOUDTRUST_TASK_QUEUE (activities only with',
    'CLOUDTRUST_ACTIVITIES_ONLY=true), a warm PowerShell pool (CLOUDTRUST_POWERSHELL, default the lab), payloads',
    'encrypted with the codec key. Against the lab it uses the lab credentials unless CLOUDTRUST_SECRETS_FILE is set.',
    'Logs are JSON lines on stderr. Running runs finish their activities within CLOUDTRUST_SHUTDOWN_GRACE on shutdown.',
    'Without TEMPORAL_ADDRESS it starts the embedded dev server too; `cloudtrust server` adds the HTTP API.',
  ],
  async run(ctx) {
    const { runWorker } = await import('../../worker/run-worker');
    await runWorker(ctx.env);
    return EXIT.ok;
  },
};
