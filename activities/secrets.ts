import { readFile } from 'node:fs/promises';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { registerSecret } from '../worker/log';
import { credentialSchema, type Credential } from './steps/credential';

/** A secret's name as specs and workflow inputs carry it; the value is resolved only inside an activity. */
export const secretRefSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a secret name: letters, digits, _ . - (at most 64)');

export interface SecretStore {
  credential(ref: string): Promise<Credential>;
}

const fileSchema = z.record(secretRefSchema, credentialSchema);

/**
 * Secrets from the environment: CLOUDTRUST_SECRET_<NAME> (NAME upper-cased, . and - as _) holding JSON
 * {"userName": "...", "password": "..."}, else CLOUDTRUST_SECRETS_FILE, a JSON object of name → credential.
 * A missing or malformed secret is a non-retryable failure that names the secret, never its value.
 */
export function secretStoreFromEnv(env: NodeJS.ProcessEnv = process.env): SecretStore {
  return {
    async credential(ref) {
      const name = secretRefSchema.safeParse(ref);
      if (!name.success) throw ApplicationFailure.nonRetryable(`secret reference ${JSON.stringify(ref)} ${name.error.issues[0].message}`, 'SecretNotFound');
      const variable = `CLOUDTRUST_SECRET_${ref.toUpperCase().replace(/[.-]/g, '_')}`;
      let candidate: unknown;
      let source: string;
      if (env[variable] !== undefined) {
        source = variable;
        candidate = parseJson(env[variable], source);
      } else if (env.CLOUDTRUST_SECRETS_FILE) {
        source = `${env.CLOUDTRUST_SECRETS_FILE} (CLOUDTRUST_SECRETS_FILE)`;
        const text = await readFile(env.CLOUDTRUST_SECRETS_FILE, 'utf8').catch((error: Error) => {
          throw ApplicationFailure.nonRetryable(`cannot read the secrets file ${source}: ${error.message}`, 'SecretNotFound');
        });
        const parsed = fileSchema.safeParse(parseJson(text, source));
        if (!parsed.success) throw ApplicationFailure.nonRetryable(`the secrets file ${source} is not a JSON object of name → {userName, password}`, 'SecretNotFound');
        candidate = parsed.data[ref];
        if (candidate === undefined) throw ApplicationFailure.nonRetryable(`secret "${ref}" is not defined: set ${variable} or add it to ${source}`, 'SecretNotFound');
      } else {
        throw ApplicationFailure.nonRetryable(`secret "${ref}" is not defined: set ${variable} or CLOUDTRUST_SECRETS_FILE`, 'SecretNotFound');
      }
      const credential = credentialSchema.safeParse(candidate);
      if (!credential.success) throw ApplicationFailure.nonRetryable(`secret "${ref}" in ${source} must be {"userName": "...", "password": "..."}`, 'SecretNotFound');
      registerSecret(credential.data.password);
      return credential.data;
    },
  };
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw ApplicationFailure.nonRetryable(`${source} is not valid JSON`, 'SecretNotFound');
  }
}
