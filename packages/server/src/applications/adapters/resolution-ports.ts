import type { Deps } from '../../shared/deps.ts';
import type { ResolutionPorts } from '../ports/resolvers.ts';
import { KeystoreOnlineIssuer } from './online-issuer.ts';
import { unavailableDataSharing, unavailableLicenses } from './unavailable-resolvers.ts';

const cache = new WeakMap<Deps, ResolutionPorts>();

/**
 * The adapters behind the engine's ports for one platform instance. Licenses and data
 * sharing answer `unavailable` until their contexts are wired here (the engine then
 * offers the next method the catalog allows and says why).
 */
export function resolutionPorts(deps: Deps): ResolutionPorts {
  let ports = cache.get(deps);
  if (!ports) {
    ports = { licenses: unavailableLicenses, dataSharing: unavailableDataSharing, onlineIssuer: new KeystoreOnlineIssuer(deps.keys, deps.now) };
    cache.set(deps, ports);
  }
  return ports;
}

/** Tests and the benchmark replace adapters (e.g. a provider node on loopback). */
export function setResolutionPorts(deps: Deps, ports: Partial<ResolutionPorts>): void {
  cache.set(deps, { ...resolutionPorts(deps), ...ports });
}
