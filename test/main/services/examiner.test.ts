/**
 * The examiner's name: recorded in audit events beside the OS account (actor), set in the app's settings or given
 * per process (CLI --examiner / FACET_EXAMINER), printed in reports; chains without it hash exactly as before.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import { callOrThrow } from '../../../src/main/api/router';
import { composeApp } from '../../../src/main/compose';
import { eventHash } from '../../../src/main/services/audit-chain';
import { EXAMINER_CHANGED } from '../../../src/main/services/settings-service';
import { canonicalJson } from '../../../src/main/services/canonical-json';
import { tempDir } from '../../helpers/temp-dir';

const tmp = tempDir('facet-examiner-');
afterAll(() => tmp.remove());

describe('examiner identity', () => {
  it('an event without an examiner hashes as audit format 1 did', () => {
    const e = {
      caseId: 'c',
      seq: 1,
      time: '2026-01-01T00:00:00.000Z',
      actor: 'ann',
      action: 'case.created',
      subject: 'c',
      payload: { name: 'x' },
      prevHash: '0'.repeat(64),
    };
    const old = createHash('sha256')
      .update(
        e.prevHash +
          canonicalJson({
            caseId: e.caseId,
            seq: e.seq,
            time: e.time,
            actor: e.actor,
            action: e.action,
            subject: e.subject,
            payload: e.payload,
          }),
      )
      .digest('hex');
    expect(eventHash(e)).toBe(old);
    expect(eventHash({ ...e, examiner: null })).toBe(old);
    expect(eventHash({ ...e, examiner: 'Dr Ann Example' })).not.toBe(old);
  });

  it('the settings name goes into every later event beside the OS account, persists, and verifies', async () => {
    const dataDir = join(tmp.path, 'app');
    let app = composeApp({ dataDir, actor: 'ann' });
    const before = await callOrThrow(app.router, 'cases.create', { name: 'Before' });
    expect(await callOrThrow(app.router, 'settings.get', {})).toEqual({
      examiner: null,
      osAccount: 'ann',
      examinerSource: 'none',
    });
    await callOrThrow(app.router, 'settings.set', { examiner: '  Dr Ann Example ' });
    const c = await callOrThrow(app.router, 'cases.create', { name: 'After' });
    app.close();
    // A new process reads the stored name.
    app = composeApp({ dataDir, actor: 'ann' });
    try {
      expect((await callOrThrow(app.router, 'settings.get', {})).examiner).toBe('Dr Ann Example');
      await callOrThrow(app.router, 'cases.rename', { caseId: c.id, name: 'After 2' });
      const events = await callOrThrow(app.router, 'audit.list', { caseId: c.id, afterSeq: 0, limit: 200 });
      expect(events.map((e) => [e.actor, e.examiner])).toEqual([
        ['ann', 'Dr Ann Example'],
        ['ann', 'Dr Ann Example'],
      ]);
      expect(
        (await callOrThrow(app.router, 'audit.list', { caseId: before.id, afterSeq: 0, limit: 200 }))[0]!
          .examiner,
      ).toBeNull();
      expect(app.audit.verify(c.id, app.store).ok).toBe(true);
      expect(app.audit.verify(before.id, app.store).ok).toBe(true);
      await expect(callOrThrow(app.router, 'settings.set', { examiner: 'a\u0007b' })).rejects.toThrow(
        /control characters/,
      );
      const m = await app.reports.manifest(c.id);
      expect(m.examiner).toEqual({ name: 'Dr Ann Example', osAccount: 'ann' });
    } finally {
      app.close();
    }
  });

  it('a change of the name is an audit event in every open case: from, to, who; the same name again records nothing', async () => {
    const dataDir = join(tmp.path, 'change');
    const app = composeApp({ dataDir, actor: 'ann' });
    try {
      const one = await callOrThrow(app.router, 'cases.create', { name: 'One' });
      const two = await callOrThrow(app.router, 'cases.create', { name: 'Two' });
      const closed = await callOrThrow(app.router, 'cases.create', { name: 'Closed' });
      await callOrThrow(app.router, 'cases.close', { caseId: closed.id });
      const changes = async (caseId: string) =>
        (await callOrThrow(app.router, 'audit.list', { caseId, afterSeq: 0, limit: 200 }))
          .filter((e) => e.action === EXAMINER_CHANGED)
          .map((e) => ({ actor: e.actor, examiner: e.examiner, subject: e.subject, payload: e.payload }));

      await callOrThrow(app.router, 'settings.set', { examiner: 'Dr Ann Example' });
      await callOrThrow(app.router, 'settings.set', { examiner: 'Dr Ann Example' });
      await callOrThrow(app.router, 'settings.set', { examiner: 'Bo Second' });
      await callOrThrow(app.router, 'settings.set', { examiner: null });
      const expected = [
        { from: null, to: 'Dr Ann Example', examiner: 'Dr Ann Example' },
        { from: 'Dr Ann Example', to: 'Bo Second', examiner: 'Bo Second' },
        { from: 'Bo Second', to: null, examiner: null },
      ].map(({ from, to, examiner }) => ({
        actor: 'ann',
        examiner,
        subject: 'settings/examiner',
        payload: { from, to },
      }));
      expect(await changes(one.id)).toEqual(expected);
      expect(await changes(two.id)).toEqual(expected);
      // A closed case takes no new events; its later events (none) would not carry the name.
      expect(await changes(closed.id)).toEqual([]);
      for (const c of [one, two, closed]) expect(app.audit.verify(c.id, app.store).ok).toBe(true);
    } finally {
      app.close();
    }
  });

  it('facet --examiner and FACET_EXAMINER name the examiner of that command', async () => {
    const dataDir = join(tmp.path, 'cli');
    const lines: string[] = [];
    const out = (l: string) => lines.push(l);
    expect(
      await runCli(['--data-dir', dataDir, '--examiner', 'Bo Flag', 'cases', 'create', 'One'], {
        out,
        executor: null,
      }),
    ).toBe(0);
    expect(
      await runCli(['--data-dir', dataDir, 'cases', 'create', 'Two'], {
        out,
        executor: null,
        env: { FACET_EXAMINER: 'Cy Env' },
      }),
    ).toBe(0);
    expect(
      await runCli(['--data-dir', dataDir, '--examiner', '', 'cases', 'list'], { err: out, executor: null }),
    ).toBe(2);
    const app = composeApp({ dataDir, readOnly: true });
    try {
      const cases = await callOrThrow(app.router, 'cases.list', {});
      const examinerOf = async (name: string) =>
        (
          await callOrThrow(app.router, 'audit.list', {
            caseId: cases.find((x) => x.name === name)!.id,
            afterSeq: 0,
            limit: 200,
          })
        )[0]!.examiner;
      expect(await examinerOf('One')).toBe('Bo Flag');
      expect(await examinerOf('Two')).toBe('Cy Env');
    } finally {
      app.close();
    }
  });
});
