/**
 * The node's own signing key: a JSON file next to the configuration, readable by the
 * node's user only, created on first start. Its public half is what the platform's
 * directory registers for this node.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { bytesToHex, getSuite, hexToBytes } from '@mianzheng/crypto';
import type { Suite } from '../protocol/canonical.ts';
import { NodeConfigError } from './config.ts';

export interface NodeKey { keyId: string; suite: Suite; privateKey: Uint8Array; publicKey: string }

interface KeyFile { keyId: string; suite: Suite; privateKey: string; publicKey: string; createdAt: string }

/**
 * A key file must be the node user's alone, as the node creates it (mode 600): one that the
 * group or others may read is refused, the way ssh refuses such a private key.
 */
function assertPrivate(file: string, setting: string): void {
  if (process.platform === 'win32') return;
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) throw new NodeConfigError([`${setting} ${file} may be read by others (mode ${mode.toString(8).padStart(3, '0')}): chmod 600 ${file}`]);
}

export function loadOrCreateNodeKey(file: string, nodeId: string, suite: Suite): { key: NodeKey; created: boolean } {
  if (fs.existsSync(file)) {
    assertPrivate(file, 'signing.keyFile');
    const k = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
    if (k.suite !== suite) throw new Error(`key file ${file} holds a ${k.suite} key but signing.suite is ${suite}; move the file away to create a new key`);
    return { key: { keyId: k.keyId, suite: k.suite, privateKey: hexToBytes(k.privateKey), publicKey: k.publicKey }, created: false };
  }
  const pair = getSuite(suite).generateKeyPair();
  const keyId = `${nodeId}#${suite === 'SM2-SM3' ? 'sm2' : 'ed25519'}-${randomBytes(6).toString('hex')}`;
  const content: KeyFile = { keyId, suite, privateKey: bytesToHex(pair.privateKey), publicKey: bytesToHex(pair.publicKey), createdAt: new Date().toISOString() };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { key: { keyId, suite, privateKey: pair.privateKey, publicKey: content.publicKey }, created: true };
}

/**
 * The key of the trail's parameter digests (HMAC-SM3): 32 random bytes in a file of its own
 * (mode 600, created on first start), so rotating the signing key leaves old trail entries
 * findable. It never leaves the node; whoever holds it can recompute a digest to find the
 * queries about a given person (`mianzheng provider trail-find`).
 */
export function loadOrCreateParamsKey(file: string): Buffer {
  if (fs.existsSync(file)) {
    assertPrivate(file, 'trail.paramsKeyFile');
    const hex = fs.readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`parameter key file ${file} does not hold 32 bytes of lowercase hex`);
    return Buffer.from(hex, 'hex');
  }
  const key = randomBytes(32);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
