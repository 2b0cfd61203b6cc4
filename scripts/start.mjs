#!/usr/bin/env node
// `npm start`: builds what is missing (web UI, native SM2 addon), then runs the platform.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDist = path.join(root, 'packages/web/dist/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

const webSrc = path.join(root, 'packages/web/src');
if (!fs.existsSync(webDist) || (fs.existsSync(webSrc) && newestMtime(webSrc) > fs.statSync(webDist).mtimeMs)) {
  console.log('Building the web UI (first start or changed sources)…');
  const r = spawnSync('npm', ['run', 'build', '-w', '@mianzheng/web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const nativeBuild = path.join(root, 'packages/crypto/scripts/build-native.mjs');
if (fs.existsSync(nativeBuild)) spawnSync(process.execPath, [nativeBuild], { cwd: root, stdio: 'inherit' });

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'packages/server/src/server.ts'), ...process.argv.slice(2)], { cwd: process.cwd(), stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
