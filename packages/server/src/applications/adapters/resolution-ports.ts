import type { Deps } from '../../shared/deps.ts';
import type { ResolutionPorts } from '../ports/resolvers.ts';
import { KeystoreOnlineIssuer } from './online-issuer.ts';
import { ExchangeResolver } from './exchange-resolver.ts';
import { LicensesContextResolver } from './licenses-resolver.ts';

const cache = new WeakMap<Deps, ResolutionPorts>();

/**
 * The adapters behind the engine's ports for one platform instance: e-licenses through
 * the licenses context, data sharing through the exchange context (provider nodes). When
 * either answers unavailable / missing, the engine offers the next method and says why.
 */
export function resolutionPorts(deps: Deps): ResolutionPorts {
  let ports = cache.get(deps);
  if (!ports) {
    ports = { licenses: new LicensesContextResolver(deps), dataSharing: new ExchangeResolver(deps), onlineIssuer: new KeystoreOnlineIssuer(deps.keys, deps.now) };
    cache.set(deps, ports);
  }
  return ports;
}

/** Tests and the benchmark replace adapters (e.g. a provider node on loopback). */
export function setResolutionPorts(deps: Deps, ports: Partial<ResolutionPorts>): void {
  cache.set(deps, { ...resolutionPorts(deps), ...ports });
}
