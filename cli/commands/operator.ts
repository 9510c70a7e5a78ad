import { readFile } from 'node:fs/promises';
import { TriggerError } from '../../client/errors';
import { rolloutProgress } from '../../client/rollouts';
import { asTriggerError, describeRun } from '../../client/runs';
import { kerberosOperatorDoneUpdate } from '../../workflows/messages';
import type { CommandSpec } from '../command';
import { EXIT } from '../exit-codes';
import { readStdin } from '../stdin';
import { UsageError } from '../usage-error';

async function readPastedOutput(file: string): Promise<string> {
  if (file === '-') return readStdin();
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new TriggerError('invalid-input', `cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
}

export const kerberosDoneCommand: CommandSpec = {
  name: 'kerberos-done',
  group: 'runs',
  summary: 'tell a rollout waiting for an operator that the Kerberos command was run',
  args: ['<id>'],
  options: {
    domain: { type: 'string', value: 'DOMAIN', description: 'the domain that waits (required)' },
    'get-output': { type: 'string', value: 'FILE', description: 'what Get-AzureADKerberosServer printed (`-` reads stdin), so the cloud half is verified too' },
  },
  details: [
    'With an MFA-protected Entra admin, a domain waits while an operator runs the command `cloudtrust status <id>` shows.',
    'The rollout then checks the AD half itself and the cloud half from the pasted output; a failed check is refused',
    'with the reason (exit 5) and the domain keeps waiting.',
  ],
  async run(ctx, input) {
    const id = input.positionals[0];
    const domainName = input.string('domain');
    if (domainName === undefined) throw new UsageError('kerberos-done needs --domain', 'kerberos-done');
    const outputFile = input.string('get-output');
    const getOutput = outputFile === undefined ? undefined : await readPastedOutput(outputFile);
    const by = ctx.operator();
    const { client } = await ctx.attach();
    const run = await describeRun(client, id);
    if (run.kind !== 'rollout' || run.status !== 'RUNNING') throw new TriggerError('rejected', `${id} is not a running rollout`);
    const domain = (await rolloutProgress(client, id)).domains.find((d) => d.domain.toLowerCase() === domainName.toLowerCase());
    if (!domain) throw new TriggerError('not-found', `rollout ${id} has no domain ${domainName}`);
    if (domain.status !== 'waiting-operator') throw new TriggerError('rejected', `${domain.domain} is not waiting for an operator (it is ${domain.status})`);
    const result = await client.workflow
      .getHandle(`${id}/domain/${domain.domain}`)
      .executeUpdate(kerberosOperatorDoneUpdate, { args: [{ by, ...(getOutput !== undefined ? { getOutput } : {}) }] })
      .catch((error: unknown) => {
        throw asTriggerError(error, `${domain.domain} of ${id}`);
      });
    if (ctx.io.json) ctx.io.emit({ id, domain: domain.domain, by, result });
    else ctx.io.out(`${domain.domain}: ${result}`);
    return EXIT.ok;
  },
};
