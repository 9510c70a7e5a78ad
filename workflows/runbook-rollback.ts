import type { RunbookReport } from '../model/report-types';
import type { RollbackPolicy } from './channels/channel';
import { channelFor } from './channels/channel-for';
import { invalidInput, needsOperator, runRunbook, unattendedSignIn, type RunbookInputBase } from './runbook-common';

export interface RollbackInput extends RunbookInputBase {
  policy: RollbackPolicy;
  /** Remove the Azure AD Kerberos server object too; only together with confirmRemoval. */
  removeKerberosObject?: boolean;
  confirmRemoval?: boolean;
}

/**
 * Rolls a domain back: the policy first (GPO unlink or disable; Intune assignment removed), then — only when both
 * removeKerberosObject and confirmRemoval are set — the Azure AD Kerberos server object. A domain whose policy step
 * fails keeps its object. GPOs and custom profiles are never deleted; a settings-catalog policy left with no
 * assignment is deleted after it is unassigned. Plan mode changes nothing.
 */
export async function rollback(input: RollbackInput): Promise<RunbookReport> {
  const { spec, policy } = input;
  if (input.removeKerberosObject === true && input.confirmRemoval !== true) {
    throw invalidInput('removeKerberosObject needs confirmRemoval: removing the Azure AD Kerberos server object ends cloud Kerberos trust (and FIDO2 sign-in on premises) for the domain');
  }
  if (policy !== 'unlink' && policy !== 'disable') throw invalidInput(`policy must be unlink or disable, not ${JSON.stringify(policy)}`);
  const removeObject = input.removeKerberosObject === true && input.confirmRemoval === true;
  const request = [
    policy === 'unlink' ? 'unlink the GPO from its targets' : 'disable Windows Hello for Business in the GPO',
    "remove the Intune profile's assignment to the group (a settings-catalog policy left unassigned is deleted)",
    removeObject ? 'remove the Azure AD Kerberos server object' : 'keep the Azure AD Kerberos server object',
  ].join('; ');

  return runRunbook('rollback', input, request, async (d) => {
    await channelFor(d.domain).rollback(d, spec, policy);

    if (!removeObject) {
      d.steps.note('kerberos.remove-server', { status: 'skipped', detail: 'kept: removal needs removeKerberosObject and confirmRemoval' });
      return d.planOnly ? 'planned' : 'succeeded';
    }
    const signIn = unattendedSignIn(spec, d.domain);
    if (!signIn) return needsOperator(spec, d, 'kerberos.remove-server', 'remove');
    await d.steps.run('kerberos.remove-server', () => d.acts.kerberosRemoveServer({ ...signIn, confirmRemoval: true, planOnly: d.planOnly }));
    return d.planOnly ? 'planned' : 'succeeded';
  });
}
