import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../../src/main/scenario/load';
import { checkFormat } from '../../../src/main/scenario/formats';
import { suggest } from '../../../src/main/util/did-you-mean';

describe('string formats', () => {
  it('normalises a bare address to /32 where a CIDR or address is allowed', () => {
    expect(checkFormat('cidrOrIp', '8.8.8.8')).toEqual({ value: '8.8.8.8/32' });
    expect(checkFormat('cidrOrIp', '0.0.0.0/0')).toEqual({ value: '0.0.0.0/0' });
    expect(checkFormat('cidr', '8.8.8.8')).toEqual({
      error: '"8.8.8.8" is not an IPv4 CIDR block: expected an address and a prefix length, like 192.168.0.0/16',
    });
  });

  it('says why an address is wrong (the shared IPv4 rules)', () => {
    expect(checkFormat('ipv4', '010.0.0.1')).toEqual({ error: '"010.0.0.1" is not an IPv4 address: leading zero in 010 (some tools would read it as octal)' });
    expect(checkFormat('cidrOrIp', '8.8.8.256')).toEqual({ error: '"8.8.8.256" is not an IPv4 CIDR block or address: 256 is larger than 255' });
    expect(checkFormat('cidr', '10.0.0.0/33')).toEqual({ error: '"10.0.0.0/33" is not an IPv4 CIDR block: the prefix length must be a number 0 to 32, found "33"' });
  });

  it('names the network when host bits are set', () => {
    expect(checkFormat('cidr', '10.1.2.3/16')).toEqual({ error: '10.1.2.3/16 has host bits set (did you mean 10.1.0.0/16?)' });
  });

  it('checks DNS names and lower-cases them', () => {
    expect(checkFormat('dnsName', 'WWW.Aliyun.com')).toEqual({ value: 'www.aliyun.com' });
    for (const bad of ['-a.com', 'a..com', 'a.com.', 'a_b.com', 'x'.repeat(64) + '.com']) {
      expect(checkFormat('dnsName', bad), bad).toHaveProperty('error');
    }
  });

  it('checks action names, error codes and parameter names', () => {
    expect(checkFormat('actionName', 'CreateRouteEntry')).toEqual({ value: 'CreateRouteEntry' });
    expect(checkFormat('actionName', 'Create-Route')).toHaveProperty('error');
    expect(checkFormat('errorCode', 'InvalidCidrBlock.Malformed')).toHaveProperty('value');
    expect(checkFormat('errorCode', 'has space')).toHaveProperty('error');
    expect(checkFormat('paramName', 'NextHopList.1.NextHopId')).toHaveProperty('value');
    expect(checkFormat('paramName', 'a b')).toHaveProperty('error');
  });

  it('reports the regex engine message', () => {
    expect(checkFormat('regex', 'a(')).toEqual({ error: 'invalid regex "a(": Invalid regular expression: /a(/: Unterminated group' });
    expect(checkFormat('regex', 'ttl=\\d+')).toEqual({ value: 'ttl=\\d+' });
  });
});

describe('suggest', () => {
  it('proposes close names only', () => {
    expect(suggest('ipFoward', ['ipForward', 'ip', 'eip'])).toBe('ipForward');
    expect(suggest('VSWITCH', ['vswitch', 'vswitches'])).toBe('vswitch');
    expect(suggest('Q', ['A', 'B'])).toBeUndefined();
    expect(suggest('completely', ['name', 'cidr'])).toBeUndefined();
  });
});

function problems(text: string): string[] {
  try {
    parseScenario(text, 'f.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues.map((i) => `${i.line}:${i.column} ${i.field}: ${i.problem}`);
    throw e;
  }
  return [];
}

const TWO_VPCS = `title: t
topology:
  vpcs:
    - name: vpc-a
      cidr: 10.0.0.0/16
      vswitches: [{ name: vsw-a, cidr: 10.0.1.0/24 }]
    - name: vpc-b
      cidr: 10.1.0.0/16
      vswitches: [{ name: vsw-b, cidr: 10.1.1.0/24 }]
  ecs:
    - { name: A, vswitch: vsw-a, ip: 10.0.1.10 }
    - { name: B, vswitch: vsw-b, ip: 10.1.1.10 }
`;

describe('more rules', () => {
  it('accepts the two-VPC base', () => {
    expect(problems(TWO_VPCS)).toEqual([]);
  });

  it('wants an Instance next hop in the same VPC', () => {
    const text = TWO_VPCS.replace(
      '      vswitches: [{ name: vsw-a, cidr: 10.0.1.0/24 }]\n',
      '      vswitches: [{ name: vsw-a, cidr: 10.0.1.0/24 }]\n      systemRoutes: [{ destination: 0.0.0.0/0, nextHop: B }]\n',
    );
    expect(problems(text)).toEqual(['7:57 topology.vpcs[0].systemRoutes[0].nextHop: ECS B is in VPC vpc-b; the next hop must be in VPC vpc-a']);
  });

  it('binds only vSwitches of the same VPC', () => {
    const text = TWO_VPCS.replace(
      '      vswitches: [{ name: vsw-a, cidr: 10.0.1.0/24 }]\n',
      '      vswitches: [{ name: vsw-a, cidr: 10.0.1.0/24 }]\n      routeTables: [{ name: rt, vswitches: [vsw-b] }]\n',
    );
    expect(problems(text)).toEqual(['7:45 topology.vpcs[0].routeTables[0].vswitches[0]: vSwitch vsw-b belongs to VPC vpc-b, not vpc-a']);
  });

  it('allows a destination that contains a vSwitch CIDR', () => {
    const text = TWO_VPCS.replace(
      '      vswitches: [{ name: vsw-a, cidr: 10.0.1.0/24 }]\n',
      '      vswitches: [{ name: vsw-a, cidr: 10.0.1.0/24 }]\n      systemRoutes: [{ destination: 10.0.0.0/8, nextHop: A }]\n',
    );
    expect(problems(text)).toEqual([]);
  });

  it('limits custom route tables to 9 per VPC', () => {
    const tables = Array.from({ length: 10 }, (_, i) => `        - { name: rt${i} }`).join('\n');
    const text = TWO_VPCS.replace(
      '      vswitches: [{ name: vsw-a, cidr: 10.0.1.0/24 }]\n',
      `      vswitches: [{ name: vsw-a, cidr: 10.0.1.0/24 }]\n      routeTables:\n${tables}\n`,
    );
    expect(problems(text)).toEqual(['17:11 topology.vpcs[0].routeTables[9]: a VPC has at most 9 custom route tables']);
  });

  it('finds CNAME loops', () => {
    const text = `title: t\ntopology:\n  cnames:\n    - { name: a.com, target: b.com }\n    - { name: b.com, target: a.com }\n`;
    expect(problems(text)).toEqual([
      '4:30 topology.cnames[0].target: CNAME loop: a.com leads back to itself',
      '5:30 topology.cnames[1].target: CNAME loop: b.com leads back to itself',
    ]);
  });

  it('lets services share a port number only over different protocols', () => {
    const host = (svcs: string) => `title: t\ntopology:\n  internet:\n    - { name: h, ip: 8.8.8.8, services: ${svcs} }\n`;
    expect(problems(host('[tcp-echo, udp-echo]'))).toEqual([]);
    expect(problems(host('[dns, { kind: udp-echo, port: 53 }]'))).toEqual([
      '4:47 topology.internet[0].services[1]: udp-echo needs udp port 53, already used by dns at topology.internet[0].services[0] (line 4)',
    ]);
  });

  it('says what it expected when a value has the wrong shape', () => {
    const text = `title: t
topology:
  vpcs:
    - name: v
      cidr: 10.0.0.0/8
      vswitches: vsw-a
  internet:
    - { name: h, ip: 8.8.8.8, services: [42] }
steps:
  - name: s
    actions:
      - CreateVpc: { "bad key": 1 }
      - CreateVpc: [a]
`;
    expect(problems(text)).toEqual([
      '6:18 topology.vpcs[0].vswitches: expected a list, found the string "vsw-a"',
      '8:42 topology.internet[0].services[0]: expected a map (Service) or a kind name, found the number 42',
      '12:22 steps[0].actions[0].CreateVpc."bad key": "bad key" is not a parameter name (like DestinationCidrBlock or NextHopList.1.NextHopId)',
      '13:20 steps[0].actions[1].CreateVpc: expected a map, found a list',
    ]);
  });

  it('rejects a check whose output list holds a non-string', () => {
    const text = `title: t\ntopology:\n  internet: [{ name: h, ip: 8.8.8.8 }]\nsteps:\n  - name: s\n    checks:\n      - { name: c, host: h, run: ls, output: [1] }\n`;
    expect(problems(text)).toEqual(['7:47 steps[0].checks[0].output[0]: expected a string, found the number 1']);
  });
});
