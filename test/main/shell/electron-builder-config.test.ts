import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const SCHEMA = JSON.parse(
  readFileSync(resolve(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
) as object;

type Config = Record<string, unknown> & {
  linux: { target: string[]; files: string[] };
  win: { target: string[] };
  mac: { target: string[] };
  nsis: { license: string };
  asarUnpack: string[];
  extraResources: Array<{ from: string; to: string }>;
  electronFuses: Record<string, boolean>;
};

function loadConfig(): Config {
  return yaml.load(readFileSync(resolve(ROOT, 'electron-builder.yml'), 'utf8')) as Config;
}

// Compiled once: the schema is large (about 2 s to compile).
const check = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);

/** Validates like electron-builder does (app-builder-lib's schemaValidator), without type coercion. */
function validate(config: unknown): string[] {
  return check(config) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('electron-builder.yml', () => {
  it('matches electron-builder’s schema', () => {
    expect(validate(loadConfig())).toEqual([]);
  });

  it('is checked for real: the schema rejects an unknown option and a wrong type', () => {
    expect(validate({ ...loadConfig(), notAnOption: true }).length).toBeGreaterThan(0);
    expect(validate({ ...loadConfig(), asar: 'yes please' }).length).toBeGreaterThan(0);
  });

  it('builds AppImage + deb, NSIS and DMG', () => {
    const c = loadConfig();
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.win.target).toEqual(['nsis']);
    expect(c.mac.target).toEqual(['dmg']);
    expect(c.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
  });

  it('unpacks every native module from the asar and ships the models outside it', () => {
    const c = loadConfig();
    for (const m of ['better-sqlite3', 'onnxruntime-node', 'sharp', '@img']) {
      expect(c.asarUnpack).toContain(`**/node_modules/${m}/**`);
    }
    expect(c.asarUnpack).toContain('**/*.node');
    expect(c.extraResources).toContainEqual(expect.objectContaining({ from: 'models', to: 'models' }));
  });

  it('points at files that exist: icon and licence notes naming the non-commercial model terms', () => {
    const c = loadConfig();
    expect(existsSync(resolve(ROOT, c.icon as string))).toBe(true);
    const notes = resolve(ROOT, c.nsis.license);
    expect(existsSync(notes)).toBe(true);
    expect(c.extraResources).toContainEqual({ from: c.nsis.license, to: 'LICENCE-NOTES.txt' });
    const text = readFileSync(notes, 'utf8');
    expect(text).toMatch(/non-commercial/i);
    expect(text).toMatch(/UTKFace/);
    expect(text).toMatch(/CelebA/);
  });

  it('turns off the fuses that let the shipped app run as plain Node', () => {
    const f = loadConfig().electronFuses;
    expect(f).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
    expect(loadConfig().publish).toBeNull();
  });
});
