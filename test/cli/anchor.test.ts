/**
 * Issue 29 (anchors, signatures, verify): an attacker with write access to the database but not to the signing key
 * rewrites the whole chain after a report was made, recomputing every hash with the published algorithm; or cuts
 * the chain below the report's anchor and moves the head back; or drops the append-only triggers. `audit verify`,
 * `audit verify --anchor` and `facet verify` of the report catch each and name where. A read-only copy of the data
 * folder verifies without a file being created in it.
 */
import Database from 'better-sqlite3';
import { generateKeyPairSync, sign } from 'node:crypto';
import { chmodSync, cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { composeApp } from '../../src/main/compose';
import { eventHash, GENESIS_HASH } from '../../src/main/services/audit-chain';
import { headMessage } from '../../src/main/services/audit-signature';
import { EXPECTED_TRIGGERS } from '../../src/main/services/audit-triggers';
import { canonicalJson, type JsonValue } from '../../src/main/services/canonical-json';
import { keyFingerprint, localPublicKeys } from '../../src/main/signing/audit-key';
import { caseWithFace } from '../helpers/case-fixture';
import { tempDir } from '../helpers/temp-dir';
import { testExecutor, testRunSettings } from '../helpers/test-executor';

async function facet(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const add = (l: string) => (out += `${l}\n`);
  const code = await runCli(args, { executor: testExecutor(), out: add, err: add });
  return { code, out };
}

interface EventRow {
  case_id: string;
  seq: number;
  time: string;
  actor: string;
  action: string;
  subject: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

/** Opens the raw SQLite file as an attacker would and drops the append-only triggers. */
function attackerDb(data: string): Database.Database {
  const db = new Database(join(data, 'facet.sqlite'));
  db.exec(`DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;
           DROP TRIGGER audit_signatures_no_update; DROP TRIGGER audit_signatures_no_delete;`);
  return db;
}

/** Puts the triggers back as the migrations wrote them, so that only the signatures and the anchor can tell. */
function restoreTriggers(db: Database.Database): void {
  for (const sql of EXPECTED_TRIGGERS.values()) db.exec(sql);
}

/**
 * Rewrites a case's chain: edits the payload of the events `edit` changes, then recomputes prev_hash and hash of
 * every event with the published algorithm, and moves the head. Signatures are left as they were (no key).
 */
function rewriteChain(
  db: Database.Database,
  caseId: string,
  edit: (e: EventRow, p: Record<string, JsonValue>) => void,
): void {
  const rows = db
    .prepare('SELECT * FROM audit_events WHERE case_id = ? ORDER BY seq')
    .all(caseId) as EventRow[];
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const payload = JSON.parse(r.payload) as Record<string, JsonValue>;
    edit(r, payload);
    const value = {
      caseId,
      seq: r.seq,
      time: r.time,
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      payload,
      prevHash: prev,
    };
    const hash = eventHash(value);
    db.prepare(
      'UPDATE audit_events SET payload = ?, prev_hash = ?, hash = ? WHERE case_id = ? AND seq = ?',
    ).run(canonicalJson(payload), prev, hash, caseId, r.seq);
    prev = hash;
  }
  db.prepare('UPDATE audit_heads SET hash = ? WHERE case_id = ?').run(prev, caseId);
}

describe('anchors, signatures and verify (issue 29)', () => {
  const tmp = tempDir();
  const pristine = join(tmp.path, 'pristine');
  const reports = join(tmp.path, 'reports');
  let caseId: string;
  let manifest: string;
  let anchor: string;
  let anchorSeq: number;
  let comparisonSeq: number;
  let fingerprint: string;

  /** A fresh copy of the data folder as it was right after the report. */
  const copy = (name: string): string => {
    const to = join(tmp.path, name);
    cpSync(pristine, to, { recursive: true });
    return to;
  };

  beforeAll(async () => {
    const app = composeApp({ dataDir: pristine, executor: testExecutor(), actor: 'ann' });
    try {
      const fx = await caseWithFace(app, tmp.path);
      caseId = fx.caseId;
      app.runs.enqueue({
        caseId,
        faceId: fx.face.id,
        settings: testRunSettings('7'),
      });
      await app.runs.whenIdle();
      const run = app.runs.list(caseId)[0]!;
      app.faces.recordComparison({
        caseId,
        outputId: run.outputs[0]!.id,
        referenceEvidenceId: fx.referenceId,
        embedderId: 'e',
        embedderSha256: 'b'.repeat(64),
        score: 0.027,
        calibrationPercentile: 3,
        calibration: {},
      });
      comparisonSeq = app.audit.all(caseId).find((e) => e.action === 'comparison.recorded')!.seq;
    } finally {
      app.close();
    }
    const r = await facet(['--data-dir', pristine, 'report', caseId, '--out', reports]);
    expect(r.code).toBe(0);
    // Named by the case's name and the date (`report-<case name>-<date>.manifest.json`).
    manifest = join(
      reports,
      readdirSync(reports).find((f) => f.endsWith('.manifest.json'))!,
    );
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as {
      audit: { headSeq: number; headHash: string; headSignature: { keyFingerprint: string } };
    };
    anchorSeq = m.audit.headSeq;
    anchor = `${m.audit.headSeq}:${m.audit.headHash}`;
    fingerprint = m.audit.headSignature.keyFingerprint;
    expect(r.out).toContain(`anchor    ${anchor}`);
    expect(localPublicKeys(pristine).map((k) => k.fingerprint)).toEqual([fingerprint]);
    // The PDF and HTML print the anchor and the key fingerprint; the key file is the user's only.
    const html = readFileSync(manifest.replace(/\.manifest\.json$/, '.html'), 'utf8');
    expect(html).toContain(`Anchor (audit head): ${anchor}`);
    expect(html).toContain(fingerprint);
    expect(statSync(join(pristine, 'keys', 'audit-local.key')).mode & 0o777).toBe(0o600);
  }, 120_000);
  afterAll(() => {
    chmodSync(tmp.path, 0o700);
    tmp.remove();
  });

  it('prints the head as an anchor, and the untouched case and report verify with every check named', async () => {
    const v = await facet(['--data-dir', pristine, 'audit', 'verify', caseId, '--anchor', anchor]);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^OK: case .* append-only triggers present, head \d+:[0-9a-f]{64}$/m);
    expect(v.out).toContain(`by key ${fingerprint} (this installation's)`);
    expect(v.out).toContain(`OK: anchor ${anchor} is in today's chain`);
    const r = await facet(['--data-dir', pristine, 'verify', manifest]);
    expect(r.code).toBe(0);
    for (const name of [
      'manifest chain',
      'head signature',
      'manifest values against the chain',
      'anchor in the case today',
      'case chain and signatures today',
      'evidence files',
      'embedded images',
      're-runs',
    ])
      expect(r.out).toMatch(new RegExp(`^OK\\s+${name}:`, 'm'));
  }, 60_000);

  it('re-hashes evidence found with --evidence, and names a substituted still', async () => {
    const data = copy('evidence-elsewhere');
    // Without the case folder's objects the originals must come from --evidence.
    const empty = join(tmp.path, 'no-case-here');
    const given = join(tmp.path, 'evidence-dir');
    cpSync(join(tmp.path, 'still.png'), join(given, 'still.png'));
    cpSync(join(tmp.path, 'suspect.jpg'), join(given, 'renamed.jpg'));
    const ok = await facet(['--data-dir', empty, 'verify', manifest, '--evidence', given]);
    expect(ok.out).toMatch(/^OK\s+evidence files: all 2 re-hashed/m);
    expect(ok.out).toMatch(/^SKIPPED anchor in the case today: case .* is not in this data folder/m);
    expect(ok.code).toBe(0);
    // Another photo under the still's name, with no case folder to take the original from.
    cpSync(join(tmp.path, 'suspect.jpg'), join(given, 'still.png'));
    const moved = join(tmp.path, 'no-objects');
    cpSync(data, moved, { recursive: true });
    rmSync(join(moved, 'cases'), { recursive: true });
    const sub = await facet(['--data-dir', moved, 'verify', manifest, '--evidence', given]);
    expect(sub.out).toMatch(
      /^FAIL\s+evidence files: still\.png in the evidence folder hashes to [0-9a-f]{64}, the manifest says/m,
    );
    expect(sub.code).toBe(1);
  }, 60_000);

  it('fails an edited manifest: a shown value against its chain, or a recomputed chain against its signature', async () => {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as {
      comparisons: Array<{ score: number }>;
      evidence: Array<{ sha256: string }>;
      audit: {
        headHash: string;
        chain: Array<Record<string, unknown> & { payload: Record<string, JsonValue> }>;
      };
    };
    const write = (name: string, v: unknown): string => {
      const path = join(tmp.path, name);
      writeFileSync(path, JSON.stringify(v, null, 2));
      return path;
    };
    const edited = structuredClone(m);
    edited.comparisons[0]!.score = 0.99;
    const a = await facet(['--data-dir', pristine, 'verify', write('score.json', edited)]);
    expect(a.code).toBe(1);
    expect(a.out).toMatch(
      /^FAIL\s+manifest values against the chain: comparisons .*: score is 0\.99 in the manifest, 0\.027 in the chain/m,
    );
    // The forgery: score, an actor and an evidence hash changed in the values and the chain, every hash
    // recomputed and the head replaced.
    const forged = structuredClone(edited);
    const fakeSha = 'f'.repeat(64);
    forged.evidence[0]!.sha256 = fakeSha;
    let prev = GENESIS_HASH;
    for (const e of forged.audit.chain) {
      if (e.action === 'comparison.recorded') e.payload.score = 0.99;
      if (e.action === 'evidence.imported' && e.seq === 2) e.payload.sha256 = fakeSha;
      if (e.seq === 1) e.actor = 'mallory';
      e.prevHash = prev;
      const { hash: _h, ...rest } = e;
      e.hash = eventHash(rest as unknown as Parameters<typeof eventHash>[0]);
      prev = e.hash as string;
    }
    forged.audit.headHash = prev;
    const b = await facet(['--data-dir', pristine, 'verify', write('forged.json', forged)]);
    expect(b.code).toBe(1);
    expect(b.out).toMatch(/^OK\s+manifest chain:/m);
    expect(b.out).toMatch(/^FAIL\s+head signature: the Ed25519 signature does not verify/m);
    expect(b.out).toMatch(/^FAIL\s+anchor in the case today: first changed event: 1 /m);
    // No original with the forged hash exists, so the still cannot be re-hashed (the case folder has it by its real one).
    expect(b.out).toMatch(/^SKIPPED evidence files: 1 of 2 found and re-hashed; not found: still\.png/m);
  }, 60_000);

  it('catches a whole chain rewritten with recomputed hashes after the report, naming the first changed event', async () => {
    const data = copy('rewritten');
    const db = attackerDb(data);
    // The comparison's score 0.027 -> 0.99, in its event and its row, every later hash recomputed.
    rewriteChain(db, caseId, (e, p) => {
      if (e.seq === comparisonSeq) p.score = 0.99;
    });
    db.prepare('UPDATE comparisons SET score = 0.99 WHERE case_id = ?').run(caseId);
    // The attacker puts the triggers back, so only the signatures and the anchor can tell.
    restoreTriggers(db);
    db.close();

    const v = await facet(['--data-dir', data, 'audit', 'verify', caseId, '--anchor', anchor]);
    expect(v.code).toBe(1);
    // The signature check fails at the first rewritten event, and the anchor names it as the first difference.
    expect(v.out).toContain(`BROKEN: case ${caseId} at audit_signatures, seq ${comparisonSeq}:`);
    expect(v.out).toMatch(/changed or recomputed without the key/);
    expect(v.out).toContain(`ANCHOR FAILED: ${anchor}: first difference at event ${comparisonSeq}:`);

    const r = await facet(['--data-dir', data, 'verify', manifest]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      new RegExp(
        `^FAIL\\s+anchor in the case today: first changed event: ${comparisonSeq} \\(comparison\\.recorded\\)`,
        'm',
      ),
    );
    expect(r.out).toMatch(
      new RegExp(`^FAIL\\s+case chain and signatures today: at audit_signatures seq ${comparisonSeq}`, 'm'),
    );
    // The report itself still verifies on its own: it is the case that changed.
    expect(r.out).toMatch(/^OK\s+head signature:/m);
  }, 60_000);

  it('catches a rewrite re-signed with a key of the attacker: the anchor and --key fail, facet verify names the event', async () => {
    const data = copy('resigned');
    const db = attackerDb(data);
    rewriteChain(db, caseId, (e, p) => {
      if (e.seq === comparisonSeq) p.score = 0.99;
    });
    db.prepare('UPDATE comparisons SET score = 0.99 WHERE case_id = ?').run(caseId);
    // A new key pair, every head signed again with it.
    const pair = generateKeyPairSync('ed25519');
    const pub = Buffer.from(String(pair.publicKey.export({ format: 'jwk' }).x), 'base64url').toString(
      'base64',
    );
    db.prepare('DELETE FROM audit_signatures WHERE case_id = ?').run(caseId);
    const events = db
      .prepare('SELECT seq, hash FROM audit_events WHERE case_id = ? ORDER BY seq')
      .all(caseId) as Array<{
      seq: number;
      hash: string;
    }>;
    for (const e of events) {
      const sig = sign(null, headMessage({ caseId, ...e }), pair.privateKey).toString('base64');
      db.prepare('INSERT INTO audit_signatures VALUES (?, ?, ?, ?, ?, ?)').run(
        caseId,
        e.seq,
        e.hash,
        pub,
        keyFingerprint(pub),
        sig,
      );
    }
    restoreTriggers(db);
    db.close();

    const plain = await facet(['--data-dir', data, 'audit', 'verify', caseId]);
    // Signatures hold, but by a key that is not this installation's: said plainly.
    expect(plain.out).toContain(`by key ${keyFingerprint(pub)} (another installation`);
    const keyed = await facet(['--data-dir', data, 'audit', 'verify', caseId, '--key', fingerprint]);
    expect(keyed.code).toBe(1);
    expect(keyed.out).toContain(
      `at audit_signatures, seq 1: event 1 is signed by key ${keyFingerprint(pub)}, not by the expected key`,
    );
    const anchored = await facet(['--data-dir', data, 'audit', 'verify', caseId, '--anchor', anchor]);
    expect(anchored.code).toBe(1);
    expect(anchored.out).toContain(`ANCHOR FAILED: ${anchor}`);
    const r = await facet(['--data-dir', data, 'verify', manifest]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      new RegExp(`^FAIL\\s+anchor in the case today: first changed event: ${comparisonSeq} `, 'm'),
    );
  }, 60_000);

  it('catches the chain cut below the anchor with the head moved back', async () => {
    const data = copy('truncated');
    const db = attackerDb(data);
    // Everything from the anchored event (the comparison) on is cut, with the rows it made.
    const keep = anchorSeq - 1;
    expect(anchorSeq).toBe(comparisonSeq);
    db.prepare('DELETE FROM comparisons WHERE case_id = ?').run(caseId);
    db.prepare('DELETE FROM reports WHERE case_id = ?').run(caseId);
    db.prepare('DELETE FROM audit_events WHERE case_id = ? AND seq > ?').run(caseId, keep);
    db.prepare('DELETE FROM audit_signatures WHERE case_id = ? AND seq > ?').run(caseId, keep);
    const last = db
      .prepare('SELECT hash FROM audit_events WHERE case_id = ? AND seq = ?')
      .get(caseId, keep) as {
      hash: string;
    };
    db.prepare('UPDATE audit_heads SET seq = ?, hash = ? WHERE case_id = ?').run(keep, last.hash, caseId);
    restoreTriggers(db);
    db.close();

    // Without the anchor nothing tells: the shorter chain is consistent and its head was signed when written.
    expect((await facet(['--data-dir', data, 'audit', 'verify', caseId])).code).toBe(0);

    const v = await facet(['--data-dir', data, 'audit', 'verify', caseId, '--anchor', anchor]);
    expect(v.code).toBe(1);
    expect(v.out).toContain(`ANCHOR FAILED: ${anchor}: first difference at event ${keep + 1}:`);
    expect(v.out).toMatch(/were removed and the head moved back/);
    const r = await facet(['--data-dir', data, 'verify', manifest]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      new RegExp(`^FAIL\\s+anchor in the case today: first changed event: ${keep + 1} .*missing today`, 'm'),
    );
  }, 60_000);

  it('reports dropped or emptied append-only triggers', async () => {
    const data = copy('triggers');
    const db = new Database(join(data, 'facet.sqlite'));
    db.exec('DROP TRIGGER audit_events_no_delete');
    db.close();
    const v = await facet(['--data-dir', data, 'audit', 'verify', caseId]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/^BROKEN: .*append-only triggers are missing or altered: audit_events_no_delete;/m);
    // A trigger of the same name that does nothing is no better.
    const db2 = new Database(join(data, 'facet.sqlite'));
    db2.exec('CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT 1; END;');
    db2.close();
    expect((await facet(['--data-dir', data, 'audit', 'verify', caseId])).out).toMatch(
      /altered: audit_events_no_delete/,
    );
  }, 60_000);

  it('verifies a read-only copy of the data folder without creating a file in it', async () => {
    const data = copy('readonly');
    const listing = (): string[] => readdirSync(data, { recursive: true }).map(String).sort();
    const before = listing();
    const bytes = readFileSync(join(data, 'facet.sqlite'));
    // Runs as root here, which ignores permission bits: what this proves is that a folder without write bits is
    // taken as read-only media, the database is read into memory (no -shm, -wal or journal is created) and nothing
    // in the folder changes. On real read-only media, or as a normal user, any write would also fail with EACCES/EROFS.
    for (const p of [data, ...before.map((f) => join(data, f))])
      chmodSync(p, statSync(p).isDirectory() ? 0o555 : 0o444);
    const v = await facet(['--data-dir', data, 'audit', 'verify', caseId, '--anchor', anchor]);
    expect(v.out).toMatch(/^OK: case /m);
    expect(v.code).toBe(0);
    expect((await facet(['--data-dir', data, 'cases', 'list'])).code).toBe(0);
    expect((await facet(['--data-dir', data, 'report', caseId, '--check'])).code).toBe(0);
    const r = await facet(['--data-dir', data, 'verify', manifest]);
    expect(r.code).toBe(0);
    expect(listing()).toEqual(before);
    expect(readFileSync(join(data, 'facet.sqlite')).equals(bytes)).toBe(true);
  }, 60_000);

  it('keeps the originating key through case export and import, and says which key signed what', async () => {
    const data = copy('export-src');
    const tar = join(tmp.path, 'case.tar');
    const ex = await facet(['--data-dir', data, 'case', 'export', caseId, tar]);
    expect(ex.code).toBe(0);
    expect(ex.out).toMatch(/^head \d+:[0-9a-f]{64} /m);
    const other = join(tmp.path, 'other-workstation');
    const im = await facet(['--data-dir', other, 'case', 'import', tar]);
    expect(im.code).toBe(0);
    const v = await facet(['--data-dir', other, 'audit', 'verify', caseId]);
    expect(v.code).toBe(0);
    const otherKey = localPublicKeys(other)[0]!.fingerprint;
    expect(otherKey).not.toBe(fingerprint);
    expect(v.out).toMatch(
      new RegExp(
        `signed: events 1\\.\\.\\d+ by key ${fingerprint} \\(another installation: an imported case\\)`,
      ),
    );
    expect(v.out).toMatch(
      new RegExp(`signed: events \\d+\\.\\.\\d+ by key ${otherKey} \\(this installation's\\)`),
    );
    // The report's anchor still holds on the importing workstation.
    expect((await facet(['--data-dir', other, 'audit', 'verify', caseId, '--anchor', anchor])).code).toBe(0);
  }, 60_000);
});
