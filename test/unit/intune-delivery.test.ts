import { intuneDeliveryOf } from '../../model/intune-delivery';
import { parseSpec, SpecError } from '../../model/spec-file';

const spec = (intune: string) => `
name: intune-delivery
tenant: { id: 4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d, graph: { clientId: 9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a, certificateThumbprint: ${'A'.repeat(40)} } }
cloudSignIn: { secret: kerberos-admin }
domains:
  - { name: a.contoso.com, channel: intune, intune: ${intune} }
rings:
  - { name: all, domains: [a.contoso.com] }
`;

describe('intune.delivery', () => {
  test('a spec without it gets the settings catalog; custom-profile stays selectable', () => {
    expect(parseSpec(spec('{ group: G }'), 'a.yaml').domains[0].intune).toEqual({ group: 'G', profile: 'cloudtrust - Windows Hello for Business cloud Kerberos trust', delivery: 'settings-catalog' });
    expect(parseSpec(spec('{ group: G, delivery: custom-profile }'), 'a.yaml').domains[0].intune?.delivery).toBe('custom-profile');
  });

  test('any other value is refused by path', () => {
    let problems: string[] = [];
    try {
      parseSpec(spec('{ group: G, delivery: oma-uri }'), 'a.yaml');
    } catch (error) {
      if (error instanceof SpecError) problems = error.problems;
    }
    expect(problems).toEqual([expect.stringMatching(/^domains\[0\]\.intune\.delivery: .*settings-catalog.*custom-profile/)]);
  });

  test('a workflow input recorded before the field existed keeps the custom profile', () => {
    expect(intuneDeliveryOf({})).toBe('custom-profile');
    expect(intuneDeliveryOf(undefined)).toBe('custom-profile');
    expect(intuneDeliveryOf({ delivery: 'settings-catalog' })).toBe('settings-catalog');
  });
});
