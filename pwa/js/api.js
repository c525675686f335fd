// The one door to the server's JSON API.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The network is unreachable (or the request did not complete). */
export class OfflineError extends Error {
  name = 'OfflineError';
}

export async function api(method, path, body) {
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new OfflineError('offline');
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    // Signed out (or never past the second factor): back to the sign-in screen; locked:
    // to the PIN. A wrong password, code or PIN is a 401 too, answered where it was typed.
    const gone = data?.error === 'unauthenticated' || data?.error === 'second_factor_required';
    const quiet = path === '/session' || path === '/session/unlock';
    if (response.status === 401 && gone && !quiet) {
      globalThis.dispatchEvent(new CustomEvent('inbeeld:signed-out'));
    }
    if (response.status === 401 && data?.error === 'locked') {
      globalThis.dispatchEvent(new CustomEvent('inbeeld:locked'));
    }
    throw new ApiError(response.status, data?.error ?? 'unknown', data?.message ?? response.statusText);
  }
  return data;
}
