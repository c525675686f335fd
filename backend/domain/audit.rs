//! The audit trail's values (NEN 7513): what happened to which client's data, by whom,
//! with what outcome, and the hash that chains each entry to the one before it. Never the
//! content (no alias, no note).

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use super::code::Code;

/// NEN 7513 action codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Read,
    Update,
    Delete,
    /// Execute: searches and exports.
    Execute,
}

impl Code for Action {
    const ALL: &'static [Action] = &[
        Action::Create,
        Action::Read,
        Action::Update,
        Action::Delete,
        Action::Execute,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Action::Create => "C",
            Action::Read => "R",
            Action::Update => "U",
            Action::Delete => "D",
            Action::Execute => "E",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// Refused: the role or team does not give access.
    Denied,
    /// Did not succeed: a wrong password or second-factor code.
    Failed,
}

impl Code for Outcome {
    const ALL: &'static [Outcome] = &[Outcome::Success, Outcome::Denied, Outcome::Failed];

    fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

/// The name under which InBeeld identifies itself as the source system.
pub const SOURCE_SYSTEM: &str = "inbeeld";

/// One event against one client (or none, for searches over many).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub name: &'static str,
    pub action: Action,
    pub client_id: Option<i64>,
}

impl Event {
    pub fn on(name: &'static str, action: Action, client_id: i64) -> Event {
        Event {
            name,
            action,
            client_id: Some(client_id),
        }
    }

    pub fn search(name: &'static str) -> Event {
        Event {
            name,
            action: Action::Execute,
            client_id: None,
        }
    }

    /// Signing in and out, second factors, the trail itself: about no client.
    pub fn account(name: &'static str, action: Action) -> Event {
        Event {
            name,
            action,
            client_id: None,
        }
    }
}

/// Who acted, and from where. A failed sign-in may have no user; InBeeld itself has no
/// user, session or address.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub user_id: Option<i64>,
    pub role: Option<&'a str>,
    pub session_id: Option<i64>,
    pub address: Option<&'a str>,
}

impl<'a> Actor<'a> {
    /// Someone signing in: the account tried, when there is one (never the name typed,
    /// which may be a password typed in the wrong field), and the session once it exists.
    pub fn signing_in(
        user: Option<(i64, &'a str)>,
        session_id: Option<i64>,
        address: &'a str,
    ) -> Actor<'a> {
        Actor {
            user_id: user.map(|(id, _)| id),
            role: user.map(|(_, role)| role),
            session_id,
            address: Some(address),
        }
    }

    /// What InBeeld does by itself (the retention sweep), recorded under the role `system`.
    pub const SYSTEM: Actor<'static> = Actor {
        user_id: None,
        role: Some("system"),
        session_id: None,
        address: None,
    };

    /// Someone at the server's command line (`inbeeld user add`, `audit verify`, `demo`):
    /// no account signed in, no address; the server's own logs say who was logged in.
    pub const COMMAND_LINE: Actor<'static> = Actor {
        user_id: None,
        role: Some("command_line"),
        session_id: None,
        address: None,
    };
}

/// The fields of one entry that its hash covers, as they are stored.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub occurred_at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub role: Option<&'a str>,
    pub session_id: Option<i64>,
    pub address: Option<&'a str>,
    pub event: &'a str,
    pub action: &'a str,
    pub client_id: Option<i64>,
    pub outcome: &'a str,
    pub source: &'a str,
    /// What changed, as a JSON object, where the event alone does not say it: whose
    /// account and its new role, team or state. Never a password, never client content.
    pub detail: Option<&'a str>,
}

impl<'a> Entry<'a> {
    pub fn new(actor: Actor<'a>, at: NaiveDateTime, event: &Event, outcome: Outcome) -> Entry<'a> {
        Entry {
            // Hashed as stored: both databases keep microseconds.
            occurred_at: crate::timezone::truncate_micros(at),
            user_id: actor.user_id,
            role: actor.role,
            session_id: actor.session_id,
            address: actor.address,
            event: event.name,
            action: event.action.as_str(),
            client_id: event.client_id,
            outcome: outcome.as_str(),
            source: SOURCE_SYSTEM,
            detail: None,
        }
    }

    /// The same entry saying what changed.
    pub fn with_detail(self, detail: &'a str) -> Entry<'a> {
        Entry {
            detail: Some(detail),
            ..self
        }
    }
}

/// The "previous hash" of the first entry of the chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of `entry` following `prev_hash`: SHA-256 over the previous hash and the
/// entry's fields as a JSON array (a fixed order and escaping), in lower-case hex. The
/// detail, when there is one, comes last: entries without one (all those from before it
/// existed) hash as they always did.
pub fn entry_hash(prev_hash: &str, entry: &Entry) -> String {
    let mut fields = serde_json::json!([
        entry
            .occurred_at
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string(),
        entry.user_id,
        entry.role,
        entry.session_id,
        entry.address,
        entry.event,
        entry.action,
        entry.client_id,
        entry.outcome,
        entry.source,
    ]);
    if let (Some(detail), Some(list)) = (entry.detail, fields.as_array_mut()) {
        list.push(detail.into());
    }
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(fields.to_string().as_bytes());
    format!("{:x}", hasher.finalize())
}

/// One hash that pins every lane's head at once: with one lane, its head; with several,
/// SHA-256 over "lane:head" lines in lane order (lower-case hex). Write it down, and a
/// chain rewritten later cannot end in the same heads.
pub fn heads_digest(heads: &[(i32, &str)]) -> String {
    if let [(_, head)] = heads {
        return (*head).to_owned();
    }
    let mut hasher = Sha256::new();
    for (lane, head) in heads {
        hasher.update(format!("{lane}:{head}\n").as_bytes());
    }
    format!("{:x}", hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_lane_is_pinned_by_its_head_and_several_by_a_digest_of_all() {
        assert_eq!(heads_digest(&[(1, "abc")]), "abc");
        // Computed apart from this code: sha256("1:aa\n2:bb\n").
        assert_eq!(
            heads_digest(&[(1, "aa"), (2, "bb")]),
            "4adae732dac0371ba90b36f41b5add825f101cdae210740f51732a0b3ca67aea"
        );
        assert_ne!(
            heads_digest(&[(1, "aa"), (2, "bb")]),
            heads_digest(&[(1, "aa"), (2, "bc")])
        );
    }

    fn entry() -> Entry<'static> {
        Entry {
            occurred_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
                .and_then(|d| d.and_hms_opt(19, 30, 0))
                .unwrap(),
            user_id: Some(1),
            role: Some("casemanager"),
            session_id: Some(2),
            address: Some("127.0.0.1"),
            event: "client.read",
            action: "R",
            client_id: Some(3),
            outcome: "success",
            source: SOURCE_SYSTEM,
            detail: None,
        }
    }

    #[test]
    fn entries_without_detail_hash_as_they_always_did() {
        // Computed apart from this code: sha256(GENESIS + "\n" + the fields' JSON array).
        assert_eq!(
            entry_hash(GENESIS, &entry()),
            "8fc9be09469db810ab7b6c7071a76a3e31683bf4a9cc0f1898170b683e2876a7"
        );
    }

    #[test]
    fn the_detail_is_covered_by_the_hash() {
        let detailed = entry().with_detail(r#"{"account":7}"#);
        assert_eq!(
            entry_hash(GENESIS, &detailed),
            "622166687dbdb69fafd64eea154c83fd2e58c5c360f5ea6b7d73af2babfd6ae2"
        );
        let other = entry().with_detail(r#"{"account":8}"#);
        assert_ne!(entry_hash(GENESIS, &detailed), entry_hash(GENESIS, &other));
    }
}
