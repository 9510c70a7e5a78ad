import { existsSync } from 'node:fs';
import { TriggerError } from '../../client/errors';
import { estateFileOf } from '../../lab/estate/estate-file';
import { resetKerberosKeyOutsideModule } from '../../lab/estate/kerberos-reset';
import { EstateStore } from '../../lab/estate/store';
import type { CommandSpec } from '../command';
import { EXIT } from '../exit-codes';

export const labKerberosResetCommand: CommandSpec = {
  name: 'lab kerberos-reset',
  group: 'lab',
  summary: "reset a domain's krbtgt_AzureAD in AD only, as a krbtgt tool other than the module would",
  args: ['<domain>'],
  details: [
    'The AD half gets a new key version; Entra keeps the old one. A rotation then finds "reset outside the module"',
    'and refuses without --force (Set-AzureADKerberosServer -RotateServerKey -Force repairs it).',
  ],
  async run(ctx, input) {
    const domain = input.positionals[0];
    if (!domain) throw new TriggerError('invalid-input', 'name the domain whose krbtgt_AzureAD to reset', 'e.g. `cloudtrust lab kerberos-reset corp.contoso.com`');
    const file = estateFileOf(ctx.env);
    if (!existsSync(file)) throw new TriggerError('not-found', `no lab estate at ${file}`, 'create it with `cloudtrust lab init`');
    const keyVersion = await new EstateStore(file).update((estate) => {
      try {
        return resetKerberosKeyOutsideModule(estate, domain);
      } catch (error) {
        throw new TriggerError('not-found', (error as Error).message, 'see `cloudtrust lab show`');
      }
    });
    if (ctx.io.json) ctx.io.emit({ domain, keyVersion });
    else ctx.io.out(`reset krbtgt_AzureAD of ${domain} outside the module: AD key version ${keyVersion}, Entra unchanged`);
    return EXIT.ok;
  },
};
