// Passkeys in the browser: the server's options (binary values in base64url) go to
// navigator.credentials, and the credential comes back in the same JSON shape.

const decode = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const encode = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
  .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const passkeysSupported = () => 'PublicKeyCredential' in window && !!navigator.credentials;

const withIds = (list) => list?.map((item) => ({ ...item, id: decode(item.id) }));

/** Makes a passkey on this device for `options` (from POST /me/passkeys/register). */
export async function createPasskey(options) {
  const publicKey = {
    ...options.publicKey,
    challenge: decode(options.publicKey.challenge),
    user: { ...options.publicKey.user, id: decode(options.publicKey.user.id) },
    excludeCredentials: withIds(options.publicKey.excludeCredentials),
  };
  const credential = await navigator.credentials.create({ publicKey });
  return {
    id: credential.id,
    rawId: encode(credential.rawId),
    type: credential.type,
    response: {
      attestationObject: encode(credential.response.attestationObject),
      clientDataJSON: encode(credential.response.clientDataJSON),
      transports: credential.response.getTransports?.() ?? [],
    },
    extensions: credential.getClientExtensionResults(),
  };
}

/** Signs with a passkey of this device for `options` (from POST /session/passkey). */
export async function usePasskey(options) {
  const publicKey = {
    ...options.publicKey,
    challenge: decode(options.publicKey.challenge),
    allowCredentials: withIds(options.publicKey.allowCredentials),
  };
  const credential = await navigator.credentials.get({ publicKey });
  const { response } = credential;
  return {
    id: credential.id,
    rawId: encode(credential.rawId),
    type: credential.type,
    response: {
      authenticatorData: encode(response.authenticatorData),
      clientDataJSON: encode(response.clientDataJSON),
      signature: encode(response.signature),
      userHandle: response.userHandle ? encode(response.userHandle) : null,
    },
    extensions: credential.getClientExtensionResults(),
  };
}
