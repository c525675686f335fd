use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::*;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn scored(on: &str, id: i64, domain: LifeDomain, score: i64) -> Scored {
    Scored {
        on: day(on),
        assessment_id: id,
        domain,
        score: Score::parse(score).unwrap(),
    }
}

#[test]
fn scores_are_one_to_five() {
    assert!(Score::parse(0).is_err());
    assert_eq!(Score::parse(1).unwrap().get(), 1);
    assert_eq!(Score::parse(5).unwrap().get(), 5);
    assert_eq!(Score::parse(6).unwrap_err().code, "score_out_of_range");
    assert_eq!(Score::parse(-3).unwrap_err().code, "score_out_of_range");
}

#[test]
fn an_assessment_is_of_the_past_names_each_domain_once_and_scores_one() {
    let today = day("2026-11-23");
    let housing = |score| DomainScore::parse("housing", score, None).unwrap();
    let ok = Assessment {
        on: today,
        scores: vec![
            housing(Some(2)),
            DomainScore::parse("finances", None, None).unwrap(),
        ],
    };
    let checked = check(ok.clone(), today).unwrap();
    assert_eq!(checked.scores[0].domain, LifeDomain::Finances);
    let future = Assessment {
        on: day("2026-11-24"),
        ..ok.clone()
    };
    assert_eq!(check(future, today).unwrap_err().code, "date_in_future");
    let twice = Assessment {
        on: today,
        scores: vec![housing(Some(2)), housing(Some(3))],
    };
    assert_eq!(check(twice, today).unwrap_err().code, "duplicate_domain");
    let none = Assessment {
        on: today,
        scores: vec![housing(None)],
    };
    assert_eq!(check(none, today).unwrap_err().code, "nothing_scored");
    assert_eq!(
        DomainScore::parse("wonen", Some(2), None).unwrap_err().code,
        "unknown_domain"
    );
}

#[test]
fn only_its_author_corrects_it_within_a_day() {
    let at: NaiveDateTime = "2026-11-23T10:00:00".parse().unwrap();
    assert_eq!(
        may_correct(Some(7), at, 7, at + TimeDelta::hours(24)),
        Ok(())
    );
    assert_eq!(
        may_correct(
            Some(7),
            at,
            7,
            at + TimeDelta::hours(24) + TimeDelta::seconds(1)
        ),
        Err(CorrectionRefusal::TooLate)
    );
    assert_eq!(
        may_correct(Some(7), at, 8, at),
        Err(CorrectionRefusal::NotYours)
    );
    assert_eq!(
        may_correct(None, at, 8, at),
        Err(CorrectionRefusal::NotYours)
    );
}

#[test]
fn progress_compares_the_latest_score_with_the_first() {
    use LifeDomain::*;
    let progress = Progress::from_scores(&[
        scored("2026-09-01", 2, Housing, 3),
        scored("2026-06-01", 1, Housing, 1),
        scored("2026-06-01", 1, Finances, 4),
        scored("2026-09-01", 2, Finances, 2),
        scored("2026-06-01", 1, Justice, 3),
        scored("2026-09-01", 2, Justice, 3),
        scored("2026-09-01", 2, SubstanceUse, 2),
    ]);
    assert_eq!(progress.domains.len(), 13);
    let housing = progress
        .domains
        .iter()
        .find(|d| d.domain == Housing)
        .unwrap();
    assert_eq!(
        (housing.intake, housing.latest, housing.change),
        (Some(1), Some(3), Some(2))
    );
    assert_eq!(housing.points.len(), 2);
    assert_eq!(housing.points[0].on, day("2026-06-01"));
    let substances = progress
        .domains
        .iter()
        .find(|d| d.domain == SubstanceUse)
        .unwrap();
    assert_eq!((substances.latest, substances.change), (Some(2), None));
    let work = progress
        .domains
        .iter()
        .find(|d| d.domain == WorkEducation)
        .unwrap();
    assert!(work.points.is_empty() && work.latest.is_none());
    assert_eq!(
        (progress.improved, progress.declined, progress.equal),
        (1, 1, 1)
    );
}

#[test]
fn a_goal_names_known_domains_at_least_once() {
    let codes = |list: &[&str]| list.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let domains = GoalDomains::parse(&codes(&["housing", "finances", "housing"])).unwrap();
    assert_eq!(domains.get(), [LifeDomain::Finances, LifeDomain::Housing]);
    assert_eq!(domains.to_stored(), "finances,housing");
    assert_eq!(
        GoalDomains::from_stored("finances,housing").unwrap(),
        domains
    );
    assert_eq!(
        GoalDomains::parse(&codes(&[])).unwrap_err().code,
        "no_domain"
    );
    assert_eq!(
        GoalDomains::parse(&codes(&["wonen"])).unwrap_err().code,
        "unknown_domain"
    );
}

#[test]
fn an_action_has_one_owner_and_a_partner_its_contact() {
    assert_eq!(
        ActionOwner::parse(Some(3), None, None),
        Ok(ActionOwner::Member(3))
    );
    assert_eq!(
        ActionOwner::parse(None, Some(2), Some("Anna".into())),
        Ok(ActionOwner::Partner {
            partner_id: 2,
            contact: "Anna".into()
        })
    );
    assert_eq!(
        ActionOwner::parse(None, Some(2), None).unwrap_err().code,
        "partner_contact_required"
    );
    assert_eq!(
        ActionOwner::parse(Some(3), Some(2), Some("Anna".into()))
            .unwrap_err()
            .code,
        "one_owner"
    );
    assert_eq!(
        ActionOwner::parse(None, None, None).unwrap_err().code,
        "one_owner"
    );
}

#[test]
fn a_status_day_is_set_on_leaving_open_and_kept_after() {
    let (monday, friday) = (day("2026-11-23"), day("2026-11-27"));
    assert_eq!(status_on(true, false, None, friday), Some(friday));
    assert_eq!(status_on(false, false, Some(monday), friday), Some(monday));
    assert_eq!(status_on(false, true, Some(monday), friday), None);
    assert!(is_overdue(ActionStatus::Open, monday, friday));
    assert!(!is_overdue(ActionStatus::Open, friday, friday));
    assert!(!is_overdue(ActionStatus::Done, monday, friday));
}

#[test]
fn a_review_day_set_by_hand_holds_until_she_is_assessed_again() {
    let at = |text: &str| text.parse::<NaiveDateTime>().unwrap();
    let assessed = ReviewBasis {
        latest_assessment: Some(day("2026-11-20")),
        last_recorded_at: Some(at("2026-11-20T10:00:00")),
        set_by_hand: None,
    };
    assert_eq!(
        assessed.review_on(),
        Some(day("2027-02-20")),
        "three months on"
    );
    assert_eq!(
        ReviewBasis::default().review_on(),
        None,
        "no plan to review"
    );
    let set = ReviewBasis {
        set_by_hand: Some((day("2027-01-10"), at("2026-11-21T09:00:00"))),
        ..assessed
    };
    assert_eq!(set.review_on(), Some(day("2027-01-10")));
    assert_eq!(set.by_hand(), Some(day("2027-01-10")));
    let reviewed = ReviewBasis {
        latest_assessment: Some(day("2027-01-08")),
        last_recorded_at: Some(at("2027-01-08T12:00:00")),
        ..set
    };
    assert_eq!(
        reviewed.by_hand(),
        None,
        "the new assessment was the review"
    );
    assert_eq!(reviewed.review_on(), Some(day("2027-04-08")));
    let without_assessment = ReviewBasis {
        set_by_hand: Some((day("2027-01-10"), at("2026-11-21T09:00:00"))),
        ..ReviewBasis::default()
    };
    assert_eq!(without_assessment.review_on(), Some(day("2027-01-10")));
}
