//! Roles and what each may touch. Need-to-know is decided here and enforced by the routes.

use serde::{Deserialize, Serialize};

use super::code::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Accounts, locations and settings; never client data.
    Admin,
    /// Keeps the team's whole caseload in view; plans shifts.
    Coordinator,
    Casemanager,
    /// Experience expert (ervaringsdeskundige): records contacts, sees the team's aliases.
    Peer,
    /// Sees only clients with a follow-up escalated to her; closes those follow-ups.
    ProcessDirector,
    /// Aggregate figures only, never a client record.
    Municipality,
}

impl Code for Role {
    const ALL: &'static [Role] = &[
        Role::Admin,
        Role::Coordinator,
        Role::Casemanager,
        Role::Peer,
        Role::ProcessDirector,
        Role::Municipality,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Casemanager => "casemanager",
            Role::Peer => "peer",
            Role::ProcessDirector => "process_director",
            Role::Municipality => "municipality",
        }
    }
}

impl Role {
    /// Field roles that work with the clients of their own team.
    pub fn is_care_role(self) -> bool {
        matches!(self, Role::Coordinator | Role::Casemanager | Role::Peer)
    }

    /// May read client records at all (list, page, contacts). The process director reads
    /// only clients with a follow-up escalated to her (`access::client`).
    pub fn reads_clients(self) -> bool {
        self.is_care_role() || self == Role::ProcessDirector
    }

    /// May create clients and change their file.
    pub fn edits_clients(self) -> bool {
        matches!(self, Role::Coordinator | Role::Casemanager)
    }

    /// May plan shifts and read the audit trail of a client.
    pub fn coordinates(self) -> bool {
        self == Role::Coordinator
    }

    /// Roles that must belong to a team.
    pub fn needs_team(self) -> bool {
        self.is_care_role()
    }
}
