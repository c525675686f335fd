//! A browser's `PushSubscription`, checked before it is stored, and where the server may
//! send: an endpoint is an address the server will POST to, so it must be at a known
//! push service.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use reqwest::Url;

use crate::config::{PushHosts, Settings};
use crate::domain::Invalid;

pub struct ValidSubscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// Where subscriptions may point: https at a listed push service (`push_hosts`), or,
/// when `push_allow_loopback` is on (tests, local development), this machine over http
/// or https. Checked when a device registers and again before each delivery.
#[derive(Debug, Clone)]
pub struct EndpointPolicy {
    hosts: PushHosts,
    allow_loopback: bool,
}

impl EndpointPolicy {
    pub fn new(hosts: PushHosts, allow_loopback: bool) -> EndpointPolicy {
        EndpointPolicy {
            hosts,
            allow_loopback,
        }
    }

    pub fn from_settings(settings: &Settings) -> EndpointPolicy {
        EndpointPolicy::new(settings.push_hosts.clone(), settings.push_allow_loopback)
    }

    /// Whether the server may send to `endpoint` (a stored subscription's).
    pub fn allows(&self, endpoint: &str) -> bool {
        Url::parse(endpoint).is_ok_and(|url| self.check(&url).is_ok())
    }

    /// Why the server may not send to `url`, if it may not.
    pub fn check(&self, url: &Url) -> Result<(), Invalid> {
        let bad = |message: &str| Invalid::new("bad_subscription", message);
        let elsewhere = |message: &str| Invalid::new("push_service_not_allowed", message);
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("The endpoint must not carry a user name or password."));
        }
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
            Some(url::Host::Domain(name)) => name == "localhost",
            None => false,
        };
        if loopback {
            if !self.allow_loopback {
                return Err(elsewhere(
                    "The endpoint is on the server's own machine; only push services are accepted.",
                ));
            }
            return match url.scheme() {
                "http" | "https" => Ok(()),
                _ => Err(bad("The endpoint must use https.")),
            };
        }
        if url.scheme() != "https" {
            return Err(bad("The endpoint must use https."));
        }
        match url.host() {
            Some(url::Host::Domain(name)) if self.hosts.covers(name) => {}
            _ => {
                return Err(elsewhere(
                    "The endpoint is not at a push service this server sends to (see the setting push_hosts).",
                ));
            }
        }
        // Push services listen on 443; another port on their host is nothing of theirs.
        if url.port().is_some() {
            return Err(elsewhere("The endpoint must not name a port."));
        }
        Ok(())
    }
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

/// A subscription whose endpoint `policy` allows, with a real P-256 key and auth secret.
pub fn parse(
    endpoint: &str,
    p256dh: &str,
    auth: &str,
    policy: &EndpointPolicy,
) -> Result<ValidSubscription, Invalid> {
    let bad = |message: &str| Invalid::new("bad_subscription", message);
    if endpoint.len() > 2048 {
        return Err(bad("The endpoint is too long."));
    }
    let url = Url::parse(endpoint).map_err(|_| bad("The endpoint is not a URL."))?;
    policy.check(&url)?;
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

    fn code(result: Result<ValidSubscription, Invalid>) -> &'static str {
        result.map_or_else(|e| e.code, |_| "ok")
    }

    #[test]
    fn real_keys_only() {
        let policy = EndpointPolicy::new(PushHosts::default(), false);
        let auth = URL_SAFE_NO_PAD.encode([7u8; 16]);
        let fcm = "https://fcm.googleapis.com/fcm/send/abc";
        assert!(parse(fcm, &key(), &auth, &policy).is_ok());
        assert!(parse(fcm, "AAAA", &auth, &policy).is_err());
        assert!(parse(fcm, &key(), "AAAA", &policy).is_err());
        let mut not_on_curve = URL_SAFE_NO_PAD.decode(key()).unwrap();
        not_on_curve[64] ^= 1;
        let not_on_curve = URL_SAFE_NO_PAD.encode(not_on_curve);
        assert!(parse(fcm, &not_on_curve, &auth, &policy).is_err());
    }

    #[test]
    fn https_at_a_listed_push_service_or_loopback_when_allowed() {
        let auth = URL_SAFE_NO_PAD.encode([7u8; 16]);
        let production = EndpointPolicy::new(PushHosts::default(), false);
        let testing = EndpointPolicy::new(PushHosts::default(), true);
        let cases = [
            ("https://fcm.googleapis.com/fcm/send/abc", "ok", "ok"),
            (
                "https://wns2-db5p.notify.windows.com/w/?token=a",
                "ok",
                "ok",
            ),
            (
                "http://fcm.googleapis.com/fcm/send/abc",
                "bad_subscription",
                "bad_subscription",
            ),
            (
                "https://user:pw@fcm.googleapis.com/abc",
                "bad_subscription",
                "bad_subscription",
            ),
            (
                "https://fcm.googleapis.com:444/abc",
                "push_service_not_allowed",
                "push_service_not_allowed",
            ),
            (
                "https://push.example/abc",
                "push_service_not_allowed",
                "push_service_not_allowed",
            ),
            (
                "https://10.0.0.1/abc",
                "push_service_not_allowed",
                "push_service_not_allowed",
            ),
            (
                "https://[::ffff:127.0.0.1]/abc",
                "push_service_not_allowed",
                "push_service_not_allowed",
            ),
            (
                "http://127.0.0.1:9999/abc",
                "push_service_not_allowed",
                "ok",
            ),
            ("http://[::1]:9999/abc", "push_service_not_allowed", "ok"),
            (
                "http://localhost:9999/abc",
                "push_service_not_allowed",
                "ok",
            ),
            (
                "ftp://127.0.0.1/abc",
                "push_service_not_allowed",
                "bad_subscription",
            ),
            (
                "http://push.example/abc",
                "bad_subscription",
                "bad_subscription",
            ),
        ];
        for (endpoint, refused, allowed) in cases {
            assert_eq!(
                code(parse(endpoint, &key(), &auth, &production)),
                refused,
                "{endpoint}"
            );
            assert_eq!(
                code(parse(endpoint, &key(), &auth, &testing)),
                allowed,
                "{endpoint}"
            );
        }
    }
}
