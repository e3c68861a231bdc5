import { describe, expect, it, vi } from 'vitest';
import { createRouter, type Handlers } from '../../../src/main/api/router';
import { calls } from '../../../src/shared/contract';
import { FacetError } from '../../../src/shared/errors';

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const unused = Object.fromEntries(
    Object.keys(calls).map((k) => [
      k,
      () => {
        throw new Error(`unused in this test: ${k}`);
      },
    ]),
  ) as unknown as Handlers;
  return {
    ...unused,
    'cases.list': () => [],
    'cases.create': (input) => ({
      id: 'id-1',
      name: input.name,
      createdAt: '2026-01-01T00:00:00.000Z',
      status: 'open',
    }),
    ...overrides,
  };
}

describe('router', () => {
  it('rejects an unknown channel before any handler runs', async () => {
    const spy = vi.fn();
    const r = createRouter(handlers({ 'cases.list': spy }));
    expect(await r('cases.drop', {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(await r('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(spy).not.toHaveBeenCalled();
  });

  it.each([
    [{ name: '' }, /name is required/],
    [{ name: '   ' }, /name is required/],
    [{ name: 'x'.repeat(201) }, /at most 200/],
    [{ name: 'a\u0000b' }, /control characters/],
    [{ name: 42 }, /name/],
    [{ name: 'ok', extra: true }, /extra/],
    ['not an object', /Invalid input/],
  ])('rejects malformed cases.create input %j', async (input, message) => {
    const spy = vi.fn();
    const r = createRouter(handlers({ 'cases.create': spy }));
    const res = await r('cases.create', input);
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('invalid-input');
      expect(res.error.message).toMatch(message);
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('passes the validated (trimmed) input to the handler', async () => {
    const r = createRouter(handlers());
    const res = await r('cases.create', { name: '  Case A  ' });
    expect(res).toMatchObject({ ok: true, value: { name: 'Case A' } });
  });

  it('keeps the code of a FacetError and hides nothing of an internal one', async () => {
    const onInternal = vi.fn();
    const r = createRouter(
      handlers({
        'cases.list': () => {
          throw new FacetError('not-found', 'No such case.');
        },
        'cases.create': () => {
          throw new TypeError('boom');
        },
      }),
      onInternal,
    );
    expect(await r('cases.list', {})).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No such case.' },
    });
    expect(await r('cases.create', { name: 'x' })).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(onInternal).toHaveBeenCalledOnce();
  });

  it('has a schema for every channel', () => {
    for (const [name, spec] of Object.entries(calls)) {
      expect(spec.input, name).toBeDefined();
      expect(spec.output, name).toBeDefined();
    }
  });
});
