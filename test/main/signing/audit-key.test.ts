/**
 * The installation's signing key: created once per data folder, the private key readable by the user only, sealed
 * with a SecretBox where one is available; and the signatures migration signs the heads that existed before it, once.
 */
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeApp } from '../../../src/main/compose';
import { migrate } from '../../../src/main/db/database';
import { migrations } from '../../../src/main/db/migrations';
import { eventHash, GENESIS_HASH } from '../../../src/main/services/audit-chain';
import { canonicalJson } from '../../../src/main/services/canonical-json';
import { headSignatureProblem, signHead } from '../../../src/main/services/audit-signature';
import {
  keyFingerprint,
  loadOrCreateSigner,
  localPublicKeys,
  type SecretBox,
} from '../../../src/main/signing/audit-key';
import { sha256Hex } from '../../../src/main/crypto';
import { tempDir } from '../../helpers/temp-dir';

/** A reversible stand-in for safeStorage (XOR), so the test can tell sealed bytes from PEM. */
const fakeBox: SecretBox = {
  name: 'app',
  isAvailable: () => true,
  encrypt: (b) => Buffer.from(b.map((x) => x ^ 0x5a)),
  decrypt: (b) => Buffer.from(b.map((x) => x ^ 0x5a)),
};

describe('audit signing key', () => {
  it('creates one Ed25519 pair per data folder, private key 0600, and reloads the same one', () => {
    const dir = tempDir();
    try {
      const a = loadOrCreateSigner(dir.path);
      const b = loadOrCreateSigner(dir.path);
      expect(b.publicKey).toBe(a.publicKey);
      expect(Buffer.from(a.publicKey, 'base64')).toHaveLength(32);
      expect(a.fingerprint).toBe(sha256Hex(Buffer.from(a.publicKey, 'base64')));
      expect(keyFingerprint(a.publicKey)).toBe(a.fingerprint);
      const key = join(dir.path, 'keys', 'audit-local.key');
      expect(statSync(key).mode & 0o777).toBe(0o600);
      expect(readFileSync(key, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(localPublicKeys(dir.path)).toEqual([{ publicKey: a.publicKey, fingerprint: a.fingerprint }]);
      const s = signHead(a, { caseId: 'c', seq: 3, hash: 'a'.repeat(64) });
      expect(headSignatureProblem(s)).toBeNull();
      expect(headSignatureProblem({ ...s, seq: 4 })).toMatch(/does not verify/);
      expect(headSignatureProblem({ ...s, hash: 'b'.repeat(64) })).toMatch(/does not verify/);
    } finally {
      dir.remove();
    }
  });

  it('seals the private key with the SecretBox where it is available; plain Node keeps its own file', () => {
    const dir = tempDir();
    try {
      const app = loadOrCreateSigner(dir.path, fakeBox);
      const sealed = readFileSync(join(dir.path, 'keys', 'audit-app.key.sealed'));
      expect(sealed.toString('latin1')).not.toContain('PRIVATE KEY');
      expect(statSync(join(dir.path, 'keys', 'audit-app.key.sealed')).mode & 0o777).toBe(0o600);
      expect(loadOrCreateSigner(dir.path, fakeBox).publicKey).toBe(app.publicKey);
      // The CLI cannot open the sealed key: it has its own, and both are this installation's.
      const cli = loadOrCreateSigner(dir.path);
      expect(cli.publicKey).not.toBe(app.publicKey);
      expect(
        localPublicKeys(dir.path)
          .map((k) => k.fingerprint)
          .sort(),
      ).toEqual([app.fingerprint, cli.fingerprint].sort());
    } finally {
      dir.remove();
    }
  });

  it('signs the heads of cases made before signatures once, when the migration is applied', () => {
    const dir = tempDir();
    try {
      const data = join(dir.path, 'data');
      const file = join(data, 'facet.sqlite');
      // A v5 database with one case, written as the previous version did (no signatures).
      mkdirSync(data);
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      migrate(
        db,
        migrations.filter((m) => m.version <= 5),
      );
      db.prepare(
        "INSERT INTO cases (id, name, created_at) VALUES ('c1', 'Old', '2026-01-01T00:00:00.000Z')",
      ).run();
      // The rows the previous version wrote: no examiner column yet (migration 7), hash without the examiner.
      const event = {
        caseId: 'c1',
        actor: 'ann',
        action: 'case.created',
        subject: 'c1',
        payload: { name: 'Old' },
        seq: 1,
        time: '2026-01-01T00:00:00.000Z',
        prevHash: GENESIS_HASH,
      };
      const hash = eventHash(event);
      db.transaction(() => {
        db.prepare(
          `INSERT INTO audit_events (case_id, seq, time, actor, action, subject, payload, prev_hash, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          'c1',
          1,
          event.time,
          'ann',
          event.action,
          'c1',
          canonicalJson(event.payload),
          GENESIS_HASH,
          hash,
        );
        db.prepare('INSERT INTO audit_heads (case_id, seq, hash) VALUES (?, ?, ?)').run('c1', 1, hash);
      })();
      db.close();

      const app = composeApp({ dataDir: data });
      try {
        const sigs = app.audit.signatures('c1');
        expect(sigs.map((s) => s.seq)).toEqual([1]);
        const v = app.audit.verify('c1', app.store);
        expect(v).toMatchObject({ ok: true, headSeq: 1, unsignedThrough: 0 });
        expect(v.ok && v.signers?.[0]).toMatchObject({ fromSeq: 1, toSeq: 1, local: true });
      } finally {
        app.close();
      }
      // Never again: a head found unsigned later is reported, not signed (that would launder a rewrite).
      const raw = new Database(file);
      raw.exec('DROP TRIGGER audit_signatures_no_delete');
      raw.prepare("DELETE FROM audit_signatures WHERE case_id = 'c1'").run();
      raw.exec(
        "CREATE TRIGGER audit_signatures_no_delete BEFORE DELETE ON audit_signatures\n        BEGIN SELECT RAISE(ABORT, 'audit signatures are append-only: DELETE refused'); END;",
      );
      raw.close();
      const again = composeApp({ dataDir: data });
      try {
        expect(again.audit.verify('c1', again.store)).toMatchObject({
          ok: false,
          location: { table: 'audit_signatures', seq: 1 },
          reason: expect.stringMatching(/head \(event 1\) is not signed/),
        });
      } finally {
        again.close();
      }
    } finally {
      dir.remove();
    }
  });
});
