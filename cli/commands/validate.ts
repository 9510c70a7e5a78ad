import type { CommandSpec } from '../command';
import { EXIT } from '../exit-codes';
import { readSpec } from '../spec-input';

export const validateCommand: CommandSpec = {
  name: 'validate',
  group: 'rollouts',
  summary: 'check a rollout spec offline; every problem is listed by path',
  args: ['<spec>'],
  details: ['The spec is YAML or JSON; `-` reads it from stdin. Nothing is started and no server is needed.', 'Exits 0 when the spec is valid, 3 when it has problems.'],
  async run(ctx, input) {
    const file = input.positionals[0];
    const spec = await readSpec(file);
    const ringOf = new Map(spec.rings.flatMap((ring) => ring.domains.map((name) => [name.toLowerCase(), ring.name] as const)));
    if (ctx.io.json) {
      ctx.io.emit({
        valid: true,
        file,
        name: spec.name,
        tenant: spec.tenant.id,
        domains: spec.domains.map((d) => ({ name: d.name, channel: d.channel, ring: ringOf.get(d.name.toLowerCase()) })),
        rings: spec.rings.map((r) => ({ name: r.name, domains: r.domains, concurrency: r.concurrency, failureBudget: r.failureBudget, approval: r.approval !== undefined })),
      });
      return EXIT.ok;
    }
    const { style } = ctx.io;
    ctx.io.out(`${style.green('✓')} ${file}: rollout spec ${style.bold(spec.name)} is valid`);
    ctx.io.out(`  tenant ${spec.tenant.id}; ${spec.domains.length} domain${spec.domains.length === 1 ? '' : 's'}; sign-in ${'secret' in spec.cloudSignIn ? `with secret ${spec.cloudSignIn.secret}` : `interactive as ${spec.cloudSignIn.interactive.userPrincipalName}`}`);
    for (const ring of spec.rings) {
      const gate = ring.approval ? `, approval required${ring.approval.timeout ? ` within ${ring.approval.timeout}` : ''}` : '';
      ctx.io.out(`  ring ${ring.name} (concurrency ${ring.concurrency}, failure budget ${ring.failureBudget}${gate}):`);
      for (const name of ring.domains) {
        const domain = spec.domains.find((d) => d.name.toLowerCase() === name.toLowerCase())!;
        ctx.io.out(`    ${domain.name} (${domain.channel})`);
      }
    }
    return EXIT.ok;
  },
};
