// The provider types the hub accepts, from GET /api/ai-providers/types (the Java enum ProviderType is the one
// source): {id, label, credentialKind, keyOptional, needsRegion, defaultBaseUrl}, in the hub's order.
import { api } from '../hub.js';

let loading = null;
let loaded = [];

/** The types, fetched once per page; a failed fetch is tried again on the next call. */
export function providerTypes() {
  loading ??= api('/api/ai-providers/types').then(answer => {
    loaded = answer.types;
    return loaded;
  }, e => {
    loading = null;
    throw e;
  });
  return loading;
}

/** One type by id, once providerTypes() has answered; an unknown id stands for itself. */
export function providerType(id) {
  return loaded.find(t => t.id === id) || { id, label: id, credentialKind: 'api_key' };
}
