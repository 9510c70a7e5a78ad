import { execFileSync } from 'node:child_process';
import path from 'node:path';

const scenario = (name: string) => path.join(__dirname, '..', '..', 'dist', 'test', 'transport', 'scenarios', `${name}.js`);

describe('node-powershell hazards seen from a separate Node process', () => {
  test('a shell exiting non-zero while idle is not an unhandled rejection', () => {
    const output = execFileSync(process.execPath, [scenario('idle-exit')], { encoding: 'utf8', timeout: 60_000 });
    expect(output).toContain('node survived the idle exit');
  }, 90_000);

  test('DEBUG=* does not make node-powershell print commands (they carry every argument)', () => {
    const output = execFileSync(process.execPath, [scenario('debug-env')], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DEBUG: '*' }, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output).toContain('call done');
    expect(output).not.toContain('Invoke-CloudtrustStep');
  }, 90_000);
});
