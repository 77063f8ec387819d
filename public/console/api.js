// The public HTTP API, called with the key the user signed in with. The key lives in this tab's
// session storage and travels only in the Authorization header, never in a URL.
const STORAGE_KEY = 'tts-gateway.key';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `The gateway answered ${status}.`);
    this.status = status;
    this.code = body?.error?.code ?? null;
  }
}

export const session = {
  key: () => sessionStorage.getItem(STORAGE_KEY),
  save: (key) => sessionStorage.setItem(STORAGE_KEY, key),
  clear: () => sessionStorage.removeItem(STORAGE_KEY),
};

/** A raw response (for audio); throws ApiError for any status but 2xx. */
export async function request(path, { method = 'GET', body, key = session.key(), signal } = {}) {
  const headers = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) {
    let parsed;
    try {
      parsed = await response.json();
    } catch {
      parsed = undefined;
    }
    throw new ApiError(response.status, parsed);
  }
  return response;
}

export async function json(path, options) {
  return (await request(path, options)).json();
}
