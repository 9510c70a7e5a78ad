import { approveBody, cancelBody } from '../../api/schemas';
import { controlRollout, type RolloutControl } from '../../client/runs';
import { checkOptions } from '../checks';
import type { CommandSpec } from '../command';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';

async function control(ctx: CliContext, id: string, request: RolloutControl): Promise<number> {
  const { client } = await ctx.attach();
  const result = await controlRollout(client, id, request);
  if (ctx.io.json) ctx.io.emit({ id, action: request.action, by: request.by, result });
  else ctx.io.out(`${id}: ${result}`);
  return EXIT.ok;
}

const REFUSAL = 'A request the rollout cannot take (no ring waiting, not paused, already ended, not a rollout) is refused with its reason: exit 5.';
const WHO = 'It is recorded as done by CLOUDTRUST_OPERATOR, else your login name (letters, digits and _ . @ -).';

export const approveCommand: CommandSpec = {
  name: 'approve',
  group: 'runs',
  summary: 'approve the ring waiting for approval (or the one --ring names)',
  args: ['<id>'],
  options: {
    ring: { type: 'string', value: 'RING', description: 'the ring to approve' },
    comment: { type: 'string', value: 'TEXT', description: 'a comment kept with the approval' },
  },
  details: [WHO, REFUSAL],
  run: async (ctx, input) => {
    const { ring, comment } = checkOptions(approveBody, { ring: input.string('ring'), comment: input.string('comment') });
    return control(ctx, input.positionals[0], {
      action: 'approve',
      by: ctx.operator(),
      ...(ring !== undefined ? { ring } : {}),
      ...(comment !== undefined ? { comment } : {}),
    });
  },
};

export const pauseCommand: CommandSpec = {
  name: 'pause',
  group: 'runs',
  summary: 'pause a rollout: no new domain starts until it is resumed',
  args: ['<id>'],
  details: [WHO, REFUSAL],
  run: (ctx, input) => control(ctx, input.positionals[0], { action: 'pause', by: ctx.operator() }),
};

export const resumeCommand: CommandSpec = {
  name: 'resume',
  group: 'runs',
  summary: 'resume a paused rollout',
  args: ['<id>'],
  details: [WHO, REFUSAL],
  run: (ctx, input) => control(ctx, input.positionals[0], { action: 'resume', by: ctx.operator() }),
};

export const cancelCommand: CommandSpec = {
  name: 'cancel',
  group: 'runs',
  summary: 'cancel a rollout: running domains stop at their next step boundary',
  args: ['<id>'],
  options: { reason: { type: 'string', value: 'TEXT', description: 'why, kept in the report' } },
  details: [WHO, REFUSAL],
  run: async (ctx, input) => {
    const { reason } = checkOptions(cancelBody, { reason: input.string('reason') });
    return control(ctx, input.positionals[0], { action: 'cancel', by: ctx.operator(), ...(reason !== undefined ? { reason } : {}) });
  },
};
