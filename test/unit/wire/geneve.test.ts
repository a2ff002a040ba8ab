// The Geneve view and the GWLB's header (RFC 8926; SEMANTICS E3.2, E5, G1): the bytes we
// emit, the checks on what comes back, and no throw on any input.

import { describe, expect, it } from 'vitest';
import {
  emitGwlbGeneve,
  GENEVE_BASE,
  GeneveReason,
  GeneveView,
  GWLB_OPTIONS_BYTES,
  GWLB_OVERHEAD,
  type GwlbOptions,
} from '../../../src/main/engine/wire/geneve';
import { reasonName, REASON_CODE_LIMIT } from '../../../src/main/engine/wire';

const OPTS: GwlbOptions = { endpointHi: 0x11223344, endpointLo: 0x55667788, connectionHi: 0x0a0b0c0d, connectionLo: 0x01020304, cookie: 0xdeadbeef };

function header(o = OPTS, inner = Buffer.from('4500', 'hex')): Buffer {
  const b = Buffer.alloc(GENEVE_BASE + GWLB_OPTIONS_BYTES + inner.length);
  expect(emitGwlbGeneve(b, 0, o)).toBe(40);
  inner.copy(b, 40);
  return b;
}

describe('E5: the GWLB Geneve header', () => {
  it('is 8 + 32 bytes, version 0, no flags, protocol 0x0800, VNI 0, three options of class 0x0108', () => {
    const b = header();
    expect(b.subarray(0, 40).toString('hex')).toBe(
      [
        '08000800', '00000000', // Opt Len 8 words; O=C=0; IPv4; VNI 0
        '01080102', '11223344', '55667788', // class 0x0108, type 1, 2 words: the GWLB endpoint
        '01080202', '0a0b0c0d', '01020304', // type 2, 2 words: the endpoint connection
        '01080301', 'deadbeef', // type 3, 1 word: the flow cookie
      ].join(''),
    );
    expect(GWLB_OVERHEAD).toBe(68); // E5: 20 + 8 + 8 + 32
  });

  it('reads back through the view', () => {
    const v = new GeneveView();
    const b = header();
    expect(v.wrap(b, 0, b.length)).toBe(GeneveReason.Ok);
    expect([v.version, v.optionsLength, v.oam, v.critical, v.protocolType, v.vni]).toEqual([0, 32, false, false, 0x0800, 0]);
    expect([v.payloadOffset, v.payloadLength]).toEqual([40, 2]);
    const out = { endpointHi: 0, endpointLo: 0, connectionHi: 0, connectionLo: 0, cookie: 0 };
    expect(v.readGwlbOptions(out)).toBe(GeneveReason.Ok);
    expect(out).toEqual(OPTS);
    const len = [0];
    expect(v.findOption(0x0108, 3, len)).toBe(36);
    expect(len[0]).toBe(4);
    expect(v.findOption(0x0108, 9)).toBe(-1);
  });

  it('at an offset inside a bigger buffer', () => {
    const inner = header();
    const b = Buffer.concat([Buffer.alloc(28, 0xee), inner, Buffer.alloc(5, 0xee)]);
    const v = new GeneveView();
    expect(v.wrap(b, 28, inner.length)).toBe(GeneveReason.Ok);
    expect(v.payloadOffset).toBe(68);
  });
});

describe('what comes back is checked', () => {
  const wrap = (b: Buffer, len = b.length): number => new GeneveView().wrap(b, 0, len);
  const gwlb = (b: Buffer): number => {
    const v = new GeneveView();
    expect(v.wrap(b, 0, b.length)).toBe(GeneveReason.Ok);
    return v.readGwlbOptions({ endpointHi: 0, endpointLo: 0, connectionHi: 0, connectionLo: 0, cookie: 0 });
  };

  it('short, a version other than 0, Opt Len past the datagram, an option past Opt Len', () => {
    expect(wrap(Buffer.alloc(7))).toBe(GeneveReason.TooShort);
    const v1 = header();
    v1[0] |= 0x40;
    expect(wrap(v1)).toBe(GeneveReason.BadVersion);
    expect(wrap(header(), 39)).toBe(GeneveReason.BadOptions);
    const long = header();
    long[8 + 3] = 0x1f; // the first option claims 124 bytes of data
    expect(wrap(long)).toBe(GeneveReason.BadOptions);
  });

  it('options other than E5 three: a wrong class, type, length, order, or an extra option', () => {
    const cls = header();
    cls[9] = 0x09; // class 0x0109
    expect(gwlb(cls)).toBe(GeneveReason.NotGwlbOptions);
    const type = header();
    type[10] = 7;
    expect(gwlb(type)).toBe(GeneveReason.NotGwlbOptions);
    const swapped = header({ ...OPTS });
    swapped[10] = 2; // type 2 where type 1 belongs
    swapped[22] = 1;
    expect(gwlb(swapped)).toBe(GeneveReason.NotGwlbOptions);
    const rbits = header();
    rbits[11] |= 0x20; // a reserved bit of the first option's length byte
    expect(gwlb(rbits)).toBe(GeneveReason.NotGwlbOptions);
    // 36 bytes of options: the three plus one more empty option
    const extra = Buffer.alloc(8 + 36 + 2);
    emitGwlbGeneve(extra, 0, OPTS);
    extra[0] = 9;
    extra.writeUInt32BE(0x01080400, 40);
    expect(wrap(extra)).toBe(GeneveReason.Ok);
    expect(gwlb(extra)).toBe(GeneveReason.NotGwlbOptions);
  });

  it('random bytes never throw, and every status has a name', () => {
    let seed = 11;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const v = new GeneveView();
    const out = { endpointHi: 0, endpointLo: 0, connectionHi: 0, connectionLo: 0, cookie: 0 };
    for (let i = 0; i < 20_000; i++) {
      const b = Buffer.alloc(rnd() % 90);
      for (let k = 0; k < b.length; k++) b[k] = rnd() & 255;
      if (b.length > 0 && i % 2 === 0) b[0] &= 0x3f;
      expect(() => {
        if (v.wrap(b, 0, b.length) === GeneveReason.Ok) {
          v.readGwlbOptions(out);
          v.findOption(0x0108, 1);
        }
      }).not.toThrow();
    }
    for (const code of Object.values(GeneveReason)) {
      expect(code).toBeLessThan(REASON_CODE_LIMIT);
      if (code !== 0) expect(reasonName(code)).toMatch(/^geneve\./);
    }
  });
});
