import { cooldownOf, keyAgeOf, keyFindings, keyRotationOptions } from '../../model/key-rotation';
import { rolloutSpecSchema } from '../../model/spec';
import { readLabDefaultSpec } from '../support/lab-spec';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('key rotation rules', () => {
  test('the cooldown is the ticket lifetime, never under 24 hours unless forced, never under the ticket lifetime', () => {
    const defaults = keyRotationOptions({});
    expect(defaults).toEqual({ maxTicketLifetime: '10h', maxKeyAge: '180d' });
    expect(cooldownOf(defaults, false)).toMatchObject({ duration: '24h', ms: DAY });
    expect(cooldownOf(defaults, true)).toMatchObject({ duration: '10h', ms: 10 * HOUR });
    expect(cooldownOf({ maxTicketLifetime: '2d', maxKeyAge: '180d' }, false)).toMatchObject({ duration: '2d', ms: 2 * DAY });
    expect(cooldownOf({ maxTicketLifetime: '2d', maxKeyAge: '180d' }, true)).toMatchObject({ duration: '2d', ms: 2 * DAY });
  });

  test('key age: over maxKeyAge is a warning finding; a young key has none', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    const old = keyAgeOf('2026-05-01T00:00:00Z', now, '180d')!;
    expect(old).toMatchObject({ age: '214 days', overdue: true, maxKeyAge: '180d' });
    expect(keyFindings({ domain: 'corp.contoso.com', keyVersion: '7', cloudKeyVersion: '7', keyUpdatedOn: old.keyUpdatedOn }, old).map((f) => [f.severity, f.code])).toEqual([['warning', 'key-age']]);
    const young = keyAgeOf('2026-11-30T21:00:00Z', now, '180d')!;
    expect(young).toMatchObject({ age: '3 hours', overdue: false });
    expect(keyFindings({ domain: 'corp.contoso.com', keyVersion: '7', cloudKeyVersion: '7', keyUpdatedOn: young.keyUpdatedOn }, young)).toEqual([]);
    expect(keyAgeOf(null, now, '180d')).toBeUndefined();
  });

  test('a reset outside the module: halves that disagree, or a DC ahead of the module', () => {
    const halves = keyFindings({ domain: 'corp.contoso.com', keyVersion: '212622', cloudKeyVersion: '212621', keyUpdatedOn: null }, undefined);
    expect(halves.map((f) => [f.severity, f.code])).toEqual([['blocker', 'reset-outside-module']]);
    expect(halves[0].message).toContain('-RotateServerKey -Force');
    const ahead = keyFindings(
      { domain: 'corp.contoso.com', keyVersion: '212621', cloudKeyVersion: '212621', keyUpdatedOn: null, replicas: [{ server: 'dc01', keyVersion: 212621 }, { server: 'dc02', keyVersion: 212622 }, { server: 'dc03', keyVersion: null }] },
      undefined,
    );
    expect(ahead.map((f) => f.code)).toEqual(['reset-outside-module']);
    expect(ahead[0].message).toMatch(/ahead of the module's KeyVersion 212621 on dc02 \(212622\)$|on dc02 \(212622\)\./);
    expect(ahead[0].message).not.toMatch(/dc01|dc03/);
    const behind = keyFindings({ domain: 'corp.contoso.com', keyVersion: '212621', cloudKeyVersion: '212621', keyUpdatedOn: null, replicas: [{ server: 'dc02', keyVersion: 192272 }] }, undefined);
    expect(behind).toEqual([]);
  });

  test('spec: options.keyRotation is optional, strict, and takes positive durations only', () => {
    const spec = readLabDefaultSpec();
    const parse = (keyRotation: unknown) => rolloutSpecSchema.safeParse({ ...spec, options: { ...spec.options, keyRotation } });
    expect(parse({ maxTicketLifetime: '12h' }).data?.options.keyRotation).toEqual({ maxTicketLifetime: '12h', maxKeyAge: '180d' });
    expect(parse({ maxTicketLifetime: '0h' }).success).toBe(false);
    expect(parse({ maxKeyAge: 'soon' }).success).toBe(false);
    expect(parse({ cooldown: '1h' }).success).toBe(false);
  });
});
