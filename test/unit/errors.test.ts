import { classifyStepErrors } from '../../activities/bridge/errors';

const record = (message: string, category: string | null = 'NotSpecified', fullyQualifiedErrorId = 'X') => ({ message, category, fullyQualifiedErrorId });

describe('error classification', () => {
  test.each([
    ['PermissionDenied category', record('denied', 'PermissionDenied'), 'AccessDenied', false],
    ['insufficient access rights (Set-AzureADKerberosServer field failure)', record('Error sending directory request: The user has insufficient access rights.'), 'AccessDenied', false],
    ['MFA-enforced sign-in', record('AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication'), 'AccessDenied', false],
    ['wrong Entra password (AADSTS50126, NotSpecified as the Kerberos module raises it)', record('AADSTS50126: Error validating credentials due to invalid username or password.'), 'AccessDenied', false],
    ['wrong AD password (ERROR_LOGON_FAILURE inside the Kerberos module\'s wrapper)', record('Unexpected exception thrown. Action: ConnectToActiveDirectory, Exception: The user name or password is incorrect.'), 'AccessDenied', false],
    ['parameter validation', record("Cannot validate argument on parameter 'Domain'.", 'InvalidData'), 'InvalidInput', false],
    ['unsupported OS', record('This operation is not supported on this operating system', 'NotImplemented'), 'Unsupported', false],
    ['unreachable DC', record('Unable to contact the server.', 'ResourceUnavailable'), 'Unreachable', true],
    ['RPC unavailable', record('The RPC server is unavailable.'), 'Unreachable', true],
    ['Graph throttling', record('Response status code does not indicate success: 429 (Too Many Requests).'), 'Throttled', true],
    ['object not found', record('Cannot find an object with identity', 'ObjectNotFound'), 'NotFound', false],
    ['anything else', record('Something odd happened'), 'StepFailed', true],
  ])('%s', (_name, error, kind, retryable) => {
    const failure = classifyStepErrors('step.id', [error]);
    expect(failure.kind).toBe(kind);
    expect(failure.retryable).toBe(retryable);
    expect(failure.message).toBe(`step.id: ${error.message}`);
  });
});
