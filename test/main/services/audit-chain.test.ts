import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/main/services/canonical-json';
import {
  eventHash,
  findChainBreak,
  GENESIS_HASH,
  type AuditEventValue,
} from '../../../src/main/services/audit-chain';

describe('canonical JSON', () => {
  it('sorts keys at every depth, writes no whitespace and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [3, { d: true, c: null }], é: 'x' })).toBe(
      '{"a":[3,{"c":null,"d":true}],"b":1,"é":"x"}',
    );
  });
  it('writes numbers as ECMAScript does and escapes strings as JSON', () => {
    expect(canonicalJson([1e21, 0.1, -0, 1.5e-7, 'a"\n\u0001'])).toBe(
      '[1e+21,0.1,0,1.5e-7,"a\\"\\n\\u0001"]',
    );
  });
  it.each([[NaN], [Infinity], [undefined], [{ a: undefined }], [10n], [new Date(0)], [() => 1]])(
    'refuses %s',
    (v) => {
      expect(() => canonicalJson(v)).toThrow(TypeError);
    },
  );
});

describe('audit chain', () => {
  const chain = (n: number): AuditEventValue[] => {
    const out: AuditEventValue[] = [];
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= n; seq++) {
      const e = {
        caseId: 'c1',
        seq,
        time: `2026-01-01T00:00:0${seq}Z`,
        actor: 'ann',
        action: 'x.done',
        subject: `s${seq}`,
        payload: { n: seq },
        prevHash: prev,
      };
      const hash = eventHash(e);
      out.push({ ...e, hash });
      prev = hash;
    }
    return out;
  };

  it('hashes SHA-256 over prev_hash then the canonical JSON of the other fields', () => {
    const [e] = chain(1);
    const body =
      '{"action":"x.done","actor":"ann","caseId":"c1","payload":{"n":1},"seq":1,"subject":"s1","time":"2026-01-01T00:00:01Z"}';
    expect(e!.hash).toBe(
      createHash('sha256')
        .update(GENESIS_HASH + body, 'utf8')
        .digest('hex'),
    );
  });

  it('accepts an intact chain and finds the first broken link of a damaged one', () => {
    const c = chain(5);
    expect(findChainBreak(c, { seq: 5, hash: c[4]!.hash })).toBeNull();
    const edited = c.map((e) => (e.seq === 3 ? { ...e, payload: { n: 33 } } : e));
    expect(findChainBreak(edited)).toMatchObject({ seq: 3, reason: expect.stringMatching(/hash mismatch/) });
    expect(findChainBreak(c.filter((e) => e.seq !== 2))).toMatchObject({
      seq: 2,
      reason: expect.stringMatching(/missing/),
    });
    expect(findChainBreak([c[0]!, c[2]!, c[1]!, c[3]!])).toMatchObject({ seq: 2 });
    expect(findChainBreak(c.slice(0, 4), { seq: 5, hash: c[4]!.hash })).toMatchObject({
      seq: 5,
      reason: expect.stringMatching(/removed from the end/),
    });
  });
});
