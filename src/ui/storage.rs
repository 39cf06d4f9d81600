//! localStorage without surprises. A private window or a policy can disable it (then even
//! reaching it throws), a full quota refuses writes, and a value can come from an older version
//! of the page. Every read and write here is a value, never a panic: the page works on without
//! it and says what it could not keep ([`StorageNotice`]).

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use crate::i18n::{StorageIssue, Stored};

/// What the page could not keep, shown near the top (the newest issue wins). One per page,
/// reachable from event handlers too (which run outside Leptos's owner tree).
#[derive(Clone, Copy)]
pub struct StorageNotice(pub RwSignal<Option<(StorageIssue, Stored)>>);

thread_local! {
    static NOTICE: std::cell::Cell<Option<StorageNotice>> = const { std::cell::Cell::new(None) };
}

impl StorageNotice {
    /// The page's notice, created once at start-up.
    pub fn install() -> Self {
        let n = StorageNotice(RwSignal::new(None));
        NOTICE.with(|c| c.set(Some(n)));
        n
    }
}

fn raw() -> Result<web_sys::Storage, StorageIssue> {
    // `window.localStorage` throws in some private modes: web-sys returns that as an Err.
    web_sys::window().ok_or(StorageIssue::Unavailable)?.local_storage().ok().flatten().ok_or(StorageIssue::Unavailable)
}

fn notice(issue: StorageIssue, what: Stored) {
    if let Some(n) = NOTICE.with(|c| c.get()) {
        n.0.set(Some((issue, what)));
    }
}

/// The value saved under `key`; `None` when there is none. A value that does not parse (an
/// older version's, or damaged) is removed and reported as [`StorageIssue::Unreadable`].
/// `what` names it for the notice.
pub fn get<T: DeserializeOwned>(key: &str, what: Stored) -> Option<T> {
    get_with(key, what, |text| serde_json::from_str(text).ok())
}

/// Like [`get`], with the caller's own parse-and-check (`None`: unreadable).
pub fn get_with<T>(key: &str, what: Stored, parse: impl FnOnce(&str) -> Option<T>) -> Option<T> {
    let storage = match raw() {
        Ok(s) => s,
        Err(issue) => {
            notice(issue, what);
            return None;
        }
    };
    let text = storage.get_item(key).ok().flatten()?;
    match parse(&text) {
        Some(value) => Some(value),
        None => {
            let _ = storage.remove_item(key);
            notice(StorageIssue::Unreadable, what);
            None
        }
    }
}

/// Saves `value` under `key`; a refusal is reported (and the page goes on without it).
pub fn set<T: Serialize>(key: &str, value: &T, what: Stored) {
    let Ok(json) = serde_json::to_string(value) else { return };
    let result = raw().and_then(|s| s.set_item(key, &json).map_err(|_| StorageIssue::Full));
    if let Err(issue) = result {
        notice(issue, what);
    }
}
