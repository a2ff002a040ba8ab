// The services a lab host can run, with the port and protocols each listens on unless told
// otherwise. One table for every layer that names services: the scenario loader (defaults
// and port clashes), the control plane (RunInstances/CreateInternetHost `Services`) and the
// service programs themselves. It imports nothing so that any layer may import it.
//
// All are small programs of ours (services/run.ts) but `strongswan`: Debian's charon, the
// IKE daemon, with its userspace ESP where the kernel has no IPsec (host/charon.ts).

export const SERVICE_KINDS = ['http-hello', 'ip-echo', 'dns', 'tcp-echo', 'udp-echo', 'strongswan'] as const;

/** The kinds services/run.ts starts; the others are other programs. */
export const OWN_SERVICE_KINDS = ['http-hello', 'ip-echo', 'dns', 'tcp-echo', 'udp-echo'] as const;
export type OwnServiceKind = (typeof OWN_SERVICE_KINDS)[number];

export type ServiceKind = (typeof SERVICE_KINDS)[number];

export type ServiceProtocol = 'tcp' | 'udp';

/** The port each program binds when none is given (the well-known port of what it plays). */
export const DEFAULT_PORTS: Readonly<Record<ServiceKind, number>> = {
  'http-hello': 80,
  'ip-echo': 80,
  dns: 53,
  'tcp-echo': 7,
  'udp-echo': 7,
  strongswan: 500,
};

/** What each listens on: two services of one host clash only on the same port and protocol. */
export const SERVICE_PROTOCOLS: Readonly<Record<ServiceKind, readonly ServiceProtocol[]>> = {
  'http-hello': ['tcp'],
  'ip-echo': ['tcp'],
  dns: ['udp', 'tcp'],
  'tcp-echo': ['tcp'],
  'udp-echo': ['udp'],
  // IKE on 500, and 4500 once NAT traversal (or UDP encapsulation) takes over.
  strongswan: ['udp'],
};

export function isServiceKind(s: string): s is ServiceKind {
  return (SERVICE_KINDS as readonly string[]).includes(s);
}
