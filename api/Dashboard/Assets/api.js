// Calls to this server's own API. The page is served at /dashboard/ (its <base>), so the API root
// is the folder above it, under whatever path base the server has.

export const apiRoot = new URL('..', document.baseURI);

const keyStorage = 'modelrunner.api-key';

/** An API answer that was not a success, with the API's own words. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }

  /** "409: model … is serving requests" — the status and the server's message. */
  get text() {
    return this.status ? `${this.status}: ${this.message}` : this.message;
  }
}

const unauthorizedListeners = new Set();

/** Calls listener(message) whenever the server refuses a call for want of a valid key. */
export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
}

export function apiKey() {
  return sessionStorage.getItem(keyStorage) || '';
}

export function setApiKey(key) {
  if (key) {
    sessionStorage.setItem(keyStorage, key);
  } else {
    sessionStorage.removeItem(keyStorage);
  }
}

/** A model name in a path: its slashes stay, everything else is escaped. */
export function modelPath(name) {
  return name.split('/').map(encodeURIComponent).join('/');
}

/** fetch() against the API with the key; throws ApiError with the server's message on a failure. */
export async function call(path, options = {}) {
  const headers = new Headers(options.headers || {});
  const key = apiKey();
  if (key) {
    headers.set('Authorization', `Bearer ${key}`);
  }
  if (options.json !== undefined) {
    headers.set('Content-Type', 'application/json');
  }
  let response;
  try {
    response = await fetch(new URL(path, apiRoot), {
      method: options.method || (options.json !== undefined ? 'POST' : 'GET'),
      headers,
      body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
      signal: options.signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (error.name === 'AbortError') {
      throw error;
    }
    throw new ApiError(0, `the server cannot be reached (${error.message})`);
  }
  if (!response.ok) {
    const error = new ApiError(response.status, await errorMessage(response));
    if (response.status === 401) {
      for (const listener of unauthorizedListeners) {
        listener(error.message);
      }
    }
    throw error;
  }
  return response;
}

export async function getJson(path, options) {
  return (await call(path, options)).json();
}

export async function getText(path, options) {
  return (await call(path, options)).text();
}

/** The message of an error answer in any of the server's shapes: OpenAI, Ollama, Anthropic or DMR's plain text. */
async function errorMessage(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    if (typeof body.error === 'string') {
      return body.error;
    }
    if (body.error && typeof body.error.message === 'string') {
      return body.error.message;
    }
    if (typeof body.message === 'string') {
      return body.message;
    }
  } catch {
    // Plain text: DMR's routes answer errors that way.
  }
  return text.trim() || response.statusText || 'request failed';
}

/** The lines of a streamed body (JSON lines, server-sent events), as they arrive. */
export async function* lines(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        yield buffer.slice(0, end).replace(/\r$/, '');
        buffer = buffer.slice(end + 1);
      }
    }
    if (buffer.length > 0) {
      yield buffer;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The data of each server-sent event of a streamed body. */
export async function* events(response) {
  let data = [];
  for await (const line of lines(response)) {
    if (line === '') {
      if (data.length > 0) {
        yield data.join('\n');
        data = [];
      }
    } else if (line.startsWith('data:')) {
      data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    }
  }
  if (data.length > 0) {
    yield data.join('\n');
  }
}
