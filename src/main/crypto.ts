/**
 * The main side's hashing and randomness, in one place below the services, the stores and inference: SHA-256 of
 * bytes (files, canonical JSON) and the one function that draws run seeds (C5). Image hashes (8-bit pixels, float32
 * tensors) are in imaging/encode.ts and build on sha256Hex.
 */
import { createHash, randomBytes } from 'node:crypto';
import { seedFromBytes } from '../core/sampling/noise';

/** SHA-256 of bytes (a file's content) or of a UTF-8 string, as 64 lowercase hex digits. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A fresh 64-bit run seed from the OS's cryptographic generator, as a decimal string (C5). Every caller draws here. */
export function randomSeed(): string {
  return seedFromBytes(randomBytes(8)).toString();
}
