//! The relay's signed events (`docs/PROTOCOL.md` § 7): compact JWS, `alg: EdDSA`,
//! `typ: secevent+jwt`, signed with the relay's receipt key.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The relay's receipt key.
pub struct RelayKey {
    signing: SigningKey,
    kid: String,
    issuer: String,
}

impl std::fmt::Debug for RelayKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayKey")
            .field("kid", &self.kid)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl RelayKey {
    /// `issuer` is the relay's URL (the events' `iss`).
    pub fn new(signing: SigningKey, issuer: impl Into<String>) -> Self {
        let kid = kid_of(&signing.verifying_key());
        Self {
            signing,
            kid,
            issuer: issuer.into(),
        }
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Signs one event of the chain (`iss` is set to the relay's).
    pub fn sign_claims(&self, mut claims: elternkit_submit::events::Claims) -> String {
        claims.iss = self.issuer.clone();
        elternkit_submit::events::sign(&self.signing, &self.kid, &claims)
    }

    /// Signs one event: `claims` are the JWT claims (`jti`, `sub`, `events`, …); `iss` and
    /// `kid` are the relay's.
    pub fn sign(&self, mut claims: Value) -> String {
        claims["iss"] = json!(self.issuer);
        let header = json!({"alg": "EdDSA", "typ": "secevent+jwt", "kid": self.kid});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self.signing.sign(signing_input.as_bytes());
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }
}

/// Key id of a receipt key: the first 16 hex digits of SHA-256 of the raw public key.
pub fn kid_of(key: &VerifyingKey) -> String {
    hex(&Sha256::digest(key.as_bytes()))[..16].to_owned()
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Why a receipt did not verify.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReceiptError {
    #[error("not a compact JWS")]
    Malformed,
    #[error("the header is not EdDSA secevent+jwt")]
    Header,
    #[error("the signature does not verify with the relay key")]
    Signature,
}

/// Verifies a compact JWS made by [`RelayKey::sign`] with `key` and returns its claims.
pub fn verify(jws: &str, key: &VerifyingKey) -> Result<Value, ReceiptError> {
    let mut parts = jws.split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReceiptError::Malformed);
    };
    let decode = |p: &str| {
        URL_SAFE_NO_PAD
            .decode(p)
            .map_err(|_| ReceiptError::Malformed)
    };
    let header: Value = serde_json::from_slice(&decode(h)?).map_err(|_| ReceiptError::Malformed)?;
    if header["alg"] != "EdDSA" || header["typ"] != "secevent+jwt" {
        return Err(ReceiptError::Header);
    }
    let sig: [u8; 64] = decode(s)?.try_into().map_err(|_| ReceiptError::Malformed)?;
    key.verify_strict(
        format!("{h}.{c}").as_bytes(),
        &ed25519_dalek::Signature::from_bytes(&sig),
    )
    .map_err(|_| ReceiptError::Signature)?;
    serde_json::from_slice(&decode(c)?).map_err(|_| ReceiptError::Malformed)
}
