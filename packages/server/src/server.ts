import { loadConfig, ConfigError } from './config.ts';
import { startPlatform } from './platform.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './seed/demo-accounts.ts';
import { sampleProviderLines, startSampleProviders } from './exchange/adapters/sample-nodes.ts';

/** Starts one instance and listens; all wiring is in startPlatform/buildApp. */
async function main(): Promise<void> {
  const started = Date.now();
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`配置错误 Configuration error: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const { app, database, config: cfg } = await startPlatform(config);
  let samples: Awaited<ReturnType<typeof startSampleProviders>> | undefined;
  const close = async () => {
    await samples?.close();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ host: cfg.host, port: cfg.port });
  // The platform answers from here on; the sample provider nodes (stand-ins for other
  // departments' services) come up next, and queries before they do end as `unavailable`.
  samples = cfg.sampleProviders
    ? await startSampleProviders(app.deps, { dataDir: cfg.dataDir, basePort: cfg.providerBasePort, host: '127.0.0.1', log: (line) => console.error(line) })
    : undefined;
  const url = `http://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${(app.server.address() as { port: number }).port}`;
  const lines = [
    '',
    `免证 Mianzheng is running at ${url}  (database: ${database.kind}${cfg.embedded ? `, data in ${cfg.dataDir}` : ''}; ready in ${Date.now() - started} ms)`,
    `  API docs: ${url}/api/docs    OpenAPI: ${url}/api/openapi.json`,
  ];
  if (cfg.embedded && cfg.seedDemo) {
    lines.push(`  Demo accounts (password ${DEMO_PASSWORD}):`);
    for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.username.padEnd(13)} ${a.roles.join(',').padEnd(14)} ${a.description}`);
  }
  if (samples) lines.push(...sampleProviderLines(samples));
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
