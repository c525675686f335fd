//! Bounded, trimmed free text.

use super::Invalid;

/// Characters that change how the text around them shows without showing themselves:
/// writing-direction marks, embeddings, overrides and isolates (an alias written
/// "Roos", U+202E, "kiP" shows as "RoosPik"), the zero-width space, the word joiner and
/// the byte-order mark.
/// The zero-width joiner stays: emoji sequences need it.
fn is_deceptive_format(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Trims `raw` and checks it has 1..=max characters, no control characters and no
/// characters that disguise it (`is_deceptive_format`).
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
    if text.chars().any(is_deceptive_format) {
        return Err(Invalid::new(
            "validation_failed",
            format!("{field} contains invisible characters that change how it shows."),
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
        assert!(bounded("alias", "Roos\u{202E}kiP", 10).is_err());
        assert!(bounded("alias", "\u{2067}Roos", 10).is_err());
        assert_eq!(
            bounded("alias", "Zoë 👩\u{200D}🦰", 10).unwrap(),
            "Zoë 👩\u{200D}🦰"
        );
        assert_eq!(optional("note", Some("  "), 10).unwrap(), None);
    }
}
