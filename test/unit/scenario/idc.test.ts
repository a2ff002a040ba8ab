// topology.idcs and topology.cloudServices (the VPN tutorial's on-premises site and the
// 100.64/10 services): the typed form, and each mistake at its file:line:column.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/main/scenario/load';
import { topologyActions } from '../../../src/main/runtime/scenario-actions';
import { FILE, errorOf, lines } from './helpers';

const GOOD = `title: t
topology:
  idcs:
    - name: idc-hz
      cidr: 172.16.0.0/16
      gateway: { name: idc-gw, publicIp: 198.51.100.1 }
      hosts:
        - { name: idc-host, ip: 172.16.0.10, services: [http-hello] }
  cloudServices:
    - { name: oss, ip: 100.118.28.1, names: [oss-cn-hangzhou-internal.aliyuncs.com], services: [http-hello] }
steps:
  - name: s
    checks:
      - { name: c, host: idc-host, run: "true" }
`;

describe('topology.idcs and cloudServices', () => {
  it('load into the typed form and become CreateIdcSite, CreateIdcHost and CreateCloudService calls', () => {
    const s = parseScenario(GOOD, FILE);
    expect(s.idcs[0]).toMatchObject({ name: 'idc-hz', cidr: '172.16.0.0/16', gateway: { name: 'idc-gw', publicIp: '198.51.100.1' }, hosts: [{ name: 'idc-host', ip: '172.16.0.10' }] });
    expect(topologyActions(s).map((a) => a.action)).toEqual(['CreateIdcSite', 'CreateIdcHost', 'CreateCloudService']);
  });

  it('each mistake at its place', () => {
    const bad = GOOD
      .replace('172.16.0.0/16', '172.16.0.0/31')
      .replace('publicIp: 198.51.100.1', 'publicIp: 10.1.1.1')
      .replace('ip: 100.118.28.1', 'ip: 100.200.0.1')
      .replace('host: idc-host', 'host: idc-hots');
    expect(lines(errorOf(bad))).toEqual([
      `${FILE}:5:13: topology.idcs[0].cidr: an IDC's CIDR block must have a prefix length of 8 to 30, not /31`,
      `${FILE}:6:42: topology.idcs[0].gateway.publicIp: 10.1.1.1 is in the private range 10.0.0.0/8 (RFC 1918); the IDC's router needs a public address`,
      `${FILE}:8:33: topology.idcs[0].hosts[0].ip: 172.16.0.10 is not inside the IDC's 172.16.0.0/31`,
      `${FILE}:10:24: topology.cloudServices[0].ip: 100.200.0.1 is not in 100.64.0.0/10, where the cloud's services are`,
      `${FILE}:14:26: steps[0].checks[0].host: no lab host named idc-hots (did you mean idc-host?)`,
    ]);
  });

  it('LAN addresses inside the site, once each; host names unique across kinds', () => {
    const bad = GOOD.replace('ip: 172.16.0.10', 'ip: 172.16.0.1').replace('name: oss', 'name: idc-gw');
    expect(lines(errorOf(bad))).toEqual([
      `${FILE}:8:33: topology.idcs[0].hosts[0].ip: 172.16.0.1 is already used at topology.idcs[0].gateway (line 6)`,
      `${FILE}:10:15: topology.cloudServices[0].name: idc-gw is already the name of the IDC host at topology.idcs[0].gateway.name (line 6); names are unique across VPCs, vSwitches, route tables and hosts`,
    ]);
  });
});
