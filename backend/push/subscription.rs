//! A browser's `PushSubscription`, checked before it is stored.

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use reqwest::Url;

use crate::domain::Invalid;

pub struct ValidSubscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

fn decode(field: &str, text: &str) -> Result<Vec<u8>, Invalid> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .or_else(|_| URL_SAFE.decode(text))
        .map_err(|_| {
            Invalid::new(
                "bad_subscription",
                format!("keys.{field} is not base64url."),
            )
        })
}

/// Endpoints must be https; plain http only to a loopback address (tests, local setups).
pub fn parse(endpoint: &str, p256dh: &str, auth: &str) -> Result<ValidSubscription, Invalid> {
    let bad = |message: &str| Invalid::new("bad_subscription", message);
    if endpoint.len() > 2048 {
        return Err(bad("The endpoint is too long."));
    }
    let url = Url::parse(endpoint).map_err(|_| bad("The endpoint is not a URL."))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => return Err(bad("The endpoint must use https.")),
    }
    let key = decode("p256dh", p256dh)?;
    if key.len() != 65 || p256::PublicKey::from_sec1_bytes(&key).is_err() {
        return Err(bad("keys.p256dh is not an uncompressed P-256 public key."));
    }
    if decode("auth", auth)?.len() != 16 {
        return Err(bad("keys.auth must be 16 bytes."));
    }
    Ok(ValidSubscription {
        endpoint: url.to_string(),
        p256dh: URL_SAFE_NO_PAD.encode(key),
        auth: auth.trim_end_matches('=').to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::elliptic_curve::sec1::ToEncodedPoint;

    fn key() -> String {
        let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
        URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes())
    }

    #[test]
    fn https_or_loopback_only_with_real_keys() {
        let auth = URL_SAFE_NO_PAD.encode([7u8; 16]);
        assert!(parse("https://push.example/abc", &key(), &auth).is_ok());
        assert!(parse("http://127.0.0.1:9999/abc", &key(), &auth).is_ok());
        assert!(parse("http://[::1]:9999/abc", &key(), &auth).is_ok());
        assert!(parse("http://push.example/abc", &key(), &auth).is_err());
        assert!(parse("ftp://127.0.0.1/abc", &key(), &auth).is_err());
        assert!(parse("https://push.example/abc", "AAAA", &auth).is_err());
        assert!(parse("https://push.example/abc", &key(), "AAAA").is_err());
        let mut not_on_curve = URL_SAFE_NO_PAD.decode(key()).unwrap();
        not_on_curve[64] ^= 1;
        let not_on_curve = URL_SAFE_NO_PAD.encode(not_on_curve);
        assert!(parse("https://push.example/abc", &not_on_curve, &auth).is_err());
    }
}
