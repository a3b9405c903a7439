//! FSP/1 request signatures (`docs/PROTOCOL.md` § 5.1): RFC 9421 HTTP Message Signatures
//! with the device's Ed25519 key over `@method`, `@target-uri` and `content-digest`
//! (RFC 9530, `sha-256`), with `created`, a `nonce` and `keyid` = the base64url device key.
//! Both sides live here without I/O: the app signs ([`sign_request`]) and the relay
//! verifies ([`verify_request`], then [`check_content_digest`] once the body is read). The
//! relay keeps the nonces (its store) so a captured request cannot be sent twice.
//!
//! The structured header fields (RFC 9651) are parsed and serialised with `sfv`; the
//! `@signature-params` line of the signature base is the re-serialised inner list, so the
//! signed bytes are canonical whatever spacing a sender used.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ed25519_dalek::{Signature, VerifyingKey};
use sfv::{BareItem, Dictionary, FieldType as _, InnerList, Item, Key, ListEntry, Parser};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::envelope::{Signer, SignerError};

/// The label of the FSP/1 signature in `Signature-Input` and `Signature`.
pub const LABEL: &str = "fsp";
/// The `tag` parameter: a signature made for FSP/1 is never valid for another protocol.
pub const TAG: &str = "fsp/1";
/// The covered components, in the order the app signs them.
pub const COVERED: [&str; 3] = ["@method", "@target-uri", "content-digest"];
/// `created` may differ from the relay's clock by this many seconds either way.
pub const MAX_SKEW_SECONDS: i64 = 300;
/// `Signature-Input`, `Signature` and `Content-Digest` longer than this are refused before
/// they are parsed (the app's are ~200, ~100 and ~55 bytes).
pub const MAX_HEADER_BYTES: usize = 1024;
/// Accepted nonce lengths (the app sends 16 random bytes as 22 base64url characters).
pub const NONCE_LEN: std::ops::RangeInclusive<usize> = 16..=64;

/// The three header values the app attaches to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSignature {
    pub content_digest: String,
    pub signature_input: String,
    pub signature: String,
}

/// The header values of a received request (`None` = absent).
#[derive(Debug, Clone, Copy)]
pub struct Received<'a> {
    /// Upper-case method as sent.
    pub method: &'a str,
    /// The full target URI as the relay is reached (scheme, authority, path and query).
    pub target_uri: &'a str,
    pub content_digest: Option<&'a str>,
    pub signature_input: Option<&'a str>,
    pub signature: Option<&'a str>,
}

/// A request whose signature verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub key: VerifyingKey,
    /// base64url of the key, as in the manifest's `deviceKey`.
    pub keyid: String,
    /// `created`, seconds since the epoch.
    pub created: i64,
    pub nonce: String,
}

/// Why a request is not authenticated. [`RequestAuthError::problem`] names the FSP/1
/// problem type.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RequestAuthError {
    #[error("the request carries no {0} header")]
    Missing(&'static str),
    #[error("the {0} header is malformed")]
    Malformed(&'static str),
    #[error("the signature must cover exactly @method, @target-uri and content-digest")]
    Components,
    #[error("the signature parameters are not FSP/1's: {0}")]
    Parameters(&'static str),
    #[error("keyid is not a base64url Ed25519 public key")]
    BadKey,
    #[error(
        "created is {created}, the relay's clock says {now} (at most {MAX_SKEW_SECONDS} s apart)"
    )]
    ClockSkew { created: i64, now: i64 },
    #[error("the signature does not verify with keyid")]
    BadSignature,
    #[error("the body does not match Content-Digest")]
    DigestMismatch,
}

impl RequestAuthError {
    /// `clock-skew` for a stale or future `created`, `unauthenticated` otherwise (both 401).
    pub fn problem(&self) -> &'static str {
        match self {
            RequestAuthError::ClockSkew { .. } => "clock-skew",
            _ => "unauthenticated",
        }
    }
}

/// `Content-Digest` of `body` (RFC 9530): `sha-256=:<base64>:`.
pub fn content_digest(body: &[u8]) -> String {
    format!("sha-256=:{}:", STANDARD.encode(Sha256::digest(body)))
}

/// The base64url `keyid` of a device key (the manifest's `deviceKey` is the same string).
pub fn keyid(key: &VerifyingKey) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

fn key(name: &str) -> Key {
    // The names used here are fixed lower-case keys: always valid.
    #[allow(clippy::expect_used)]
    Key::from_string(name.to_owned()).expect("a fixed lower-case key")
}

fn sf_string(value: &str) -> Result<BareItem, RequestAuthError> {
    sfv::String::from_string(value.to_owned())
        .map(BareItem::String)
        .map_err(|_| RequestAuthError::Malformed("Signature-Input"))
}

/// The `@signature-params` value of an inner list (RFC 9421 § 2.3): its RFC 9651 form.
fn params_value(inner: &InnerList) -> Result<String, RequestAuthError> {
    let list: sfv::List = vec![ListEntry::InnerList(inner.clone())];
    list.serialize()
        .ok_or(RequestAuthError::Malformed("Signature-Input"))
}

/// The signature base (RFC 9421 § 2.5) of the FSP/1 components.
fn signature_base(
    inner: &InnerList,
    method: &str,
    target_uri: &str,
    content_digest: &str,
) -> Result<String, RequestAuthError> {
    let mut base = String::new();
    for item in &inner.items {
        let name = item
            .bare_item
            .as_string()
            .ok_or(RequestAuthError::Components)?
            .as_str();
        let value = match name {
            "@method" => method,
            "@target-uri" => target_uri,
            "content-digest" => content_digest.trim(),
            _ => return Err(RequestAuthError::Components),
        };
        // Line breaks would let a value forge another line of the base.
        if value.contains(['\n', '\r']) {
            return Err(RequestAuthError::Malformed("covered component"));
        }
        base.push_str(&format!("\"{name}\": {value}\n"));
    }
    base.push_str(&format!("\"@signature-params\": {}", params_value(inner)?));
    Ok(base)
}

/// Signs one request with the device key: the `Content-Digest`, `Signature-Input` and
/// `Signature` header values. `created` is the device clock in seconds; `nonce` is fresh
/// randomness (base64url, 16–64 characters) per request, retries included.
pub fn sign_request(
    signer: &(impl Signer + ?Sized),
    method: &str,
    target_uri: &str,
    body: &[u8],
    created: i64,
    nonce: &str,
) -> Result<RequestSignature, SignerError> {
    let bad = |what: &str| SignerError(format!("cannot sign the request: {what}"));
    let digest = content_digest(body);
    let mut params = sfv::Parameters::new();
    params.insert(
        key("created"),
        BareItem::Integer(created.try_into().map_err(|_| bad("created"))?),
    );
    params.insert(key("nonce"), sf_string(nonce).map_err(|_| bad("nonce"))?);
    params.insert(
        key("keyid"),
        sf_string(&keyid(&signer.verifying_key())).map_err(|_| bad("keyid"))?,
    );
    params.insert(key("alg"), sf_string("ed25519").map_err(|_| bad("alg"))?);
    params.insert(key("tag"), sf_string(TAG).map_err(|_| bad("tag"))?);
    let items = COVERED
        .iter()
        .map(|c| sf_string(c).map(Item::new))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| bad("components"))?;
    let inner = InnerList::with_params(items, params);
    let base =
        signature_base(&inner, method, target_uri, &digest).map_err(|e| bad(&e.to_string()))?;
    let signature = signer.sign(base.as_bytes())?;
    Ok(RequestSignature {
        content_digest: digest,
        signature_input: format!(
            "{LABEL}={}",
            params_value(&inner).map_err(|e| bad(&e.to_string()))?
        ),
        signature: format!("{LABEL}=:{}:", STANDARD.encode(signature.to_bytes())),
    })
}

fn dictionary(value: Option<&str>, name: &'static str) -> Result<Dictionary, RequestAuthError> {
    let value = value.ok_or(RequestAuthError::Missing(name))?;
    if value.len() > MAX_HEADER_BYTES {
        return Err(RequestAuthError::Malformed(name));
    }
    Parser::new(value)
        .parse::<Dictionary>()
        .map_err(|_| RequestAuthError::Malformed(name))
}

fn string_param<'a>(inner: &'a InnerList, name: &str) -> Option<&'a str> {
    inner
        .params
        .get(name)
        .and_then(|v| v.as_string())
        .map(|s| s.as_str())
}

/// Checks a request's signature from its headers alone (before the body is read): the FSP/1
/// label, exactly the FSP/1 components, `alg`, `tag`, a `nonce`, `created` within
/// [`MAX_SKEW_SECONDS`] of `now`, and the Ed25519 signature (`verify_strict`) by `keyid`.
/// The body is checked against `Content-Digest` later by [`check_content_digest`]; the nonce
/// is the caller's to remember.
pub fn verify_request(request: &Received<'_>, now: i64) -> Result<Verified, RequestAuthError> {
    let digest = request
        .content_digest
        .ok_or(RequestAuthError::Missing("Content-Digest"))?;
    if digest.len() > MAX_HEADER_BYTES {
        return Err(RequestAuthError::Malformed("Content-Digest"));
    }
    let inputs = dictionary(request.signature_input, "Signature-Input")?;
    let signatures = dictionary(request.signature, "Signature")?;
    let Some(ListEntry::InnerList(inner)) = inputs.get(LABEL) else {
        return Err(RequestAuthError::Missing("Signature-Input fsp"));
    };
    let signature = match signatures.get(LABEL) {
        Some(ListEntry::Item(item)) => item
            .bare_item
            .as_byte_sequence()
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
            .ok_or(RequestAuthError::Malformed("Signature"))?,
        _ => return Err(RequestAuthError::Missing("Signature fsp")),
    };
    let mut names: Vec<&str> = Vec::with_capacity(inner.items.len());
    for item in &inner.items {
        if !item.params.is_empty() {
            return Err(RequestAuthError::Components);
        }
        let name = item
            .bare_item
            .as_string()
            .ok_or(RequestAuthError::Components)?;
        names.push(name.as_str());
    }
    names.sort_unstable();
    let mut wanted = COVERED;
    wanted.sort_unstable();
    if names != wanted {
        return Err(RequestAuthError::Components);
    }
    for (name, _) in &inner.params {
        if !matches!(name.as_str(), "created" | "nonce" | "keyid" | "alg" | "tag") {
            return Err(RequestAuthError::Parameters("an unknown parameter"));
        }
    }
    if string_param(inner, "alg").is_some_and(|a| a != "ed25519") {
        return Err(RequestAuthError::Parameters("alg is not ed25519"));
    }
    if string_param(inner, "tag") != Some(TAG) {
        return Err(RequestAuthError::Parameters("tag is not fsp/1"));
    }
    let nonce = string_param(inner, "nonce")
        .filter(|n| {
            NONCE_LEN.contains(&n.len())
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .ok_or(RequestAuthError::Parameters(
            "nonce is missing or not 16-64 base64url characters",
        ))?;
    let created = inner
        .params
        .get("created")
        .and_then(BareItem::as_integer)
        .map(i64::from)
        .ok_or(RequestAuthError::Parameters("created is missing"))?;
    if (created - now).abs() > MAX_SKEW_SECONDS {
        return Err(RequestAuthError::ClockSkew { created, now });
    }
    let keyid = string_param(inner, "keyid").ok_or(RequestAuthError::BadKey)?;
    let key_bytes: [u8; 32] = URL_SAFE_NO_PAD
        .decode(keyid)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(RequestAuthError::BadKey)?;
    let key = VerifyingKey::from_bytes(&key_bytes).map_err(|_| RequestAuthError::BadKey)?;
    let base = signature_base(inner, request.method, request.target_uri, digest)?;
    key.verify_strict(base.as_bytes(), &Signature::from_bytes(&signature))
        .map_err(|_| RequestAuthError::BadSignature)?;
    Ok(Verified {
        key,
        keyid: keyid.to_owned(),
        created,
        nonce: nonce.to_owned(),
    })
}

/// The body against the (signed) `Content-Digest`: its `sha-256` member must be the body's.
pub fn check_content_digest(header: &str, body: &[u8]) -> Result<(), RequestAuthError> {
    let dict = dictionary(Some(header), "Content-Digest")?;
    let Some(ListEntry::Item(item)) = dict.get("sha-256") else {
        return Err(RequestAuthError::Malformed("Content-Digest"));
    };
    let claimed = item
        .bare_item
        .as_byte_sequence()
        .ok_or(RequestAuthError::Malformed("Content-Digest"))?;
    if claimed == Sha256::digest(body).as_slice() {
        Ok(())
    } else {
        Err(RequestAuthError::DigestMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    const URI: &str =
        "https://relay.example/fsp/v1/submissions/0b7e4bbd-2d0a-4b8e-9d6b-4b1f0c2d9e01";
    const NONCE: &str = "AAECAwQFBgcICQoLDA0ODw";

    fn signed(body: &[u8], created: i64) -> RequestSignature {
        sign_request(
            &SigningKey::from_bytes(&[7; 32]),
            "PUT",
            URI,
            body,
            created,
            NONCE,
        )
        .expect("signs")
    }

    fn received<'a>(s: &'a RequestSignature, method: &'a str, uri: &'a str) -> Received<'a> {
        Received {
            method,
            target_uri: uri,
            content_digest: Some(&s.content_digest),
            signature_input: Some(&s.signature_input),
            signature: Some(&s.signature),
        }
    }

    #[test]
    fn the_headers_have_the_rfc_9421_shape() {
        let s = signed(b"{}", 1_800_000_000);
        // RFC 9530 § 2: sha-256 of "{}" in base64.
        assert_eq!(
            s.content_digest,
            "sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:"
        );
        let key = keyid(&SigningKey::from_bytes(&[7; 32]).verifying_key());
        assert_eq!(
            s.signature_input,
            format!(
                "fsp=(\"@method\" \"@target-uri\" \"content-digest\");created=1800000000;\
                 nonce=\"{NONCE}\";keyid=\"{key}\";alg=\"ed25519\";tag=\"fsp/1\""
            )
        );
        assert!(s.signature.starts_with("fsp=:") && s.signature.ends_with(':'));
    }

    #[test]
    fn a_signed_request_verifies_and_names_its_key_and_nonce() {
        let s = signed(b"body", 1_800_000_000);
        let v = verify_request(&received(&s, "PUT", URI), 1_800_000_100).expect("verifies");
        assert_eq!(v.key, SigningKey::from_bytes(&[7; 32]).verifying_key());
        assert_eq!(v.nonce, NONCE);
        assert_eq!(v.created, 1_800_000_000);
        check_content_digest(&s.content_digest, b"body").expect("digest matches");
        assert_eq!(
            check_content_digest(&s.content_digest, b"bodx"),
            Err(RequestAuthError::DigestMismatch)
        );
    }

    #[test]
    fn another_method_uri_or_digest_breaks_the_signature() {
        let s = signed(b"body", 1_800_000_000);
        let now = 1_800_000_000;
        assert_eq!(
            verify_request(&received(&s, "POST", URI), now),
            Err(RequestAuthError::BadSignature)
        );
        let other = URI.replace("0b7e", "1b7e");
        assert_eq!(
            verify_request(&received(&s, "PUT", &other), now),
            Err(RequestAuthError::BadSignature)
        );
        let mut swapped = s.clone();
        swapped.content_digest = content_digest(b"other");
        assert_eq!(
            verify_request(&received(&swapped, "PUT", URI), now),
            Err(RequestAuthError::BadSignature)
        );
    }

    #[test]
    fn created_outside_the_window_is_clock_skew() {
        let s = signed(b"", 1_800_000_000);
        for now in [
            1_800_000_000 + MAX_SKEW_SECONDS + 1,
            1_800_000_000 - MAX_SKEW_SECONDS - 1,
        ] {
            let e = verify_request(&received(&s, "PUT", URI), now).expect_err("stale");
            assert_eq!(e.problem(), "clock-skew");
        }
        assert!(
            verify_request(&received(&s, "PUT", URI), 1_800_000_000 + MAX_SKEW_SECONDS).is_ok()
        );
    }

    #[test]
    fn missing_or_altered_parts_are_refused() {
        let s = signed(b"", 1_800_000_000);
        let now = 1_800_000_000;
        let mut r = received(&s, "PUT", URI);
        r.signature = None;
        assert_eq!(
            verify_request(&r, now),
            Err(RequestAuthError::Missing("Signature"))
        );
        let mut r = received(&s, "PUT", URI);
        r.content_digest = None;
        assert_eq!(
            verify_request(&r, now),
            Err(RequestAuthError::Missing("Content-Digest"))
        );
        // Fewer components: the body is then not covered.
        let fewer = s.signature_input.replace(" \"content-digest\"", "");
        let r = Received {
            signature_input: Some(&fewer),
            ..received(&s, "PUT", URI)
        };
        assert_eq!(verify_request(&r, now), Err(RequestAuthError::Components));
        // Another label.
        let relabelled = s.signature_input.replacen("fsp=", "sig1=", 1);
        let r = Received {
            signature_input: Some(&relabelled),
            ..received(&s, "PUT", URI)
        };
        assert_eq!(
            verify_request(&r, now),
            Err(RequestAuthError::Missing("Signature-Input fsp"))
        );
        // Another key in keyid: the signature no longer verifies.
        let other = keyid(&SigningKey::from_bytes(&[8; 32]).verifying_key());
        let mine = keyid(&SigningKey::from_bytes(&[7; 32]).verifying_key());
        let rekeyed = s.signature_input.replace(&mine, &other);
        let r = Received {
            signature_input: Some(&rekeyed),
            ..received(&s, "PUT", URI)
        };
        assert_eq!(verify_request(&r, now), Err(RequestAuthError::BadSignature));
        // Whitespace the sender added is not signed: the parameters are re-serialised.
        let spaced = s.signature_input.replace(";created", "; created");
        let r = Received {
            signature_input: Some(&spaced),
            ..received(&s, "PUT", URI)
        };
        assert!(
            verify_request(&r, now).is_ok(),
            "RFC 9651 allows a space before a parameter"
        );
        let long = "a".repeat(MAX_HEADER_BYTES + 1);
        let r = Received {
            signature: Some(&long),
            ..received(&s, "PUT", URI)
        };
        assert_eq!(
            verify_request(&r, now),
            Err(RequestAuthError::Malformed("Signature"))
        );
    }

    #[test]
    fn a_line_break_in_a_component_is_refused() {
        let r = sign_request(
            &SigningKey::from_bytes(&[7; 32]),
            "PUT",
            "https://x/\n\"@method\": GET",
            b"",
            1,
            NONCE,
        );
        assert!(r.is_err());
    }
}
