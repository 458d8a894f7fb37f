//! Tolerant JSON decoding for Partner Center bodies.
//!
//! Partner Center answers in camelCase, but its own samples and SDK also send PascalCase, so
//! object keys are folded to camelCase (first letter lowered) before the typed decode. A decode
//! failure names the JSON path (`items[3].terms[0].billingCycle`) through `serde_path_to_error`.
//! Open enums (`open_enum!`) keep unknown wire values as `Unknown(String)` instead of failing.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};

/// Lower the first character of every object key, recursively (`BillingCycle` → `billingCycle`).
pub fn normalize_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let needs = map
                .keys()
                .any(|k| k.chars().next().is_some_and(|c| c.is_ascii_uppercase()));
            if needs {
                let old = std::mem::take(map);
                for (k, mut v) in old {
                    normalize_keys(&mut v);
                    map.insert(camel(&k), v);
                }
            } else {
                map.values_mut().for_each(normalize_keys);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalize_keys),
        _ => {}
    }
}

fn camel(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) if first.is_ascii_uppercase() => {
            let mut s = String::with_capacity(key.len());
            s.push(first.to_ascii_lowercase());
            s.push_str(chars.as_str());
            s
        }
        _ => key.to_string(),
    }
}

/// Decode `bytes` into `T`. `what` names the call for the error message.
pub fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    let mut value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(_) => {
            // Re-run through the path tracker so a syntax error names where it happened.
            let de = &mut serde_json::Deserializer::from_slice(bytes);
            let err = match serde_path_to_error::deserialize::<_, Value>(de) {
                Ok(_) => return Err(decode_error(what, ".", "malformed JSON".into())),
                Err(e) => e,
            };
            let path = err.path().to_string();
            return Err(decode_error(
                what,
                &path,
                format!("malformed JSON: {}", err.inner()),
            ));
        }
    };
    normalize_keys(&mut value);
    decode_value(value, what)
}

/// Decode an already parsed (and normalized) value.
pub fn decode_value<T: DeserializeOwned>(value: Value, what: &str) -> Result<T> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let path = e.path().to_string();
        decode_error(what, &path, e.into_inner().to_string())
    })
}

fn decode_error(what: &str, path: &str, message: String) -> Error {
    Error::Decode {
        what: what.to_string(),
        path: if path.is_empty() {
            ".".into()
        } else {
            path.to_string()
        },
        message,
    }
}

/// A field documented as a string that arrives as a number too (`"5000"` / `5000`).
pub fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde::Deserialize;
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    })
}

/// Compare two wire spellings ignoring case, `_`, `-` and spaces (`one_time` = `OneTime`).
pub fn wire_eq(a: &str, b: &str) -> bool {
    fn norm(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .map(|c| c.to_ascii_lowercase())
    }
    norm(a).eq(norm(b))
}

/// An enum whose wire values are open: unknown values are kept as `Unknown(String)`.
/// Reading is case-insensitive and ignores `_`; writing uses the canonical spelling given.
#[macro_export]
macro_rules! open_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version does not know; kept verbatim.
            Unknown(String),
        }
        impl $name {
            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self { $($name::$variant => $wire,)+ $name::Unknown(s) => s.as_str() }
            }
            /// Parse a wire value; never fails.
            pub fn from_wire(s: &str) -> Self {
                $(if $crate::json::wire_eq(s, $wire) { return $name::$variant; })+
                $name::Unknown(s.to_string())
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> { s.serialize_str(self.as_str()) }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Ok($name::from_wire(&s))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(rename_all = "camelCase")]
    struct Line {
        billing_cycle: String,
        quantity: u32,
    }

    #[test]
    fn pascal_case_keys_are_read() {
        let l: Line = decode(br#"{"BillingCycle":"monthly","Quantity":3}"#, "line").unwrap();
        assert_eq!(l.billing_cycle, "monthly");
        assert_eq!(l.quantity, 3);
    }

    #[test]
    fn type_error_names_path() {
        let err = decode::<Vec<Line>>(
            br#"[{"billingCycle":"m","quantity":1},{"billingCycle":"m","quantity":"x"}]"#,
            "lines",
        )
        .unwrap_err();
        let Error::Decode { path, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(path, "[1].quantity");
    }

    #[test]
    fn syntax_error_names_path() {
        let err = decode::<Vec<Line>>(
            br#"[{"billingCycle":"m","quantity":1},{"billingCycle": }]"#,
            "lines",
        )
        .unwrap_err();
        let Error::Decode { path, message, .. } = &err else {
            panic!("{err}")
        };
        assert!(path.starts_with("[1]"), "{path}");
        assert!(message.contains("malformed JSON"), "{message}");
    }

    #[test]
    fn wire_eq_ignores_case_and_separators() {
        assert!(wire_eq("one_time", "OneTime"));
        assert!(wire_eq("Monthly", "monthly"));
        assert!(!wire_eq("annual", "monthly"));
    }
}
