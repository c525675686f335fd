//! The columns of the team's client list: their Dutch headers (with the variants
//! spreadsheets carry) and the template a coordinator downloads.

/// A column InBeeld reads. Its `header` is the Dutch name in the template and the name
/// row errors give (`{line, column: "intakedatum", error}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Code,
    Alias,
    Region,
    IntakeOn,
    ThresholdDays,
    Addiction,
    ShelteredHousing,
    KnownAtHuiskamer,
    RegistrationNumber,
    RegistrationGrantedOn,
    RegistrationExpiresOn,
}

impl Column {
    /// In the template's order.
    pub const ALL: &'static [Column] = &[
        Column::Code,
        Column::Alias,
        Column::Region,
        Column::IntakeOn,
        Column::ThresholdDays,
        Column::Addiction,
        Column::ShelteredHousing,
        Column::KnownAtHuiskamer,
        Column::RegistrationNumber,
        Column::RegistrationGrantedOn,
        Column::RegistrationExpiresOn,
    ];

    pub fn header(self) -> &'static str {
        match self {
            Column::Code => "code",
            Column::Alias => "roepnaam",
            Column::Region => "regio",
            Column::IntakeOn => "intakedatum",
            Column::ThresholdDays => "buiten beeld na dagen",
            Column::Addiction => "verslaving",
            Column::ShelteredHousing => "beschermd wonen",
            Column::KnownAtHuiskamer => "bekend bij huiskamer",
            Column::RegistrationNumber => "registratienummer",
            Column::RegistrationGrantedOn => "registratie verleend op",
            Column::RegistrationExpiresOn => "registratie verloopt op",
        }
    }

    /// Other headers that mean this column, normalised (`normalise`).
    fn variants(self) -> &'static [&'static str] {
        match self {
            Column::Code => &["clientcode", "client code", "code client", "cliënt"],
            Column::Alias => &["alias", "naam", "roep naam"],
            Column::Region => &["woonregio"],
            Column::IntakeOn => &["intake", "intake datum", "datum intake", "intake op"],
            Column::ThresholdDays => &[
                "buiten beeld na",
                "buiten beeld na (dagen)",
                "buiten beeld (dagen)",
                "dagen buiten beeld",
            ],
            Column::Addiction => &["verslaafd"],
            Column::ShelteredHousing => &["beschermd wonen (bw)", "bw"],
            Column::KnownAtHuiskamer => &[
                "bekend bij de huiskamer",
                "bekend in de huiskamer",
                "bekend huiskamer",
                "huiskamer",
            ],
            Column::RegistrationNumber => &[
                "registratie nummer",
                "registratienr",
                "registratienr.",
                "registratie nr",
                "registratie",
            ],
            Column::RegistrationGrantedOn => &[
                "registratie verleend",
                "verleend op",
                "registratiedatum",
                "datum registratie",
            ],
            Column::RegistrationExpiresOn => &[
                "registratie verloopt",
                "verloopt op",
                "vervaldatum",
                "registratie geldig tot",
                "geldig tot",
            ],
        }
    }

    /// The column a header names, whatever its case, spacing, underscores or diaeresis.
    pub fn from_header(header: &str) -> Option<Column> {
        let wanted = normalise(header);
        Column::ALL.iter().copied().find(|column| {
            normalise(column.header()) == wanted
                || column.variants().iter().any(|v| normalise(v) == wanted)
        })
    }
}

fn normalise(header: &str) -> String {
    let lower = header.trim().to_lowercase().replace(['_', '-'], " ");
    let plain: String = lower
        .chars()
        .map(|c| match c {
            'ë' | 'é' | 'è' => 'e',
            'ï' => 'i',
            other => other,
        })
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The template: a byte-order mark (so Excel with Dutch settings reads it as UTF-8), the
/// Dutch headers separated by `;`, and one example row.
pub fn template(columns: &[Column]) -> String {
    let headers: Vec<&str> = columns.iter().map(|c| c.header()).collect();
    let example: Vec<&str> = columns.iter().map(|c| example(*c)).collect();
    format!("\u{FEFF}{}\r\n{}\r\n", headers.join(";"), example.join(";"))
}

fn example(column: Column) -> &'static str {
    match column {
        Column::Code => "NM-001",
        Column::Alias => "Roos",
        Column::Region => "Nijmegen",
        Column::IntakeOn => "15-03-2024",
        Column::ThresholdDays => "14",
        Column::Addiction => "onbekend",
        Column::ShelteredHousing => "nee",
        Column::KnownAtHuiskamer => "ja",
        Column::RegistrationNumber => "R-2024-017",
        Column::RegistrationGrantedOn => "01-04-2024",
        Column::RegistrationExpiresOn => "01-04-2025",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_whatever_their_case_and_spelling() {
        assert_eq!(Column::from_header("Code"), Some(Column::Code));
        assert_eq!(Column::from_header(" Cliëntcode "), Some(Column::Code));
        assert_eq!(Column::from_header("ROEPNAAM"), Some(Column::Alias));
        assert_eq!(
            Column::from_header("Buiten_beeld_na_dagen"),
            Some(Column::ThresholdDays)
        );
        assert_eq!(
            Column::from_header("Registratie  verloopt op"),
            Some(Column::RegistrationExpiresOn)
        );
        assert_eq!(
            Column::from_header("Bekend bij de Huiskamer"),
            Some(Column::KnownAtHuiskamer)
        );
        assert_eq!(Column::from_header("casemanager"), None);
    }

    #[test]
    fn every_header_and_variant_names_one_column_only() {
        for column in Column::ALL {
            for name in std::iter::once(column.header()).chain(column.variants().iter().copied()) {
                assert_eq!(Column::from_header(name), Some(*column), "{name}");
            }
        }
    }

    #[test]
    fn the_template_is_dutch_excel_csv() {
        let text = template(&[Column::Code, Column::Alias]);
        assert_eq!(text, "\u{FEFF}code;roepnaam\r\nNM-001;Roos\r\n");
    }
}
