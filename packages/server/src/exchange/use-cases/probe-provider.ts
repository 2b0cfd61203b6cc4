import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { exchangeOf } from '../adapters/exchange-infra.ts';
import type { ProbeResult } from '../domain/exchange-client.ts';

/** Checks that the node answers its health endpoint as the node the directory expects. */
export async function probeProvider(id: string, deps: Deps): Promise<ProbeResult> {
  const { providers } = await exchangeOf(deps).directory.get();
  const p = providers.find((x) => x.id === id);
  if (!p) throw new AppError('EXCHANGE.PROVIDER_NOT_FOUND', { field: 'id' });
  return exchangeOf(deps).client.probe({ providerId: p.id, endpoint: p.endpoint, requestSuite: p.requestSuite, keys: p.keys, resilience: p.resilience });
}
