use chrono::NaiveDate;

use super::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn errors(line: &Line) -> Vec<(Column, RowError)> {
    match &line.read {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|e| (e.column, e.error)).collect(),
    }
}

const DUTCH: &str = "\u{FEFF}Code;Roepnaam;Regio;Intakedatum;Buiten beeld na dagen;Verslaving;\
Beschermd wonen;Bekend bij huiskamer;Registratienummer;Registratie verleend op;Registratie verloopt op\r\n\
NM-001;Roos;Nijmegen;15-03-2024;21;ja;nee;ja;R-17;01-04-2024;01-04-2025\r\n\
NM-002;\"Lies; de tweede\";MO-regio;2024-05-01;;onbekend;;;;;\r\n";

#[test]
fn the_dutch_form_with_its_byte_order_mark_is_read_in_full() {
    let file = parse(DUTCH.as_bytes()).unwrap();
    assert!(file.ignored_columns.is_empty());
    assert_eq!(file.lines.len(), 2);
    let first = file.lines[0].read.clone().unwrap();
    assert_eq!(file.lines[0].line, 2);
    assert_eq!(first.code.into_inner(), "NM-001");
    assert_eq!(first.alias.unwrap().into_inner(), "Roos");
    assert_eq!(first.region, Some(Region::Nijmegen));
    assert_eq!(first.intake_on, Some(ymd(2024, 3, 15)));
    assert_eq!(first.threshold.map(ThresholdDays::get), Some(21));
    assert_eq!(first.addiction, Some(Answer::Yes));
    assert_eq!(first.sheltered_housing, Some(false));
    assert_eq!(first.known_at_huiskamer, Some(true));
    assert_eq!(
        first.registration,
        Some(Grant {
            number: "R-17".into(),
            granted_on: ymd(2024, 4, 1),
            expires_on: ymd(2025, 4, 1),
        })
    );
    let second = file.lines[1].read.clone().unwrap();
    assert_eq!(second.alias.unwrap().into_inner(), "Lies; de tweede");
    assert_eq!(second.region, Some(Region::MoRegion));
    assert_eq!(second.threshold, None);
    assert_eq!(second.sheltered_housing, None);
    assert_eq!(second.registration, None);
}

#[test]
fn the_comma_form_without_a_mark_reads_the_same() {
    let comma = "code,roepnaam,regio,intakedatum\nNM-001,\"Roos, R.\",nijmegen,15-03-2024\n";
    let file = parse(comma.as_bytes()).unwrap();
    let row = file.lines[0].read.clone().unwrap();
    assert_eq!(row.alias.unwrap().into_inner(), "Roos, R.");
    assert_eq!(row.intake_on, Some(ymd(2024, 3, 15)));
}

#[test]
fn files_that_are_no_client_list_are_refused_whole() {
    let code = |bytes: &[u8]| parse(bytes).unwrap_err().code;
    assert_eq!(code(b"code;roepnaam\nNM-1;Ren\xe9e\n"), "csv_not_utf8");
    assert_eq!(
        code("code;roepnaam\nNM-1;Ren\u{FFFD}e\n".as_bytes()),
        "csv_not_utf8"
    );
    assert_eq!(code(b""), "csv_empty");
    assert_eq!(code("\u{FEFF}\r\n".as_bytes()), "csv_empty");
    assert_eq!(code(b"naam;regio\nRoos;Nijmegen\n"), "csv_no_code_column");
    assert_eq!(code(b"code;Code\nNM-1;NM-1\n"), "csv_duplicate_column");
    let many = format!("code\n{}", "NM-1\n".repeat(MAX_ROWS + 1));
    assert_eq!(code(many.as_bytes()), "csv_too_many_rows");
}

#[test]
fn unknown_columns_are_named_and_empty_lines_skipped() {
    let file = parse(b"code;casemanager;roepnaam\n;;\nNM-1;Els;Roos\n;;\n").unwrap();
    assert_eq!(file.ignored_columns, vec!["casemanager".to_owned()]);
    assert_eq!(file.lines.len(), 1);
    assert_eq!(file.lines[0].line, 3);
}

#[test]
fn every_unreadable_cell_is_named_with_its_line_and_column() {
    let text = "code;roepnaam;regio;intakedatum;buiten beeld na dagen;verslaving;beschermd wonen\n\
        NM-1;Roos;Arnhem;31-02-2024;0;misschien;onbekend\n\
        ;Lies;Nijmegen;;;;\n\
        NM 3;Anna;;;;;\n";
    let file = parse(text.as_bytes()).unwrap();
    assert_eq!(
        errors(&file.lines[0]),
        vec![
            (Column::Region, RowError::UnknownRegion),
            (Column::IntakeOn, RowError::BadDate),
            (Column::ThresholdDays, RowError::BadNumber),
            (Column::Addiction, RowError::BadYesNo),
            (Column::ShelteredHousing, RowError::BadYesNo),
        ]
    );
    assert_eq!(file.lines[1].line, 3);
    assert_eq!(
        errors(&file.lines[1]),
        vec![(Column::Code, RowError::MissingValue)]
    );
    assert_eq!(file.lines[2].code, "NM 3");
    assert_eq!(
        errors(&file.lines[2]),
        vec![(Column::Code, RowError::BadCode)]
    );
}

#[test]
fn a_registration_needs_its_number_and_both_dates_in_order() {
    let text = "code;registratienummer;registratie verleend op;registratie verloopt op\n\
        NM-1;R-1;01-04-2024;\n\
        NM-2;R-2;01-04-2024;01-03-2024\n";
    let file = parse(text.as_bytes()).unwrap();
    assert_eq!(
        errors(&file.lines[0]),
        vec![(Column::RegistrationExpiresOn, RowError::MissingValue)]
    );
    assert_eq!(
        errors(&file.lines[1]),
        vec![(Column::RegistrationExpiresOn, RowError::ExpiryBeforeGrant)]
    );
}

#[test]
fn a_code_twice_in_one_file_imports_neither_row() {
    let file = parse(b"code;roepnaam\nNM-1;Roos\nNM-2;Lies\nNM-1;Rosa\n").unwrap();
    assert_eq!(
        errors(&file.lines[0]),
        vec![(Column::Code, RowError::DuplicateCode)]
    );
    assert!(file.lines[1].read.is_ok());
    assert_eq!(
        errors(&file.lines[2]),
        vec![(Column::Code, RowError::DuplicateCode)]
    );
}

#[test]
fn a_quoted_cell_over_two_lines_keeps_the_line_numbers_true() {
    let file = parse(b"code;roepnaam\nNM-1;\"Roos\nRood\"\nNM-2;Lies\n").unwrap();
    assert_eq!(file.lines[0].line, 2);
    assert_eq!(file.lines[1].line, 4);
}
