//! The code cell's program, as the student types it: tokenizer, parser, evaluator and summary.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = std::str::from_utf8(data) {
        // Errors are fine; panics, overflows and hangs are not. What succeeds must be consistent.
        if let Ok((net, summary)) = nin_code::analyze(source) {
            assert_eq!(summary.rows.len(), net.layers.len());
            assert!(summary.total_params <= nin_code::MAX_PARAMETERS);
        }
    }
});
