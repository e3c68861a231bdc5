/** The face-step calls at the router: bad point counts and missing models are refused with a clear message. */
import { afterEach, describe, expect, it } from 'vitest';
import { composeApp, type App } from '../../../src/main/compose';
import { tempDir } from '../../helpers/temp-dir';

describe('faces.detect / faces.align / comparisons.create', () => {
  const dirs: { remove(): void }[] = [];
  let app: App | undefined;
  afterEach(() => {
    app?.close();
    dirs.splice(0).forEach((d) => d.remove());
  });

  it('asks for 2 or 5 points, and names missing face models', async () => {
    const data = tempDir();
    dirs.push(data);
    app = composeApp({ dataDir: data.path });
    const three = [0, 1, 2].map((i) => ({ x: i, y: i }));
    const bad = await app.router('faces.align', { evidenceId: 'e', method: 'manual', points: three });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', message: /two eye centres/ } });
    const none = await app.router('faces.detect', { evidenceId: 'e' });
    expect(none).toMatchObject({ ok: false, error: { code: 'conflict', message: /face models/ } });
  });
});
