// The tutorial library: every scenario in lab-scenarios/ with its title, source and summary
// (the real files), broken files listed with their error, and start() names confined to it.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listScenarios, resolveScenario } from '../../../src/main/desk/library';

const real = path.resolve(__dirname, '../../../lab-scenarios');

describe('listScenarios', () => {
  it('lists the real tutorials, the default first, with title, source, summary and counts', () => {
    const list = listScenarios(real);
    expect(list[0]).toMatchObject({ file: 'vpc-basics.yaml', isDefault: true });
    const seed004 = list.find((s) => s.file === 'ipv4-gateway-proxy.yaml')!;
    expect(seed004.title).toMatch(/IPv4 gateway/);
    // The public document it follows, linked from the Library card (not a local seed file).
    expect(seed004.source).toMatch(/ — https:\/\/www\.softbank\.jp\/\S+$/);
    expect(seed004.summary).toMatch(/ECS-A \(client\) and ECS-B \(proxy\)/);
    expect(seed004.steps).toBeGreaterThan(3);
    // Each check has one `run:` line in the file.
    const runs = fs.readFileSync(path.join(real, 'ipv4-gateway-proxy.yaml'), 'utf8').match(/^\s+run:/gm)!.length;
    expect(seed004.checks).toBe(runs);
    expect(list.every((s) => !s.error)).toBe(true);
    // Free-form labs (no steps) come after the tutorials.
    const firstFree = list.findIndex((s) => s.steps === 0);
    expect(list.slice(firstFree).every((s) => s.steps === 0)).toBe(true);
    expect(list.map((s) => s.file)).toContain('empty-vpc.yaml');
  });

  it('lists a broken scenario with its file:line:column error instead of failing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpclab-lib-'));
    try {
      fs.writeFileSync(path.join(dir, 'bad.yaml'), 'title: Bad\ntopology:\n  vpcs: 7\n');
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a scenario');
      const list = listScenarios(dir);
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ file: 'bad.yaml', steps: 0 });
      expect(list[0].error).toMatch(/bad\.yaml:3:\d+/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('resolveScenario', () => {
  it('accepts a file name from the library', () => {
    expect(resolveScenario(real, 'nat-gateway.yaml')).toBe(path.join(real, 'nat-gateway.yaml'));
  });
  it.each([['../package.json'], ['/etc/passwd'], ['sub/x.yaml'], [''], [42], ['.hidden.yaml']])('refuses %j', (name) => {
    expect(() => resolveScenario(real, name)).toThrow(expect.objectContaining({ code: 'InvalidParameter.Scenario' }));
  });
  it('says when the file is not there', () => {
    expect(() => resolveScenario(real, 'nope.yaml')).toThrow(expect.objectContaining({ code: 'InvalidScenario.NotFound' }));
  });
});
