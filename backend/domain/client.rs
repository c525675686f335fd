//! A client: a pseudonymous woman in the team's caseload. Registration is optional.

use serde::{Deserialize, Serialize};

use super::Invalid;
use super::code::Code;
use super::text;

/// The roepnaam the team uses. Never a legal name; never logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias(String);

impl Alias {
    pub fn parse(raw: &str) -> Result<Alias, Invalid> {
        text::bounded("alias", raw, 40).map(Alias)
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// The team's internal code for a client, e.g. `NM-014`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCode(String);

impl ClientCode {
    pub fn parse(raw: &str) -> Result<ClientCode, Invalid> {
        let code = raw.trim();
        let ok = (1..=20).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(ClientCode(code.to_owned()))
        } else {
            Err(Invalid::new(
                "validation_failed",
                "code must be 1 to 20 letters, digits, - or _.",
            ))
        }
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Days without contact before a client is out of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThresholdDays(i32);

impl ThresholdDays {
    pub fn parse(days: i64) -> Result<ThresholdDays, Invalid> {
        match i32::try_from(days) {
            Ok(d) if (1..=365).contains(&d) => Ok(ThresholdDays(d)),
            _ => Err(Invalid::new(
                "validation_failed",
                "followup_threshold_days must be between 1 and 365.",
            )),
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    None,
    Applied,
    Registered,
    Refused,
    /// Never stored: a registration past its last valid day, as shown
    /// (`registration::status_on`).
    Expired,
    Ended,
}

impl Code for RegistrationStatus {
    const ALL: &'static [Self] = &[
        Self::None,
        Self::Applied,
        Self::Registered,
        Self::Refused,
        Self::Expired,
        Self::Ended,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Applied => "applied",
            Self::Registered => "registered",
            Self::Refused => "refused",
            Self::Expired => "expired",
            Self::Ended => "ended",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    Nijmegen,
    /// The wider region of the central municipality for social care (MO-regio).
    MoRegion,
    Outside,
}

impl Code for Region {
    const ALL: &'static [Self] = &[Self::Nijmegen, Self::MoRegion, Self::Outside];

    fn as_str(self) -> &'static str {
        match self {
            Self::Nijmegen => "nijmegen",
            Self::MoRegion => "mo_region",
            Self::Outside => "outside",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseloadStatus {
    Active,
    RegularCare,
    Closed,
}

impl Code for CaseloadStatus {
    const ALL: &'static [Self] = &[Self::Active, Self::RegularCare, Self::Closed];

    fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::RegularCare => "regular_care",
            Self::Closed => "closed",
        }
    }
}

/// Whether she has an addiction, as far as the team knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Addiction {
    Yes,
    No,
    Unknown,
}

impl Code for Addiction {
    const ALL: &'static [Self] = &[Self::Yes, Self::No, Self::Unknown];

    fn as_str(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
            Self::Unknown => "unknown",
        }
    }
}

/// Why her trajectory was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExitReason {
    /// Handed over to regular care for good (no longer monitored by the team).
    RegularCare,
    /// Moved away, or back to her home region.
    MovedAway,
    StoppedSexWork,
    Detained,
    Deceased,
    Other,
}

impl Code for ExitReason {
    const ALL: &'static [Self] = &[
        Self::RegularCare,
        Self::MovedAway,
        Self::StoppedSexWork,
        Self::Detained,
        Self::Deceased,
        Self::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::RegularCare => "regular_care",
            Self::MovedAway => "moved_away",
            Self::StoppedSexWork => "stopped_sex_work",
            Self::Detained => "detained",
            Self::Deceased => "deceased",
            Self::Other => "other",
        }
    }
}

/// A short note with an exit reason (at most 200 characters); blank means none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitNote(String);

impl ExitNote {
    pub fn parse(raw: Option<&str>) -> Result<Option<ExitNote>, Invalid> {
        text::optional("note", raw, 200).map(|note| note.map(ExitNote))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_codes_are_parsed() {
        assert_eq!(Alias::parse(" Roos ").unwrap().into_inner(), "Roos");
        assert!(Alias::parse("").is_err());
        assert!(ClientCode::parse("NM-014").is_ok());
        assert!(ClientCode::parse("NM 014").is_err());
        assert!(ThresholdDays::parse(0).is_err());
        assert_eq!(ThresholdDays::parse(21).unwrap().get(), 21);
        assert_eq!(ExitNote::parse(Some("  ")), Ok(None));
        assert!(ExitNote::parse(Some(&"x".repeat(201))).is_err());
        assert!(ExitNote::parse(Some(&"x".repeat(200))).unwrap().is_some());
    }

    #[test]
    fn codes_round_trip() {
        for status in RegistrationStatus::ALL {
            assert_eq!(
                RegistrationStatus::from_code(status.as_str()),
                Some(*status)
            );
        }
        assert_eq!(Region::from_code("mo_region"), Some(Region::MoRegion));
        assert_eq!(CaseloadStatus::from_code("gone"), None);
        for reason in ExitReason::ALL {
            assert_eq!(ExitReason::from_code(reason.as_str()), Some(*reason));
        }
        assert_eq!(Addiction::from_code("unknown"), Some(Addiction::Unknown));
    }
}
