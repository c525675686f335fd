//! Ids as types where they cross layers: a `ClientId` cannot be passed where a `UserId`
//! is meant. Stored and sent as plain integers.

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(
    /// A client (a woman in the team's care).
    ClientId
);
id!(
    /// An account.
    UserId
);
id!(
    /// A team.
    TeamId
);
id!(
    /// A shift.
    ShiftId
);
id!(
    /// A follow-up.
    FollowupId
);
id!(
    /// A location.
    LocationId
);
id!(
    /// A recorded contact.
    ContactId
);
id!(
    /// A partner organisation of the care chain.
    PartnerId
);
