//! Message encryption for Web Push (RFC 8291) in the `aes128gcm` content coding (RFC 8188),
//! one record per message: a new key pair and a new salt for every message.
//!
//! The elliptic-curve work is OpenSSL's P-256 code, called on its points directly. Going
//! through OpenSSL 3's key objects instead (as web-push's `ece` does: import, export to
//! the provider, a peer check, a cipher looked up by name) cost about four times the
//! curve arithmetic itself, and most of the server's time per message (docs/benchmarks.md).
//! HKDF and AES-128-GCM are the RustCrypto crates the push service stand-in also decrypts
//! with; a test here decrypts with `ece` too.

use std::sync::LazyLock;

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use hkdf::Hkdf;
use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, EcKey, EcPoint, PointConversionForm};
use openssl::nid::Nid;
use sha2::Sha256;

/// The largest payload: what push services take in one 4096-byte body, less the header,
/// the padding's delimiter and the tag (web-push's limit too).
pub const MAX_PAYLOAD: usize = 3052;
/// The record size written in the header; one record holds any payload we send.
const RECORD_SIZE: u32 = 4096;
/// The payload and its padding fill whole blocks of this many bytes, so that the length
/// on the wire says little about what the message says (how many clients, for instance).
const PAD_BLOCK: usize = 128;
/// An uncompressed P-256 point: 0x04, x, y.
const POINT: usize = 65;

static P256: LazyLock<Result<EcGroup, openssl::error::ErrorStack>> =
    LazyLock::new(|| EcGroup::from_curve_name(Nid::X9_62_PRIME256V1));

#[derive(Debug, thiserror::Error)]
pub enum EncryptError {
    #[error("the payload is larger than {MAX_PAYLOAD} bytes")]
    TooLarge,
    #[error("the subscription's keys are not a P-256 public key and a 16-byte secret")]
    BadKeys,
    #[error("encryption failed: {0}")]
    Crypto(String),
}

fn failed(err: impl std::fmt::Display) -> EncryptError {
    EncryptError::Crypto(err.to_string())
}

/// The body of a push message carrying `plaintext` to the browser whose subscription holds
/// `p256dh` (its public key, uncompressed) and `auth` (its 16-byte secret).
pub fn encrypt(p256dh: &[u8], auth: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, EncryptError> {
    if plaintext.len() > MAX_PAYLOAD {
        return Err(EncryptError::TooLarge);
    }
    if p256dh.len() != POINT || auth.len() != 16 {
        return Err(EncryptError::BadKeys);
    }
    let group = P256.as_ref().map_err(failed)?;
    let mut ctx = BigNumContext::new().map_err(failed)?;
    // Reading the point checks that it lies on the curve.
    let receiver =
        EcPoint::from_bytes(group, p256dh, &mut ctx).map_err(|_| EncryptError::BadKeys)?;
    let ephemeral = EcKey::generate(group).map_err(failed)?;
    let sender = ephemeral
        .public_key()
        .to_bytes(group, PointConversionForm::UNCOMPRESSED, &mut ctx)
        .map_err(failed)?;
    // ECDH: the x coordinate of our private scalar times the browser's point.
    let mut shared = EcPoint::new(group).map_err(failed)?;
    shared
        .mul2(group, &receiver, ephemeral.private_key(), &mut ctx)
        .map_err(failed)?;
    if shared.is_infinity(group) {
        return Err(EncryptError::BadKeys);
    }
    let (mut x, mut y) = (
        BigNum::new().map_err(failed)?,
        BigNum::new().map_err(failed)?,
    );
    shared
        .affine_coordinates(group, &mut x, &mut y, &mut ctx)
        .map_err(failed)?;
    let secret = x.to_vec_padded(32).map_err(failed)?;

    // RFC 8291 section 3.4: the keying material from the secret, `auth` and both keys;
    // RFC 8188 section 2.2: the content key and nonce from it and the salt.
    let mut info = Vec::with_capacity(14 + 2 * POINT);
    info.extend_from_slice(b"WebPush: info\0");
    info.extend_from_slice(p256dh);
    info.extend_from_slice(&sender);
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(auth), &secret)
        .expand(&info, &mut ikm)
        .map_err(failed)?;
    let mut salt = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut salt);
    let prk = Hkdf::<Sha256>::new(Some(&salt), &ikm);
    let (mut key, mut nonce) = ([0u8; 16], [0u8; 12]);
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut key)
        .map_err(failed)?;
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce)
        .map_err(failed)?;

    // The header (salt, record size, the key id: our public key), then the one record:
    // the payload, the last record's delimiter 2 and zeros up to whole blocks, and the tag.
    let padded = (plaintext.len() + 1).div_ceil(PAD_BLOCK) * PAD_BLOCK;
    let mut body = Vec::with_capacity(16 + 4 + 1 + POINT + padded + 16);
    body.extend_from_slice(&salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(POINT as u8);
    body.extend_from_slice(&sender);
    let record = body.len();
    body.extend_from_slice(plaintext);
    body.push(2);
    body.resize(record + padded, 0);
    let tag = Aes128Gcm::new_from_slice(&key)
        .map_err(failed)?
        .encrypt_in_place_detached(Nonce::from_slice(&nonce), b"", &mut body[record..])
        .map_err(failed)?;
    body.extend_from_slice(&tag);
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::SecretKey;
    use p256::elliptic_curve::sec1::ToEncodedPoint;

    fn browser() -> (SecretKey, Vec<u8>, [u8; 16]) {
        let secret = SecretKey::random(&mut rand::rngs::OsRng);
        let public = secret
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec();
        let mut auth = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut auth);
        (secret, public, auth)
    }

    #[test]
    fn another_implementation_decrypts_it() {
        let (secret, public, auth) = browser();
        let plaintext = r#"{"title":"InBeeld","body":"1 cliënt al 14 dagen niet gezien"}"#;
        let body = encrypt(&public, &auth, plaintext.as_bytes()).unwrap();
        let components = ece::EcKeyComponents::new(secret.to_bytes().to_vec(), public.clone());
        let decrypted = ece::decrypt(&components, &auth, &body).unwrap();
        assert_eq!(decrypted, plaintext.as_bytes());
        // Padded to whole blocks: header 86 bytes, one block of 128, the tag 16.
        assert_eq!(body.len(), 86 + 128 + 16);
        // A new key pair and salt each time.
        let again = encrypt(&public, &auth, plaintext.as_bytes()).unwrap();
        assert_ne!(body[..86], again[..86]);
        assert_eq!(
            ece::decrypt(&components, &auth, &again).unwrap(),
            plaintext.as_bytes()
        );
    }

    #[test]
    fn lengths_are_rounded_up_to_whole_blocks() {
        let (secret, public, auth) = browser();
        let components = ece::EcKeyComponents::new(secret.to_bytes().to_vec(), public.clone());
        for len in [1, 127, 128, 255, MAX_PAYLOAD] {
            let plaintext = vec![b'a'; len];
            let body = encrypt(&public, &auth, &plaintext).unwrap();
            assert_eq!((body.len() - 86 - 16) % PAD_BLOCK, 0, "{len}");
            assert!(body.len() <= RECORD_SIZE as usize + 86);
            assert_eq!(ece::decrypt(&components, &auth, &body).unwrap(), plaintext);
        }
    }

    #[test]
    fn bad_keys_and_large_payloads_are_refused() {
        let (_, public, auth) = browser();
        assert!(matches!(
            encrypt(&public, &auth, &vec![b'a'; MAX_PAYLOAD + 1]),
            Err(EncryptError::TooLarge)
        ));
        assert!(matches!(
            encrypt(&public, &auth[..15], b"x"),
            Err(EncryptError::BadKeys)
        ));
        let mut off_curve = public.clone();
        off_curve[64] ^= 1;
        assert!(matches!(
            encrypt(&off_curve, &auth, b"x"),
            Err(EncryptError::BadKeys)
        ));
    }
}
