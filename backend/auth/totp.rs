//! Time-based one-time codes (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), as every
//! authenticator app makes them, and one-time recovery codes.
//!
//! A code is accepted for its own step and one step either side (phone clocks drift), and
//! only once: `check` says which step matched, and the caller stores it with a
//! compare-and-set (`queries::second_factor::use_step`), so a code, an older one, or the
//! same code sent twice at once is refused. `totp-rs` itself does not prevent replay.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use qrcode::QrCode;
use qrcode::render::svg;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

const STEP_SECONDS: u64 = 30;
const ISSUER: &str = "InBeeld";

/// A new random secret: 160 bits (RFC 4226's recommendation), base32 as apps expect it.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(text) => text,
        Secret::Raw(_) => unreachable!("to_encoded always encodes"),
    }
}

fn totp(secret: &str, account: &str) -> anyhow::Result<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned())
        .to_bytes()
        .map_err(|e| anyhow::anyhow!("stored TOTP secret unreadable: {e:?}"))?;
    // The account name shows in the app next to the codes; ':' is not allowed there.
    let account = account.replace(':', "_");
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECONDS,
        bytes,
        Some(ISSUER.to_owned()),
        account,
    )
    .map_err(|e| anyhow::anyhow!("TOTP set-up failed: {e}"))
}

/// The 30-second step `unix_seconds` falls in.
pub fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS as i64)
}

/// The step whose code `code` is, among the current step and one either side; `None`
/// when it matches none. Whether that step was used already is the caller's to check.
pub fn check(secret: &str, code: &str, unix_seconds: i64) -> anyhow::Result<Option<i64>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let totp = totp(secret, "")?;
    let now = step_of(unix_seconds);
    Ok([now - 1, now, now + 1]
        .into_iter()
        .filter(|step| *step >= 0)
        .find(|step| totp.check(&code, *step as u64 * STEP_SECONDS)))
}

/// The code for `unix_seconds` (tests and the enrolment screen's self-check use it).
pub fn code_at(secret: &str, unix_seconds: i64) -> anyhow::Result<String> {
    Ok(totp(secret, "")?.generate(unix_seconds.max(0) as u64))
}

/// What an authenticator app scans: the `otpauth://` link and it drawn as a QR code (SVG).
pub fn enrolment(secret: &str, account: &str) -> anyhow::Result<(String, String)> {
    let url = totp(secret, account)?.get_url();
    let svg = QrCode::new(url.as_bytes())?
        .render::<svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    Ok((url, svg))
}

/// Ten recovery codes such as `K7QH-2MXP-9TWD`: shown once, stored only as hashes.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..10)
        .map(|_| {
            let chars: Vec<char> = (0..12)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect();
            chars
                .chunks(4)
                .map(|group| group.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// The stored form of a recovery code: 60 random bits need no slow hash, a SHA-256 of the
/// code as typed in any case, with or without dashes and spaces.
pub fn recovery_code_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    URL_SAFE_NO_PAD.encode(Sha256::digest(normal.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_test_vector() {
        // RFC 6238 appendix B, SHA1, secret "12345678901234567890", T = 59 s: 94287082
        // (8 digits); the 6-digit code is its last six.
        let secret = match Secret::Raw(b"12345678901234567890".to_vec()).to_encoded() {
            Secret::Encoded(text) => text,
            Secret::Raw(_) => unreachable!(),
        };
        assert_eq!(code_at(&secret, 59).unwrap(), "287082");
        assert_eq!(check(&secret, "287082", 59).unwrap(), Some(1));
        assert_eq!(check(&secret, "287 082", 59 + 30).unwrap(), Some(1));
        assert_eq!(check(&secret, "287082", 59 + 60).unwrap(), None);
        assert_eq!(check(&secret, "28708", 59).unwrap(), None);
    }

    #[test]
    fn codes_and_links_look_right() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let (url, svg) = enrolment(&secret, "roos:cm").unwrap();
        assert!(url.starts_with("otpauth://totp/InBeeld:roos_cm?"), "{url}");
        assert!(svg.contains("<svg") && !svg.contains("style="));
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        assert_eq!(codes[0].len(), 14);
        assert_eq!(
            recovery_code_hash(&codes[0]),
            recovery_code_hash(&codes[0].to_lowercase().replace('-', " "))
        );
    }
}
