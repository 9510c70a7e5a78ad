import { randomUUID } from 'node:crypto';
import { startRollout } from '../../client/rollouts';
import { renderMarkdown } from '../../model/report-render';
import { readLabDefaultSpec } from '../support/lab-spec';
import { startLabWorker, type LabWorker } from '../support/lab-worker';

describe('the host preflight in the rollout report: real Temporal server, real worker, lab estate', () => {
  let lab: LabWorker;
  beforeAll(async () => {
    lab = await startLabWorker({
      taskQueuePrefix: 'host-preflight',
      adjust: (estate) => {
        estate.managementHost.platformModules = [
          { name: 'ActiveDirectory', version: '1.0.1.0' },
          { name: 'GroupPolicy', version: '1.0.0.0' },
          { name: 'Microsoft.Graph.Authentication', version: '2.25.0' },
          { name: 'Microsoft.Graph.Identity.DirectoryManagement', version: '2.25.0' },
          { name: 'Microsoft.Graph.DeviceManagement', version: '2.19.0' },
          { name: 'Microsoft.Graph.Groups', version: '2.25.0' },
        ];
      },
    });
  });
  afterAll(() => lab?.stop());

  test('review row 25: mismatched Microsoft.Graph module versions on the management host are a finding of the plan', async () => {
    const spec = readLabDefaultSpec();
    spec.name = `lab-${randomUUID().slice(0, 8)}`;
    const report = await (await startRollout(lab.context.env.client, spec, 'plan', lab.taskQueue)).report();
    expect(report.conflicts).toContainEqual({ severity: 'warning', code: 'graph-module-version-mismatch', target: 'mgmt01', message: expect.stringContaining('Assembly with same name is already loaded') });
    expect(renderMarkdown(report)).toContain('Microsoft.Graph modules of different versions on mgmt01');
  });
});
