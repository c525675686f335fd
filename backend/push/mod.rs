//! Web Push: the server's VAPID keys, browser subscriptions, what a notification says, and
//! delivery with retries (RFC 8030 delivery, RFC 8291 encryption, RFC 8292 VAPID).

pub mod deliver;
pub mod encrypt;
pub mod payload;
pub mod record;
pub mod subscription;
pub mod vapid;
