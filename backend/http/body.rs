//! The JSON body of a request, read as the OpenAPI document describes it.
//!
//! JSON has one kind of number: `23206.0` and `23206` are the same integer to JSON Schema,
//! and so to every client generated from our document, but serde refuses the first for an
//! `i64`. `Json<T>` reads the body as actix's `web::Json` does (size limit, content type,
//! errors in our shape, from `json_config`), writes whole numbers as integers and only then
//! fills `T`. A fraction stays a fraction and is refused where an integer is expected.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use serde_json::{Number, Value};

use crate::error::ApiError;
use crate::http::describe_json_error;

pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Json<T>, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let read = web::Json::<Value>::from_request(req, payload);
        Box::pin(async move {
            let mut value = read.await?.into_inner();
            whole_numbers_as_integers(&mut value);
            serde_json::from_value(value)
                .map(Json)
                .map_err(|e| ApiError::bad_request("bad_json", describe_json_error(&e)).into())
        })
    }
}

/// `5.0` becomes `5`, everywhere in `value`; `5.5` and numbers past `i64` stay as they are.
fn whole_numbers_as_integers(value: &mut Value) {
    match value {
        Value::Number(number) => {
            if let Some(float) = number.as_f64().filter(|_| number.is_f64())
                && float.fract() == 0.0
                && float >= i64::MIN as f64
                && float < i64::MAX as f64
            {
                *number = Number::from(float as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn whole_numbers_become_integers_and_fractions_stay() {
        let mut value = json!({"a": 23206.0, "b": [1.0, 2.5, -0.0], "c": 1e300, "d": "7.0"});
        whole_numbers_as_integers(&mut value);
        assert_eq!(value["a"], json!(23206));
        assert!(value["a"].is_i64());
        assert_eq!(value["b"], json!([1, 2.5, 0]));
        assert!(value["c"].is_f64());
        assert_eq!(value["d"], json!("7.0"));
    }
}
