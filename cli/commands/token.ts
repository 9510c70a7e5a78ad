import { TriggerError } from '../../client/errors';
import type { CommandSpec } from '../command';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { choice } from '../options';
import { shortTime, table } from '../render/table';

const SCOPES = ['read', 'operate', 'admin'] as const;
const WHERE = 'Tokens live in api-tokens.json in CLOUDTRUST_DATA_DIR (hashes only); a running `cloudtrust server` sees changes at once.';

async function tokenStore(ctx: CliContext) {
  const { openTokenStore } = await import('../../api/tokens');
  return openTokenStore(ctx.dataDir());
}

export const tokenCreateCommand: CommandSpec = {
  name: 'token create',
  group: 'tokens',
  summary: 'create an HTTP API token (printed once)',
  args: ['<name>'],
  options: { scope: { type: 'string', value: SCOPES.join('|'), description: 'read (default): runs and reports; operate: also start and control runs; admin: also schedules' } },
  details: ['The name is recorded as the approver of what the token approves.', WHERE],
  async run(ctx, input) {
    const scope = choice('scope', input.string('scope'), SCOPES, 'read');
    const { token, record } = await (await tokenStore(ctx)).issue({ name: input.positionals[0], scope });
    if (ctx.io.json) ctx.io.emit({ token, id: record.id, name: record.name, scopes: record.scopes, createdAt: record.createdAt });
    else {
      ctx.io.out(token);
      ctx.io.err(`token ${record.id} "${record.name}" (${record.scopes.join(', ')}): store it now, it is not shown again`);
    }
    return EXIT.ok;
  },
};

export const tokenListCommand: CommandSpec = {
  name: 'token list',
  group: 'tokens',
  summary: 'the API tokens that are not revoked',
  args: [],
  details: [WHERE],
  async run(ctx) {
    const tokens = await (await tokenStore(ctx)).list();
    if (ctx.io.json) ctx.io.emit(tokens.map(({ sha256: _hash, ...visible }) => visible));
    else if (tokens.length === 0) ctx.io.out('no tokens (`cloudtrust token create <name>`)');
    else ctx.io.out(table(['ID', 'NAME', 'SCOPES', 'CREATED'], tokens.map((t) => [t.id, t.name, t.scopes.join(','), shortTime(t.createdAt)]), ctx.io.style).join('\n'));
    return EXIT.ok;
  },
};

export const tokenRevokeCommand: CommandSpec = {
  name: 'token revoke',
  group: 'tokens',
  summary: 'revoke an API token by id or name',
  args: ['<id-or-name>'],
  details: [WHERE],
  async run(ctx, input) {
    const which = input.positionals[0];
    if (!(await (await tokenStore(ctx)).revoke(which))) throw new TriggerError('not-found', `no active token ${which}`, 'list them with `cloudtrust token list`');
    if (ctx.io.json) ctx.io.emit({ revoked: which });
    else ctx.io.out(`revoked token ${which}`);
    return EXIT.ok;
  },
};
