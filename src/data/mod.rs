//! Fashion-MNIST for the app: the parsers and the shard format live in the `nin-data` crate
//! (no Burn, so the build step that writes the shards compiles in seconds); the picture
//! preprocessing for "try it yourself" is here.

pub mod sketch;

pub use nin_data::*;
