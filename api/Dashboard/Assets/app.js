// The dashboard's entry point: views by URL hash, the API key prompt, and the shared live state
// (models in the store, loaded models, the request log) that the views draw from. Polling only
// reads routes that never load a model (/models, /engines/ps, /metrics …).

import { apiKey, getJson, onUnauthorized, setApiKey, ApiError } from './api.js';
import { state, announce, refreshLoaded, refreshMetrics, refreshModels } from './store.js';
import { $, showError } from './ui.js';
import * as models from './models.js';
import * as loaded from './loaded.js';
import * as requests from './requests.js';
import * as charts from './charts.js';
import * as chat from './chat.js';
import * as settings from './settings.js';
import * as cluster from './cluster.js';

const views = { models, loaded, requests, charts, chat, settings, cluster };

/** Runs task now and every `ms` while the page is visible and the API answers; errors go to report. */
function every(ms, task, report) {
  const run = async () => {
    if (document.visibilityState === 'visible' && state.authorized) {
      try {
        await task();
        report?.(null);
      } catch (error) {
        if (error.status !== 401) {
          report?.(error);
        }
      }
    }
    setTimeout(run, ms);
  };
  run();
}

function route() {
  const name = location.hash.replace(/^#/, '').split('/')[0];
  const view = views[name] ? name : 'models';
  const changed = state.current !== view;
  state.current = view;
  for (const link of document.querySelectorAll('.tabs a')) {
    if (link.dataset.view === view) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  for (const [key, module] of Object.entries(views)) {
    const section = $(`#view-${key}`);
    const visible = key === view;
    if (section.hidden === visible) {
      section.hidden = !visible;
      (visible ? module.show : module.hide)?.();
    }
  }
  document.title = `${$(`.tabs a[data-view="${view}"]`).textContent} · ModelRunner`;
  return changed;
}

function showLogin(message) {
  state.authorized = false;
  document.body.classList.add('locked');
  $('#login').hidden = false;
  showError($('#login-reason'), apiKey() ? `The key was refused: ${message}` : message);
  $('#key-button').hidden = true;
  $('#engine').textContent = 'Locked: an API key is required.';
  $('#login-key').focus();
}

async function signIn(event) {
  event.preventDefault();
  setApiKey($('#login-key').value.trim());
  try {
    await start();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) {
      showError($('#login-reason'), error);
    }
  }
}

/** Checks the server (and the key) and loads everything once; the polls keep it fresh from then on. */
async function start() {
  const status = await getJson('engines/status');
  state.authorized = true;
  $('#login').hidden = true;
  document.body.classList.remove('locked');
  $('#login-key').value = '';
  $('#key-button').hidden = !apiKey();
  state.engine = status['llama.cpp'] || Object.values(status)[0] || '';
  try {
    state.version = (await getJson('version')).version;
  } catch {
    state.version = '';
  }
  $('#engine').textContent = `${state.engine}${state.version ? ` · ModelRunner ${state.version}` : ''}`;
  await Promise.allSettled([refreshModels(), refreshLoaded(), refreshMetrics()]);
  requests.connect();
  announce('authorized');
}

function init() {
  onUnauthorized(showLogin);
  $('#login-form').addEventListener('submit', signIn);
  $('#key-button').addEventListener('click', () => {
    setApiKey('');
    requests.disconnect();
    showLogin('Signed out. Enter the API key to continue.');
  });
  $('#key-button').textContent = 'Sign out';

  for (const [, module] of Object.entries(views)) {
    module.init?.();
  }
  // The links change the view themselves: a fragment navigation would move focus to the page's
  // top, and keyboard and screen-reader users should land on the new view's heading instead.
  for (const link of document.querySelectorAll('.tabs a')) {
    link.addEventListener('click', (event) => {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      history.pushState(null, '', link.getAttribute('href'));
      if (route()) {
        $(`#view-${state.current} h2`)?.focus();
      }
    });
  }
  window.addEventListener('hashchange', () => route());
  window.addEventListener('popstate', () => route());
  route();

  start().catch((error) => {
    if (error.status !== 401) {
      $('#engine').textContent = `The server did not answer: ${error.text || error.message}`;
    }
  }).finally(() => {
    // Cheap reads only: none of them loads a model or keeps one loaded.
    every(2000, refreshLoaded, (error) => showError($('#loaded-error'), error));
    every(10000, refreshModels, (error) => showError($('#models-error'), error));
    every(10000, refreshMetrics);
  });
}

init();
