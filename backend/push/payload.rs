//! What a push notification says. It shows on locked screens, so it never carries an
//! alias, a note or a health detail: only counts and a deep link into the signed-in app.

use serde::Serialize;

use crate::db::queries::notifications::PendingRow;
use crate::domain::code::Code;
use crate::domain::followup::FollowupKind;
use crate::domain::notification::NotificationKind;

const ABSENCE: NotificationKind = NotificationKind::Followup(FollowupKind::Absence);

#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct Payload {
    pub title: String,
    pub body: String,
    /// A deep link inside the app, e.g. `/#/opvolging/123`.
    pub url: String,
    /// Notifications with the same tag replace each other on the device.
    pub tag: String,
}

/// A warning of an acute danger at the zone: the same words for every warning and
/// nothing of what it is about (a car, a description); that waits in the app, behind
/// sign-in, on Vanavond. Its own tag, so it never replaces or is replaced by a summary.
pub fn warning() -> Payload {
    Payload {
        title: "InBeeld".to_owned(),
        body: "Waarschuwing: open InBeeld".to_owned(),
        url: "/#/vanavond".to_owned(),
        tag: "inbeeld-warning".to_owned(),
    }
}

/// Combines everything pending for one user, warnings aside, into one notification.
pub fn compose(pending: &[PendingRow]) -> (Payload, bool) {
    let urgent = pending.iter().any(|n| n.urgent);
    let count_of = |kind: NotificationKind| -> i64 {
        pending
            .iter()
            .filter(|n| n.kind == kind.as_str())
            .map(|n| i64::from(n.item_count))
            .sum()
    };
    let absences = count_of(ABSENCE);
    let reminders = count_of(NotificationKind::Followup(FollowupKind::Reminder));
    let registrations = count_of(NotificationKind::Followup(FollowupKind::RegistrationExpiry));
    let waiting = NotificationKind::Followup(FollowupKind::ReferralWaiting);
    let referrals = count_of(waiting);
    let plan_actions = count_of(NotificationKind::Followup(FollowupKind::PlanAction));
    let plan_reviews = count_of(NotificationKind::Followup(FollowupKind::PlanReview));
    let aftercare = count_of(NotificationKind::Followup(FollowupKind::Aftercare));
    let decisions = count_of(NotificationKind::Followup(FollowupKind::MeetingDecision));
    let escalations = count_of(NotificationKind::Escalation);
    let escalated_by_hand = count_of(NotificationKind::EscalatedByHand);
    let digest = count_of(NotificationKind::Digest);
    let shift_reminders = count_of(NotificationKind::ShiftReminder);
    let handed_to_me = count_of(NotificationKind::HandoverIn);
    let handed_by_me = count_of(NotificationKind::HandoverOut);
    let stagnations = count_of(NotificationKind::StagnationReported);
    let answers = count_of(NotificationKind::StagnationAnswered);
    let thresholds: Vec<i32> = pending
        .iter()
        .filter(|n| n.kind == ABSENCE.as_str())
        .filter_map(|n| n.threshold_days)
        .collect();
    let same_threshold = thresholds.windows(2).all(|w| w[0] == w[1]);
    let clients = |n: i64| if n == 1 { "cliënt" } else { "cliënten" };
    let days = |n: i32| if n == 1 { "dag" } else { "dagen" };
    let mut parts = Vec::new();
    if absences > 0 {
        parts.push(match thresholds.first() {
            Some(&threshold) if same_threshold => {
                format!(
                    "{absences} {} al {threshold} {} niet gezien",
                    clients(absences),
                    days(threshold)
                )
            }
            _ => format!("{absences} {} te lang niet gezien", clients(absences)),
        });
    }
    if reminders > 0 {
        let noun = if reminders == 1 {
            "herinnering"
        } else {
            "herinneringen"
        };
        parts.push(format!("{reminders} {noun} voor vandaag"));
    }
    if registrations > 0 {
        parts.push(if registrations == 1 {
            "1 registratie verloopt binnenkort".to_owned()
        } else {
            format!("{registrations} registraties verlopen binnenkort")
        });
    }
    if referrals > 0 {
        let waited = pending
            .iter()
            .filter(|n| n.kind == waiting.as_str())
            .find_map(|n| n.threshold_days);
        parts.push(match (referrals, waited) {
            (1, Some(waited)) => format!("1 verwijzing wacht al {waited} {}", days(waited)),
            (1, None) => "1 verwijzing wacht te lang".to_owned(),
            (n, _) => format!("{n} verwijzingen wachten te lang"),
        });
    }
    if plan_actions > 0 {
        parts.push(if plan_actions == 1 {
            "1 actie uit een plan is over de datum".to_owned()
        } else {
            format!("{plan_actions} acties uit plannen zijn over de datum")
        });
    }
    if plan_reviews > 0 {
        parts.push(if plan_reviews == 1 {
            "1 plan is toe aan evaluatie".to_owned()
        } else {
            format!("{plan_reviews} plannen zijn toe aan evaluatie")
        });
    }
    if aftercare > 0 {
        parts.push(format!(
            "Nazorg: {aftercare} keer even checken hoe het gaat"
        ));
    }
    if decisions > 0 {
        parts.push(if decisions == 1 {
            "1 afspraak uit het casusoverleg is over de datum".to_owned()
        } else {
            format!("{decisions} afspraken uit het casusoverleg zijn over de datum")
        });
    }
    let followups = |n: i64| if n == 1 { "opvolging" } else { "opvolgingen" };
    if escalations > 0 {
        parts.push(format!(
            "{escalations} opgeschaalde {} zonder reactie",
            followups(escalations)
        ));
    }
    if escalated_by_hand > 0 {
        parts.push(format!(
            "{escalated_by_hand} {} naar je opgeschaald",
            followups(escalated_by_hand)
        ));
    }
    if handed_to_me > 0 {
        parts.push(match handed_to_me {
            1 => "Warme overdracht: er is een cliënt aan je overgedragen".to_owned(),
            n => format!("Warme overdracht: er zijn {n} cliënten aan je overgedragen"),
        });
    }
    if handed_by_me > 0 {
        parts.push(match handed_by_me {
            1 => "Warme overdracht: je draagt een cliënt over".to_owned(),
            n => format!("Warme overdracht: je draagt {n} cliënten over"),
        });
    }
    if stagnations > 0 {
        parts.push(match stagnations {
            1 => "1 stagnatie naar je opgeschaald".to_owned(),
            n => format!("{n} stagnaties naar je opgeschaald"),
        });
    }
    if answers > 0 {
        parts.push(match answers {
            1 => "De procesregisseur reageerde op een stagnatie".to_owned(),
            n => format!("De procesregisseur reageerde {n} keer op stagnaties"),
        });
    }
    if digest > 0 {
        parts.push(format!("Goedemorgen: {digest} open {}", followups(digest)));
    }
    if shift_reminders > 0 {
        parts.push(if shift_reminders == 1 {
            "Je dienst begint straks".to_owned()
        } else {
            format!("{shift_reminders} diensten beginnen straks")
        });
    }
    let url = match pending {
        [only] if only.kind == NotificationKind::ShiftReminder.as_str() => "/#/vanavond".to_owned(),
        [only] => match (only.followup_id, only.client_id) {
            (Some(followup), _) => format!("/#/opvolging/{followup}"),
            (None, Some(client)) => format!("/#/client/{client}"),
            (None, None) => "/#/opvolging".to_owned(),
        },
        _ => "/#/opvolging".to_owned(),
    };
    let payload = Payload {
        title: "InBeeld".to_owned(),
        body: parts.join(" · "),
        url,
        tag: if urgent { "inbeeld-urgent" } else { "inbeeld" }.to_owned(),
    };
    (payload, urgent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: &str, followup: Option<i64>, days: Option<i32>, count: i32) -> PendingRow {
        PendingRow {
            id: 1,
            user_id: 1,
            kind: kind.to_owned(),
            followup_id: followup,
            client_id: None,
            threshold_days: days,
            item_count: count,
            urgent: kind.starts_with("escalation"),
        }
    }

    #[test]
    fn one_absence_links_to_its_follow_up() {
        let (payload, urgent) = compose(&[row("absence", Some(123), Some(14), 1)]);
        assert_eq!(payload.body, "1 cliënt al 14 dagen niet gezien");
        assert_eq!(payload.url, "/#/opvolging/123");
        assert!(!urgent);
        // Her own threshold may be a single day.
        let (payload, _) = compose(&[row("absence", Some(123), Some(1), 1)]);
        assert_eq!(payload.body, "1 cliënt al 1 dag niet gezien");
    }

    #[test]
    fn a_shift_reminder_opens_tonight() {
        let (payload, urgent) = compose(&[row("shift_reminder", None, None, 1)]);
        assert_eq!(payload.body, "Je dienst begint straks");
        assert_eq!(payload.url, "/#/vanavond");
        assert!(!urgent);
    }

    #[test]
    fn an_expiring_registration_is_counted_without_saying_whose() {
        let (payload, urgent) = compose(&[row("registration_expiry", Some(7), None, 1)]);
        assert_eq!(payload.body, "1 registratie verloopt binnenkort");
        assert_eq!(payload.url, "/#/opvolging/7");
        assert!(!urgent);
        let (payload, _) = compose(&[
            row("registration_expiry", Some(7), None, 1),
            row("registration_expiry", Some(8), None, 1),
            row("reminder", Some(9), None, 1),
        ]);
        assert_eq!(
            payload.body,
            "1 herinnering voor vandaag · 2 registraties verlopen binnenkort"
        );
    }

    #[test]
    fn a_waiting_referral_says_how_long_but_not_whose_or_what() {
        let (payload, _) = compose(&[row("referral_waiting", Some(3), Some(42), 1)]);
        assert_eq!(payload.body, "1 verwijzing wacht al 42 dagen");
        assert_eq!(payload.url, "/#/opvolging/3");
        let (payload, _) = compose(&[row("referral_waiting", Some(3), Some(1), 1)]);
        assert_eq!(payload.body, "1 verwijzing wacht al 1 dag");
        let (payload, _) = compose(&[
            row("referral_waiting", Some(3), Some(42), 1),
            row("referral_waiting", Some(4), Some(180), 1),
        ]);
        assert_eq!(payload.body, "2 verwijzingen wachten te lang");
    }

    #[test]
    fn a_stagnation_says_neither_whose_nor_why() {
        let mut reported = row("stagnation_reported", None, None, 1);
        reported.client_id = Some(12);
        let (payload, _) = compose(&[reported]);
        assert_eq!(payload.body, "1 stagnatie naar je opgeschaald");
        assert_eq!(payload.url, "/#/client/12");
        let (payload, _) = compose(&[row("stagnation_answered", None, None, 1)]);
        assert_eq!(
            payload.body,
            "De procesregisseur reageerde op een stagnatie"
        );
    }

    #[test]
    fn the_plan_s_follow_ups_are_counted_without_saying_whose() {
        let (payload, urgent) = compose(&[row("plan_action", Some(7), None, 1)]);
        assert_eq!(payload.body, "1 actie uit een plan is over de datum");
        assert_eq!(payload.url, "/#/opvolging/7");
        assert!(!urgent);
        let (payload, _) = compose(&[
            row("plan_action", Some(7), None, 1),
            row("plan_action", Some(8), None, 1),
            row("plan_review", Some(9), None, 1),
            row("aftercare", Some(10), None, 1),
        ]);
        assert_eq!(
            payload.body,
            "2 acties uit plannen zijn over de datum · 1 plan is toe aan evaluatie · \
             Nazorg: 1 keer even checken hoe het gaat"
        );
    }

    #[test]
    fn several_become_one_summary() {
        let (payload, urgent) = compose(&[
            row("absence", Some(1), Some(14), 1),
            row("absence", Some(2), Some(14), 1),
            row("absence", Some(3), Some(7), 1),
            row("escalation", Some(4), None, 1),
        ]);
        assert_eq!(
            payload.body,
            "3 cliënten te lang niet gezien · 1 opgeschaalde opvolging zonder reactie"
        );
        assert_eq!(payload.url, "/#/opvolging");
        assert!(urgent);
    }

    #[test]
    fn an_escalation_by_hand_does_not_claim_nobody_answered() {
        let (payload, urgent) = compose(&[row("escalation_by_hand", Some(5), None, 1)]);
        assert_eq!(payload.body, "1 opvolging naar je opgeschaald");
        assert_eq!(payload.url, "/#/opvolging/5");
        assert!(urgent);
        let (payload, _) = compose(&[
            row("escalation", Some(4), None, 1),
            row("escalation", Some(6), None, 1),
            row("escalation_by_hand", Some(5), None, 1),
        ]);
        assert_eq!(
            payload.body,
            "2 opgeschaalde opvolgingen zonder reactie · 1 opvolging naar je opgeschaald"
        );
    }

    #[test]
    fn a_handover_links_to_the_client_and_names_nobody() {
        let mut handover = row("handover_in", None, None, 1);
        handover.client_id = Some(42);
        let (payload, urgent) = compose(std::slice::from_ref(&handover));
        assert_eq!(
            payload.body,
            "Warme overdracht: er is een cliënt aan je overgedragen"
        );
        assert_eq!(payload.url, "/#/client/42");
        assert!(!urgent);
        let (both, _) = compose(&[handover.clone(), row("handover_out", None, None, 1)]);
        assert_eq!(
            both.body,
            "Warme overdracht: er is een cliënt aan je overgedragen · \
             Warme overdracht: je draagt een cliënt over"
        );
        assert_eq!(both.url, "/#/opvolging");
    }
}
