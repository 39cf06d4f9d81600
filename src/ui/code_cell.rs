//! Code cells: the real model source (embedded at build time), highlighted.

use leptos::prelude::*;

use crate::content::highlight::{Token, highlight};
use crate::content::source::{MODEL_SOURCE, region};
use crate::i18n::{Lang, Ui};

/// The CSS class of a highlighted token (shared with the model cell's Rust tab).
pub(super) fn class(token: Token) -> &'static str {
    match token {
        Token::Plain => "",
        Token::Keyword => "tok-kw",
        Token::Type => "tok-ty",
        Token::Str => "tok-str",
        Token::Comment => "tok-com",
        Token::Number => "tok-num",
        Token::Macro => "tok-mac",
    }
}

/// Shows the region `name` of `src/model` (config.rs, then mod.rs).
#[component]
pub fn CodeCell(name: &'static str, title: fn(&Ui) -> &'static str) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    // A missing region is a build bug; show it rather than hide the cell.
    let code = region(MODEL_SOURCE, name).unwrap_or_else(|| format!("// region `{name}` not found in src/model"));
    let code: &'static str = Box::leak(code.into_boxed_str());
    let spans = highlight(code).into_iter().map(|(token, text)| view! { <span class=class(token)>{text}</span> }).collect_view();
    view! {
        <div class="cell code-cell" data-testid="code-cell" data-region=name>
            <div class="cell-head">
                <span class="cell-title">{move || title(lang.get().ui())}</span>
            </div>
            <pre tabindex="0"><code>{spans}</code></pre>
            <p class="note">{move || lang.get().ui().code_cell_note}</p>
        </div>
    }
}
