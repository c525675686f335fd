//! The web app, embedded in the binary. Until the PWA arrives this is one placeholder page.

use actix_web::{HttpResponse, get};

const INDEX_HTML: &str = include_str!("../pwa/index.html");

#[get("/")]
pub async fn index() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .body(INDEX_HTML)
}
