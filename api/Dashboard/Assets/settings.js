// A model's settings (`configure`): context size, keep-alive and runtime flags, read from and
// saved through /engines/_configure, so the server's own validation and 409-when-busy apply and
// its error text is shown as it is.

import { call, getJson } from './api.js';
import { state, changes } from './store.js';
import { $, h, showError } from './ui.js';

export function init() {
  changes.addEventListener('models', modelOptions);
  $('#settings-model').addEventListener('change', load);
  $('#settings-form').addEventListener('submit', save);
}

export function show() {
  modelOptions();
  // A model chosen with its Settings button in the models list is used once.
  state.selectedModel = null;
  load();
}

function modelOptions() {
  const select = $('#settings-model');
  const chosen = (state.current === 'settings' && state.selectedModel) || select.value;
  const names = state.models.flatMap((model) => model.tags || []);
  select.replaceChildren(...names.map((name) => h('option', { value: name }, name)));
  if (names.includes(chosen)) {
    select.value = chosen;
  }
}

async function load() {
  const model = $('#settings-model').value;
  $('#settings-result').textContent = '';
  showError($('#settings-error'), null);
  if (!model) {
    return;
  }
  try {
    const settings = await getJson(`engines/_configure?model=${encodeURIComponent(model)}`);
    if ($('#settings-model').value !== model) {
      return;
    }
    $('#settings-context').value = settings['context-size'] ?? '';
    $('#settings-keep-alive').value = settings.keep_alive ?? '';
    $('#settings-flags').value = (settings['runtime-flags'] || []).join(' ');
  } catch (error) {
    showError($('#settings-error'), error);
  }
}

async function save(event) {
  event.preventDefault();
  const model = $('#settings-model').value;
  const body = { model, 'runtime-flags': $('#settings-flags').value.split(/\s+/).filter(Boolean) };
  const context = $('#settings-context').value.trim();
  if (context !== '') {
    // Sent as typed when it is not a number, so the server names the problem itself.
    body['context-size'] = /^-?\d+$/.test(context) ? Number(context) : context;
  }
  const keepAlive = $('#settings-keep-alive').value.trim();
  if (keepAlive !== '') {
    body.keep_alive = keepAlive;
  }
  $('#settings-result').textContent = 'Saving…';
  showError($('#settings-error'), null);
  try {
    await call('engines/_configure', { json: body });
    $('#settings-result').textContent = `Saved for ${model}.`;
  } catch (error) {
    $('#settings-result').textContent = '';
    showError($('#settings-error'), error);
  }
}
