// The kernel baseline for every engine path of the bench: client ── router ── server, three
// namespaces joined by veth pairs, the router forwarding with ip_forward=1 and doing the
// EIP's 1:1 NAT with iptables. Same addresses as bench.yaml's bench-ecs and bench-server, so
// it carries the same packets as "ECS (EIP) → Internet". Its SNAT rule is conntrack's
// per-connection source NAT, the kernel's own counterpart of the NAT gateway's SNAT session
// and of the IPv4 gateway's, so the other two paths are compared with it too.
//
// Safety (DESIGN.md): every veth pair is created inside a lab namespace with its peer put
// straight into another (`ip -n A link add … peer … netns B`), so no veth ever exists in
// the root namespace; iptables runs only under `ip netns exec` of the router.

import { assertNsName, delNetns, listNetns, netnsPids } from '../src/main/host/netns';
import { terminate } from '../src/main/host/cleanup';
import { sh } from '../src/main/host/sh';
import type { PathEnds } from './measure';

export const KERNEL_NS = {
  client: 'vpclab-bench-k-client',
  router: 'vpclab-bench-k-router',
  server: 'vpclab-bench-k-server',
} as const;

export const KERNEL_NAMESPACES: readonly string[] = Object.values(KERNEL_NS);

const CLIENT_IP = '192.168.0.1';
const ROUTER_PRIVATE = '192.168.0.253';
const ROUTER_PUBLIC = '8.8.4.254';
const SERVER_IP = '8.8.4.4';
/** The client's "EIP", as in bench.yaml. */
export const KERNEL_EIP = '47.91.0.10';

export const KERNEL_ENDS: PathEnds = { clientNs: KERNEL_NS.client, serverNs: KERNEL_NS.server, serverIp: SERVER_IP };

const ipn = (ns: string, ...args: string[]) => sh(['ip', '-n', ns, ...args]);
const inNs = (ns: string, ...argv: string[]) => sh(['ip', 'netns', 'exec', ns, ...argv]);

/**
 * Build the three namespaces. `record` is called with each name before it is created, so a
 * crash leaves nothing unrecorded. Throws if one already exists.
 */
export async function createKernelPath(record: (ns: string) => void): Promise<void> {
  const existing = new Set(await listNetns());
  for (const ns of KERNEL_NAMESPACES) {
    assertNsName(ns);
    if (existing.has(ns)) throw new Error(`namespace ${ns} already exists`);
  }
  for (const ns of KERNEL_NAMESPACES) {
    record(ns);
    await sh(['ip', 'netns', 'add', ns]);
    await ipn(ns, 'link', 'set', 'lo', 'up');
    await inNs(ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1',
      `net.ipv4.ip_forward=${ns === KERNEL_NS.router ? 1 : 0}`, 'net.ipv4.conf.all.send_redirects=0',
      'net.ipv4.conf.default.send_redirects=0');
  }
  const { client, router, server } = KERNEL_NS;
  // Born in `client`, peer born in `router`: never in the root namespace.
  await ipn(client, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'to-client', 'netns', router);
  await ipn(router, 'link', 'add', 'to-server', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', server);

  await ipn(client, 'addr', 'add', `${CLIENT_IP}/24`, 'dev', 'eth0');
  await ipn(client, 'link', 'set', 'eth0', 'up');
  await ipn(client, 'route', 'add', 'default', 'via', ROUTER_PRIVATE);

  await ipn(router, 'addr', 'add', `${ROUTER_PRIVATE}/24`, 'dev', 'to-client');
  await ipn(router, 'addr', 'add', `${ROUTER_PUBLIC}/24`, 'dev', 'to-server');
  await ipn(router, 'link', 'set', 'to-client', 'up');
  await ipn(router, 'link', 'set', 'to-server', 'up');

  await ipn(server, 'addr', 'add', `${SERVER_IP}/24`, 'dev', 'eth0');
  await ipn(server, 'link', 'set', 'eth0', 'up');
  await ipn(server, 'route', 'add', 'default', 'via', ROUTER_PUBLIC);

  // The EIP as 1:1 NAT in the router, like the engine's A9/A11: out with the EIP as source,
  // in to the EIP translated to the private address. The server routes the EIP to the
  // router by its default route, so no one needs to answer ARP for it.
  const ipt = (...args: string[]) => inNs(router, 'iptables', '-w', '-t', 'nat', ...args);
  await ipt('-A', 'POSTROUTING', '-o', 'to-server', '-s', `${CLIENT_IP}/32`, '-j', 'SNAT', '--to-source', KERNEL_EIP);
  await ipt('-A', 'PREROUTING', '-i', 'to-server', '-d', `${KERNEL_EIP}/32`, '-j', 'DNAT', '--to-destination', CLIENT_IP);
}

/** Stop everything running in the namespaces, then delete them. Never throws; returns problems. */
export async function destroyKernelPath(forget: (ns: string) => void): Promise<string[]> {
  const errors: string[] = [];
  const present = new Set(await listNetns().catch(() => [...KERNEL_NAMESPACES]));
  for (const ns of KERNEL_NAMESPACES) {
    if (!present.has(ns)) {
      forget(ns);
      continue;
    }
    try {
      await terminate((await netnsPids(ns)).map((pid) => ({ pid })), 1000);
      await delNetns(ns);
      forget(ns);
    } catch (e) {
      errors.push(`${ns}: ${(e as Error).message}`);
    }
  }
  return errors;
}
