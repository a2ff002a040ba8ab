import { describe, expect, it } from 'vitest';
import { AddressError, checkCidr, checkIp, formatCidr, parseCidr, parseIp } from '../../../src/main/engine/wire/ipv4-addr';
import { isPublic, NON_PUBLIC_RANGES, whyNotPublic } from '../../../src/main/engine/wire/ipv4-ranges';

// The one set of IPv4 text rules (engine, control plane, scenario files, DNS zone). The
// cases the four former copies could disagree on are here: leading zeros, whitespace,
// signs, non-ASCII digits, a trailing newline, host bits, a bare address for a /32.

describe('checkIp', () => {
  it.each([
    ['0.0.0.0', 0],
    ['255.255.255.255', 0xffffffff],
    ['192.168.0.1', 0xc0a80001],
    ['203.0.113.7', 0xcb007107], // above 2^31: still a positive number
  ])('reads %s', (text, addr) => expect(checkIp(text)).toEqual({ ok: true, addr }));

  it.each([
    ['', 'empty; expected four numbers 0-255 separated by dots, like 192.168.0.1'],
    ['nope', 'expected four numbers 0-255 separated by dots, like 192.168.0.1, found no dots'],
    ['1.2.3', 'expected four numbers 0-255 separated by dots, like 192.168.0.1, found 3 parts'],
    ['1.2.3.4.5', 'expected four numbers 0-255 separated by dots, like 192.168.0.1, found 5 parts'],
    ['1.2.3.4.', 'expected four numbers 0-255 separated by dots, like 192.168.0.1, found 5 parts'],
    ['1..2.3', 'a number is missing between dots; expected four numbers 0-255 separated by dots, like 192.168.0.1'],
    ['010.0.0.1', 'leading zero in 010 (some tools would read it as octal)'],
    ['1.2.3.00', 'leading zero in 00 (some tools would read it as octal)'],
    ['192.168.1.300', '300 is larger than 255'],
    ['1.2.3.1000', '1000 is larger than 255'],
    ['1.2.3.' + '9'.repeat(50), '999999999999… (50 digits) is larger than 255'],
    [' 1.2.3.4', '" 1" is not a decimal number'],
    ['1.2.3.4 ', '"4 " is not a decimal number'],
    ['1.2.3.4\n', '"4\\n" is not a decimal number'],
    ['+1.2.3.4', '"+1" is not a decimal number'],
    ['1.2.3.-4', '"-4" is not a decimal number'],
    ['0x1.2.3.4', '"0x1" is not a decimal number'],
    ['1e2.0.0.1', '"1e2" is not a decimal number'],
    ['٣.1.1.1', '"٣" is not a decimal number'],
    ['a.b.c.d', '"a" is not a decimal number'],
  ])('refuses %j: %s', (text, why) => expect(checkIp(text)).toEqual({ ok: false, why }));

  it('parseIp throws the same reason with the input, code BadAddress', () => {
    expect(parseIp('10.0.0.1')).toBe(0x0a000001);
    const e = (() => {
      try {
        parseIp('010.0.0.1');
      } catch (err) {
        return err as AddressError;
      }
    })();
    expect(e).toBeInstanceOf(AddressError);
    expect([e!.code, e!.why, e!.input, e!.message]).toEqual([
      'BadAddress',
      'leading zero in 010 (some tools would read it as octal)',
      '010.0.0.1',
      '"010.0.0.1": leading zero in 010 (some tools would read it as octal)',
    ]);
  });

  it('keeps a message short whatever the input', () => {
    expect(() => parseIp('x'.repeat(1_000_000))).toThrow(/^"x{60}"… \(1000000 characters\): /);
  });
});

describe('checkCidr', () => {
  it('reads a block with its mask', () => {
    expect(checkCidr('10.0.0.0/8')).toEqual({ ok: true, cidr: { addr: 0x0a000000, len: 8, mask: 0xff000000 } });
    expect(checkCidr('0.0.0.0/0')).toEqual({ ok: true, cidr: { addr: 0, len: 0, mask: 0 } });
    expect(checkCidr('8.8.4.4/32')).toEqual({ ok: true, cidr: { addr: 0x08080404, len: 32, mask: 0xffffffff } });
  });

  it('refuses host bits unless the caller reads an interface address', () => {
    expect(checkCidr('10.1.2.3/16')).toEqual({
      ok: false,
      code: 'HostBitsSet',
      why: 'host bits are set; the network is 10.1.0.0/16',
      network: { addr: 0x0a010000, len: 16, mask: 0xffff0000 },
    });
    expect(checkCidr('172.16.1.7/24', { allowHostBits: true })).toEqual({ ok: true, cidr: { addr: 0xac100107, len: 24, mask: 0xffffff00 } });
  });

  it('reads a bare address as its /32 only where asked to', () => {
    expect(checkCidr('8.8.8.8')).toMatchObject({ ok: false, code: 'BadCidr', why: 'expected an address and a prefix length, like 192.168.0.0/16' });
    expect(checkCidr('8.8.8.8', { bareAddressIsHost: true })).toEqual({ ok: true, cidr: { addr: 0x08080808, len: 32, mask: 0xffffffff } });
    expect(checkCidr('8.8.8', { bareAddressIsHost: true })).toMatchObject({ ok: false, code: 'BadCidr' });
  });

  it.each([
    ['10.0.0.0/33', 'BadPrefixLength', 'the prefix length must be a number 0 to 32, found "33"'],
    ['10.0.0.0/08', 'BadPrefixLength', 'the prefix length must be a number 0 to 32, found "08"'],
    ['10.0.0.0/', 'BadPrefixLength', 'the prefix length must be a number 0 to 32, found nothing'],
    ['10.0.0.0/ 8', 'BadPrefixLength', 'the prefix length must be a number 0 to 32, found " 8"'],
    ['10.0.0.0/8/8', 'BadPrefixLength', 'the prefix length must be a number 0 to 32, found "8/8"'],
    // Left to right: the address is judged before the prefix length.
    ['10.0.0/33', 'BadCidr', 'expected four numbers 0-255 separated by dots, like 192.168.0.1, found 3 parts'],
    ['10.0.0.256/8', 'BadCidr', '256 is larger than 255'],
  ])('refuses %j (%s): %s', (text, code, why) => expect(checkCidr(text)).toEqual({ ok: false, code, why }));

  it('parseCidr throws with the code and reason', () => {
    expect(() => parseCidr('192.168.1.5/24')).toThrow('"192.168.1.5/24": host bits are set; the network is 192.168.1.0/24');
    expect(formatCidr(parseCidr('192.168.0.0/16'))).toBe('192.168.0.0/16');
  });
});

describe('public addresses', () => {
  it('whyNotPublic names the range isPublic refuses, and nothing for a public address', () => {
    expect(whyNotPublic(parseIp('10.1.2.3'))).toBe('the private range 10.0.0.0/8 (RFC 1918)');
    expect(whyNotPublic(parseIp('100.100.2.136'))).toBe('the cloud-service range 100.64.0.0/10');
    expect(whyNotPublic(parseIp('255.255.255.255'))).toBe('the reserved range 240.0.0.0/4');
    expect(whyNotPublic(parseIp('8.8.8.8'))).toBeUndefined();
  });

  it('isPublic and whyNotPublic agree at every range edge', () => {
    for (const { cidr } of NON_PUBLIC_RANGES) {
      const last = (cidr.addr | ~cidr.mask) >>> 0;
      for (const a of [cidr.addr - 1, cidr.addr, last, last + 1]) {
        if (a < 0 || a > 0xffffffff) continue;
        expect(isPublic(a), formatCidr({ addr: a, len: 32 })).toBe(whyNotPublic(a) === undefined);
      }
      expect(isPublic(cidr.addr)).toBe(false);
      expect(isPublic(last)).toBe(false);
    }
  });

  it('the per-packet shortcut (by first octet) gives what the table says', () => {
    let seed = 7;
    for (let i = 0; i < 200_000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      expect(isPublic(seed)).toBe(whyNotPublic(seed) === undefined);
    }
    for (let o = 0; o < 256; o++) for (const low of [0, 0x00ffffff, 0x00a9fe00, 0x00a80000, 0x00100000, 0x00400000]) {
      const a = ((o << 24) | low) >>> 0;
      expect(isPublic(a)).toBe(whyNotPublic(a) === undefined);
    }
  });
});
