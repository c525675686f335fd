//! The 13 life domains of the ZRM 2017, as codes. Only the domain names are used, never
//! the matrix's cell descriptions (those are GGD Amsterdam's).

use serde::{Deserialize, Serialize};

use crate::domain::code::Code;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LifeDomain {
    /// Financiën
    Finances,
    /// Werk & opleiding
    WorkEducation,
    /// Tijdsbesteding
    TimeUse,
    /// Huisvesting
    Housing,
    /// Huiselijke relaties
    DomesticRelations,
    /// Geestelijke gezondheid
    MentalHealth,
    /// Lichamelijke gezondheid
    PhysicalHealth,
    /// Middelengebruik
    SubstanceUse,
    /// Basale ADL
    BasicAdl,
    /// Instrumentele ADL
    InstrumentalAdl,
    /// Sociaal netwerk
    SocialNetwork,
    /// Maatschappelijke participatie
    SocialParticipation,
    /// Justitie
    Justice,
}

impl Code for LifeDomain {
    /// In the order of the matrix, which the screens keep.
    const ALL: &'static [Self] = &[
        Self::Finances,
        Self::WorkEducation,
        Self::TimeUse,
        Self::Housing,
        Self::DomesticRelations,
        Self::MentalHealth,
        Self::PhysicalHealth,
        Self::SubstanceUse,
        Self::BasicAdl,
        Self::InstrumentalAdl,
        Self::SocialNetwork,
        Self::SocialParticipation,
        Self::Justice,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Finances => "finances",
            Self::WorkEducation => "work_education",
            Self::TimeUse => "time_use",
            Self::Housing => "housing",
            Self::DomesticRelations => "domestic_relations",
            Self::MentalHealth => "mental_health",
            Self::PhysicalHealth => "physical_health",
            Self::SubstanceUse => "substance_use",
            Self::BasicAdl => "basic_adl",
            Self::InstrumentalAdl => "instrumental_adl",
            Self::SocialNetwork => "social_network",
            Self::SocialParticipation => "social_participation",
            Self::Justice => "justice",
        }
    }
}
