//! Does an answer match what the OpenAPI document promises? A small validator for the part
//! of JSON Schema the document uses (`$ref`, `type`, `properties`, `required`, `items`,
//! `enum`, `oneOf`/`anyOf`/`allOf`, `additionalProperties`, `format` of dates and times,
//! integer bounds), so the generated-input test can hold every answer to its operation's
//! documented statuses and bodies.

use serde_json::Value;

use crate::generated::seed;
use crate::helpers::spawn_app;

/// Every read the document lists, by every role and signed out, for each id a seeded team
/// has (its clients, contacts, shift, location, another team's client), answers with a
/// status the operation documents and a body its schema allows: figures, lists and views
/// hold what they promise when there is data to show.
#[tokio::test]
async fn every_read_answers_as_the_document_says() {
    let app = spawn_app().await;
    let doc = app.openapi_document().await;
    let ids = seed(&app).await;
    let callers = app.every_caller().await;
    let mut differences = std::collections::BTreeSet::new();
    let mut answered_with_data = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(operation) = item.get("get") else {
            continue;
        };
        // The one query a read needs to show something: the seeded data's year, as a year
        // or as a report's period.
        let asks = |name: &str| {
            operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| p["in"] == "query" && p["name"] == name)
        };
        let query = match (asks("year"), asks("period")) {
            (true, _) => "?year=2026",
            (_, true) => "?period=2026",
            _ => "",
        };
        let paths: Vec<String> = if path.contains('{') {
            ids.iter()
                .map(|id| {
                    let mut filled = path.clone();
                    while let (Some(open), Some(close)) = (filled.find('{'), filled.find('}')) {
                        filled.replace_range(open..=close, &id.to_string());
                    }
                    filled + query
                })
                .collect()
        } else {
            vec![format!("{path}{query}")]
        };
        for caller in &callers {
            for filled in &paths {
                let reply = caller.get(filled).await;
                let status = reply.status.as_u16();
                let json = reply
                    .headers
                    .get("content-type")
                    .is_some_and(|kind| kind.as_bytes().starts_with(b"application/json"));
                if status == 200 && reply.body.as_array().is_none_or(|rows| !rows.is_empty()) {
                    answered_with_data += 1;
                }
                if let Some(why) =
                    answer_mismatch(&doc, operation, status, json.then_some(&reply.body))
                {
                    differences.insert(format!("GET {path} {status}: {why}"));
                }
            }
        }
    }
    assert!(
        differences.is_empty(),
        "{} answers differ from the document: {differences:#?}",
        differences.len()
    );
    assert!(
        answered_with_data > 40,
        "{answered_with_data} reads with data"
    );
}

/// Why an answer does not fit what `operation` documents, if it does not: a status the
/// operation does not list, or a JSON `body` its schema refuses (`None`: not JSON, only the
/// status is held to the document).
pub fn answer_mismatch(
    doc: &Value,
    operation: &Value,
    status: u16,
    body: Option<&Value>,
) -> Option<String> {
    let responses = &operation["responses"];
    let Some(response) = responses
        .get(status.to_string())
        .or_else(|| responses.get("default"))
    else {
        return Some(format!("status {status} is not documented"));
    };
    let response = resolve(doc, response);
    let schema = response["content"]["application/json"]["schema"].as_object()?;
    mismatch(doc, &Value::Object(schema.clone()), body?, "$").err()
}

fn resolve<'d>(doc: &'d Value, schema: &'d Value) -> &'d Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            resolve(doc, doc.pointer(pointer).unwrap_or(&Value::Null))
        }
        None => schema,
    }
}

fn type_fits(name: &str, value: &Value) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

fn mismatch(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    let refused = |what: String| Err(format!("{at}: {what}; value {value}"));
    // `#[serde(flatten)]` documents an object as the `allOf` of its parts: the value is
    // held to them as one object, each part's fields allowed beside the others'.
    if let Some(all) = schema["allOf"].as_array() {
        let mut merged = serde_json::Map::new();
        let (mut properties, mut required) = (serde_json::Map::new(), Vec::new());
        for part in all.iter().map(|part| resolve(doc, part)) {
            if part["properties"].is_object() || part["required"].is_array() {
                properties.extend(part["properties"].as_object().cloned().unwrap_or_default());
                required.extend(part["required"].as_array().cloned().unwrap_or_default());
            } else {
                mismatch(doc, part, value, at)?;
            }
        }
        if !properties.is_empty() {
            merged.insert("type".into(), "object".into());
            merged.insert("properties".into(), Value::Object(properties));
            merged.insert("required".into(), Value::Array(required));
            mismatch(doc, &Value::Object(merged), value, at)?;
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(choices) = schema[key].as_array()
            && !choices
                .iter()
                .any(|choice| mismatch(doc, choice, value, at).is_ok())
        {
            return refused(format!("fits none of {key}"));
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(name) => vec![name.as_str()],
        Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() && !types.iter().any(|name| type_fits(name, value)) {
        return refused(format!("not of type {types:?}"));
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        return refused(format!("not one of {allowed:?}"));
    }
    if let Some(text) = value.as_str() {
        let parses = match schema["format"].as_str() {
            Some("date-time") => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
            Some("date") => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
            _ => true,
        };
        if !parses {
            return refused(format!("not a {}", schema["format"]));
        }
    }
    if let Some(number) = value.as_f64() {
        if schema["minimum"].as_f64().is_some_and(|low| number < low) {
            return refused(format!("below {}", schema["minimum"]));
        }
        if schema["maximum"].as_f64().is_some_and(|high| number > high) {
            return refused(format!("above {}", schema["maximum"]));
        }
    }
    if let Some(items) = value.as_array() {
        for (n, item) in items.iter().enumerate() {
            if schema.get("items").is_some() {
                mismatch(doc, &schema["items"], item, &format!("{at}[{n}]"))?;
            }
        }
    }
    if let Some(fields) = value.as_object() {
        for name in schema["required"].as_array().into_iter().flatten() {
            let name = name.as_str().unwrap_or_default();
            if !fields.contains_key(name) {
                return refused(format!("misses required {name}"));
            }
        }
        let properties = schema["properties"].as_object();
        for (name, field) in fields {
            match properties.and_then(|p| p.get(name)) {
                Some(property) => mismatch(doc, property, field, &format!("{at}.{name}"))?,
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => return refused(format!("has undocumented {name}")),
                    extra @ Value::Object(_) => {
                        mismatch(doc, extra, field, &format!("{at}.{name}"))?
                    }
                    _ if properties.is_some() => {
                        return refused(format!("has undocumented {name}"));
                    }
                    _ => {}
                },
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_validator_refuses_what_the_schema_does_not_allow() {
        let doc = json!({"components": {"schemas": {"Bar": {
            "type": "object",
            "required": ["week", "contacts"],
            "properties": {
                "week": {"type": "string", "format": "date"},
                "contacts": {"oneOf": [{"type": "integer"}, {"type": "string", "enum": ["<5"]}]}
            }
        }}}});
        let bar = json!({"$ref": "#/components/schemas/Bar"});
        let fits = |value: Value| mismatch(&doc, &bar, &value, "$");
        assert!(fits(json!({"week": "2026-06-01", "contacts": 7})).is_ok());
        assert!(fits(json!({"week": "2026-06-01", "contacts": "<5"})).is_ok());
        assert!(fits(json!({"week": "2026-06-01", "contacts": "7"})).is_err());
        assert!(fits(json!({"week": "1 juni", "contacts": 7})).is_err());
        assert!(fits(json!({"week": "2026-06-01"})).is_err());
        assert!(fits(json!({"week": "2026-06-01", "contacts": 7, "extra": 1})).is_err());
        assert!(fits(json!({"week": "2026-06-01", "contacts": 7.5})).is_err());
    }
}
