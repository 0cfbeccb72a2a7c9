// The cluster section: every node as /engines/nodes lists it (one row when the server runs
// alone), then this node's own facts.

import { getJson } from './api.js';
import { state, changes, refreshMetrics } from './store.js';
import { $, h, bytes, showError } from './ui.js';

let disk = null;
let nodes = [];
let ticker = null;

export function init() {
  for (const name of ['loaded', 'metrics', 'authorized']) {
    changes.addEventListener(name, render);
  }
}

export async function show() {
  render();
  await refresh();
  ticker = setInterval(refresh, 10000);
}

export function hide() {
  clearInterval(ticker);
}

async function refresh() {
  try {
    disk = await getJson('engines/df');
    nodes = await getJson('engines/nodes');
    await refreshMetrics();
    showError($('#cluster-error'), null);
  } catch (error) {
    showError($('#cluster-error'), error);
  }
  render();
}

function render() {
  if ($('#view-cluster').hidden) {
    return;
  }
  const resident = /^modelrunner_process_resident_bytes(?:\{[^}]*\})? (\d+)$/m.exec(state.metrics || '');
  const used = state.loaded.reduce((sum, runner) => sum + runner.memory, 0);
  const node = state.loaded.find((runner) => runner.node)?.node;
  const facts = [
    ['Address', location.host],
    ['Node', node || 'this node (its name shows once a model is loaded)'],
    ['Engine', state.engine || '—'],
    ['Version', state.version || '—'],
    ['Loaded models', String(state.loaded.length)],
    ['Memory of loaded models', state.memoryBudget ? `${bytes(used)} of ${bytes(state.memoryBudget)} budget` : bytes(used)],
    ['Server process memory', resident ? bytes(Number(resident[1])) : '—'],
    ['Models on disk', disk ? bytes(disk.models_disk_usage) : '—'],
    ['Incomplete downloads', disk ? bytes(disk.incomplete_disk_usage) : '—'],
    ['llama.cpp build on disk', disk ? bytes(disk.default_backend_disk_usage) : '—'],
  ];
  const unknown = (value, format) => (value === null || value === undefined ? '?' : format(value));
  $('#cluster-nodes tbody').replaceChildren(...nodes.map((node) => h('tr', {},
    h('td', {}, (node.self ? '● ' : '') + (node.url || node.name)),
    h('td', {}, node.address),
    h('td', {}, node.status),
    h('td', {}, unknown(node.loaded_models, (models) => models.join(', ') || '—')),
    h('td', {}, unknown(node.memory_free_bytes, bytes)),
    h('td', {}, unknown(node.memory_total_bytes, bytes)))));
  $('#node-facts').replaceChildren(...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}
