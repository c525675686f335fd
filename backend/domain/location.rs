//! Places where contacts happen.

use serde::{Deserialize, Serialize};

use super::code::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    /// The tolerance zone (De Loods).
    Zone,
    /// The drop-in living room (Huiskamer De Cirkel).
    LivingRoom,
    Outreach,
    Phone,
    Other,
}

impl Code for LocationKind {
    const ALL: &'static [LocationKind] = &[
        LocationKind::Zone,
        LocationKind::LivingRoom,
        LocationKind::Outreach,
        LocationKind::Phone,
        LocationKind::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            LocationKind::Zone => "zone",
            LocationKind::LivingRoom => "living_room",
            LocationKind::Outreach => "outreach",
            LocationKind::Phone => "phone",
            LocationKind::Other => "other",
        }
    }
}
