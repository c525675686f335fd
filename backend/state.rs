//! What every handler and job shares: database, settings, clock, zone, push, metrics.

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::Db;
use crate::domain::caseload::AbsenceRules;
use crate::metrics::Metrics;
use crate::push::deliver::Pusher;
use crate::push::vapid::VapidKeys;
use crate::timezone::Zone;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    pub zone: Zone,
    pub vapid: VapidKeys,
    pub push: Arc<Pusher>,
    pub metrics: Arc<Metrics>,
    /// The WebAuthn relying party (passkeys), for `public_origin`.
    pub webauthn: Arc<webauthn_rs::Webauthn>,
}

impl AppState {
    /// The rules her absence follow-up falls due by: the thresholds set, and the zone.
    pub fn absence_rules(&self) -> AbsenceRules {
        AbsenceRules {
            thresholds: self.settings.absence_thresholds(),
            zone: self.zone,
        }
    }
}
