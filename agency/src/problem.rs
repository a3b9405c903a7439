//! FSP/1 errors as `application/problem+json` (RFC 9457, `docs/PROTOCOL.md` § 6).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The prefix of every FSP/1 problem `type`.
pub const PROBLEM_PREFIX: &str = "urn:fsp:problem:";

/// One problem document. `name` is the catalogue name (`hash-mismatch`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub status: StatusCode,
    pub name: &'static str,
    pub detail: String,
    /// The request path.
    pub instance: String,
    /// `missing[]` for `incomplete`.
    pub missing: Vec<String>,
    /// Seconds for `Retry-After` (429, 503).
    pub retry_after_s: Option<u64>,
    /// `RateLimit-Limit` and `RateLimit-Remaining` (429); `RateLimit-Reset` is
    /// `retry_after_s`.
    pub rate_limit: Option<(u32, u32)>,
}

impl Problem {
    pub fn new(status: StatusCode, name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            name,
            detail: detail.into(),
            instance: String::new(),
            missing: Vec::new(),
            retry_after_s: None,
            rate_limit: None,
        }
    }

    pub fn at(mut self, instance: &str) -> Self {
        self.instance = instance.to_owned();
        self
    }

    pub fn malformed(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "malformed", detail)
    }
    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", detail)
    }
    /// `403 wrong-device`: the request is signed by another key than the one the
    /// submission was announced with.
    pub fn wrong_device() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "wrong-device",
            "this submission was announced by another device key",
        )
    }
    /// `429 rate-limited` with `Retry-After` and the `RateLimit-*` fields.
    pub fn rate_limited(limit: u32, reset_s: u64) -> Self {
        let mut p = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            format!("more than {limit} requests of this device key in a minute"),
        );
        p.retry_after_s = Some(reset_s);
        p.rate_limit = Some((limit, 0));
        p
    }
    pub fn unknown_submission() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "unknown-submission",
            "no such submission",
        )
    }
    pub fn unknown_attachment() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "unknown-attachment",
            "the manifest names no such attachment",
        )
    }
    pub fn conflict(name: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, name, detail)
    }
    pub fn too_large(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large", detail)
    }
    pub fn expired() -> Self {
        Self::new(
            StatusCode::GONE,
            "expired",
            "the upload deadline has passed; seal and announce a new submission",
        )
    }
    /// `410 expired` for a submission that is gone for another reason than its deadline.
    pub fn gone(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::GONE, "expired", detail)
    }
    pub fn unprocessable(name: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, name, detail)
    }
    pub fn unavailable(detail: impl Into<String>) -> Self {
        let mut p = Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", detail);
        p.retry_after_s = Some(5);
        p
    }

    /// The `type` URI.
    pub fn type_uri(&self) -> String {
        format!("{PROBLEM_PREFIX}{}", self.name)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut body = json!({
            "type": self.type_uri(),
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "status": self.status.as_u16(),
            "detail": self.detail,
            "instance": self.instance,
        });
        if !self.missing.is_empty() {
            body["missing"] = json!(self.missing);
        }
        let mut response = (self.status, body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(s) = self.retry_after_s {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if let Some((limit, remaining)) = self.rate_limit {
            headers.insert("ratelimit-limit", HeaderValue::from(limit));
            headers.insert("ratelimit-remaining", HeaderValue::from(remaining));
            headers.insert(
                "ratelimit-reset",
                HeaderValue::from(self.retry_after_s.unwrap_or(0)),
            );
        }
        response
    }
}
