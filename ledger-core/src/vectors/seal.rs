//! The sealed-text vectors (`spec/events.md` section 6, "Sealed text"):
//! the inputs a sealer draws, the recipients' seeds, and the `sealed`
//! member, so another implementation can both seal and open.

use serde_json::json;

use crate::hash::hex_encode;
use crate::seal::seal_with;
use crate::world::named_key;

/// Every sealed-text vector: `(path relative to spec/vectors, contents)`.
pub fn seal_vectors(out: &mut Vec<(String, String)>) {
    let cases: [(&str, &str, &str, &[&str]); 2] = [
        (
            "two-recipients",
            "a text sealed to two case handlers' keys",
            "Watoto wanachimba usiku kwenye shimo la pili; wanajeshi wanachukua « taxe » kila Ijumaa.",
            &["seal:AUTH", "seal:AUTH2"],
        ),
        (
            "one-recipient",
            "a one-line text sealed to one key",
            "x",
            &["seal:AUTH"],
        ),
    ];
    for (k, (name, description, text, keys)) in cases.iter().enumerate() {
        let seeds: Vec<_> = keys.iter().map(|n| named_key(n)).collect();
        let publics: Vec<_> = seeds.iter().map(|s| s.public()).collect();
        let byte = |b: u8| [b.wrapping_add(k as u8); 32];
        let (ephemeral, content_key) = (byte(0x11), byte(0x22));
        let nonce = [0x33u8.wrapping_add(k as u8); 12];
        let sealed = seal_with(text, &publics, ephemeral, content_key, nonce)
            .unwrap_or_else(|e| panic!("seal vector {name}: {e}"));
        let recipients: Vec<_> = seeds
            .iter()
            .map(|s| {
                json!({"seed_hex": hex_encode(&s.seed()), "public_key": s.public().to_string(),
                       "key_id": s.public().key_id().to_string()})
            })
            .collect();
        let v = json!({
            "description": description,
            "text": text,
            "recipients": recipients,
            "ephemeral_secret_hex": hex_encode(&ephemeral),
            "content_key_hex": hex_encode(&content_key),
            "nonce_hex": hex_encode(&nonce),
            "sealed": sealed,
        });
        out.push((format!("seal/{name}.json"), super::pretty(&v)));
    }
}
