//! Bounded, trimmed free text.

use super::Invalid;

/// Trims `raw` and checks it has 1..=max characters and no control characters.
pub fn bounded(field: &str, raw: &str, max: usize) -> Result<String, Invalid> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(Invalid::new(
            "validation_failed",
            format!("{field} must not be empty."),
        ));
    }
    if text.chars().count() > max {
        return Err(Invalid::new(
            "validation_failed",
            format!("{field} may be at most {max} characters."),
        ));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Invalid::new(
            "validation_failed",
            format!("{field} contains control characters."),
        ));
    }
    Ok(text.to_owned())
}

/// Like `bounded`, but blank input means "none".
pub fn optional(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>, Invalid> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => bounded(field, text, max).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_bounds() {
        assert_eq!(bounded("alias", "  Roos ", 10).unwrap(), "Roos");
        assert!(bounded("alias", "   ", 10).is_err());
        assert!(bounded("alias", "abcdefghijk", 10).is_err());
        assert!(bounded("alias", "a\u{0}b", 10).is_err());
        assert_eq!(optional("note", Some("  "), 10).unwrap(), None);
    }
}
