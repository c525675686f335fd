//! Answers that every operation of a kind can give, whatever its handler: written into the
//! OpenAPI document once here instead of on each of a hundred annotations, so that the
//! document lists every status the API really answers with (the generated-input test holds
//! each answer to it).

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

/// Operations that answer without a session: signing in, and what a device, a calendar or
/// an invitation asks with a secret of its own. Every other operation answers 401 to a
/// caller who is not signed in.
const WITHOUT_SESSION: [(&str, &str); 7] = [
    ("post", "/api/v1/session"),
    ("get", "/api/v1/sign-in-rules"),
    ("post", "/api/v1/session/passkey"),
    ("post", "/api/v1/session/passkey/finish"),
    ("post", "/api/v1/device/status"),
    ("get", "/api/v1/calendar/{token}.ics"),
    ("post", "/api/v1/invitations/{token}"),
];

/// Adds to each operation of `doc` the shared answers it lacks: 401 without a session,
/// 400 for a body or query that cannot be read, 413 for a body over the limit, 404 for a
/// path whose id is not a number.
pub fn document_shared_answers(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else {
                continue;
            };
            if !WITHOUT_SESSION.contains(&(method, path.as_str())) {
                add(operation, "401", "Not signed in, or the session has ended.");
            }
            let carries = |place: ParameterIn| {
                operation
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| p.parameter_in == place)
            };
            let (query, in_path) = (carries(ParameterIn::Query), carries(ParameterIn::Path));
            let body = operation.request_body.is_some();
            if body || query {
                add(operation, "400", "The body or query could not be read.");
            }
            if body {
                add(operation, "413", "The body is larger than allowed.");
            }
            if in_path {
                add(operation, "404", "Not found.");
            }
        }
    }
}

fn add(operation: &mut Operation, status: &str, description: &str) {
    let error = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .build();
    operation
        .responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content("application/json", error)
                    .build(),
            )
        });
}
