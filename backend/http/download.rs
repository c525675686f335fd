//! Answers that are files to save rather than to show: the name they are saved under, and
//! the CSV sheets the coordinator opens in a spreadsheet.

use actix_web::HttpResponse;
use actix_web::HttpResponseBuilder;
use actix_web::http::header;

/// A download saved as `file_name`. The name says what it holds (a period, a year, a
/// client's id), never a client's alias.
pub fn attachment(file_name: &str) -> HttpResponseBuilder {
    let mut answer = HttpResponse::Ok();
    answer.insert_header((
        header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"{file_name}\""),
    ));
    answer
}

/// A CSV sheet to download as `file_name`, in UTF-8 (the sheets start with a byte-order
/// mark of their own, so that a Dutch Excel reads them as such).
pub fn csv(file_name: &str) -> HttpResponseBuilder {
    let mut answer = attachment(file_name);
    answer.content_type("text/csv; charset=utf-8");
    answer
}
