//! The one error shape of the API: `{"error":{"kind","message"}}` with a fitting status.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// An error answered to a client: a status, a stable machine `kind` and a readable message.
///
/// Every JSON route answers errors as `{"error":{"kind":…,"message":…}}`; the HTML pages
/// render the same error as a page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} ({status}): {message}")]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable `snake_case` kind (`unauthorized`, `forbidden`, `not_found`, `bad_request`,
    /// `unprocessable`, `conflict`, `too_many_requests`, `payload_too_large`, `internal`…).
    pub kind: &'static str,
    /// What went wrong, in words.
    pub message: String,
}

impl ApiError {
    /// An error with a status, kind and message.
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind,
            message: message.into(),
        }
    }
    /// 400 `bad_request`.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    /// 401 `unauthorized`.
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
    /// 403 `forbidden`.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    /// 404 `not_found`.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }
    /// 422 `unprocessable`.
    pub fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", message)
    }
    /// 409 `conflict`.
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }
    /// 500 `internal` (the message is for the log; clients see a generic one).
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        let message = if self.status.is_server_error() {
            "kesalahan internal server".to_owned()
        } else {
            self.message.clone()
        };
        serde_json::json!({"error": {"kind": self.kind, "message": message}}).to_string()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            eprintln!("koperasi-server: {self}");
        }
        let mut r = (self.status, self.body()).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        r
    }
}

/// Maps a book error to an API error: a permission error or maker = checker is 403, an
/// unknown request 404, a request already decided or expired 409, anything else the book
/// rejected 422.
pub fn from_book(e: &koperasi::Error) -> ApiError {
    use koperasi::Error as E;
    let msg = e.to_string();
    match e {
        E::Membership {
            source:
                koperasi::membership::Error::PermissionDenied { .. }
                | koperasi::membership::Error::UnknownActor { .. }
                | koperasi::membership::Error::SameActor { .. },
            ..
        }
        | E::CheckerRole { .. } => ApiError::forbidden(msg),
        E::UnknownRequest { .. } => ApiError::not_found(msg),
        E::RequestDecided { .. } | E::RequestExpired { .. } | E::CheckerRequired { .. } => {
            ApiError::conflict(msg)
        }
        E::UnknownMember { .. }
        | E::UnknownLoan { .. }
        | E::UnknownDeposit { .. }
        | E::UnknownQrisReference { .. } => ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_reference",
            msg,
        ),
        _ => ApiError::unprocessable(msg),
    }
}
