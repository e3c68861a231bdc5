/**
 * The installation's Ed25519 key pair that signs audit heads (C6). One pair per data folder, in `<dataDir>/keys/`:
 * `<name>.pub` (the raw 32-byte public key, base64) and the private key as PKCS#8 PEM, either in `<name>.key`
 * (mode 0600: readable by the user only) or, where a `SecretBox` is given (the Electron shell's safeStorage),
 * sealed with it in `<name>.key.sealed`. Plain Node (CLI, tests) cannot open a sealed key, so it keeps its own
 * plain pair; both are this installation's keys (`localPublicKeys`).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../crypto';

/** Encrypts secrets at rest with an OS facility (Electron's safeStorage); absent in plain Node. */
export interface SecretBox {
  /** Recorded in the file name's owner (`app`), for people. */
  readonly name: string;
  isAvailable(): boolean;
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
}

/** A public key as reports and verifiers show it. */
export interface PublicKeyInfo {
  /** The raw 32-byte Ed25519 public key, base64. */
  readonly publicKey: string;
  /** SHA-256 of the raw public key, 64 hex digits. */
  readonly fingerprint: string;
}

/** The signing half, held in memory only by the process that appends. */
export interface AuditSigner extends PublicKeyInfo {
  /** Ed25519 signature of the message, base64 (64 bytes). */
  sign(message: Buffer): string;
}

export const KEYS_DIR = 'keys';

/** SHA-256 of the raw public key bytes, hex. */
export function keyFingerprint(publicKeyB64: string): string {
  return sha256Hex(Buffer.from(publicKeyB64, 'base64'));
}

/** The raw 32-byte public key of an Ed25519 key object, base64. */
function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url').toString('base64');
}

/** A KeyObject for a raw Ed25519 public key (base64); throws on anything else. */
export function publicKeyObject(publicKeyB64: string): KeyObject {
  const raw = Buffer.from(publicKeyB64, 'base64');
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

/**
 * Loads this installation's key pair from `<dataDir>/keys`, creating it on first use. With a SecretBox that is
 * available the private key is sealed with it; otherwise it is a PEM file only the user can read (0600).
 */
export function loadOrCreateSigner(dataDir: string, box?: SecretBox | null): AuditSigner {
  const sealed = box?.isAvailable() === true;
  const dir = join(dataDir, KEYS_DIR);
  const name = sealed ? `audit-${box.name}` : 'audit-local';
  const pubFile = join(dir, `${name}.pub`);
  const keyFile = join(dir, sealed ? `${name}.key.sealed` : `${name}.key`);
  let privateKey: KeyObject;
  if (existsSync(keyFile)) {
    const bytes = readFileSync(keyFile);
    privateKey = createPrivateKey(sealed ? box.decrypt(bytes) : bytes);
  } else {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pair = generateKeyPairSync('ed25519');
    privateKey = pair.privateKey;
    const pem = Buffer.from(pair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    // Written under a temporary name with 0600 from the start, then renamed: never readable by others.
    const tmp = `${keyFile}.tmp-${process.pid}`;
    writeFileSync(tmp, sealed ? box.encrypt(pem) : pem, { mode: 0o600, flag: 'wx' });
    chmodSync(tmp, 0o600);
    writeFileSync(pubFile, `${rawPublicKey(pair.publicKey)}\n`, { mode: 0o644 });
    renameSync(tmp, keyFile);
  }
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  return {
    publicKey,
    fingerprint: keyFingerprint(publicKey),
    sign: (message) => sign(null, message, privateKey).toString('base64'),
  };
}

/** The public keys of this installation (every `keys/*.pub`), read only; none before the first signature. */
export function localPublicKeys(dataDir: string): PublicKeyInfo[] {
  const dir = join(dataDir, KEYS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pub'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8').trim())
    .filter((k) => Buffer.from(k, 'base64').length === 32)
    .map((publicKey) => ({ publicKey, fingerprint: keyFingerprint(publicKey) }));
}

/** Loads the signer on first use only, so that a process that never appends never creates a key. */
export function lazySigner(load: () => AuditSigner): () => AuditSigner {
  let signer: AuditSigner | null = null;
  return () => (signer ??= load());
}
