import { readFile } from 'node:fs/promises';
import { TriggerError } from '../../client/errors';
import { assessClient, isCloudKerberosTrust } from '../../model/client-assessment';
import { parseRemediationOutput } from '../../model/remediation-output';
import type { CommandSpec } from '../command';
import { EXIT } from '../exit-codes';
import { readSpec } from '../spec-input';
import { UsageError } from '../usage-error';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const clientsImportCommand: CommandSpec = {
  name: 'clients import',
  group: 'rollouts',
  summary: "assess the output of the Intune remediation Get-WhfbUserState.ps1 (the signed-in user's state per device)",
  args: ['<file>'],
  options: {
    spec: { type: 'string', value: 'SPEC', description: "the rollout spec whose tenant the devices must be joined to" },
    tenant: { type: 'string', value: 'GUID', description: 'the tenant the devices must be joined to (instead of --spec)' },
  },
  details: [
    'FILE holds lines of the script\'s JSON output, a JSON array of them, or the remediation\'s device-status CSV export with the detection output column. Offline: no server is needed.',
    'Prints a verdict per device: cloud-kerberos-trust, key-trust-fallback, certificate-trust, not-provisioned, not-eligible or unreachable (could not be collected), with the reasons.',
    'Exits 0 when every device is on cloud Kerberos trust, 1 when some are not, 3 when the file holds no readable output.',
  ],
  async run(ctx, input) {
    const file = input.positionals[0];
    const specFile = input.string('spec');
    let tenantId = input.string('tenant');
    if (specFile && tenantId) throw new UsageError('give --spec or --tenant, not both');
    if (tenantId && !GUID.test(tenantId)) throw new UsageError('--tenant must be a tenant id (a GUID)');
    if (specFile) tenantId = (await readSpec(specFile)).tenant.id;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new TriggerError('invalid-input', `cannot read ${file}: ${(error as Error).message}`, 'give the exported output of the Get-WhfbUserState.ps1 remediation');
    }
    const imported = parseRemediationOutput(text);
    const devices = imported.devices.map((facts) => ({ name: facts.name, osBuild: facts.osBuild, ...assessClient(facts, { tenantId }) }));
    const code = devices.length === 0 ? EXIT.invalidInput : devices.every((d) => isCloudKerberosTrust(d.assessment)) ? EXIT.ok : EXIT.endedBadly;
    if (ctx.io.json) {
      ctx.io.emit({ file, devices, problems: imported.problems });
      return code;
    }
    const { style } = ctx.io;
    for (const device of devices) {
      const mark = isCloudKerberosTrust(device.assessment) ? style.green('✓') : style.red('✗');
      ctx.io.out(`${mark} ${device.name}: ${style.bold(device.assessment)} (${device.describes})`);
      for (const reason of device.reasons) ctx.io.out(`    ${reason}`);
    }
    for (const problem of imported.problems) ctx.io.err(`${style.yellow('!')} ${problem}`);
    return code;
  },
};
