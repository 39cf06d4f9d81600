//! The chapter's reading text (English and Japanese), its inline markup, and the model source
//! shown in the code cells, kept apart from the UI that renders them.

pub mod chapter;
pub mod highlight;
pub mod markup;
pub mod source;
