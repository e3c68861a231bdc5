import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp, type App } from '../../../src/main/compose';
import { readTar, writeTar } from '../../../src/main/store/tar';
import { tempDir } from '../../helpers/temp-dir';
import { caseWithFace } from '../../helpers/case-fixture';
import { testExecutor } from '../../helpers/test-executor';

describe('case export and import', () => {
  const dir = tempDir();
  let src: App;
  let dst: App;
  let caseId: string;
  let archive: string;

  beforeAll(async () => {
    src = composeApp({ dataDir: join(dir.path, 'a'), executor: testExecutor(), actor: 'ann' });
    dst = composeApp({ dataDir: join(dir.path, 'b'), executor: testExecutor(), actor: 'bob' });
    const fx = await caseWithFace(src, dir.path);
    caseId = fx.caseId;
    src.runs.enqueue({
      caseId,
      faceId: fx.face.id,
      settings: {
        modelId: 'm',
        preset: 'fast',
        candidates: 2,
        provider: 'cpu',
        dataConsistency: false,
        seed: '5',
      },
    });
    await src.runs.whenIdle();
    await src.reports.create({ caseId, formats: ['manifest', 'html'] });
    archive = join(dir.path, 'case.tar');
    src.paths.allowFile(archive);
    dst.paths.allowFolder(dir.path);
  });
  afterAll(() => {
    src.close();
    dst.close();
    dir.remove();
  });

  /** Imports a modified copy of the archive and checks nothing of the case is left behind on failure. */
  const importTampered = (
    name: string,
    edit: (entries: Array<{ name: string; data: Buffer }>) => void,
  ): (() => unknown) => {
    const entries = readTar(readFileSync(archive)).map((e) => ({ name: e.name, data: Buffer.from(e.data) }));
    edit(entries);
    const p = join(dir.path, name);
    writeFileSync(p, writeTar(entries, 0));
    return () => dst.archive.import(p);
  };
  const nothingLeft = (): void => {
    expect(dst.db.prepare('SELECT count(*) AS n FROM cases WHERE id = ?').get(caseId)).toEqual({ n: 0 });
    expect(dst.db.prepare('SELECT count(*) AS n FROM audit_events WHERE case_id = ?').get(caseId)).toEqual({
      n: 0,
    });
    expect(existsSync(join(dst.dataDir, 'cases', caseId))).toBe(false);
  };

  it('exports a verified case as one archive and audits the export', () => {
    const r = src.archive.export(caseId, archive);
    expect(r).toMatchObject({ path: archive, files: 11 }); // the run now stores its candidate mean too
    expect(readTar(readFileSync(archive)).map((e) => e.name)[0]).toBe('case.json');
    expect(src.audit.list(caseId).at(-1)).toMatchObject({
      action: 'case.exported',
      payload: { sha256: r.sha256 },
    });
    expect(() => src.archive.export(caseId, archive)).toThrow(/already exists/);
  });

  it('refuses an archive whose file bytes were altered, naming the file, and keeps nothing', () => {
    const run = importTampered('bytes.tar', (es) => {
      const obj = es.find((e) => e.name.startsWith('objects/'))!;
      obj.data[obj.data.length - 1] = obj.data[obj.data.length - 1]! ^ 1;
    });
    expect(run).toThrow(/objects\/[0-9a-f]{64} was altered/);
    nothingLeft();
  });

  it('refuses an archive whose audit chain was edited, naming the event', () => {
    const run = importTampered('chain.tar', (es) => {
      const head = es.find((e) => e.name === 'case.json')!;
      const m = JSON.parse(head.data.toString()) as {
        tables: { audit_events: Array<{ seq: number; actor: string }> };
      };
      m.tables.audit_events.find((e) => e.seq === 3)!.actor = 'mallory';
      head.data = Buffer.from(JSON.stringify(m));
    });
    expect(run).toThrow(/audit chain is broken at event 3/);
    nothingLeft();
  });

  it('refuses an archive whose rows disagree with the events (rolled back, files removed)', () => {
    const run = importTampered('rows.tar', (es) => {
      const head = es.find((e) => e.name === 'case.json')!;
      const m = JSON.parse(head.data.toString()) as {
        tables: { evidence: Array<{ original_name: string; sha256: string }> };
      };
      // Swapped: every object is still named by a row (else it is refused before the rows are tried).
      const [a, b] = [m.tables.evidence[0]!.sha256, m.tables.evidence[1]!.sha256];
      m.tables.evidence[0]!.sha256 = b;
      m.tables.evidence[1]!.sha256 = a;
      head.data = Buffer.from(JSON.stringify(m));
    });
    expect(run).toThrow(/does not verify|UNIQUE|differs/);
    nothingLeft();
  });

  it('refuses something that is not an archive', () => {
    const p = join(dir.path, 'not.tar');
    writeFileSync(p, 'hello');
    expect(() => dst.archive.import(p)).toThrow(/not a Facet SR case archive/);
  });

  it('imports the archive on another workstation: everything verifies and the import is audited', () => {
    const r = dst.archive.import(archive);
    expect(r.caseId).toBe(caseId);
    expect(dst.audit.verify(caseId, dst.store)).toMatchObject({ ok: true });
    expect(dst.evidence.list(caseId)).toEqual(src.evidence.list(caseId));
    expect(dst.runs.list(caseId)).toEqual(src.runs.list(caseId));
    expect(dst.reports.list(caseId)).toEqual(src.reports.list(caseId));
    const events = dst.audit.list(caseId, 0, 1000);
    expect(events.at(-1)).toMatchObject({ action: 'case.imported', actor: 'bob' });
    expect(events.slice(0, -1)).toEqual(src.audit.list(caseId, 0, 1000).slice(0, events.length - 1));
    expect(() => dst.archive.import(archive)).toThrow(/already on this workstation/);
  });

  it('refuses to export a case whose evidence was altered', () => {
    const e = src.evidence.list(caseId)[0]!;
    const file = src.store.pathOf(caseId, e.sha256);
    chmodSync(file, 0o644);
    const b = readFileSync(file);
    b[100] = b[100]! ^ 1;
    writeFileSync(file, b);
    const p = join(dir.path, 'after-tamper.tar');
    src.paths.allowFile(p);
    expect(() => src.archive.export(caseId, p)).toThrow(/does not verify, so it is not exported: .*altered/);
    expect(existsSync(p)).toBe(false);
  });
});
