const MASK = '***';

/** Replaces every occurrence of the given secrets in text. Empty and very short values are ignored. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(MASK);
  }
  return out;
}

/** Collects the passwords of every credential object ({ userName, password }) found in a value. */
export function collectCredentialSecrets(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) collectCredentialSecrets(item, found);
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.password === 'string' && typeof record.userName === 'string') found.push(record.password);
    for (const item of Object.values(record)) collectCredentialSecrets(item, found);
  }
  return found;
}
