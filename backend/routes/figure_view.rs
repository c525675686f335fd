//! A figure as the reports answer it, shared by `reports` and `report_pack`: a number, or
//! the text "<5" for a count hidden outside the team; in JSON, in its schema, in a sheet.

use serde_json::{Value, json};
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};

use crate::domain::report::Shown;
use crate::domain::spreadsheet::decimal;

/// A figure in JSON: a number, or "<5".
pub fn figure(shown: Shown) -> Value {
    match shown {
        Shown::Count(value) => json!(value),
        Shown::Decimal(value) => json!(value),
        Shown::Small => json!("<5"),
    }
}

/// A figure's schema: a number, or the text "<5".
pub fn figure_schema() -> Schema {
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Number))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["<5"])),
        )
        .into()
}

/// The schema of a figure that may also be null (none to give, or none a year before).
pub fn figure_or_null_schema() -> Schema {
    OneOfBuilder::new()
        .item(figure_schema())
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .into()
}

/// A figure in a sheet: a number with a decimal comma, or its text ("<5").
pub fn csv_value(value: &Value) -> String {
    value.as_str().map_or_else(|| decimal(value), str::to_owned)
}
