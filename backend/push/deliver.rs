//! Delivery of the push outbox: claim due messages, send them concurrently with a
//! timeout each, and record every attempt. 404/410 remove the subscription; 429 and 5xx
//! retry with backoff (honouring Retry-After) up to a bounded number of attempts.
//! Redirects are never followed, and nothing goes to an endpoint the policy refuses.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta};
use futures::StreamExt;
use reqwest::StatusCode;
use web_push::{
    ContentEncoding, PartialVapidSignatureBuilder, SubscriptionInfo, Urgency, VapidSignature,
    WebPushMessageBuilder, request_builder,
};

use crate::clock::Clock;
use crate::db::Db;
use crate::db::queries::push::{self, MessageRow, SubscriptionRow};
use crate::domain::sweep::DeliveryReport;
use crate::error::ApiError;
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
    /// VAPID JWTs per push service: one signature serves every device of that service for
    /// its lifetime (web-push signs them for 12 hours; we reuse one for at most 1 hour).
    signatures: Mutex<HashMap<String, (Instant, VapidSignature)>>,
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

    /// The VAPID signature for the push service behind `info`, signed at most once an hour.
    fn signature(&self, info: &SubscriptionInfo) -> anyhow::Result<VapidSignature> {
        let url = reqwest::Url::parse(&info.endpoint)?;
        // The JWT's `aud` is the endpoint's scheme and host (web-push drops the port).
        let audience = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
        let mut cache = self.signatures.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((signed_at, signature)) = cache.get(&audience)
            && signed_at.elapsed() < SIGNATURE_REUSE
        {
            return Ok(signature.clone());
        }
        let mut builder = self.vapid.clone().add_sub_info(info);
        // Without a real contact Apple answers 403 BadJwtToken; the default is a placeholder.
        builder.add_claim("sub", self.subject.as_str());
        let signature = builder.build()?;
        cache.insert(audience, (Instant::now(), signature.clone()));
        Ok(signature)
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
        // Neither web-push client has a timeout; a dead push service must not hang us.
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
        let signature = self.signature(&info)?;
        let mut builder = WebPushMessageBuilder::new(&info);
        // Always a payload: without one web-push sends no VAPID Authorization header.
        builder.set_payload(ContentEncoding::Aes128Gcm, message.payload.as_bytes());
        builder.set_vapid_signature(signature);
        builder.set_ttl(self.ttl_seconds);
        if message.urgent {
            builder.set_urgency(Urgency::High);
        }
        // A retry after a crash replaces, rather than repeats, a message already queued.
        builder.set_topic(format!("m{}", message.id));
        let request: http::Request<Vec<u8>> = request_builder::build_request(builder.build()?);
        let mut out = self.http.post(request.uri().to_string());
        for (name, value) in request.headers() {
            out = out.header(name.as_str(), value.as_bytes());
        }
        Ok(out.body(request.into_body()))
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
            let mut claimed = Vec::new();
            for message in due {
                if push::claim_message(conn, &message, lease_until)? {
                    let subscription = match message.subscription_id {
                        Some(id) => push::find(conn, id)?,
                        None => None,
                    };
                    claimed.push((message, subscription));
                }
            }
            Ok(claimed)
        })
        .await?;
    let max_attempts = pusher.max_attempts;
    // Each outcome is written as soon as it is known, not after the whole batch: a sweep
    // killed half-way leaves only the messages then in flight to be sent again (under the
    // same Topic, so the push service replaces rather than repeats them).
    let outcomes: Vec<Result<Recorded, ApiError>> = futures::stream::iter(claimed)
        .map(|(message, subscription)| async move {
            let attempt = match &subscription {
                Some(subscription) => pusher.send(&message, subscription).await,
                None => Attempt::Gone(None),
            };
            let subscription = subscription.map(|s| s.id);
            let done = clock.now();
            // Committed with the other outcomes arriving at the same time (`Db::write`).
            db.write(move |conn| record(conn, &message, subscription, attempt, max_attempts, done))
                .await
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let mut report = DeliveryReport::default();
    for outcome in outcomes {
        match outcome? {
            Recorded::Sent => report.sent += 1,
            Recorded::Gone => report.gone += 1,
            Recorded::Retried => report.retried += 1,
            Recorded::Failed => report.failed += 1,
        }
    }
    Ok(report)
}

/// What became of one message.
enum Recorded {
    Sent,
    Gone,
    Retried,
    Failed,
}

fn record(
    conn: &mut crate::db::DbConnection,
    message: &MessageRow,
    subscription: Option<i64>,
    attempt: Attempt,
    max_attempts: i32,
    now: NaiveDateTime,
) -> Result<Recorded, ApiError> {
    let attempts = message.attempts + 1;
    let status_of = |s: Option<u16>| s.map(i32::from);
    Ok(match attempt {
        Attempt::Sent(status) => {
            push::record_attempt(
                conn,
                message.id,
                subscription,
                now,
                "sent",
                Some(i32::from(status)),
            )?;
            push::finish_message(conn, message.id, "sent", now)?;
            if let Some(id) = subscription {
                push::mark_subscription_success(conn, id, now)?;
            }
            Recorded::Sent
        }
        Attempt::Gone(status) => {
            push::record_attempt(
                conn,
                message.id,
                subscription,
                now,
                "gone",
                status_of(status),
            )?;
            push::finish_message(conn, message.id, "gone", now)?;
            if let Some(id) = subscription {
                push::remove_subscription(conn, id)?;
            }
            Recorded::Gone
        }
        Attempt::Retry { status, after } if attempts < max_attempts => {
            push::record_attempt(
                conn,
                message.id,
                subscription,
                now,
                "retry",
                status_of(status),
            )?;
            push::retry_message_at(conn, message.id, now + retry_delay(attempts, after))?;
            Recorded::Retried
        }
        Attempt::Retry { status, .. } | Attempt::Failed(status) => {
            push::record_attempt(
                conn,
                message.id,
                subscription,
                now,
                "failed",
                status_of(status),
            )?;
            push::finish_message(conn, message.id, "failed", now)?;
            Recorded::Failed
        }
    })
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
