import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/main/services/args';
import { DEFAULT_PORTS, OWN_SERVICE_KINDS, SERVICE_KINDS } from '../../../src/main/services/kinds';

describe('parseArgs', () => {
  it('applies the default ports', () => {
    for (const kind of OWN_SERVICE_KINDS) {
      const r = parseArgs(kind === 'dns' ? [kind, '--zone', 'z.json'] : [kind]);
      expect(r).toMatchObject({ ok: true, args: { kind, port: DEFAULT_PORTS[kind] } });
    }
    expect(DEFAULT_PORTS).toEqual({ 'http-hello': 80, 'ip-echo': 80, dns: 53, 'tcp-echo': 7, 'udp-echo': 7, strongswan: 500 });
  });

  it('strongswan is a service kind but not one of its programs: charon is Debian\'s', () => {
    expect(SERVICE_KINDS).toContain('strongswan');
    expect(parseArgs(['strongswan'])).toMatchObject({ ok: false, error: expect.stringMatching(/^unknown service kind "strongswan"/) });
  });

  it('reads every option, in both spellings', () => {
    expect(parseArgs(['http-hello', '--port', '8080', '--body', 'Hello World ! This is ECS_B_01.', '--name=ECS_B_01'])).toEqual({
      ok: true,
      args: { kind: 'http-hello', port: 8080, body: 'Hello World ! This is ECS_B_01.', name: 'ECS_B_01' },
    });
    expect(parseArgs(['dns', '--zone=/tmp/z.json', '--port=0'])).toEqual({ ok: true, args: { kind: 'dns', port: 0, zone: '/tmp/z.json' } });
    // A body may be empty or look like an option.
    expect(parseArgs(['http-hello', '--body', ''])).toMatchObject({ ok: true, args: { body: '' } });
    expect(parseArgs(['http-hello', '--body', '--port'])).toMatchObject({ ok: true, args: { body: '--port', port: 80 } });
    // --name is accepted by every kind (the runtime may pass it to all).
    expect(parseArgs(['udp-echo', '--name', 'ECS_A'])).toMatchObject({ ok: true });
  });

  it('refuses what the runtime should never send', () => {
    const bad: [string[], RegExp][] = [
      [[], /missing service kind/],
      [['ftp'], /unknown service kind/],
      [['http-hello', '--port'], /needs a value/],
      [['http-hello', '--port', '65536'], /--port/],
      [['http-hello', '--port', '-1'], /--port/],
      [['http-hello', '--port', '8o'], /--port/],
      [['http-hello', '--bogus', '1'], /unknown option/],
      [['http-hello', 'stray'], /unexpected argument/],
      [['http-hello', '--port', '1', '--port', '2'], /twice/],
      [['ip-echo', '--body', 'x'], /does not apply/],
      [['tcp-echo', '--zone', 'z'], /does not apply/],
      [['dns'], /--zone/],
      [['dns', '--zone', ''], /--zone/],
      [['http-hello', '--name', ''], /--name/],
    ];
    for (const [argv, re] of bad) {
      const r = parseArgs(argv);
      expect(r.ok, argv.join(' ')).toBe(false);
      if (!r.ok) expect(r.error).toMatch(re);
    }
  });

  it('--help', () => {
    expect(parseArgs(['--help'])).toEqual({ ok: true, help: true });
  });
});
