#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../activities/bridge/paths';
import { COMMANDS } from './commands';
import { createContext } from './context';
import { reportError } from './error-report';
import { EXIT } from './exit-codes';
import { helpFor } from './help';
import { resolveInvocation, scanGlobalFlags } from './invocation';
import { createIo } from './io';

const version = () => String((JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version);

async function main(argv: string[]): Promise<number> {
  const flags = scanGlobalFlags(argv);
  const io = createIo({ json: flags.json, debug: flags.debug, noColor: flags.noColor, env: process.env });
  const ctx = createContext(io, process.env);
  try {
    const invocation = resolveInvocation(argv, COMMANDS);
    switch (invocation.kind) {
      case 'version':
        if (io.json) io.emit({ version: version() });
        else io.out(version());
        return EXIT.ok;
      case 'help': {
        const text = helpFor(invocation.topic, COMMANDS, version()).join('\n');
        if (!invocation.bare) {
          io.out(text);
          return EXIT.ok;
        }
        io.err(text);
        return EXIT.usage;
      }
      case 'run':
        return await invocation.command.run(ctx, invocation.input);
    }
  } catch (error) {
    return reportError(io, error);
  } finally {
    await ctx.close().catch(() => undefined);
  }
}

// `cloudtrust list | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`cloudtrust: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT.endedBadly);
  },
);
