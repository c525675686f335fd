//! A push service stand-in: a local HTTP server that plays the browser vendor's push
//! service. It holds real P-256 subscription keys and auth secrets, verifies each request's
//! VAPID JWT (ES256 signature, `aud`, `exp`, `sub`), decrypts the RFC 8291 `aes128gcm` body
//! and keeps what it received. Replies can be scripted per device (410, 429, 500...).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use aes_gcm::aead::Aead;
use aes_gcm::{Aes128Gcm, KeyInit, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use serde_json::{Value, json};
use sha2::Sha256;

pub const EXPECTED_SUBJECT: &str = "mailto:beheer@example.org";

/// One browser's subscription: the private half stays here, as in a real browser.
pub struct Device {
    pub name: String,
    secret: SecretKey,
    auth: [u8; 16],
}

impl Device {
    pub fn subscription_json(&self, service: &PushService) -> Value {
        json!({
            "endpoint": format!("{}/push/{}", service.base, self.name),
            "expirationTime": null,
            "keys": {
                "p256dh": URL_SAFE_NO_PAD.encode(self.secret.public_key().to_encoded_point(false).as_bytes()),
                "auth": URL_SAFE_NO_PAD.encode(self.auth),
            }
        })
    }
}

/// A message as the device would see it after decryption.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub device: String,
    pub payload: Value,
    pub urgency: Option<String>,
    pub ttl: Option<String>,
    /// RFC 8030 `Topic`: a message with the same topic replaces one still queued.
    pub topic: Option<String>,
    /// The VAPID public key the request was signed with.
    pub vapid_key: String,
}

/// What the stand-in keeps of a device: its private key, its auth secret, and its public
/// key as the browser handed it out (`p256dh`), which goes into every message's key info.
#[derive(Clone)]
struct Keys {
    secret: SecretKey,
    auth: [u8; 16],
    public: Vec<u8>,
}

#[derive(Default)]
struct Inner {
    devices: HashMap<String, Keys>,
    script: HashMap<String, VecDeque<(u16, Option<String>)>>,
    delivered: Vec<Delivered>,
    requests: usize,
    problems: Vec<String>,
    /// How long a delivered message waits for its 201 (a slow push service).
    answer_after: std::time::Duration,
    /// After this many requests, a delivered message waits half a minute for its 201.
    hold_after: Option<usize>,
}

#[derive(Clone)]
pub struct PushService {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl PushService {
    pub async fn start() -> PushService {
        PushService::start_with(1).await
    }

    /// A stand-in answering on `workers` threads of its own (a real push service is not
    /// bound to one core).
    pub async fn start_with(workers: usize) -> PushService {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let data = web::Data::from(inner.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(web::PayloadConfig::new(16 * 1024))
                .route("/push/{device}", web::post().to(receive))
        })
        .workers(workers)
        .bind("127.0.0.1:0")
        .unwrap();
        let port = server.addrs()[0].port();
        tokio::spawn(server.run());
        PushService {
            base: format!("http://127.0.0.1:{port}"),
            inner,
        }
    }

    pub fn device(&self, name: &str) -> Device {
        let secret = SecretKey::random(&mut rand::rngs::OsRng);
        let mut auth = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut auth);
        let public = secret
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec();
        let keys = Keys {
            secret: secret.clone(),
            auth,
            public,
        };
        self.inner
            .lock()
            .unwrap()
            .devices
            .insert(name.to_owned(), keys);
        Device {
            name: name.to_owned(),
            secret,
            auth,
        }
    }

    /// The next replies for `device` before it answers 201 again; status 0 never answers
    /// in time (it hangs for 30 seconds, then fails).
    pub fn script(&self, device: &str, replies: &[(u16, Option<&str>)]) {
        self.inner.lock().unwrap().script.insert(
            device.to_owned(),
            replies
                .iter()
                .map(|(s, r)| (*s, r.map(str::to_owned)))
                .collect(),
        );
    }

    /// Keeps every later message for `delay` after taking it, before answering 201: a
    /// sender cut off in that time has delivered without knowing it.
    pub fn answer_after(&self, delay: std::time::Duration) {
        self.inner.lock().unwrap().answer_after = delay;
    }

    /// Delivers every request after the first `requests` but answers none of them for half
    /// a minute (`None`: as `answer_after` says): senders stuck with messages delivered
    /// and unanswered, however slowly the machine runs.
    pub fn hold_answers_after(&self, requests: Option<usize>) {
        self.inner.lock().unwrap().hold_after = requests;
    }

    pub fn delivered(&self) -> Vec<Delivered> {
        let inner = self.inner.lock().unwrap();
        assert!(
            inner.problems.is_empty(),
            "push service saw bad requests: {:?}",
            inner.problems
        );
        inner.delivered.clone()
    }

    pub fn requests(&self) -> usize {
        self.inner.lock().unwrap().requests
    }
}

async fn receive(
    inner: web::Data<Mutex<Inner>>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let device = path.into_inner();
    let hang = {
        let mut inner = inner.lock().unwrap();
        let next = inner
            .script
            .get_mut(&device)
            .and_then(|q| q.front().cloned());
        if let Some((0, _)) = next {
            inner.requests += 1;
            inner.script.get_mut(&device).and_then(VecDeque::pop_front);
            true
        } else {
            false
        }
    };
    if hang {
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        return HttpResponse::ServiceUnavailable().finish();
    }
    match take(&inner, &req, device, &body) {
        Ok(delay) => {
            tokio::time::sleep(delay).await;
            HttpResponse::Created().finish()
        }
        Err((status, retry_after)) => {
            let mut reply =
                HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap());
            if let Some(seconds) = retry_after {
                reply.insert_header(("Retry-After", seconds));
            }
            reply.finish()
        }
    }
}

/// Checks and keeps one message; the status (and Retry-After) when it is refused or
/// scripted.
fn take(
    shared: &Mutex<Inner>,
    req: &HttpRequest,
    device: String,
    body: &[u8],
) -> Result<std::time::Duration, (u16, Option<String>)> {
    let keys = {
        let mut inner = shared.lock().unwrap();
        inner.requests += 1;
        inner.devices.get(&device).cloned()
    };
    let Some(keys) = keys else {
        return Err((404, None));
    };
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    // Verified and decrypted outside the lock: other requests need not wait for it.
    let checked = verify_vapid(header("authorization").as_deref()).and_then(|vapid_key| {
        if header("content-encoding").as_deref() != Some("aes128gcm") {
            return Err("content-encoding is not aes128gcm".to_owned());
        }
        let plain = decrypt(&keys, body)?;
        let payload: Value =
            serde_json::from_slice(&plain).map_err(|e| format!("payload not JSON: {e}"))?;
        Ok((vapid_key, payload))
    });
    let mut inner = shared.lock().unwrap();
    let (vapid_key, payload) = match checked {
        Ok(ok) => ok,
        Err(problem) => {
            inner.problems.push(problem);
            return Err((400, None));
        }
    };
    if let Some(scripted) = inner.script.get_mut(&device).and_then(VecDeque::pop_front) {
        return Err(scripted);
    }
    inner.delivered.push(Delivered {
        device,
        payload,
        urgency: header("urgency"),
        ttl: header("ttl"),
        topic: header("topic"),
        vapid_key,
    });
    match inner.hold_after {
        Some(held) if inner.requests > held => Ok(std::time::Duration::from_secs(30)),
        _ => Ok(inner.answer_after),
    }
}

/// Checks `vapid t=<jwt>, k=<key>` and returns the key.
fn verify_vapid(authorization: Option<&str>) -> Result<String, String> {
    let value = authorization.ok_or("no Authorization header")?;
    let rest = value
        .strip_prefix("vapid ")
        .ok_or("not a vapid authorization")?;
    let mut token = None;
    let mut key = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(t) = part.strip_prefix("t=") {
            token = Some(t);
        } else if let Some(k) = part.strip_prefix("k=") {
            key = Some(k);
        }
    }
    let (token, key) = (token.ok_or("no t=")?, key.ok_or("no k=")?);
    let key_bytes = URL_SAFE_NO_PAD.decode(key).map_err(|e| e.to_string())?;
    let verifying = VerifyingKey::from_sec1_bytes(&key_bytes).map_err(|e| e.to_string())?;
    let (signed, signature) = token.rsplit_once('.').ok_or("JWT without signature")?;
    let signature = Signature::from_slice(
        &URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    verifying
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| "VAPID signature does not verify".to_owned())?;
    let (header, claims) = signed.split_once('.').ok_or("JWT malformed")?;
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    if header["alg"] != "ES256" {
        return Err(format!("alg is {}", header["alg"]));
    }
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    // web-push drops the port from `aud` (shared stack notes).
    if claims["aud"] != "http://127.0.0.1" {
        return Err(format!("aud is {}", claims["aud"]));
    }
    if claims["sub"] != EXPECTED_SUBJECT {
        return Err(format!("sub is {}", claims["sub"]));
    }
    let exp = claims["exp"].as_i64().ok_or("no exp")?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    if exp <= now || exp > now + 24 * 3600 {
        return Err(format!("exp {exp} is not within the next 24 hours"));
    }
    Ok(key.to_owned())
}

/// RFC 8291 (Message Encryption for Web Push) over RFC 8188 `aes128gcm`, one record.
fn decrypt(keys: &Keys, body: &[u8]) -> Result<Vec<u8>, String> {
    if body.len() < 21 {
        return Err("body shorter than the aes128gcm header".into());
    }
    let salt = &body[..16];
    let id_len = body[20] as usize;
    let sender_key = body.get(21..21 + id_len).ok_or("truncated key id")?;
    let ciphertext = &body[21 + id_len..];
    let sender = PublicKey::from_sec1_bytes(sender_key).map_err(|_| "key id is not a P-256 key")?;
    let shared = p256::ecdh::diffie_hellman(keys.secret.to_nonzero_scalar(), sender.as_affine());
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(&keys.public);
    key_info.extend_from_slice(sender_key);
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(&keys.auth), shared.raw_secret_bytes())
        .expand(&key_info, &mut ikm)
        .map_err(|e| e.to_string())?;
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let mut cek = [0u8; 16];
    let mut nonce = [0u8; 12];
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek)
        .map_err(|e| e.to_string())?;
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce)
        .map_err(|e| e.to_string())?;
    let mut plain = Aes128Gcm::new_from_slice(&cek)
        .map_err(|e| e.to_string())?
        .decrypt(Nonce::from_slice(&nonce), ciphertext)
        .map_err(|_| "aes128gcm decryption failed")?;
    while plain.last() == Some(&0) {
        plain.pop();
    }
    if plain.pop() != Some(2) {
        return Err("last record delimiter missing".into());
    }
    Ok(plain)
}
