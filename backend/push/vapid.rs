//! The VAPID key pair: generated once, kept in the database (so every instance signs with
//! the same key, and a database backup keeps it), never leaving the server.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use p256::SecretKey;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use web_push::{PartialVapidSignatureBuilder, VapidSignatureBuilder};

use crate::db::DbConnection;
use crate::db::queries::push;

const KEY_NAME: &str = "vapid_private_key";

#[derive(Clone)]
pub struct VapidKeys {
    /// base64url (no padding) of the 32-byte private scalar: the form web-push reads
    /// without panicking (its PEM reader panics on SEC1 PEM).
    private: String,
    /// base64url of the uncompressed public point (65 bytes, 0x04...): the browser's
    /// `applicationServerKey`.
    public: String,
}

impl VapidKeys {
    pub fn load_or_create(
        conn: &mut DbConnection,
        now: NaiveDateTime,
    ) -> anyhow::Result<VapidKeys> {
        let private = push::server_key(conn, KEY_NAME, generate_private, now)?;
        VapidKeys::from_private(&private)
    }

    pub fn from_private(private: &str) -> anyhow::Result<VapidKeys> {
        let bytes = URL_SAFE_NO_PAD.decode(private)?;
        let secret = SecretKey::from_slice(&bytes)
            .map_err(|_| anyhow::anyhow!("the stored VAPID key is not a P-256 private key"))?;
        let public = URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes());
        Ok(VapidKeys {
            private: private.to_owned(),
            public,
        })
    }

    pub fn public_key(&self) -> &str {
        &self.public
    }

    pub fn signature_builder(&self) -> anyhow::Result<PartialVapidSignatureBuilder> {
        VapidSignatureBuilder::from_base64_no_sub(&self.private)
            .map_err(|e| anyhow::anyhow!("VAPID key unusable: {e}"))
    }
}

fn generate_private() -> String {
    let secret = SecretKey::random(&mut rand::rngs::OsRng);
    URL_SAFE_NO_PAD.encode(secret.to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_key_is_an_uncompressed_p256_point() {
        let keys = VapidKeys::from_private(&generate_private()).unwrap();
        let public = URL_SAFE_NO_PAD.decode(keys.public_key()).unwrap();
        assert_eq!(public.len(), 65);
        assert_eq!(public[0], 0x04);
        assert!(keys.signature_builder().is_ok());
        assert!(VapidKeys::from_private("bm90IGEga2V5").is_err());
    }
}
