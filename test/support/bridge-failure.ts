import { BridgeError } from '../../activities/bridge/errors';

/** The BridgeError `promise` rejects with; a result, or any other error, fails the test. */
export async function bridgeFailure(promise: Promise<unknown>): Promise<BridgeError> {
  const outcome = await promise.then(
    () => ({ failed: false as const }),
    (error: unknown) => ({ failed: true as const, error }),
  );
  if (!outcome.failed) throw new Error('expected a BridgeError; the call succeeded');
  if (outcome.error instanceof BridgeError) return outcome.error;
  throw outcome.error;
}
