/**
 * The renderer's CSP meta tag, enforced by a real Chromium (the E2E harness): a typo in a directive would
 * silently disable it, which only a browser shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer, startHarness, type Harness } from '../../e2e/harness';
import { tempDir } from '../../helpers/temp-dir';

describe('CSP enforced in Chromium on the built renderer', () => {
  const dir = tempDir('facet-csp-');
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(dir.path, await buildRenderer());
  });
  afterAll(async () => {
    await harness?.close();
    dir.remove();
  });

  it('refuses inline scripts, eval, network fetches and remote images; the app itself runs', async () => {
    const result = await harness.page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
      const w = window as unknown as Record<string, unknown>;
      const inline = document.createElement('script');
      inline.textContent = 'window.__inlineRan = true';
      document.head.append(inline);
      // A string timer compiles in the page's own task (code run through DevTools may bypass the check).
      setTimeout('window.__evalRan = true' as unknown as () => void, 0);
      const fetched = await fetch(`${location.origin}/index.html`).then(
        () => 'loaded',
        () => 'blocked',
      );
      const image = await new Promise<string>((resolve) => {
        const img = new Image();
        img.onload = () => resolve('loaded');
        img.onerror = () => resolve('blocked');
        img.src = 'http://127.0.0.1:9/x.png';
      });
      await new Promise((r) => setTimeout(r, 100));
      return {
        inline: w.__inlineRan === true ? 'ran' : 'blocked',
        evalResult: w.__evalRan === true ? 'ran' : 'blocked',
        fetched,
        image,
        violations: [...new Set(violations)].sort(),
        appRendered: document.getElementById('root')!.childElementCount > 0,
      };
    });
    expect(result).toEqual({
      inline: 'blocked',
      evalResult: 'blocked',
      fetched: 'blocked',
      image: 'blocked',
      violations: ['connect-src', 'img-src', 'script-src-elem', 'script-src'].sort(),
      appRendered: true,
    });
  });
});
