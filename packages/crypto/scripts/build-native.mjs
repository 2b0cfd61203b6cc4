#!/usr/bin/env node
// Builds the optional SM2 addon (packages/crypto/native) with node-gyp against the
// headers of the running Node, then checks that it links (RTLD_NOW) and passes the
// GB/T 32918 example. Never fails: on any problem it prints a warning, removes a
// half-built binary and exits 0, and @mianzheng/crypto uses its pure TypeScript SM2.
//
//   node packages/crypto/scripts/build-native.mjs [--force]
//   MIANZHENG_SKIP_NATIVE=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = fileURLToPath(new URL('../native/', import.meta.url));
const binary = join(nativeDir, 'build', 'Release', 'mz_sm2.node');
const stampFile = join(nativeDir, 'build', 'mz_sm2.stamp');
const sources = [join(nativeDir, 'binding.gyp'), join(nativeDir, 'src', 'mz_sm2.c')];
const stamp = `${process.execPath} ${process.version} ${process.versions.openssl}`;
const log = (message) => console.log(`[crypto] ${message}`);
const warn = (message) => console.warn(`[crypto] WARNING: ${message} — SM2 will use the pure TypeScript implementation.`);

function upToDate() {
  if (!existsSync(binary) || !existsSync(stampFile)) return false;
  if (readFileSync(stampFile, 'utf8') !== stamp) return false;
  const built = statSync(binary).mtimeMs;
  return sources.every((file) => statSync(file).mtimeMs <= built);
}

function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed as a package; fine
  }
  const found = candidates.find((file) => file && existsSync(file));
  return found ? [process.execPath, found] : ['node-gyp'];
}

/** Node's own headers (include/node with openssl/) next to the running binary, if installed. */
function findNodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

function selfTest() {
  const module = { exports: {} };
  process.dlopen(module, binary, constants.dlopen.RTLD_NOW);
  const hex = (s) => new Uint8Array(Buffer.from(s, 'hex'));
  const pub = hex('0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13');
  const sig = hex('f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa');
  const msg = new TextEncoder().encode('message digest');
  const id = new TextEncoder().encode('1234567812345678');
  if (!module.exports.verify(pub, msg, sig, id)) throw new Error('GB/T 32918 example does not verify');
  return module.exports.opensslVersion;
}

function main() {
  if (process.env.MIANZHENG_SKIP_NATIVE === '1') {
    warn('MIANZHENG_SKIP_NATIVE=1, native SM2 addon not built');
    return;
  }
  if (!process.argv.includes('--force') && upToDate()) {
    log(`native SM2 addon up to date (${binary})`);
    return;
  }
  const nodeDir = findNodeDir();
  if (nodeDir && !existsSync(join(nodeDir, 'include', 'node', 'openssl', 'evp.h'))) {
    warn(`no OpenSSL headers under ${join(nodeDir, 'include', 'node')}`);
    return;
  }
  const [command, ...prefixArgs] = findNodeGyp();
  const args = [...prefixArgs, 'rebuild', ...(nodeDir ? [`--nodedir=${nodeDir}`] : [])];
  log(`building native SM2 addon: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: nativeDir, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    warn(`node-gyp failed (${result.error?.message ?? `exit ${result.status}`})\n${output}`);
    rmSync(binary, { force: true });
    return;
  }
  try {
    const version = selfTest();
    writeFileSync(stampFile, stamp);
    log(`native SM2 addon built and verified against ${version}`);
  } catch (error) {
    rmSync(binary, { force: true });
    warn(`the built addon is unusable: ${error instanceof Error ? error.message : String(error)}`);
  }
}

try {
  main();
} catch (error) {
  warn(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}
process.exitCode = 0;
