//! Reading the team's client list from a CSV file, as a spreadsheet exports it: the Dutch
//! form (`;`, with a byte-order mark so Excel reads UTF-8) or the comma form, UTF-8 with
//! or without the mark. The delimiter is the one the header line uses; headers are matched
//! whatever their case (`columns`), columns InBeeld does not know are named and ignored.
//!
//! Whether a row creates or changes a client is decided against the database
//! (`app::client_import`); this module only reads. A row that cannot be read carries
//! language-neutral codes with its line and column, which the app puts into words.
//! An empty cell is no value: a new client gets the intake default, a known one keeps
//! what she has (an import never clears a field).

mod cells;
mod columns;

pub use cells::Answer;
pub use columns::{Column, template};

use chrono::NaiveDate;
use serde::Serialize;

use super::Invalid;
use super::client::{Alias, ClientCode, Region, ThresholdDays};
use super::text;

/// Rows in one file at most (a team's list is a few dozen).
pub const MAX_ROWS: usize = 2000;

/// Why one row cannot be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowError {
    /// A value the row needs is empty: the code, or for a new client her roepnaam and
    /// region, or one of the three registration columns when another is filled.
    MissingValue,
    BadCode,
    BadText,
    TooLong,
    BadDate,
    BadNumber,
    BadYesNo,
    UnknownRegion,
    /// Another row of the same file has this code: which one is right is not for the
    /// import to guess, so neither is imported.
    DuplicateCode,
    ExpiryBeforeGrant,
    /// The grant's day lies in the future.
    DateInFuture,
    /// The grant's day lies before her latest registration event (the history is kept in
    /// order; an older grant is no news).
    BeforeLatestEvent,
}

/// A cell that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellError {
    pub column: Column,
    pub error: RowError,
}

/// A registration as the list gives it: granted on a day, with its number and expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub number: String,
    pub granted_on: NaiveDate,
    pub expires_on: NaiveDate,
}

/// A row read in full; `None` is an empty cell or a column the file does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub code: ClientCode,
    pub alias: Option<Alias>,
    pub region: Option<Region>,
    pub intake_on: Option<NaiveDate>,
    pub threshold: Option<ThresholdDays>,
    pub addiction: Option<Answer>,
    pub sheltered_housing: Option<bool>,
    pub known_at_huiskamer: Option<bool>,
    pub registration: Option<Grant>,
}

/// One line of the file (its number as a spreadsheet shows it, the header being 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub line: u64,
    /// The code cell as written, to show which row is meant.
    pub code: String,
    pub read: Result<ImportRow, Vec<CellError>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFile {
    /// Headers of columns InBeeld does not read.
    pub ignored_columns: Vec<String>,
    pub lines: Vec<Line>,
}

/// Reads a whole file; a file that is not a client list at all is refused whole.
pub fn parse(bytes: &[u8]) -> Result<ImportFile, Invalid> {
    let bytes = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| not_utf8())?;
    // A browser that reads a file as UTF-8 turns every byte it cannot read into U+FFFD.
    if text.contains('\u{FFFD}') {
        return Err(not_utf8());
    }
    let header_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or_else(empty)?;
    let delimiter = if header_line.matches(';').count() >= header_line.matches(',').count()
        && header_line.contains(';')
    {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = loop {
        match records.next() {
            None => return Err(empty()),
            Some(record) => {
                let record = record.map_err(unreadable)?;
                if record.iter().any(|cell| !cell.is_empty()) {
                    break record;
                }
            }
        }
    };
    let mut columns: Vec<Option<Column>> = Vec::new();
    let mut ignored_columns = Vec::new();
    for name in header.iter() {
        let column = Column::from_header(name);
        if column.is_some() && columns.contains(&column) {
            return Err(Invalid::new(
                "csv_duplicate_column",
                format!("The column \"{name}\" appears twice."),
            ));
        }
        if column.is_none() && !name.is_empty() {
            ignored_columns.push(name.to_owned());
        }
        columns.push(column);
    }
    if !columns.contains(&Some(Column::Code)) {
        return Err(Invalid::new(
            "csv_no_code_column",
            "The first line must name the columns, one of them \"code\".",
        ));
    }
    let mut lines = Vec::new();
    for record in records {
        let record = record.map_err(unreadable)?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        if lines.len() == MAX_ROWS {
            return Err(Invalid::new(
                "csv_too_many_rows",
                format!("A file may hold at most {MAX_ROWS} clients."),
            ));
        }
        let line = record
            .position()
            .map_or(0, |at| line_of(text, at.byte() as usize));
        let cell = |wanted: Column| {
            columns
                .iter()
                .position(|c| *c == Some(wanted))
                .and_then(|i| record.get(i))
                .filter(|cell| !cell.is_empty())
        };
        lines.push(Line {
            line,
            code: cell(Column::Code).unwrap_or_default().to_owned(),
            read: read_row(cell),
        });
    }
    mark_duplicate_codes(&mut lines);
    Ok(ImportFile {
        ignored_columns,
        lines,
    })
}

/// The line a record starting at `byte` begins on. (`csv` counts the line before the `\n`
/// of a `\r\n` as the record's start, one too few.)
fn line_of(text: &str, byte: usize) -> u64 {
    let rest = text.get(byte..).unwrap_or_default();
    let start = byte + (rest.len() - rest.trim_start_matches(['\r', '\n']).len());
    let newlines = text.as_bytes()[..start]
        .iter()
        .filter(|b| **b == b'\n')
        .count();
    newlines as u64 + 1
}

fn not_utf8() -> Invalid {
    Invalid::new(
        "csv_not_utf8",
        "The file is not UTF-8 text: save it as \"CSV UTF-8\".",
    )
}

fn empty() -> Invalid {
    Invalid::new("csv_empty", "The file holds no lines.")
}

fn unreadable(_: csv::Error) -> Invalid {
    Invalid::new("csv_unreadable", "The file is not a readable CSV file.")
}

/// Reads one row's cells (`cell` gives a column's non-empty cell), collecting every error.
fn read_row<'a>(cell: impl Fn(Column) -> Option<&'a str>) -> Result<ImportRow, Vec<CellError>> {
    let mut errors = Vec::new();
    let mut read = |column: Column, parse: &dyn Fn(&str) -> Result<(), RowError>| {
        if let Some(text) = cell(column)
            && let Err(error) = parse(text)
        {
            errors.push(CellError { column, error });
        }
    };
    read(Column::Code, &|t| {
        ClientCode::parse(t)
            .map(drop)
            .map_err(|_| RowError::BadCode)
    });
    read(Column::Alias, &|t| alias(t).map(drop));
    read(Column::Region, &|t| cells::region(t).map(drop));
    for column in [
        Column::IntakeOn,
        Column::RegistrationGrantedOn,
        Column::RegistrationExpiresOn,
    ] {
        read(column, &|t| cells::date(t).map(drop));
    }
    read(Column::ThresholdDays, &|t| threshold(t).map(drop));
    read(Column::Addiction, &|t| cells::answer(t).map(drop));
    read(Column::ShelteredHousing, &|t| cells::yes_no(t).map(drop));
    read(Column::KnownAtHuiskamer, &|t| cells::yes_no(t).map(drop));
    read(Column::RegistrationNumber, &|t| {
        registration_number(t).map(drop)
    });
    if cell(Column::Code).is_none() {
        errors.push(CellError {
            column: Column::Code,
            error: RowError::MissingValue,
        });
    }
    let registration = [
        Column::RegistrationNumber,
        Column::RegistrationGrantedOn,
        Column::RegistrationExpiresOn,
    ];
    if registration.iter().any(|c| cell(*c).is_some()) {
        for column in registration {
            if cell(column).is_none() {
                errors.push(CellError {
                    column,
                    error: RowError::MissingValue,
                });
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Every cell read above; reading again cannot fail.
    let date = |c| cell(c).and_then(|t| cells::date(t).ok());
    let registration = match (
        cell(Column::RegistrationNumber).and_then(|t| registration_number(t).ok()),
        date(Column::RegistrationGrantedOn),
        date(Column::RegistrationExpiresOn),
    ) {
        (Some(number), Some(granted_on), Some(expires_on)) => {
            if expires_on <= granted_on {
                return Err(vec![CellError {
                    column: Column::RegistrationExpiresOn,
                    error: RowError::ExpiryBeforeGrant,
                }]);
            }
            Some(Grant {
                number,
                granted_on,
                expires_on,
            })
        }
        _ => None,
    };
    let Some(code) = cell(Column::Code).and_then(|t| ClientCode::parse(t).ok()) else {
        return Err(vec![CellError {
            column: Column::Code,
            error: RowError::MissingValue,
        }]);
    };
    Ok(ImportRow {
        code,
        alias: cell(Column::Alias).and_then(|t| alias(t).ok()),
        region: cell(Column::Region).and_then(|t| cells::region(t).ok()),
        intake_on: date(Column::IntakeOn),
        threshold: cell(Column::ThresholdDays).and_then(|t| threshold(t).ok()),
        addiction: cell(Column::Addiction).and_then(|t| cells::answer(t).ok()),
        sheltered_housing: cell(Column::ShelteredHousing).and_then(|t| cells::yes_no(t).ok()),
        known_at_huiskamer: cell(Column::KnownAtHuiskamer).and_then(|t| cells::yes_no(t).ok()),
        registration,
    })
}

fn alias(text: &str) -> Result<Alias, RowError> {
    if text.chars().count() > 40 {
        return Err(RowError::TooLong);
    }
    Alias::parse(text).map_err(|_| RowError::BadText)
}

fn registration_number(text: &str) -> Result<String, RowError> {
    if text.chars().count() > 40 {
        return Err(RowError::TooLong);
    }
    text::bounded("registration_number", text, 40).map_err(|_| RowError::BadText)
}

fn threshold(text: &str) -> Result<ThresholdDays, RowError> {
    text.parse::<i64>()
        .ok()
        .and_then(|days| ThresholdDays::parse(days).ok())
        .ok_or(RowError::BadNumber)
}

/// Every row whose code another row of the file has too becomes unreadable.
fn mark_duplicate_codes(lines: &mut [Line]) {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for line in lines.iter() {
        if let Ok(row) = &line.read {
            *seen.entry(row.code.clone().into_inner()).or_default() += 1;
        }
    }
    for line in lines.iter_mut() {
        if let Ok(row) = &line.read
            && seen
                .get(&row.code.clone().into_inner())
                .is_some_and(|n| *n > 1)
        {
            line.read = Err(vec![CellError {
                column: Column::Code,
                error: RowError::DuplicateCode,
            }]);
        }
    }
}

#[cfg(test)]
mod tests;
