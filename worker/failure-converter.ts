import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (DataConverter.failureConverterPath) in the worker, the client and the workflow bundle, so it must
 * stay free of Node built-ins. Moves failure messages and stack traces into a payload that the codec encrypts.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
