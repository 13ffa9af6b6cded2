// Secrets at rest: bot tokens are stored encrypted with AES-256-GCM under KEPT_ENCRYPTION_KEY. Each
// row names the key that encrypted it (a short hash of the key, never the key), so during a key
// rotation rows under the old key (KEPT_ENCRYPTION_KEY_OLD) still read while `rotate-key` moves them.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface Keyring {
  /** The key new ciphertexts are made with. */
  currentId: string;
  keys: Map<string, Buffer>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function keyId(key: Buffer): string {
  return createHash('sha256').update('kept-key-id:').update(key).digest('hex').slice(0, 12);
}

export function keyring(current: Buffer, ...older: Buffer[]): Keyring {
  for (const k of [current, ...older]) if (k.length !== 32) throw new Error('an encryption key must be 32 bytes');
  const keys = new Map<string, Buffer>();
  for (const k of [current, ...older]) keys.set(keyId(k), k);
  return { currentId: keyId(current), keys };
}

export function encryptSecret(ring: Keyring, plaintext: string): { ciphertext: string; keyId: string } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.keys.get(ring.currentId)!, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'), keyId: ring.currentId };
}

export function decryptSecret(ring: Keyring, sealed: { ciphertext: string; keyId: string }): string {
  const key = ring.keys.get(sealed.keyId);
  if (!key) throw new Error(`a stored token is encrypted under key ${sealed.keyId}, which is neither KEPT_ENCRYPTION_KEY nor KEPT_ENCRYPTION_KEY_OLD`);
  const raw = Buffer.from(sealed.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}
