//! Fingerprints: 128-bit hashes of what a unit of a build is made from.

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// A 128-bit hash of what something is made from.
pub type Fingerprint = u128;

thread_local! {
    /// The JSON of the value [`Hasher::value`] is hashing, kept between values.
    static JSON: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Builds a [`Fingerprint`] from bytes, text and serialisable values.
pub struct Hasher(Xxh3);

impl Default for Hasher {
    fn default() -> Hasher {
        Hasher::new()
    }
}

impl Hasher {
    /// An empty hasher.
    pub fn new() -> Hasher {
        Hasher(Xxh3::new())
    }

    /// Adds bytes, with their length, so that no two sequences of parts meet.
    pub fn bytes(mut self, bytes: &[u8]) -> Hasher {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Adds a text.
    pub fn text(self, text: &str) -> Hasher {
        self.bytes(text.as_bytes())
    }

    /// Adds fingerprints (or other numbers of up to 128 bits) as they are,
    /// then how many there were: quicker than as a value, with no list to make.
    pub fn fingerprints(mut self, parts: impl IntoIterator<Item = Fingerprint>) -> Hasher {
        let mut count: u64 = 0;
        for part in parts {
            self.0.update(&part.to_le_bytes());
            count += 1;
        }
        self.0.update(&count.to_le_bytes());
        self
    }

    /// Adds a value as its JSON, written whole before it is hashed: JSON is
    /// written in pieces of a few bytes, each costly to hash on its own.
    pub fn value<T: Serialize + ?Sized>(mut self, value: &T) -> Hasher {
        JSON.with_borrow_mut(|json| {
            json.clear();
            serde_json::to_writer(&mut *json, value).expect("values serialise");
            self.0.update(json);
        });
        self.0.update(&[0xff]);
        self
    }

    /// The fingerprint of everything added.
    pub fn finish(&self) -> Fingerprint {
        self.0.digest128()
    }
}
