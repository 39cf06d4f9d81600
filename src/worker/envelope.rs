//! The `{ msg, buffers }` shape of every message between the page and the worker.

use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

/// A message ready for `postMessage(value, transfer)`: the buffers' memory moves to the other
/// side instead of being copied.
pub struct Outgoing {
    pub value: JsValue,
    pub transfer: Array,
}

/// Wraps `msg` (seeds and counts are u64: sent as BigInt so none is rounded) and `buffers`.
pub fn encode<T: Serialize>(msg: &T, buffers: &[&[u8]]) -> Result<Outgoing, String> {
    encode_with_ports(msg, buffers, &[])
}

/// [`encode`], with `MessagePort`s that move to the other side (as `ports`).
pub fn encode_with_ports<T: Serialize>(msg: &T, buffers: &[&[u8]], ports: &[JsValue]) -> Result<Outgoing, String> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_large_number_types_as_bigints(true);
    let value = msg.serialize(&serializer).map_err(|e| e.to_string())?;
    let envelope = Object::new();
    let list = Array::new();
    let transfer = Array::new();
    for bytes in buffers {
        let array = Uint8Array::from(*bytes);
        transfer.push(&array.buffer());
        list.push(&array);
    }
    Reflect::set(&envelope, &"msg".into(), &value).map_err(|e| format!("{e:?}"))?;
    Reflect::set(&envelope, &"buffers".into(), &list).map_err(|e| format!("{e:?}"))?;
    if !ports.is_empty() {
        let sent = Array::new();
        for port in ports {
            sent.push(port);
            transfer.push(port);
        }
        Reflect::set(&envelope, &"ports".into(), &sent).map_err(|e| format!("{e:?}"))?;
    }
    Ok(Outgoing { value: envelope.into(), transfer })
}

/// Unwraps a received `{ msg, buffers }`, copying the buffers into wasm memory.
pub fn decode<T: DeserializeOwned>(data: &JsValue) -> Result<(T, Vec<Vec<u8>>), String> {
    let msg = Reflect::get(data, &"msg".into()).map_err(|e| format!("{e:?}"))?;
    let msg = serde_wasm_bindgen::from_value(msg).map_err(|e| e.to_string())?;
    let list = Reflect::get(data, &"buffers".into()).map_err(|e| format!("{e:?}"))?;
    let list: Array = list.dyn_into().map_err(|_| "the buffers are not an array".to_string())?;
    let buffers = list
        .iter()
        .map(|b| b.dyn_into::<Uint8Array>().map(|a| a.to_vec()).map_err(|_| "a buffer is not a Uint8Array".to_string()))
        .collect::<Result<_, _>>()?;
    Ok((msg, buffers))
}

/// The `MessagePort`s a received message carries (none for most messages).
pub fn ports(data: &JsValue) -> Vec<JsValue> {
    Reflect::get(data, &"ports".into()).ok().and_then(|p| p.dyn_into::<Array>().ok()).map(|a| a.iter().collect()).unwrap_or_default()
}
