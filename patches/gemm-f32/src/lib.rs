#![cfg_attr(not(feature = "std"), no_std)]

pub mod gemm;
pub mod microkernel;
// PATCHED (nin-companion): a hand-written wasm32 microkernel (issue 31).
#[cfg(target_arch = "wasm32")]
pub mod wasm_kernel;

#[macro_use]
extern crate gemm_common;
