//! The speed each backend reached in this browser's latest training run, kept in localStorage,
//! so that the training cell can say how long the next run will take there.

use leptos::prelude::*;

use crate::client::BackendKind;
use crate::client::estimate::Speed;

/// localStorage key; the version changes when the format does.
const STORAGE_KEY: &str = "nin-speed-v1";

/// The latest measured [`Speed`] per backend.
#[derive(Clone, Copy)]
pub struct Speeds(RwSignal<Vec<(BackendKind, Speed)>>);

impl Speeds {
    /// The saved speeds; a missing or unreadable entry gives none.
    pub fn load() -> Self {
        let saved = super::storage::get_with(STORAGE_KEY, super::storage::Stored::Speeds, crate::client::estimate::parse_speeds);
        Speeds(RwSignal::new(saved.unwrap_or_default()))
    }

    /// The latest speed on `kind` (tracked).
    pub fn get(&self, kind: BackendKind) -> Option<Speed> {
        self.0.with(|all| all.iter().find(|(k, _)| *k == kind).map(|(_, s)| *s)).filter(Speed::usable)
    }

    /// Replaces the speed on `kind` and saves (a full or private-mode storage only loses it).
    pub fn set(&self, kind: BackendKind, speed: Speed) {
        self.0.update(|all| {
            all.retain(|(k, _)| *k != kind);
            all.push((kind, speed));
        });
        super::storage::set(STORAGE_KEY, &self.0.get_untracked(), super::storage::Stored::Speeds);
    }
}
