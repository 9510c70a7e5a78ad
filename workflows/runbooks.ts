// Key rotation and rollback runbooks (being written).
export async function rotateKeys(): Promise<void> {
  throw new Error('not yet');
}
export async function rollback(): Promise<void> {
  throw new Error('not yet');
}
