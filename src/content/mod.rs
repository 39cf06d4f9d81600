//! The chapter's reading text (English and Japanese), kept apart from the UI that renders it.

pub mod chapter;
pub mod markup;
