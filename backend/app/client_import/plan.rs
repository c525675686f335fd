//! What each row of an import comes to: a new client, changes to a known one (only the
//! fields that differ), nothing, or the reasons it cannot be read; and the rows to write.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::{Field, ImportOutcome, RowAction, RowOutcome};
use crate::db::queries::clients::{ClientChanges, ClientRow, NewClient};
use crate::domain::client::{Addiction, CaseloadStatus, Region, RegistrationStatus, ThresholdDays};
use crate::domain::client_import::{Answer, CellError, Column, ImportFile, ImportRow, RowError};
use crate::domain::code::Code;

/// A write to make: a new client (`client` none) or changes to a known one.
pub(super) struct Step {
    pub client: Option<i64>,
    pub fields: Vec<Field>,
}

/// What each line comes to, and the writes that brings.
pub(super) fn plan<'a>(
    file: &'a ImportFile,
    known: &HashMap<String, ClientRow>,
) -> (ImportOutcome, Vec<(&'a ImportRow, Step)>) {
    let mut rows = Vec::new();
    let mut work = Vec::new();
    for line in &file.lines {
        let mut outcome = RowOutcome {
            line: line.line,
            code: line.code.clone(),
            action: RowAction::Error,
            fields: Vec::new(),
            errors: Vec::new(),
        };
        match &line.read {
            Err(errors) => outcome.errors.clone_from(errors),
            Ok(row) => match known.get(&row.code.clone().into_inner()) {
                None => {
                    outcome.errors = missing_for_intake(row);
                    if outcome.errors.is_empty() {
                        outcome.action = RowAction::Create;
                        outcome.fields = given(row);
                        work.push((
                            row,
                            Step {
                                client: None,
                                fields: outcome.fields.clone(),
                            },
                        ));
                    }
                }
                Some(client) => {
                    outcome.fields = differences(row, client);
                    if outcome.fields.is_empty() {
                        outcome.action = RowAction::Unchanged;
                    } else {
                        outcome.action = RowAction::Change;
                        work.push((
                            row,
                            Step {
                                client: Some(client.id),
                                fields: outcome.fields.clone(),
                            },
                        ));
                    }
                }
            },
        }
        rows.push(outcome);
    }
    let outcome = ImportOutcome {
        ignored_columns: file.ignored_columns.clone(),
        rows,
    };
    (outcome, work)
}

/// A new client needs what `POST /clients` needs: a roepnaam and a region.
fn missing_for_intake(row: &ImportRow) -> Vec<CellError> {
    let missing = |column| CellError {
        column,
        error: RowError::MissingValue,
    };
    let mut errors = Vec::new();
    if row.alias.is_none() {
        errors.push(missing(Column::Alias));
    }
    if row.region.is_none() {
        errors.push(missing(Column::Region));
    }
    errors
}

fn given(row: &ImportRow) -> Vec<Field> {
    let mut fields = vec![Field::Alias, Field::Region];
    if row.intake_on.is_some() {
        fields.push(Field::IntakeOn);
    }
    if row.threshold.is_some() {
        fields.push(Field::FollowupThresholdDays);
    }
    if row.registration.is_some() {
        fields.push(Field::Registration);
    }
    fields
}

/// The fields whose value in `row` differs from what she has.
fn differences(row: &ImportRow, client: &ClientRow) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut differs = |field, differ: bool| {
        if differ {
            fields.push(field);
        }
    };
    differs(
        Field::Alias,
        row.alias
            .as_ref()
            .is_some_and(|a| a.clone().into_inner() != client.alias),
    );
    differs(
        Field::Region,
        row.region.is_some_and(|r| r.as_str() != client.region),
    );
    differs(
        Field::IntakeOn,
        row.intake_on.is_some_and(|d| Some(d) != client.intake_on),
    );
    differs(
        Field::FollowupThresholdDays,
        row.threshold
            .is_some_and(|t| Some(t.get()) != client.followup_threshold_days),
    );
    differs(
        Field::Registration,
        row.registration.as_ref().is_some_and(|grant| {
            client.registration_status != RegistrationStatus::Registered.as_str()
                || client.registration_number.as_deref() != Some(grant.number.as_str())
                || client.registration_date != Some(grant.granted_on)
                || client.registration_expires_on != Some(grant.expires_on)
        }),
    );
    fields
}

pub(super) fn new_client(
    team: i64,
    row: &ImportRow,
    today: chrono::NaiveDate,
    now: NaiveDateTime,
) -> NewClient {
    NewClient {
        team_id: team,
        code: row.code.clone().into_inner(),
        alias: row
            .alias
            .clone()
            .map(|a| a.into_inner())
            .unwrap_or_default(),
        // A grant in the file is recorded as her first registration event.
        registration_status: RegistrationStatus::None.as_str().to_owned(),
        registration_number: None,
        registration_date: None,
        registration_expires_on: None,
        region: row.region.unwrap_or(Region::Nijmegen).as_str().to_owned(),
        caseload_status: CaseloadStatus::Active.as_str().to_owned(),
        intake_on: Some(row.intake_on.unwrap_or(today)),
        exit_on: None,
        followup_threshold_days: row.threshold.map(ThresholdDays::get),
        created_at: now,
        updated_at: now,
        // The categories are read at intake only: a later import does not change them
        // (her casemanagers keep them in her file).
        addiction: match row.addiction {
            Some(Answer::Yes) => Addiction::Yes,
            Some(Answer::No) => Addiction::No,
            Some(Answer::Unknown) | None => Addiction::Unknown,
        }
        .as_str()
        .to_owned(),
        sheltered_housing: row.sheltered_housing.unwrap_or(false),
        known_at_huiskamer: row.known_at_huiskamer.unwrap_or(false),
        exit_reason: None,
        exit_note: None,
    }
}

/// The changes `fields` name, with their values from `row`.
pub(super) fn changes(row: &ImportRow, fields: &[Field], now: NaiveDateTime) -> ClientChanges {
    let mut changes = ClientChanges {
        updated_at: Some(now),
        ..ClientChanges::default()
    };
    for field in fields {
        match field {
            Field::Alias => changes.alias = row.alias.clone().map(|a| a.into_inner()),
            Field::Region => changes.region = row.region.map(|r| r.as_str().to_owned()),
            Field::IntakeOn => changes.intake_on = row.intake_on.map(Some),
            Field::FollowupThresholdDays => {
                changes.followup_threshold_days = row.threshold.map(|t| Some(t.get()));
            }
            // Recorded as a registration event (`record_grant`).
            Field::Registration => {}
        }
    }
    changes
}
