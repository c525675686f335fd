//! Delivery of the push outbox: claim due messages, send them concurrently with a
//! timeout each, and record every attempt. 404/410 remove the subscription; 429 and 5xx
//! retry with backoff (honouring Retry-After) up to a bounded number of attempts.
//! Redirects are never followed, and nothing goes to an endpoint the policy refuses.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::TimeDelta;
use futures::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use web_push::{PartialVapidSignatureBuilder, SubscriptionInfo};

use crate::clock::Clock;
use crate::db::Db;
use crate::db::queries::push::{self, MessageRow, SubscriptionRow};
use crate::domain::sweep::DeliveryReport;
use crate::error::ApiError;
use crate::push::encrypt;
use crate::push::record::{self, Outcome, Recorded};
use crate::push::subscription::EndpointPolicy;

/// Sends Web Push messages for the server.
pub struct Pusher {
    http: reqwest::Client,
    vapid: PartialVapidSignatureBuilder,
    subject: String,
    pub ttl_seconds: u32,
    pub timeout: Duration,
    pub max_attempts: i32,
    pub concurrency: usize,
    /// Where devices may register, and so where messages may go.
    pub endpoints: EndpointPolicy,
    /// The VAPID header per push service: one signature serves every device of that
    /// service for its lifetime (web-push signs them for 12 hours; we reuse one for at most
    /// 1 hour).
    signatures: Mutex<HashMap<String, (Instant, String)>>,
}

const SIGNATURE_REUSE: Duration = Duration::from_secs(3600);

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    Sent(u16),
    /// The subscription no longer exists (404, 410): delete it.
    Gone(Option<u16>),
    /// Worth another try (429, 5xx, timeout, network): after `after` if the service said.
    Retry {
        status: Option<u16>,
        after: Option<Duration>,
    },
    /// Will not succeed by retrying (other 4xx, payload problems).
    Failed(Option<u16>),
}

/// Messages claimed per round; the rest wait for the next sweep.
const BATCH: i64 = 2_000;

impl Pusher {
    pub fn new(
        vapid: PartialVapidSignatureBuilder,
        subject: String,
        ttl_seconds: u32,
        timeout: Duration,
        max_attempts: i32,
        concurrency: usize,
        endpoints: EndpointPolicy,
    ) -> anyhow::Result<Pusher> {
        // Endpoints come from users: a redirect would let one send the server anywhere
        // (another port on this machine, the internal network). A 3xx is a failure.
        let http = reqwest::Client::builder()
            .connect_timeout(timeout)
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Pusher {
            http,
            vapid,
            subject,
            ttl_seconds,
            timeout,
            max_attempts,
            concurrency,
            endpoints,
            signatures: Mutex::new(HashMap::new()),
        })
    }

    /// The VAPID `Authorization` header for the push service behind `info`, signed at most
    /// once an hour.
    fn authorization(&self, info: &SubscriptionInfo) -> anyhow::Result<String> {
        let url = reqwest::Url::parse(&info.endpoint)?;
        // The JWT's `aud` is the endpoint's scheme and host (web-push drops the port).
        let audience = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
        let mut cache = self.signatures.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((signed_at, header)) = cache.get(&audience)
            && signed_at.elapsed() < SIGNATURE_REUSE
        {
            return Ok(header.clone());
        }
        let mut builder = self.vapid.clone().add_sub_info(info);
        // Without a real contact Apple answers 403 BadJwtToken; the default is a placeholder.
        builder.add_claim("sub", self.subject.as_str());
        let signature = builder.build()?;
        // RFC 8292 section 3: the JWT and the server's public key.
        let header = format!(
            "vapid t={}, k={}",
            signature.auth_t,
            URL_SAFE_NO_PAD.encode(&signature.auth_k)
        );
        cache.insert(audience, (Instant::now(), header.clone()));
        Ok(header)
    }

    /// One attempt to deliver `message` to `subscription`.
    pub async fn send(&self, message: &MessageRow, subscription: &SubscriptionRow) -> Attempt {
        // Stored before the policy (or its settings) changed: kept, but not sent to.
        if !self.endpoints.allows(&subscription.endpoint) {
            tracing::warn!(
                message_id = message.id,
                subscription_id = subscription.id,
                "push endpoint not at an allowed push service; not sent"
            );
            return Attempt::Failed(None);
        }
        let request = match self.build(message, subscription) {
            Ok(request) => request,
            Err(err) => {
                tracing::warn!(message_id = message.id, error = %err, "push message could not be built");
                return Attempt::Failed(None);
            }
        };
        // A dead push service must not hang us.
        match tokio::time::timeout(self.timeout, request.send()).await {
            Err(_) => Attempt::Retry {
                status: None,
                after: None,
            },
            Ok(Err(err)) => {
                // The endpoint URL is the device's address at its push service: not logged.
                let err = err.without_url();
                tracing::info!(message_id = message.id, error = %err, "push service unreachable");
                Attempt::Retry {
                    status: None,
                    after: None,
                }
            }
            Ok(Ok(response)) => classify(
                response.status(),
                response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok()),
            ),
        }
    }

    fn build(
        &self,
        message: &MessageRow,
        subscription: &SubscriptionRow,
    ) -> anyhow::Result<reqwest::RequestBuilder> {
        let info = SubscriptionInfo::new(
            subscription.endpoint.as_str(),
            subscription.p256dh.as_str(),
            subscription.auth.as_str(),
        );
        let authorization = self.authorization(&info)?;
        let key = |text: &str| URL_SAFE_NO_PAD.decode(text.trim_end_matches('='));
        let body = encrypt::encrypt(
            &key(&subscription.p256dh)?,
            &key(&subscription.auth)?,
            message.payload.as_bytes(),
        )?;
        let mut request = self
            .http
            .post(subscription.endpoint.as_str())
            .header("TTL", self.ttl_seconds.to_string())
            // A retry after a crash replaces, rather than repeats, a message already queued.
            .header("Topic", format!("m{}", message.id))
            .header(CONTENT_ENCODING, "aes128gcm")
            .header(CONTENT_TYPE, "application/octet-stream")
            .header(AUTHORIZATION, authorization);
        if message.urgent {
            request = request.header("Urgency", "high");
        }
        Ok(request.body(body))
    }
}

/// Maps a push service's answer to what we do next.
pub fn classify(status: StatusCode, retry_after: Option<&str>) -> Attempt {
    let code = Some(status.as_u16());
    match status.as_u16() {
        200..=299 => Attempt::Sent(status.as_u16()),
        404 | 410 => Attempt::Gone(code),
        // A redirect is not followed (it could point anywhere) and will not change.
        300..=399 => Attempt::Failed(code),
        429 | 500..=599 => Attempt::Retry {
            status: code,
            // Only delta-seconds; an HTTP-date falls back to our own backoff.
            after: retry_after
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs),
        },
        _ => Attempt::Failed(code),
    }
}

/// The wait before attempt `attempts + 1`: the service's Retry-After if it gave one,
/// else 30 s doubling per attempt; never more than six hours.
pub fn retry_delay(attempts: i32, retry_after: Option<Duration>) -> TimeDelta {
    let backoff = 30i64 << attempts.clamp(1, 8).saturating_sub(1);
    let seconds = retry_after.map_or(backoff, |d| d.as_secs() as i64).max(1);
    TimeDelta::seconds(seconds.min(6 * 3600))
}

/// Delivers every due message once. Safe to run from several sweeps or servers at once:
/// a message is claimed (compare-and-set on its attempt count) before it is sent.
pub async fn deliver_due(
    db: &Db,
    pusher: &Pusher,
    clock: &Clock,
) -> Result<DeliveryReport, ApiError> {
    let now = clock.now();
    let (timeout, concurrency) = (pusher.timeout, pusher.concurrency.max(1));
    let claimed = db
        .write(move |conn| -> Result<_, ApiError> {
            let due = push::due_messages(conn, now, BATCH)?;
            // The claim hides the batch for longer than sending all of it can take, each
            // message up to its timeout, with two rounds to spare: no other sweep sends a
            // message this one still holds. After a crash they are free again then.
            let rounds = due.len().div_ceil(concurrency) as u32 + 2;
            let lease_until =
                now + TimeDelta::from_std(timeout * rounds).unwrap_or(TimeDelta::hours(1));
            let mut mine = Vec::with_capacity(due.len());
            for message in due {
                if push::claim_message(conn, &message, lease_until)? {
                    mine.push(message);
                }
            }
            let ids: Vec<i64> = mine.iter().filter_map(|m| m.subscription_id).collect();
            let subscriptions: HashMap<i64, SubscriptionRow> = push::find_all(conn, &ids)?
                .into_iter()
                .map(|s| (s.id, s))
                .collect();
            // A device may have several messages due: each takes a copy of its row.
            let claimed: Vec<_> = mine
                .into_iter()
                .map(|message| {
                    let subscription = message
                        .subscription_id
                        .and_then(|id| subscriptions.get(&id).cloned());
                    (message, subscription)
                })
                .collect();
            Ok(claimed)
        })
        .await?;
    // Each outcome is written as soon as it is known, with the others known by then, and
    // a sender takes its next message only once its outcome is committed: a sweep killed
    // half-way leaves only the messages then in flight to be sent again (under the same
    // Topic, so the push service replaces rather than repeats them).
    let (recorder, writing) = record::recorder(db, pusher.max_attempts);
    let sending = futures::stream::iter(claimed)
        // The stream holds the senders' handle on the recorder: `writing` ends with it.
        .map(move |(message, subscription)| {
            let recorder = recorder.clone();
            async move {
                let attempt = match &subscription {
                    Some(subscription) => pusher.send(&message, subscription).await,
                    None => Attempt::Gone(None),
                };
                recorder
                    .record(Outcome {
                        message,
                        subscription: subscription.map(|s| s.id),
                        attempt,
                        at: clock.now(),
                    })
                    .await
            }
        })
        .buffer_unordered(concurrency)
        .collect::<Vec<Option<Recorded>>>();
    let (outcomes, written) = futures::join!(sending, writing);
    written?;
    let mut report = DeliveryReport::default();
    for outcome in outcomes.into_iter().flatten() {
        match outcome {
            Recorded::Sent => report.sent += 1,
            Recorded::Gone => report.gone += 1,
            Recorded::Retried => report.retried += 1,
            Recorded::Failed => report.failed += 1,
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_map_to_actions() {
        assert_eq!(classify(StatusCode::CREATED, None), Attempt::Sent(201));
        assert_eq!(classify(StatusCode::GONE, None), Attempt::Gone(Some(410)));
        assert_eq!(
            classify(StatusCode::NOT_FOUND, None),
            Attempt::Gone(Some(404))
        );
        assert_eq!(
            classify(StatusCode::TOO_MANY_REQUESTS, Some("120")),
            Attempt::Retry {
                status: Some(429),
                after: Some(Duration::from_secs(120))
            }
        );
        assert_eq!(
            classify(
                StatusCode::BAD_GATEWAY,
                Some("Wed, 21 Oct 2026 07:28:00 GMT")
            ),
            Attempt::Retry {
                status: Some(502),
                after: None
            }
        );
        assert_eq!(
            classify(StatusCode::FORBIDDEN, None),
            Attempt::Failed(Some(403))
        );
        assert_eq!(
            classify(StatusCode::TEMPORARY_REDIRECT, None),
            Attempt::Failed(Some(307))
        );
    }

    #[test]
    fn backoff_doubles_and_respects_retry_after() {
        assert_eq!(retry_delay(1, None), TimeDelta::seconds(30));
        assert_eq!(retry_delay(2, None), TimeDelta::seconds(60));
        assert_eq!(retry_delay(4, None), TimeDelta::seconds(240));
        assert_eq!(
            retry_delay(1, Some(Duration::from_secs(7))),
            TimeDelta::seconds(7)
        );
        assert_eq!(
            retry_delay(1, Some(Duration::from_secs(999_999))),
            TimeDelta::hours(6)
        );
    }
}
