// strongSwan as a lab service (host/charon.ts), as root: two hosts on the lab's Internet run
// charon each, in their own namespace and /run; IKEv2 with a PSK comes up over the engine,
// ping crosses the tunnel, tcpdump on the wire shows only ESP in UDP 4500 (never the inner
// addresses), and everything is gone after shutdown. Uses whichever ESP the machine has.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charonRunDir } from '../../src/main/host/charon';
import { cleanupLab } from '../../src/main/host/cleanup';
import { listNetns } from '../../src/main/host/netns';
import { readLabState } from '../../src/main/host/registry';
import { Lab } from '../../src/main/runtime/lab';
import { parseScenario } from '../../src/main/scenario/load';
import { cannotRun, integrationBlocker } from '../support/skip';

const skip = cannotRun(__filename, integrationBlocker() ?? (!fs.existsSync('/usr/lib/ipsec/charon') && 'strongSwan is not installed (scripts/install.sh installs it)'));
const LAB = 't-swan';

const SCENARIO = `title: two strongSwan peers
topology:
  internet:
    - { name: peer-a, ip: 203.0.113.10, services: [strongswan] }
    - { name: peer-b, ip: 198.51.100.20, services: [strongswan] }
`;

/** swanctl.conf for one end, one setting per line (swanctl refuses several on one line). */
function conf(me: string, peer: string, mine: string, theirs: string): string {
  return `connections {
  t1 {
    version = 2
    local_addrs = ${me}
    remote_addrs = ${peer}
    encap = yes
    proposals = aes128-sha1-modp2048
    local {
      auth = psk
      id = ${me}
    }
    remote {
      auth = psk
      id = ${peer}
    }
    children {
      net {
        local_ts = ${mine}
        remote_ts = ${theirs}
        esp_proposals = aes128-sha1-modp2048
        start_action = start
      }
    }
  }
}
secrets {
  ike-t1 {
    id-a = ${me}
    id-b = ${peer}
    secret = "lab-psk-12345"
  }
}
`;
}

describe.skipIf(skip)('strongSwan in lab hosts (root)', () => {
  let lab: Lab;
  beforeAll(async () => {
    await cleanupLab(LAB);
    lab = new Lab(LAB);
    await lab.loadScenario(parseScenario(SCENARIO, 'two-peers.yaml'));
  }, 60_000);
  afterAll(async () => {
    await lab?.shutdown().catch(() => undefined);
    await cleanupLab(LAB);
  });

  it('each charon answers on its own socket; a plain swanctl in the host finds it', async () => {
    for (const h of ['peer-a', 'peer-b']) {
      const r = await lab.exec(h, 'swanctl --stats', 10);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/uptime: /);
      expect(fs.existsSync(path.join(charonRunDir({ lab: LAB, name: h }), 'charon.vici'))).toBe(true);
    }
    // two daemons, two pids, both recorded for cleanup
    const charons = readLabState(LAB)!.processes.filter((p) => p.kind === 'strongswan');
    expect(new Set(charons.map((p) => p.pid)).size).toBe(2);
  });

  it('IKEv2 with a PSK comes up over the lab Internet; ping crosses; the wire shows only ESP in UDP 4500', async () => {
    const load = async (h: string, text: string, inner: string): Promise<void> => {
      const r = await lab.exec(h, `ip addr add ${inner}/24 dev lo && cat > /etc/swanctl/swanctl.conf <<'EOF'\n${text}EOF\nswanctl --load-all --noprompt`, 15);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    };
    await load('peer-a', conf('203.0.113.10', '198.51.100.20', '10.1.0.0/24', '10.2.0.0/24'), '10.1.0.1');
    await load('peer-b', conf('198.51.100.20', '203.0.113.10', '10.2.0.0/24', '10.1.0.0/24'), '10.2.0.1');
    await expect.poll(async () => (await lab.exec('peer-a', 'swanctl --list-sas', 10)).stdout, { timeout: 15_000, interval: 500 }).toMatch(/ESTABLISHED[\s\S]*INSTALLED/);
    const cap = lab.exec('peer-b', 'timeout 4 tcpdump -n -l -i eth0', 10);
    await new Promise((r) => setTimeout(r, 1000));
    const ping = await lab.exec('peer-a', 'ping -c 3 -W 2 -I 10.1.0.1 10.2.0.1', 15);
    expect(ping.stdout).toMatch(/3 received/);
    const wire = (await cap).stdout;
    expect(wire).toMatch(/IP 203\.0\.113\.10\.4500 > 198\.51\.100\.20\.4500: UDP-encap: ESP\(spi=0x[0-9a-f]+,seq=0x\d+\)/);
    expect(wire).not.toMatch(/10\.[12]\.0\.1/); // the inner addresses never cross in the clear
  }, 60_000);

  it('shutdown stops both daemons and removes their namespaces', async () => {
    const pids = readLabState(LAB)!.processes.filter((p) => p.kind === 'strongswan').map((p) => p.pid);
    await lab.shutdown();
    for (const pid of pids) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
    expect((await listNetns()).filter((n) => n.startsWith(`vpclab-${LAB}-`))).toEqual([]);
  }, 30_000);
});
