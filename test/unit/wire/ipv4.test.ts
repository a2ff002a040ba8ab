import { describe, expect, it } from 'vitest';
import { Ipv4View, emitIpv4, parseIp, parseCidr, ipToString, isPublic, reasonName } from '../../../src/main/engine/wire';

describe('smoke', () => {
  it('works', () => {
    const b = Buffer.alloc(100);
    emitIpv4(b, 0, { src: parseIp('192.168.1.2'), dst: parseIp('8.8.8.8'), protocol: 1, payloadLength: 8 });
    const v = new Ipv4View();
    expect(v.wrap(b, 0, 28, true)).toBe(0);
    expect(ipToString(v.src)).toBe('192.168.1.2');
    expect(isPublic(v.dst)).toBe(true);
    expect(reasonName(5)).toBe('ipv4.BadChecksum');
    v.rewriteSrc(parseIp('47.1.2.3'));
    expect(v.verifyChecksum()).toBe(true);
    expect(() => parseCidr('10.0.0.1/8')).toThrow(/host bits/);
  });
});
