//! The app's translation files against each other and against the API: the same keys in
//! Dutch and English, every error code the API answers with a text in both, and every code
//! the app shows (roles, statuses, kinds, ...) a label in both.
#![cfg(test)]

use std::collections::BTreeSet;
use std::path::Path;

use super::*;
use crate::app::client_import::Field;
use crate::domain::case_meeting::AgendaReason;
use crate::domain::caseload::StatusChange;
use crate::domain::client::{Addiction, CaseloadStatus, ExitReason, Region, RegistrationStatus};
use crate::domain::code::Code;
use crate::domain::contact::{ContactKind, Service};
use crate::domain::flex_budget::Category;
use crate::domain::followup::{FollowupKind, FollowupStatus, TimelineEvent};
use crate::domain::location::LocationKind;
use crate::domain::plan::LifeDomain;
use crate::domain::role::Role;
use crate::domain::signal::{HandoffMethod, Recipient, SignalKind, SignalStatus};

/// The keys of a translation file, in order, with their line numbers. The files hold one
/// `'key': 'text',` a line between `export default {` and `};`; any other line (but a
/// comment or a blank one) is an error, so no key can hide from this scanner.
fn translation_keys(path: &str) -> Result<Vec<(usize, String)>, String> {
    let asset = ASSETS
        .iter()
        .find(|a| a.path == path)
        .ok_or_else(|| format!("{path} is not embedded"))?;
    let text = std::str::from_utf8(asset.body).map_err(|e| format!("{path}: {e}"))?;
    let mut keys = Vec::new();
    for (number, line) in (1..).zip(text.lines()) {
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") || line == "export default {" || line == "};" {
            continue;
        }
        let key = line
            .strip_prefix('\'')
            .and_then(|rest| rest.split_once("': "))
            .map(|(key, _)| key)
            .filter(|key| !key.is_empty() && !key.contains('\''))
            .ok_or_else(|| format!("{path}:{number} is not a `'key': 'text',` line: {line}"))?;
        keys.push((number, key.to_owned()));
    }
    if keys.is_empty() {
        return Err(format!("{path} holds no keys"));
    }
    Ok(keys)
}

/// Problems with two translation files: keys one has and the other lacks, and keys
/// written twice in one file (in JavaScript the last one silently wins).
fn translation_problems(first: &str, second: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut sets = Vec::new();
    for path in [first, second] {
        let keys = match translation_keys(path) {
            Ok(keys) => keys,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let mut seen = std::collections::BTreeMap::new();
        for (number, key) in &keys {
            if let Some(earlier) = seen.insert(key.as_str(), *number) {
                problems.push(format!(
                    "{path}: `{key}` twice, on lines {earlier} and {number}"
                ));
            }
        }
        sets.push(
            keys.into_iter()
                .map(|(_, key)| key)
                .collect::<BTreeSet<_>>(),
        );
    }
    if let [a, b] = sets.as_slice() {
        for (path, has, other, lacks) in [(first, a, second, b), (second, b, first, a)] {
            let missing: Vec<&String> = has.difference(lacks).collect();
            if !missing.is_empty() {
                problems.push(format!("in {path} but not in {other}: {missing:?}"));
            }
        }
    }
    problems
}

/// The error codes the API can answer with: the code of every `ApiError::invalid`,
/// `bad_request`, `conflict` and `gone`, every `Invalid::new` and every `taken` (a
/// unique violation) in the backend's source, and the fixed codes of `ApiError`'s
/// other kinds.
fn api_error_codes() -> BTreeSet<String> {
    fn scan(dir: &Path, codes: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                scan(&path, codes);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // What the code answers, not what its tests say (`#[cfg(test)]`, `#![cfg(test)]`).
            let text = text.split("cfg(test)]").next().unwrap_or_default();
            let markers = [
                "ApiError::invalid(",
                "ApiError::bad_request(",
                "ApiError::conflict(",
                "ApiError::gone(",
                "Invalid::new(",
            ];
            let mut quoted_at = Vec::new();
            for marker in markers {
                for (at, _) in text.match_indices(marker) {
                    quoted_at.push(&text[at + marker.len()..]);
                }
            }
            // `taken(err, "code", ...)`: a unique violation answered as a conflict.
            for (at, _) in text.match_indices("taken(") {
                let call = &text[at + "taken(".len()..];
                if let Some((error, rest)) = call.split_once(',')
                    && error
                        .trim()
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_')
                {
                    quoted_at.push(rest);
                }
            }
            for rest in quoted_at {
                if let Some(quoted) = rest.trim_start().strip_prefix('"') {
                    codes.insert(quoted[..quoted.find('"').unwrap()].to_owned());
                }
            }
        }
    }
    let backend = Path::new(env!("CARGO_MANIFEST_DIR")).join("backend");
    let mut codes = BTreeSet::new();
    scan(&backend, &mut codes);
    let error = std::fs::read_to_string(backend.join("error.rs")).unwrap();
    let kinds = error.split("pub fn code(").nth(1).unwrap();
    let kinds = &kinds[..kinds.find("\n    }\n").unwrap()];
    for line in kinds.lines() {
        if let Some((_, code)) = line.split_once("=> \"") {
            codes.insert(code[..code.find('"').unwrap()].to_owned());
        }
    }
    codes
}

/// The translation files in pairs, Dutch first: every `/js/i18n/nl…` file with its
/// `/js/i18n/en…` twin (a file only one language has is an error).
fn translation_pairs() -> Result<Vec<(&'static str, String)>, String> {
    let paths: BTreeSet<&str> = asset_paths()
        .filter(|p| p.starts_with("/js/i18n/"))
        .collect();
    let mut pairs = Vec::new();
    for path in &paths {
        let twin = if let Some(rest) = path.strip_prefix("/js/i18n/nl") {
            format!("/js/i18n/en{rest}")
        } else if let Some(rest) = path.strip_prefix("/js/i18n/en") {
            let twin = format!("/js/i18n/nl{rest}");
            if !paths.contains(twin.as_str()) {
                return Err(format!("{path} has no Dutch twin {twin}"));
            }
            continue;
        } else {
            return Err(format!("{path} is neither Dutch nor English"));
        };
        if !paths.contains(twin.as_str()) {
            return Err(format!("{path} has no English twin {twin}"));
        }
        pairs.push((*path, twin));
    }
    Ok(pairs)
}

/// Every key of one language's files, each once over all of them (the app looks a key
/// up in the street texts first, so one in two files would hide the other).
fn language_keys(lang: &str) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for (dutch, english) in translation_pairs().unwrap() {
        let path = if lang == "nl" {
            dutch
        } else {
            english.as_str()
        };
        for (_, key) in translation_keys(path).unwrap() {
            assert!(
                all.insert(key.clone()),
                "`{key}` in {path} and another {lang} file"
            );
        }
    }
    all
}

#[test]
fn every_error_code_of_the_api_has_a_text_in_the_app() {
    let codes = api_error_codes();
    assert!(
        codes.contains("bad_time") && codes.contains("not_found"),
        "{codes:?}"
    );
    for lang in ["nl", "en"] {
        // Errors are shown on every screen: their texts load with the app.
        let path = format!("/js/i18n/{lang}/errors.js");
        let keys: BTreeSet<String> = translation_keys(&path)
            .unwrap()
            .into_iter()
            .map(|(_, key)| key)
            .collect();
        let untranslated: Vec<&String> = codes
            .iter()
            .filter(|code| !keys.contains(&format!("error.{code}")))
            .collect();
        assert!(
            untranslated.is_empty(),
            "no error.<code> text in {path} for {untranslated:?}"
        );
    }
}

#[test]
fn both_languages_have_the_same_keys_once() {
    let pairs = translation_pairs().unwrap();
    assert!(pairs.len() >= 2, "{pairs:?}");
    let problems: Vec<String> = pairs
        .iter()
        .flat_map(|(dutch, english)| translation_problems(dutch, english))
        .collect();
    assert!(
        problems.is_empty(),
        "translations:\n{}",
        problems.join("\n")
    );
    assert_eq!(language_keys("nl"), language_keys("en"));
}

/// `prefix.code` for every code of `T`.
fn labels<T: Code>(prefix: &str) -> Vec<String> {
    T::ALL
        .iter()
        .map(|code| format!("{prefix}.{}", code.as_str()))
        .collect()
}

/// Every code the API hands the app to show, with the key prefix of its labels.
#[test]
fn every_code_the_app_shows_has_a_label_in_both_languages() {
    let wanted = [
        labels::<Role>("role"),
        labels::<RegistrationStatus>("registration"),
        labels::<Region>("region"),
        labels::<CaseloadStatus>("caseload"),
        labels::<Addiction>("addiction"),
        labels::<ExitReason>("exit_reason"),
        labels::<StatusChange>("status_history"),
        labels::<ContactKind>("contact_kind"),
        labels::<Service>("service"),
        labels::<LocationKind>("kind"),
        labels::<Category>("expense"),
        labels::<FollowupKind>("followups"),
        labels::<FollowupStatus>("followup_status"),
        labels::<TimelineEvent>("timeline"),
        labels::<Field>("import.field"),
        labels::<LifeDomain>("domain"),
        labels::<SignalKind>("signal_kind"),
        labels::<SignalStatus>("signal_status"),
        labels::<Recipient>("signal_recipient"),
        labels::<HandoffMethod>("signal_method"),
        labels::<AgendaReason>("meeting_reason"),
    ];
    for lang in ["nl", "en"] {
        let keys = language_keys(lang);
        let missing: Vec<&String> = wanted
            .iter()
            .flatten()
            .filter(|key| !keys.contains(*key))
            .collect();
        assert!(missing.is_empty(), "no {lang} label for {missing:?}");
    }
}
