// Data the screens share: fetched when online and kept in the encrypted store (store.js),
// recalled from there when offline. Only reads: a change always needs the network.

import { api, OfflineError } from './api.js';
import { cached, remember } from './store.js';

/** Fetches (or, offline, recalls) a value and whether it came from the cache. */
export async function fresh(name, path, fallback = []) {
  try {
    const value = await api('GET', path);
    await remember(name, value);
    return { value, stale: false };
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
    return { value: (await cached(name)) ?? fallback, stale: true };
  }
}

/** Every client of the team, closed ones too: Turven, Opvolging and Cliënten filter it. */
export const teamClients = () => fresh('clients', '/clients');

/** Clients still in care (own caseload or regular care): who can be tallied or reminded of. */
export const inCare = (clients) => clients.filter((c) => c.caseload_status !== 'closed');
