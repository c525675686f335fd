//! One cell of the client list: dates as a Dutch spreadsheet writes them, ja/nee/onbekend,
//! the region in words.

use chrono::NaiveDate;

use super::RowError;
use crate::domain::client::Region;
use crate::domain::day;

/// `dd-mm-jjjj` (also `d-m-jjjj`, with `/` or `.`) or `jjjj-mm-dd`, in a plausible year.
pub fn date(cell: &str) -> Result<NaiveDate, RowError> {
    let parts: Vec<&str> = cell.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(RowError::BadDate);
    };
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (Some(a_n), Some(b_n), Some(c_n)) = (number(a), number(b), number(c)) else {
        return Err(RowError::BadDate);
    };
    let (year, month, dayn) = match (a.len(), c.len()) {
        (4, 1..=2) => (a_n, b_n, c_n),
        (1..=2, 4) => (c_n, b_n, a_n),
        _ => return Err(RowError::BadDate),
    };
    let date = i32::try_from(year)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, month, dayn))
        .ok_or(RowError::BadDate)?;
    day::day("date", date).map_err(|_| RowError::BadDate)
}

/// An answer in a ja/nee/onbekend column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    Unknown,
}

pub fn answer(cell: &str) -> Result<Answer, RowError> {
    match cell.trim().to_lowercase().as_str() {
        "ja" | "j" | "yes" | "y" | "1" | "true" | "waar" | "x" => Ok(Answer::Yes),
        "nee" | "n" | "no" | "0" | "false" | "onwaar" => Ok(Answer::No),
        "onbekend" | "?" | "unknown" | "weet niet" => Ok(Answer::Unknown),
        _ => Err(RowError::BadYesNo),
    }
}

/// A ja/nee column: `onbekend` is no answer there.
pub fn yes_no(cell: &str) -> Result<bool, RowError> {
    match answer(cell)? {
        Answer::Yes => Ok(true),
        Answer::No => Ok(false),
        Answer::Unknown => Err(RowError::BadYesNo),
    }
}

/// Nijmegen, the MO-regio, or outside it; the API's codes are understood too.
pub fn region(cell: &str) -> Result<Region, RowError> {
    let words = cell.trim().to_lowercase().replace(['-', '_'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    match words.as_str() {
        "nijmegen" => Ok(Region::Nijmegen),
        "mo regio" | "mo region" | "regio" | "regio nijmegen" | "mo regio nijmegen" => {
            Ok(Region::MoRegion)
        }
        "buiten de regio" | "buiten regio" | "buiten" | "elders" | "outside" => Ok(Region::Outside),
        _ => Err(RowError::UnknownRegion),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_are_read_the_dutch_and_the_iso_way() {
        assert_eq!(date("15-03-2024"), Ok(ymd(2024, 3, 15)));
        assert_eq!(date("5-3-2024"), Ok(ymd(2024, 3, 5)));
        assert_eq!(date("05/03/2024"), Ok(ymd(2024, 3, 5)));
        assert_eq!(date("2024-03-15"), Ok(ymd(2024, 3, 15)));
        assert_eq!(date("31-02-2024"), Err(RowError::BadDate));
        assert_eq!(date("15-03-24"), Err(RowError::BadDate));
        assert_eq!(date("03-15-2024"), Err(RowError::BadDate));
        assert_eq!(date("15 maart 2024"), Err(RowError::BadDate));
        assert_eq!(date("01-01-1890"), Err(RowError::BadDate));
        assert_eq!(date("+1-01-2024"), Err(RowError::BadDate));
    }

    #[test]
    fn answers_are_ja_nee_onbekend() {
        assert_eq!(answer("Ja"), Ok(Answer::Yes));
        assert_eq!(answer(" NEE "), Ok(Answer::No));
        assert_eq!(answer("onbekend"), Ok(Answer::Unknown));
        assert_eq!(answer("misschien"), Err(RowError::BadYesNo));
        assert_eq!(yes_no("ja"), Ok(true));
        assert_eq!(yes_no("onbekend"), Err(RowError::BadYesNo));
    }

    #[test]
    fn regions_are_read_in_words() {
        assert_eq!(region("Nijmegen"), Ok(Region::Nijmegen));
        assert_eq!(region("MO-regio"), Ok(Region::MoRegion));
        assert_eq!(region("mo_region"), Ok(Region::MoRegion));
        assert_eq!(region("Buiten de regio"), Ok(Region::Outside));
        assert_eq!(region("Arnhem"), Err(RowError::UnknownRegion));
    }
}
