// The key to what the app keeps on the phone (see store.js), and the lock.
//
// Every user of this browser has her own encrypted store and her own store key: an
// AES-GCM key made on the phone, held in memory only while unlocked, and non-extractable
// there. At rest it exists only wrapped:
//   - with the device key the server hands to a live, unlocked session on this device
//     (POST /me/device): signing in unlocks; the server revoking the device erases that key;
//   - optionally with a key derived from her PIN (PBKDF2, 600,000 rounds): unlocks offline.
//     Online the PIN is checked by the server instead (POST /session/unlock), which counts
//     wrong tries; offline this phone counts them, and five wrong ones remove the PIN wrap.
//   Online, her passkey (fingerprint, face or screen lock) can stand in for the PIN: the
//   server checks it and hands out the device key (POST /session/unlock/passkey).
//     Someone who copies the raw files can still try every PIN against the PIN wrap on a
//     fast machine: the price of unlocking without a network (README, "Encrypted on the phone").
//
// The key store below ('inbeeld-keys') holds nothing about clients: per user her id and
// username, the device id, the wrapped keys and the PIN salt.

import { api, ApiError, OfflineError } from './api.js';

const KEYS_DB = 'inbeeld-keys';
const PIN_ROUNDS = 600000;
const PIN_TRIES = 5;
const encoder = new TextEncoder();

/** The user whose store is in use (also while locked), and its key while unlocked. */
let current = { user: null, key: null, proof: null, lockMinutes: 10 };

export const dataDbName = (user) => `inbeeld-data-${user}`;
export const owner = () => current.user;
export const storeKey = () => current.key;
export const isOpen = () => current.key !== null;
export const lockMinutes = () => current.lockMinutes;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

let keysDb = null;

function openKeys() {
  if (!keysDb) {
    const req = indexedDB.open(KEYS_DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('users', { keyPath: 'user' });
    keysDb = request(req).then((db) => {
      // Deleted under us (Clear-Site-Data on signing out): the next use opens a new one.
      db.onclose = () => { keysDb = null; };
      db.onversionchange = () => { db.close(); keysDb = null; };
      return db;
    }, (error) => {
      keysDb = null;
      throw error;
    });
  }
  return keysDb;
}

async function users(mode, work) {
  const db = await openKeys();
  const tx = db.transaction('users', mode);
  const result = await request(work(tx.objectStore('users')));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return result;
}

const record = (user) => users('readonly', (s) => s.get(user));
const save = (rec) => users('readwrite', (s) => s.put(rec));

/** The user who used this browser last: { user, username, pin } or null. */
export async function lastUser() {
  const all = await users('readonly', (s) => s.getAll()).catch(() => []);
  const last = all.sort((a, b) => b.usedAt - a.usedAt)[0];
  if (!last) return null;
  current = { ...current, user: last.user, lockMinutes: last.lockMinutes ?? current.lockMinutes };
  return { user: last.user, username: last.username, pin: Boolean(last.pinWrap) };
}

function fromBase64url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function toBase64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const AES = { name: 'AES-GCM', length: 256 };

const importWrapping = (raw) => crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['wrapKey', 'unwrapKey']);

async function wrap(key, wrapping) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return { iv, data: await crypto.subtle.wrapKey('raw', key, wrapping, { name: 'AES-GCM', iv }) };
}

/** The store key from a wrap; throws when the wrapping key is wrong. */
const unwrap = (sealed, wrapping, extractable = false) => crypto.subtle.unwrapKey(
  'raw', sealed.data, wrapping, { name: 'AES-GCM', iv: sealed.iv }, AES, extractable, ['encrypt', 'decrypt']);

/** The PIN's wrapping key and its proof for the server, both from PBKDF2 over the PIN. */
async function fromPin(pin, salt) {
  const material = await crypto.subtle.importKey('raw', encoder.encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PIN_ROUNDS }, material, 512));
  return { wrapping: await importWrapping(bits.slice(0, 32)), proof: toBase64url(bits.slice(32)) };
}

/** Asks the server for this device's key; a revoked device's store is wiped first. */
async function claim(user) {
  const rec = await record(user);
  try {
    return { rec, claimed: await api('POST', '/me/device', { device: rec?.device ?? null }) };
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'device_revoked') throw error;
    await wipe(user);
    return { rec: null, claimed: await api('POST', '/me/device', { device: null }) };
  }
}

function opened(user, key, claimed, proof = null) {
  current = { user, key, proof, lockMinutes: claimed?.lock_minutes ?? current.lockMinutes };
}

/**
 * Unlocks with the server's device key, after a sign-in or while the session is live and
 * unlocked. A first use on this browser makes her store key.
 */
export async function openWithServer(me) {
  if (current.user === me.id && current.key) return;
  const { rec, claimed } = await claim(me.id);
  const wrapping = await importWrapping(fromBase64url(claimed.store_key));
  let key = null;
  if (rec?.serverWrap && rec.device === claimed.device) {
    key = await unwrap(rec.serverWrap, wrapping).catch(() => null);
  }
  const next = { ...(rec ?? {}), user: me.id, username: me.username, device: claimed.device, usedAt: Date.now(), lockMinutes: claimed.lock_minutes };
  if (!key) {
    // New here (or the server's key changed): a fresh store, nothing old can be read.
    if (rec) await deleteData(me.id);
    const made = await crypto.subtle.generateKey(AES, true, ['encrypt', 'decrypt']);
    next.serverWrap = await wrap(made, wrapping);
    next.pinWrap = null;
    key = await unwrap(next.serverWrap, wrapping);
  }
  // The server removed the PIN (five wrong tries): so does this phone.
  if (!claimed.pin) next.pinWrap = null;
  await save(next);
  opened(me.id, key, claimed);
}

/** Sets her PIN for this device (online): a wrap for offline unlocking, a proof for the server. */
export async function setPin(pin) {
  const user = current.user;
  const { rec, claimed } = await claim(user);
  if (!rec?.serverWrap) throw new Error('locked');
  const extractable = await unwrap(rec.serverWrap, await importWrapping(fromBase64url(claimed.store_key)), true);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const { wrapping, proof } = await fromPin(pin, salt);
  await api('PUT', '/me/device/pin', { proof });
  await save({ ...rec, pinWrap: { salt, ...(await wrap(extractable, wrapping)) }, pinFailures: 0 });
  current.proof = proof;
}

export async function hasPin() {
  return Boolean(current.user !== null && (await record(current.user))?.pinWrap);
}

/** Why a PIN did not unlock. */
export class PinError extends Error {}

/**
 * Unlocks with her PIN: online the server checks it and hands out the device key; offline
 * the PIN wrap opens. Throws PinError 'wrong', 'removed' (no PIN any more) or 'signin'
 * (the session is gone): the last two mean signing in again.
 */
export async function openWithPin(pin) {
  const user = current.user;
  const rec = await record(user);
  if (!rec?.pinWrap) throw new PinError('removed');
  const { wrapping, proof } = await fromPin(pin, rec.pinWrap.salt);
  try {
    const claimed = await api('POST', '/session/unlock', { proof });
    const key = await unwrap(rec.serverWrap, await importWrapping(fromBase64url(claimed.store_key)));
    await save({ ...rec, pinFailures: 0, usedAt: Date.now() });
    opened(user, key, claimed, proof);
    return;
  } catch (error) {
    if (error instanceof ApiError) {
      if (error.code === 'wrong_pin') throw new PinError('wrong');
      // No PIN on the server (removed after wrong tries): none here either. Otherwise the
      // session is gone (ended, timed out): signing in opens the store.
      if (error.code === 'no_pin') await save({ ...rec, pinWrap: null });
      throw new PinError('signin');
    }
    if (!(error instanceof OfflineError)) throw error;
  }
  // Offline: the PIN wrap decides, and this phone counts the wrong tries.
  const key = await unwrap(rec.pinWrap, wrapping).catch(() => null);
  if (!key) {
    const failures = (rec.pinFailures ?? 0) + 1;
    const removed = failures >= PIN_TRIES;
    await save({ ...rec, pinFailures: failures, pinWrap: removed ? null : rec.pinWrap });
    throw new PinError(removed ? 'removed' : 'wrong');
  }
  await save({ ...rec, pinFailures: 0, usedAt: Date.now() });
  opened(user, key, null, proof);
}

/**
 * Unlocks with the device key the server handed out after her passkey verified her
 * (POST /session/unlock/passkey/finish; online only). Throws PinError 'signin' when the
 * key does not open this phone's store (the device changed): signing in again opens it.
 */
export async function openWithDeviceKey(claimed) {
  const user = current.user;
  const rec = await record(user);
  const key = rec?.serverWrap && rec.device === claimed.device
    ? await unwrap(rec.serverWrap, await importWrapping(fromBase64url(claimed.store_key))).catch(() => null)
    : null;
  if (!key) throw new PinError('signin');
  // The server removed the PIN (five wrong tries): so does this phone.
  await save({ ...rec, pinFailures: 0, usedAt: Date.now(), pinWrap: claimed.pin ? rec.pinWrap : null });
  opened(user, key, claimed);
}

/**
 * The server says the session is locked while this phone is unlocked (unlocked offline
 * with the PIN, then back online): unlock it there with the same PIN's proof. False when
 * that is not possible; then the app locks.
 */
export async function unlockServer() {
  if (!current.key || !current.proof) return false;
  try {
    await api('POST', '/session/unlock', { proof: current.proof });
    return true;
  } catch {
    return false;
  }
}

/** Forgets the key (the store stays, encrypted). */
export function lock() {
  current = { ...current, key: null, proof: null };
}

function deleteData(user) {
  return request(indexedDB.deleteDatabase(dataDbName(user))).catch(() => {});
}

/** Wipes a user's store and her keys on this browser. */
export async function wipe(user) {
  // Forgotten first, or the status line's count would open (and so make) it again.
  if (current.user === user) current = { ...current, user: null, key: null, proof: null };
  await deleteData(user);
  await users('readwrite', (s) => s.delete(user)).catch(() => {});
}

/**
 * Asks the server, without a session, whether the devices of this browser were revoked
 * (signed out elsewhere, ended from another phone, account disabled); wipes those.
 */
export async function wipeRevoked() {
  const all = await users('readonly', (s) => s.getAll()).catch(() => []);
  for (const rec of all) {
    const status = await api('POST', '/device/status', { device: rec.device }).catch(() => null);
    if (status?.revoked) await wipe(rec.user);
  }
}
