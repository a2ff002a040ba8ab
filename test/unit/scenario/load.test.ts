import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, ScenarioError } from '../../../src/main/scenario/load';
import type { Scenario } from '../../../src/main/scenario/types';

const FILE = 'lab-scenarios/test.yaml';

const FULL = `title: VPC basics
source: seeds/004_72a051a1bed22895.txt
summary: >
  Two vSwitches, two ECS.
topology:
  vpcs:
    - name: vpc-lab
      cidr: 192.168.0.0/16
      vswitches:
        - { name: vsw-a, cidr: 192.168.0.0/24, zone: ap-northeast-1a }
        - { name: vsw-b, cidr: 192.168.1.0/24 }
      systemRoutes:
        - { destination: 10.0.0.0/8, nextHop: ECS-B }
      routeTables:
        - name: rt-a
          vswitches: [vsw-a]
          entries:
            - { destination: 8.8.8.8, nextHop: ECS-B }
            - { destination: 0.0.0.0/0, nextHopType: Ipv4Gateway, nextHop: igw }
  ecs:
    - name: ECS-A
      vswitch: vsw-a
      ip: 192.168.0.1
      eip: 47.91.0.10
      services: [http-hello, { kind: http-hello, port: 8080, body: "Hello" }]
    - name: ECS-B
      vswitch: vsw-b
      ip: 192.168.1.1
      ipForward: true
  internet:
    - { name: google-dns, ip: 8.8.8.8, services: [dns], ptr: dns.google }
    - { name: aliyun-web, ip: 124.238.1.10, services: [http-hello], names: [aliyun.com, www.aliyun.com.w.cdngslb.com] }
  cnames:
    - { name: www.aliyun.com, target: www.aliyun.com.w.cdngslb.com }
steps:
  - name: ECS to ECS across vSwitches
    description: optional text
    actions:
      - CreateRouteEntry: { RouteTableId: rt-a, DestinationCidrBlock: 8.8.4.4/32, NextHopType: Instance, NextHopId: ECS-B, ClientToken: 2, DryRun: false, RouteEntryName: [a, b] }
      - action: CreateIpv4Gateway
        params: { VpcId: vpc-lab }
        expectError: OperationDenied.VpcExistIpv4Gateway
      - DescribeVpcs:
    checks:
      - name: ping ECS-B
        host: ECS-A
        run: ping -c 2 -W 1 192.168.1.1
        output: "2 received"
        capture: { host: ECS-B, filter: icmp, expect: ["echo request"] }
      - name: no route
        host: google-dns
        run: ping -c 1 192.168.0.1
        expect: failure
        output: []
        notOutput: [ "bytes from", "ttl=\\\\d+" ]
        timeout: 5
  - name: free text only
`;

const at = (line: number, column: number) => ({ file: FILE, line, column });

describe('parseScenario: a valid file', () => {
  it('gives the exact typed form, with defaults filled in', () => {
    const s = parseScenario(FULL, FILE);
    const expected: Scenario = {
      file: FILE,
      title: 'VPC basics',
      source: 'seeds/004_72a051a1bed22895.txt',
      summary: 'Two vSwitches, two ECS.\n',
      vpcs: [
        {
          name: 'vpc-lab',
          cidr: '192.168.0.0/16',
          vswitches: [
            { name: 'vsw-a', cidr: '192.168.0.0/24', zone: 'ap-northeast-1a', pos: at(10, 11) },
            { name: 'vsw-b', cidr: '192.168.1.0/24', pos: at(11, 11) },
          ],
          systemRoutes: [
            { destination: '10.0.0.0/8', nextHopType: 'Instance', nextHop: 'ECS-B', pos: at(13, 11) },
          ],
          routeTables: [
            {
              name: 'rt-a',
              vswitches: ['vsw-a'],
              entries: [
                { destination: '8.8.8.8/32', nextHopType: 'Instance', nextHop: 'ECS-B', pos: at(18, 15) },
                { destination: '0.0.0.0/0', nextHopType: 'Ipv4Gateway', nextHop: 'igw', pos: at(19, 15) },
              ],
              pos: at(15, 11),
            },
          ],
          pos: at(7, 7),
        },
      ],
      ecs: [
        {
          name: 'ECS-A',
          vswitch: 'vsw-a',
          ip: '192.168.0.1',
          eip: '47.91.0.10',
          ipForward: false,
          mtu: 1500,
          securityGroups: [],
          services: [
            { kind: 'http-hello', port: 80 },
            { kind: 'http-hello', port: 8080, body: 'Hello' },
          ],
          pos: at(21, 7),
        },
        { name: 'ECS-B', vswitch: 'vsw-b', ip: '192.168.1.1', ipForward: true, mtu: 1500, securityGroups: [], services: [], pos: at(26, 7) },
      ],
      internet: [
        {
          name: 'google-dns',
          ip: '8.8.8.8',
          services: [{ kind: 'dns', port: 53 }],
          names: [],
          ptr: 'dns.google',
          pos: at(31, 7),
        },
        {
          name: 'aliyun-web',
          ip: '124.238.1.10',
          services: [{ kind: 'http-hello', port: 80 }],
          names: ['aliyun.com', 'www.aliyun.com.w.cdngslb.com'],
          pos: at(32, 7),
        },
      ],
      idcs: [],
      cloudServices: [],
      cnames: [{ name: 'www.aliyun.com', target: 'www.aliyun.com.w.cdngslb.com', pos: at(34, 7) }],
      securityGroups: [],
      networkAcls: [],
      steps: [
        {
          name: 'ECS to ECS across vSwitches',
          description: 'optional text',
          actions: [
            {
              action: 'CreateRouteEntry',
              params: {
                RouteTableId: 'rt-a',
                DestinationCidrBlock: '8.8.4.4/32',
                NextHopType: 'Instance',
                NextHopId: 'ECS-B',
                ClientToken: 2,
                DryRun: false,
                RouteEntryName: ['a', 'b'],
              },
              pos: at(39, 9),
            },
            {
              action: 'CreateIpv4Gateway',
              params: { VpcId: 'vpc-lab' },
              expectError: 'OperationDenied.VpcExistIpv4Gateway',
              pos: at(40, 9),
            },
            { action: 'DescribeVpcs', params: {}, pos: at(43, 9) },
          ],
          checks: [
            {
              name: 'ping ECS-B',
              host: 'ECS-A',
              run: 'ping -c 2 -W 1 192.168.1.1',
              expect: 'success',
              output: ['2 received'],
              notOutput: [],
              capture: { hosts: ['ECS-B'], filter: 'icmp', expect: ['echo request'], absent: [] },
              timeoutSec: 15,
              pos: at(45, 9),
            },
            {
              name: 'no route',
              host: 'google-dns',
              run: 'ping -c 1 192.168.0.1',
              expect: 'failure',
              output: [],
              notOutput: ['bytes from', 'ttl=\\d+'],
              timeoutSec: 5,
              pos: at(50, 9),
            },
          ],
          pos: at(36, 5),
        },
        { name: 'free text only', actions: [], checks: [], pos: at(57, 5) },
      ],
    };
    expect(s).toStrictEqual(expected);
  });

  it('accepts a minimal file', () => {
    expect(parseScenario('title: t\ntopology: {}\n', 'min.yaml')).toStrictEqual({
      file: 'min.yaml',
      title: 't',
      vpcs: [],
      ecs: [],
      internet: [],
      idcs: [],
      cloudServices: [],
      cnames: [],
      securityGroups: [],
      networkAcls: [],
      steps: [],
    });
  });

  it('resolves YAML anchors and aliases', () => {
    const s = parseScenario(
      `title: t
topology:
  internet:
    - { name: a, ip: 8.8.8.8, services: &svc [dns, ip-echo] }
    - { name: b, ip: 8.8.4.4, services: *svc }
`,
      'a.yaml',
    );
    expect(s.internet[1].services).toEqual([
      { kind: 'dns', port: 53 },
      { kind: 'ip-echo', port: 80 },
    ]);
  });

  it('takes maps and lists of maps as action parameters (ZoneMappings, HealthCheckConfig), and flat parameter names', () => {
    const s = parseScenario(
      `title: t
topology: {}
steps:
  - name: s
    actions:
      - CreateLoadBalancer: { VpcId: vpc-lab, ZoneMappings: [{ ZoneId: cn-hangzhou-j, VSwitchId: vsw-a }] }
      - CreateServerGroup: { VpcId: vpc-lab, HealthCheckConfig: { HealthCheckInterval: 5, HealthCheckEnabled: true } }
      - AddServersToServerGroup: { ServerGroupId: nvas, Servers.1.ServerId: NVA-1, Servers.1.ServerType: Ecs }
`,
      'a.yaml',
    );
    expect(s.steps[0].actions.map((a) => a.params)).toEqual([
      { VpcId: 'vpc-lab', ZoneMappings: [{ ZoneId: 'cn-hangzhou-j', VSwitchId: 'vsw-a' }] },
      { VpcId: 'vpc-lab', HealthCheckConfig: { HealthCheckInterval: 5, HealthCheckEnabled: true } },
      { ServerGroupId: 'nvas', 'Servers.1.ServerId': 'NVA-1', 'Servers.1.ServerType': 'Ecs' },
    ]);
  });

  it('loads from a file path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpclab-scenario-'));
    const path = join(dir, 'lab.yaml');
    writeFileSync(path, FULL);
    const s = loadScenario(path);
    expect(s.file).toBe(path);
    expect(s.steps).toHaveLength(2);
  });
});

/** Parses `text` and returns the ScenarioError it must throw. */
function errorOf(text: string, file = FILE): ScenarioError {
  try {
    parseScenario(text, file);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

const BASE_TOPOLOGY = `title: t
topology:
  vpcs:
    - name: vpc-lab
      cidr: 192.168.0.0/16
      vswitches:
        - { name: vsw-a, cidr: 192.168.0.0/24 }
        - { name: vsw-b, cidr: 192.168.1.0/24 }
  ecs:
    - { name: ECS-A, vswitch: vsw-a, ip: 192.168.0.1 }
`;

// Each case: a file, then the exact "line:column: path: " prefix of the (single) error
// and a fragment of its text.
const INVALID: [string, string, string, string][] = [
  ['missing title', `topology: {}\n`, '1:1: title: ', 'missing required field title'],
  ['title has no value', `title:\ntopology: {}\n`, '1:1: title: ', 'has no value'],
  ['top level is a list', `- a\n- b\n`, '1:1: (document): ', 'expected a map (Scenario)'],
  ['empty file', ``, '1:1: (document): ', 'expected a map (Scenario), found nothing'],
  ['title is a number', `title: 42\ntopology: {}\n`, '1:8: title: ', 'expected a string, found the number 42'],
  [
    'ECS ip reserved (last)',
    BASE_TOPOLOGY + `    - { name: ECS-B, vswitch: vsw-b, ip: 192.168.1.255 }\n`,
    '11:42: topology.ecs[1].ip: ',
    '192.168.1.255 is reserved in vSwitch vsw-b (192.168.1.0/24): the first address and the last three are reserved',
  ],
  [
    'ECS ip reserved (first)',
    BASE_TOPOLOGY + `    - { name: ECS-B, vswitch: vsw-b, ip: 192.168.1.0 }\n`,
    '11:42: topology.ecs[1].ip: ',
    'is reserved',
  ],
  [
    'ECS ip reserved (.253)',
    BASE_TOPOLOGY + `    - { name: ECS-B, vswitch: vsw-b, ip: 192.168.1.253 }\n`,
    '11:42: topology.ecs[1].ip: ',
    'is reserved',
  ],
  [
    'ECS ip outside its vSwitch',
    BASE_TOPOLOGY + `    - { name: ECS-B, vswitch: vsw-b, ip: 192.168.2.5 }\n`,
    '11:42: topology.ecs[1].ip: ',
    '192.168.2.5 is not inside vSwitch vsw-b (192.168.1.0/24)',
  ],
  [
    'ECS ip malformed',
    BASE_TOPOLOGY + `    - { name: ECS-B, vswitch: vsw-b, ip: 192.168.1.300 }\n`,
    '11:42: topology.ecs[1].ip: ',
    '"192.168.1.300" is not an IPv4 address',
  ],
  [
    'unknown vSwitch with suggestion',
    BASE_TOPOLOGY + `    - { name: ECS-B, vswitch: vsw-c, ip: 192.168.1.5 }\n`,
    '11:31: topology.ecs[1].vswitch: ',
    'no vSwitch named vsw-c (did you mean vsw-a?)',
  ],
  [
    'duplicate host name',
    BASE_TOPOLOGY + `    - { name: ECS-A, vswitch: vsw-b, ip: 192.168.1.5 }\n`,
    '11:15: topology.ecs[1].name: ',
    'ECS-A is already the name of the ECS at topology.ecs[0].name (line 10)',
  ],
  [
    'bad host name',
    BASE_TOPOLOGY + `    - { name: 1host, vswitch: vsw-b, ip: 192.168.1.5 }\n`,
    '11:15: topology.ecs[1].name: ',
    '"1host" is not a valid host name',
  ],
  [
    'duplicate IP',
    BASE_TOPOLOGY + `  internet:\n    - { name: x, ip: 47.0.0.1 }\n    - { name: y, ip: 47.0.0.1 }\n`,
    '13:22: topology.internet[1].ip: ',
    '47.0.0.1 is already used at topology.internet[0].ip (line 12)',
  ],
  [
    'private Internet host',
    BASE_TOPOLOGY + `  internet:\n    - { name: x, ip: 10.1.2.3 }\n`,
    '12:22: topology.internet[0].ip: ',
    '10.1.2.3 is in the private range 10.0.0.0/8 (RFC 1918); an Internet host needs a public address',
  ],
  [
    'Internet host in 100.64/10',
    BASE_TOPOLOGY + `  internet:\n    - { name: x, ip: 100.100.2.136 }\n`,
    '12:22: topology.internet[0].ip: ',
    '100.100.2.136 is in the cloud-service range 100.64.0.0/10; an Internet host needs a public address',
  ],
  [
    'private EIP',
    BASE_TOPOLOGY.replace('ip: 192.168.0.1 }', 'ip: 192.168.0.1, eip: 172.16.0.9 }'),
    '10:60: topology.ecs[0].eip: ',
    '172.16.0.9 is in the private range 172.16.0.0/12 (RFC 1918); an EIP must be a public address',
  ],
  [
    'CIDR host bits',
    BASE_TOPOLOGY.replace('cidr: 192.168.1.0/24', 'cidr: 192.168.1.1/24'),
    '8:32: topology.vpcs[0].vswitches[1].cidr: ',
    '192.168.1.1/24 has host bits set (did you mean 192.168.1.0/24?)',
  ],
  [
    'vSwitch outside VPC',
    BASE_TOPOLOGY.replace('cidr: 192.168.1.0/24', 'cidr: 10.0.1.0/24'),
    '8:32: topology.vpcs[0].vswitches[1].cidr: ',
    '10.0.1.0/24 is not inside the CIDR block of VPC vpc-lab (192.168.0.0/16)',
  ],
  [
    'vSwitches overlap',
    BASE_TOPOLOGY.replace('cidr: 192.168.1.0/24', 'cidr: 192.168.0.128/25'),
    '8:32: topology.vpcs[0].vswitches[1].cidr: ',
    '192.168.0.128/25 overlaps vSwitch vsw-a (192.168.0.0/24) at topology.vpcs[0].vswitches[0].cidr (line 7)',
  ],
  [
    'vSwitch prefix too long',
    BASE_TOPOLOGY.replace('cidr: 192.168.1.0/24', 'cidr: 192.168.1.0/30'),
    '8:32: topology.vpcs[0].vswitches[1].cidr: ',
    'prefix length of 16 to 29, not /30',
  ],
  [
    'unknown field with suggestion',
    BASE_TOPOLOGY.replace('ip: 192.168.0.1 }', 'ip: 192.168.0.1, ipFoward: true }'),
    '10:55: topology.ecs[0].ipFoward: ',
    'unknown field (did you mean ipForward?)',
  ],
  [
    'unknown field without suggestion',
    `title: t\ntopology: {}\nzzz: 1\n`,
    '3:1: zzz: ',
    'unknown field; Scenario fields are title, source, summary, topology, steps',
  ],
  [
    'boolean as yes',
    BASE_TOPOLOGY.replace('ip: 192.168.0.1 }', 'ip: 192.168.0.1, ipForward: yes }'),
    '10:66: topology.ecs[0].ipForward: ',
    'expected true or false, found the string "yes"',
  ],
  [
    'bad service kind',
    BASE_TOPOLOGY.replace('ip: 192.168.0.1 }', 'ip: 192.168.0.1, services: [http-helo] }'),
    '10:66: topology.ecs[0].services[0].kind: ',
    '"http-helo" is not one of http-hello, ip-echo, dns, tcp-echo, udp-echo, strongswan (did you mean http-hello?)',
  ],
  [
    'port out of range',
    BASE_TOPOLOGY.replace('ip: 192.168.0.1 }', 'ip: 192.168.0.1, services: [{ kind: dns, port: 70000 }] }'),
    '10:85: topology.ecs[0].services[0].port: ',
    '70000 is out of range (1 to 65535)',
  ],
  [
    'body on a non-http service',
    BASE_TOPOLOGY.replace('ip: 192.168.0.1 }', 'ip: 192.168.0.1, services: [{ kind: dns, body: x }] }'),
    '10:85: topology.ecs[0].services[0].body: ',
    'body is only for http-hello services, not dns',
  ],
  [
    'two services on one port',
    BASE_TOPOLOGY.replace('ip: 192.168.0.1 }', 'ip: 192.168.0.1, services: [ip-echo, http-hello] }'),
    '10:75: topology.ecs[0].services[1]: ',
    'http-hello needs tcp port 80, already used by ip-echo at topology.ecs[0].services[0] (line 10)',
  ],
  [
    'route destination equals a vSwitch CIDR',
    BASE_TOPOLOGY.replace('  ecs:', '      systemRoutes:\n        - { destination: 192.168.1.0/24, nextHop: ECS-A }\n  ecs:'),
    '10:26: topology.vpcs[0].systemRoutes[0].destination: ',
    '192.168.1.0/24 is the CIDR block of vSwitch vsw-b (192.168.1.0/24)',
  ],
  [
    'route destination inside a vSwitch CIDR',
    BASE_TOPOLOGY.replace('  ecs:', '      systemRoutes:\n        - { destination: 192.168.1.7, nextHop: ECS-A }\n  ecs:'),
    '10:26: topology.vpcs[0].systemRoutes[0].destination: ',
    '192.168.1.7/32 is inside vSwitch vsw-b',
  ],
  [
    'route destination in 100.64/10',
    BASE_TOPOLOGY.replace('  ecs:', '      systemRoutes:\n        - { destination: 100.64.0.0/10, nextHop: ECS-A }\n  ecs:'),
    '10:26: topology.vpcs[0].systemRoutes[0].destination: ',
    '100.64.0.0/10 is the cloud-service range',
  ],
  [
    'route destination duplicate',
    BASE_TOPOLOGY.replace(
      '  ecs:',
      '      systemRoutes:\n        - { destination: 8.8.8.8, nextHop: ECS-A }\n        - { destination: 8.8.8.8/32, nextHop: ECS-A }\n  ecs:',
    ),
    '11:26: topology.vpcs[0].systemRoutes[1].destination: ',
    '8.8.8.8/32 is already a destination in this table at topology.vpcs[0].systemRoutes[0].destination (line 10)',
  ],
  [
    'route next hop unknown ECS',
    BASE_TOPOLOGY.replace('  ecs:', '      systemRoutes:\n        - { destination: 8.8.8.8, nextHop: ECS-Z }\n  ecs:'),
    '10:44: topology.vpcs[0].systemRoutes[0].nextHop: ',
    'no ECS named ECS-Z (did you mean ECS-A?)',
  ],
  [
    'bad next hop type',
    BASE_TOPOLOGY.replace('  ecs:', '      systemRoutes:\n        - { destination: 8.8.8.8, nextHop: x, nextHopType: Ipv4GW }\n  ecs:'),
    '10:60: topology.vpcs[0].systemRoutes[0].nextHopType: ',
    '"Ipv4GW" is not one of Instance',
  ],
  [
    'route table binds an unknown vSwitch',
    BASE_TOPOLOGY.replace('  ecs:', '      routeTables:\n        - { name: rt-a, vswitches: [vsw-a, vsw-x] }\n  ecs:'),
    '10:44: topology.vpcs[0].routeTables[0].vswitches[1]: ',
    'no vSwitch named vsw-x (did you mean vsw-a?)',
  ],
  [
    'vSwitch bound to two custom tables',
    BASE_TOPOLOGY.replace(
      '  ecs:',
      '      routeTables:\n        - { name: rt-a, vswitches: [vsw-a] }\n        - { name: rt-b, vswitches: [vsw-a] }\n  ecs:',
    ),
    '11:37: topology.vpcs[0].routeTables[1].vswitches[0]: ',
    'vSwitch vsw-a is already bound to a custom route table at topology.vpcs[0].routeTables[0].vswitches[0] (line 10)',
  ],
  [
    'route table name clashes with a vSwitch',
    BASE_TOPOLOGY.replace('  ecs:', '      routeTables:\n        - { name: vsw-a }\n  ecs:'),
    '10:19: topology.vpcs[0].routeTables[0].name: ',
    'vsw-a is already the name of the vSwitch at topology.vpcs[0].vswitches[0].name (line 7)',
  ],
  [
    'check host unknown',
    BASE_TOPOLOGY + `steps:\n  - name: s\n    checks:\n      - { name: c, host: ECS-a, run: "true" }\n`,
    '14:26: steps[0].checks[0].host: ',
    'no ECS or Internet host named ECS-a (did you mean ECS-A?)',
  ],
  [
    'capture host unknown',
    BASE_TOPOLOGY + `steps:\n  - name: s\n    checks:\n      - { name: c, host: ECS-A, run: "true", capture: { host: nope } }\n`,
    '14:63: steps[0].checks[0].capture.host: ',
    'no ECS or Internet host named nope',
  ],
  [
    'capture on several hosts: each is checked',
    BASE_TOPOLOGY + `steps:\n  - name: s\n    checks:\n      - { name: c, host: ECS-A, run: "true", capture: { host: [ECS-A, nope] } }\n`,
    '14:71: steps[0].checks[0].capture.host[1]: ',
    'no ECS or Internet host named nope',
  ],
  [
    'check expect enum',
    BASE_TOPOLOGY + `steps:\n  - name: s\n    checks:\n      - { name: c, host: ECS-A, run: "true", expect: sucess }\n`,
    '14:54: steps[0].checks[0].expect: ',
    '"sucess" is not one of success, failure (did you mean success?)',
  ],
  [
    'bad regex in output',
    BASE_TOPOLOGY + `steps:\n  - name: s\n    checks:\n      - { name: c, host: ECS-A, run: "true", output: ["ok", "(x"] }\n`,
    '14:61: steps[0].checks[0].output[1]: ',
    'invalid regex "(x": Invalid regular expression: /(x/: Unterminated group',
  ],
  [
    'bad regex in capture absent (single string)',
    BASE_TOPOLOGY + `steps:\n  - name: s\n    checks:\n      - { name: c, host: ECS-A, run: "true", capture: { host: ECS-A, absent: "[" } }\n`,
    '14:78: steps[0].checks[0].capture.absent: ',
    'invalid regex "["',
  ],
  [
    'timeout not positive',
    BASE_TOPOLOGY + `steps:\n  - name: s\n    checks:\n      - { name: c, host: ECS-A, run: "true", timeout: 0 }\n`,
    '14:55: steps[0].checks[0].timeout: ',
    '0 is out of range (more than 0 and at most 600)',
  ],
  [
    'check missing run',
    BASE_TOPOLOGY + `steps:\n  - name: s\n    checks:\n      - name: c\n        host: ECS-A\n`,
    '14:9: steps[0].checks[0].run: ',
    'missing required field run',
  ],
  [
    'action short form with two keys',
    `title: t\ntopology: {}\nsteps:\n  - name: s\n    actions:\n      - { CreateVpc: {}, DeleteVpc: {} }\n`,
    '6:9: steps[0].actions[0]: ',
    'an action is either a map with exactly one key (the action name) or has an `action` field; found keys: CreateVpc, DeleteVpc',
  ],
  [
    'action name not an API name',
    `title: t\ntopology: {}\nsteps:\n  - name: s\n    actions:\n      - createVpc: { CidrBlock: 10.0.0.0/8 }\n`,
    '6:9: steps[0].actions[0]: ',
    '"createVpc" is not an API action name',
  ],
  [
    'action param value: a map inside a map inside an object parameter (one level of nesting, as TunnelOptionsSpecification[].TunnelIkeConfig, is allowed)',
    `title: t\ntopology: {}\nsteps:\n  - name: s\n    actions:\n      - CreateServerGroup: { HealthCheckConfig: { a: { b: { c: d } } } }\n`,
    '6:59: steps[0].actions[0].CreateServerGroup.HealthCheckConfig.a.b: ',
    'expected a string, a number, a boolean or a list of strings, found a map',
  ],
  [
    'action param value: a list inside a list',
    `title: t\ntopology: {}\nsteps:\n  - name: s\n    actions:\n      - CreateLoadBalancer: { ZoneMappings: [[a]] }\n`,
    '6:46: steps[0].actions[0].CreateLoadBalancer.ZoneMappings[0]: ',
    'expected a string or a map, found a list',
  ],
  [
    'ECS mtu other than 1500 or 8500',
    BASE_TOPOLOGY.replace('ip: 192.168.0.1 }', 'ip: 192.168.0.1, mtu: 9000 }'),
    '10:60: topology.ecs[0].mtu: ',
    '9000 is not one of 1500, 8500',
  ],
  [
    'long-form action unknown field',
    `title: t\ntopology: {}\nsteps:\n  - name: s\n    actions:\n      - action: CreateVpc\n        expectErr: X\n`,
    '7:9: steps[0].actions[0].expectErr: ',
    'unknown field (did you mean expectError?)',
  ],
  [
    'CNAME clashes with an A name',
    BASE_TOPOLOGY +
      `  internet:\n    - { name: w, ip: 47.0.0.1, names: [aliyun.com] }\n  cnames:\n    - { name: aliyun.com, target: x.com }\n`,
    '14:15: topology.cnames[0].name: ',
    'aliyun.com is already defined at topology.internet[0].names[0] (line 12)',
  ],
  [
    'VPC CIDR in the cloud-service range',
    `title: t\ntopology:\n  vpcs:\n    - { name: v, cidr: 100.64.0.0/16 }\n`,
    '4:24: topology.vpcs[0].cidr: ',
    '100.64.0.0/16 overlaps the cloud-service range 100.64.0.0/10, which a VPC may not use',
  ],
];

describe('parseScenario: invalid files', () => {
  it.each(INVALID)('%s', (_name, text, prefix, fragment) => {
    const e = errorOf(text);
    expect(e.issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.field}: ${i.problem}`)).toHaveLength(1);
    expect(e.message.startsWith(`${FILE}:${prefix}`)).toBe(true);
    expect(e.message).toContain(fragment);
    const [, line, column, field] = /^(\d+):(\d+): (.*): $/.exec(prefix)!;
    expect([e.file, e.line, e.column, e.field]).toEqual([FILE, Number(line), Number(column), field]);
  });

  it('has the documented message format', () => {
    const e = errorOf(BASE_TOPOLOGY + `    - { name: ECS-B, vswitch: vsw-b, ip: 192.168.1.255 }\n`, 'lab-scenarios/bad.yaml');
    expect(e.message).toBe(
      'lab-scenarios/bad.yaml:11:42: topology.ecs[1].ip: 192.168.1.255 is reserved in vSwitch vsw-b (192.168.1.0/24): the first address and the last three are reserved',
    );
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ScenarioError');
  });

  it('collects several errors, in file order, first one in the fields', () => {
    const e = errorOf(`title: t
topology:
  vpcs:
    - { name: v, cidr: 10.0.0.0/8, vswitches: [{ name: s, cidr: 10.0.0.0/24 }] }
  ecs:
    - { name: A, vswitch: s, ip: 10.0.0.0, bogus: 1 }
    - { name: B, vswitch: s, ip: 10.0.0.300 }
steps:
  - name: x
    checks:
      - { name: c, host: Q, run: ls }
  - description: no name
`);
    expect(e.message.split('\n')).toEqual([
      `${FILE}:6:34: topology.ecs[0].ip: 10.0.0.0 is reserved in vSwitch s (10.0.0.0/24): the first address and the last three are reserved`,
      `${FILE}:6:44: topology.ecs[0].bogus: unknown field; Ecs fields are name, vswitch, ip, eip, ipForward, mtu, services, securityGroups`,
      `${FILE}:7:34: topology.ecs[1].ip: "10.0.0.300" is not an IPv4 address: 300 is larger than 255`,
      `${FILE}:11:26: steps[0].checks[0].host: no ECS or Internet host named Q`,
      `${FILE}:12:5: steps[1].name: missing required field name`,
    ]);
    expect([e.line, e.column, e.field]).toEqual([6, 34, 'topology.ecs[0].ip']);
    expect(e.issues).toHaveLength(5);
  });

  it('lists at most 20 errors in the message but keeps them all', () => {
    const hosts = Array.from({ length: 25 }, (_, i) => `    - { name: h${i}, ip: 10.0.0.${i + 1} }`).join('\n');
    const e = errorOf(`title: t\ntopology:\n  internet:\n${hosts}\n`);
    const lines = e.message.split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('(5 more errors not shown)');
    expect(e.issues).toHaveLength(25);
  });

  it('reports YAML syntax errors with their position', () => {
    const e = errorOf(`title: t\ntopology:\n  vpcs: [ { name: a }\nsteps: []\n`);
    expect(e.message).toMatch(new RegExp(`^${FILE}:4:1: \\(syntax\\): `));
    expect(e.field).toBe('(syntax)');
  });

  it('reports a tab-indented line and a duplicate key with their positions', () => {
    expect(errorOf(`title: t\ntitle: u\ntopology: {}\n`).message).toBe(`${FILE}:2:1: title: duplicate key, first at line 1 column 1 (keys of a map must be unique)`);
    const tab = errorOf(`title: t\ntopology:\n\tvpcs: []\n`);
    expect(`${tab.line}:${tab.column}`).toBe('3:1');
  });

  it('does not cascade: an ECS with a bad address still counts as a host', () => {
    const e = errorOf(BASE_TOPOLOGY.replace('ip: 192.168.0.1', 'ip: nope') + `steps:\n  - name: s\n    checks:\n      - { name: c, host: ECS-A, run: ls }\n`);
    expect(e.issues.map((i) => i.field)).toEqual(['topology.ecs[0].ip']);
  });
});
