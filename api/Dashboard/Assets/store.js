// The live state the views share: models in the store, loaded models, the node's metrics.
// Each change is announced as an event of the same name on `changes`.

import { getJson, getText } from './api.js';

export const state = {
  models: [],
  loaded: [],
  memoryBudget: null,
  metrics: '',
  engine: '',
  version: '',
  authorized: true,
  current: null,
};
export const changes = new EventTarget();

export function announce(name) {
  changes.dispatchEvent(new Event(name));
}

export async function refreshModels() {
  state.models = await getJson('models');
  announce('models');
}

export async function refreshLoaded() {
  state.loaded = await getJson('engines/ps');
  announce('loaded');
}

export async function refreshMetrics() {
  state.metrics = await getText('metrics');
  const budget = /^modelrunner_memory_budget_bytes(?:\{[^}]*\})? (\d+)$/m.exec(state.metrics);
  state.memoryBudget = budget ? Number(budget[1]) : null;
  announce('metrics');
}

