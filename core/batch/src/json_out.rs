//! A compact JSON writer for results, byte for byte what `serde_json::to_writer` writes, without
//! its two costs on our output: every string, a struct's field names included, is scanned for
//! escapes one byte at a time, and a field name goes through the map-key machinery. A result
//! line is about 6 KB (13 KB with explanations) of mostly escape-free text, so here a string is
//! checked eight bytes at a time and copied in one piece, and field names, constants of our own
//! types, are checked once per result and then written as they are. Floats and anything unusual are handed to serde_json itself,
//! so its format stays the one definition; the tests compare both writers on every public case,
//! on generated cases and on strings made of every character that needs an escape.

use std::fmt::{self, Display, Write as _};

use serde::ser::{self, Serialize};

/// Writes `value` as compact JSON to the end of `out`.
pub fn to_vec<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), Error> {
    let mut writer = Writer {
        out,
        scratch: String::new(),
        plain_keys: [(0, 0); KEY_SLOTS],
    };
    value.serialize(&mut writer)
}

/// Why a value could not be written (a map key that is no string, or a type serde_json
/// refuses too).
#[derive(Debug)]
pub struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error(e.to_string())
    }
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
    /// Reused for `collect_str` (dates, months, rates).
    scratch: String,
    /// Field names found free of escapes, as (address, length), in a slot chosen by the
    /// address. A field name is a `&'static str`, so an address and length seen once always
    /// hold the same text: a result's ~180 names (~300 with explanations) are checked once
    /// per distinct name instead of each time. A clash of slots only means checking again.
    plain_keys: [(usize, usize); KEY_SLOTS],
}

/// Slots of [`Writer::plain_keys`]: more than the distinct field names of a result.
const KEY_SLOTS: usize = 64;

/// The slot of a field name's address (Fibonacci hashing: names lie side by side in the
/// binary, so the low bits alone would crowd a few slots).
fn key_slot(address: usize) -> usize {
    const FIB: u64 = 0x9E37_79B9_7F4A_7C15;
    // The top six bits of the product: always below 64 = KEY_SLOTS.
    ((address as u64).wrapping_mul(FIB) >> 58) as usize
}

/// Whether a byte must be escaped inside a JSON string (as serde_json does: control
/// characters, the quote and the backslash; nothing else).
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Every byte of a word set to `b`.
const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// Whether any of the eight bytes of `w` needs an escape. The classic bit tricks: `(x - 1…1) &
/// !x & 80…80` is non-zero exactly when some byte of `x` is zero, and `(x - n…n) & !x & 80…80`
/// exactly when some byte is below `n` (for `n` ≤ 128); a false alarm in *which* byte is
/// possible, a wrong answer to *whether* is not.
fn word_needs_escape(w: u64) -> bool {
    const HIGH: u64 = splat(0x80);
    let below_space = w.wrapping_sub(splat(0x20)) & !w;
    let q = w ^ splat(b'"');
    let quote = q.wrapping_sub(splat(1)) & !q;
    let bs = w ^ splat(b'\\');
    let backslash = bs.wrapping_sub(splat(1)) & !bs;
    (below_space | quote | backslash) & HIGH != 0
}

/// Whether any byte of `bytes` needs an escape, eight at a time. A string shorter than a word
/// (most keys and amounts) is checked byte by byte; a longer one ends with its last eight
/// bytes, overlapping the words before, so no padded copy of the tail is made (at the size
/// profile that copy was a `memcpy` call per string).
fn any_needs_escape(bytes: &[u8]) -> bool {
    if bytes.len() < 8 {
        return bytes.iter().any(|&b| needs_escape(b));
    }
    let mut words = bytes.chunks_exact(8);
    if words.any(chunk_needs_escape) {
        return true;
    }
    !words.remainder().is_empty() && chunk_needs_escape(&bytes[bytes.len() - 8..])
}

/// Whether the eight bytes of `chunk` need an escape. A chunk of another length (never
/// passed) counts as needing one, which only sends the string down the careful path.
fn chunk_needs_escape(chunk: &[u8]) -> bool {
    <[u8; 8]>::try_from(chunk).map_or(true, |w| word_needs_escape(u64::from_le_bytes(w)))
}

/// Appends `s` as a JSON string with serde_json's escapes. Nearly every string of a result
/// needs none: it is checked a word at a time and copied in one piece; only a string with an
/// escape is written byte by byte.
fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if !any_needs_escape(bytes) {
        out.reserve(bytes.len() + 2);
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    out.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if needs_escape(b) {
            out.extend_from_slice(&bytes[start..i]);
            escape(out, b);
            start = i + 1;
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\x08' => out.extend_from_slice(b"\\b"),
        b'\x0c' => out.extend_from_slice(b"\\f"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xf)],
        ]),
    }
}

impl Writer<'_> {
    fn int(&mut self, v: impl itoa::Integer) {
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// serde_json's own output for what this writer does not format itself.
    fn delegate<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        serde_json::to_writer(&mut *self.out, v)?;
        Ok(())
    }
}

/// An object or array being written: whether an element was written yet.
struct Compound<'w, 'a> {
    w: &'w mut Writer<'a>,
    first: bool,
    /// Closes a `{"variant":` wrapper as well.
    variant: bool,
}

impl Compound<'_, '_> {
    fn comma(&mut self) {
        if !self.first {
            self.w.out.push(b',');
        }
        self.first = false;
    }

    fn close(self, bracket: u8) {
        self.w.out.push(bracket);
        if self.variant {
            self.w.out.push(b'}');
        }
    }

    /// A field name: a constant of our types, written as it is once it was found free of
    /// escapes (remembered by its address), and escaped properly should a name ever need it.
    fn key(&mut self, key: &'static str) {
        self.comma();
        let bytes = key.as_bytes();
        // A slice's address is never 0, so the empty slots match no name.
        let seen = (bytes.as_ptr() as usize, bytes.len());
        let slot = key_slot(seen.0);
        if self.w.plain_keys[slot] != seen {
            if any_needs_escape(bytes) {
                write_str(self.w.out, key);
                self.w.out.push(b':');
                return;
            }
            self.w.plain_keys[slot] = seen;
        }
        let out = &mut *self.w.out;
        out.reserve(bytes.len() + 3);
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\":");
    }
}

impl<'w, 'a> ser::Serializer for &'w mut Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'w, 'a>;
    type SerializeTuple = Compound<'w, 'a>;
    type SerializeTupleStruct = Compound<'w, 'a>;
    type SerializeTupleVariant = Compound<'w, 'a>;
    type SerializeMap = Compound<'w, 'a>;
    type SerializeStruct = Compound<'w, 'a>;
    type SerializeStructVariant = Compound<'w, 'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.delegate(&v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.delegate(&v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.delegate(v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        write_str(self.out, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.push(b':');
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'w, 'a>, Error> {
        self.out.push(b'[');
        Ok(Compound {
            w: self,
            first: true,
            variant: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'w, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'w, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'a>, Error> {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.extend_from_slice(b":[");
        Ok(Compound {
            w: self,
            first: true,
            variant: true,
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'w, 'a>, Error> {
        self.out.push(b'{');
        Ok(Compound {
            w: self,
            first: true,
            variant: false,
        })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound<'w, 'a>, Error> {
        // serde_json's arbitrary-precision numbers travel as this private struct; it is
        // written as serde_json writes it.
        // The caller then writes the whole value with serde_json.
        if name.starts_with("$serde_json") {
            return Err(Error(format!("{name} is written by serde_json")));
        }
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'a>, Error> {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.extend_from_slice(b":{");
        Ok(Compound {
            w: self,
            first: true,
            variant: true,
        })
    }
    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        write!(scratch, "{value}").map_err(|_| Error("a value could not be shown".into()))?;
        write_str(self.out, &scratch);
        self.scratch = scratch;
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b']');
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        key.serialize(KeyWriter(&mut *self.w.out))?;
        self.w.out.push(b':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b'}');
        Ok(())
    }
}

/// A map key as serde_json writes one: a string, or a number or bool in quotes; anything
/// else is refused (serde_json refuses it too, and the caller then lets serde_json say so).
struct KeyWriter<'o>(&'o mut Vec<u8>);

macro_rules! quoted_keys {
    ($($method:ident: $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result<(), Error> {
            self.0.push(b'"');
            self.0.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
            self.0.push(b'"');
            Ok(())
        }
    )*};
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    quoted_keys!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128);

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.0, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.0, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.0
            .extend_from_slice(if v { b"\"true\"" } else { b"\"false\"" });
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.serialize_str(&value.to_string())
    }
    fn serialize_f32(self, _v: f32) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_f64(self, _v: f64) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(not_a_key())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(not_a_key())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(not_a_key())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(not_a_key())
    }
}

fn not_a_key() -> Error {
    Error("key must be a string".into())
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.key(key);
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        self.close(b'}');
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeStruct::end(self)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use elternkit_rules::{CalcOptions, calculate_json_with};
    use serde::Serialize;

    use super::to_vec;

    fn both<T: Serialize + ?Sized>(value: &T) -> (String, String) {
        let mut fast = Vec::new();
        to_vec(&mut fast, value).expect("writes");
        let reference = serde_json::to_vec(value).expect("serde_json writes");
        (
            String::from_utf8(fast).expect("utf-8"),
            String::from_utf8(reference).expect("utf-8"),
        )
    }

    /// The word-at-a-time check agrees with the byte test for every byte value at every
    /// position of strings up to three words long, beside clean bytes and beside bytes ≥ 0x80.
    #[test]
    fn the_word_check_finds_every_byte_that_needs_an_escape() {
        for len in 1..24 {
            for at in 0..len {
                for fill in [b'a', 0xc3, 0x7f, b' '] {
                    for b in 0..=255u8 {
                        let mut bytes = vec![fill; len];
                        bytes[at] = b;
                        let expected = bytes.iter().any(|b| super::needs_escape(*b));
                        assert_eq!(super::any_needs_escape(&bytes), expected, "{bytes:?}");
                    }
                }
            }
        }
        assert!(!super::any_needs_escape(b""));
    }

    /// Field names are remembered by address once found plain: names that need escapes stay
    /// escaped however often they come, beside more plain names than the memory has slots
    /// (so slots clash and are overwritten).
    #[test]
    fn field_names_are_escaped_however_often_they_repeat() {
        struct Fields(Vec<&'static str>);
        impl Serialize for Fields {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let mut st = s.serialize_struct("Fields", self.0.len())?;
                for (i, name) in self.0.iter().enumerate() {
                    st.serialize_field(name, &i)?;
                }
                st.end()
            }
        }
        let mut names: Vec<&'static str> = (0..3 * super::KEY_SLOTS)
            .map(|i| &*Box::leak(format!("field_{i}").into_boxed_str()))
            .collect();
        names.extend(["a\"b", "tab\there", "back\\slash", "x"]);
        // Each name several times, in one object and across objects of one result.
        let once = Fields(names.iter().chain(&names).copied().collect());
        let value = vec![once, Fields(names.iter().rev().copied().collect())];
        let (fast, reference) = both(&value);
        assert_eq!(fast, reference);
        assert!(fast.contains(r#""a\"b":"#) && fast.contains(r#""tab\there":"#));
    }

    /// Every character that needs an escape, at every position around the 16-byte blocks,
    /// beside multi-byte characters and DEL (which JSON leaves as it is).
    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        let specials: Vec<char> = (0u8..0x20)
            .map(char::from)
            .chain(['"', '\\', '/', '\u{7f}', 'ä', '€', '𝄞', '\u{2028}'])
            .collect();
        for special in &specials {
            for at in 0..40 {
                let text: String = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
                    .chars()
                    .take(at)
                    .chain(std::iter::once(*special))
                    .chain("tail after it".chars())
                    .collect();
                let (fast, reference) = both(&text);
                assert_eq!(fast, reference, "{special:?} at {at}");
            }
        }
        let all: String = specials.iter().collect();
        let (fast, reference) = both(&all.repeat(5));
        assert_eq!(fast, reference);
    }

    #[derive(Serialize)]
    enum Kind {
        Unit,
        Newtype(u8),
        Tuple(i8, i64),
        Struct { a: bool },
    }

    #[derive(Serialize)]
    struct Shapes {
        kinds: Vec<Kind>,
        map: BTreeMap<String, Option<u32>>,
        numbers: BTreeMap<u16, (char, ())>,
        nested: Option<Vec<Vec<bool>>>,
        empty: Vec<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        float: f64,
    }

    #[test]
    fn every_shape_is_written_as_serde_json_does() {
        let shapes = Shapes {
            kinds: vec![
                Kind::Unit,
                Kind::Newtype(7),
                Kind::Tuple(-3, i64::MIN),
                Kind::Struct { a: true },
            ],
            map: [("k\"ey\n".to_string(), None), ("b".to_string(), Some(1))]
                .into_iter()
                .collect(),
            numbers: [(3, ('x', ())), (10, ('"', ()))].into_iter().collect(),
            nested: Some(vec![vec![], vec![true, false]]),
            empty: Vec::new(),
            skipped: None,
            float: 1.5,
        };
        let (fast, reference) = both(&shapes);
        assert_eq!(fast, reference);
    }

    /// The result lines of every public case, with and without explanations, and of cases
    /// whose texts need escapes, are byte for byte serde_json's.
    #[test]
    fn results_are_written_as_serde_json_does() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/cases/public");
        let mut lines = Vec::new();
        for file in [
            "egr_official.cases.jsonl",
            "egr2022.cases.jsonl",
            "kindergeld.cases.jsonl",
        ] {
            let text = std::fs::read_to_string(dir.join(file))
                .expect("the public cases are read in place beside the checkout");
            lines.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(String::from),
            );
        }
        assert_eq!(lines.len(), 250);
        // An id and parent id that need escapes, and a line that is no case at all.
        let demo = include_str!("../../../cli/src/demo_case.json");
        let mut odd: serde_json::Value = serde_json::from_str(demo).expect("demo case");
        odd["id"] = "quote \" backslash \\ tab \t bell \u{7} ümlaut".into();
        lines.push(odd.to_string());
        lines.push("{\"id\": \"x\\u0001\", \"schema\": 3}".into());
        for explanations in [true, false] {
            for line in &lines {
                let result = calculate_json_with(line, CalcOptions { explanations });
                let (fast, reference) = both(&result);
                assert_eq!(fast, reference, "{line}");
            }
        }
    }
}
