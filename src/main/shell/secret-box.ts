/**
 * Electron's safeStorage as the SecretBox that seals the audit signing key at rest (OS keychain / DPAPI / libsecret).
 * Only the shell imports Electron; services and the CLI see the interface, and plain Node uses a 0600 file instead.
 */
import type { SecretBox } from '../signing/audit-key';

/** The part of Electron's `safeStorage` used here (injectable for tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

/** A SecretBox over safeStorage; the PEM key is text, so the string API carries it unchanged. */
export function safeStorageBox(safeStorage: SafeStorageLike): SecretBox {
  return {
    name: 'app',
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    encrypt: (plain) => safeStorage.encryptString(plain.toString('utf8')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'utf8'),
  };
}
