//! CSV as a Dutch spreadsheet opens it. Excel with Dutch settings splits a line on `;` (the
//! comma is the decimal sign there: 5,7) and reads UTF-8 only after a byte-order mark;
//! without both, "Cliënt" arrives garbled and every line in one column. Text a
//! spreadsheet would run as a formula is defused.

/// A sheet being written: the byte-order mark and the header first, then one line per row.
pub struct Sheet {
    text: String,
}

impl Sheet {
    pub fn new(header: &[&str]) -> Sheet {
        let mut sheet = Sheet {
            text: String::from("\u{FEFF}"),
        };
        sheet.row(header);
        sheet
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let cells: Vec<String> = cells.iter().map(|c| cell(c.as_ref())).collect();
        self.text.push_str(&cells.join(";"));
        self.text.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.text
    }
}

/// A number as the Dutch write it in a sheet: a decimal comma, no thousands sign.
pub fn decimal(number: impl ToString) -> String {
    number.to_string().replace('.', ",")
}

/// RFC 4180 quoting (on `;`), and a leading `'` on text a spreadsheet would run as a
/// formula (a note that starts with `=`), as OWASP advises for CSV exports.
pub fn cell(raw: &str) -> String {
    let text = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("slaapzak"), "slaapzak");
        assert_eq!(cell("jas, maat 40"), "jas, maat 40");
        assert_eq!(cell("jas; maat 40"), "\"jas; maat 40\"");
        assert_eq!(cell("de \"goede\" jas"), "\"de \"\"goede\"\" jas\"");
        assert_eq!(cell("regel\nregel"), "\"regel\nregel\"");
        assert_eq!(cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(cell("-5"), "'-5");
    }

    #[test]
    fn a_sheet_starts_with_the_byte_order_mark_and_splits_on_semicolons() {
        let mut sheet = Sheet::new(&["cijfer", "waarde"]);
        sheet.row(&["gemiddeld", &decimal(5.7)]);
        assert_eq!(sheet.finish(), "\u{FEFF}cijfer;waarde\r\ngemiddeld;5,7\r\n");
    }
}
