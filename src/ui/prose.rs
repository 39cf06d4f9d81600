//! Renders the chapter's inline markup as DOM nodes (never as raw HTML).

use leptos::prelude::*;

use crate::content::markup::{Span, parse};

/// Spans as views; bold text may itself hold `code` or $math$ (one level deep).
fn spans(text: &'static str, nested: bool) -> AnyView {
    parse(text)
        .into_iter()
        .map(|span| match span {
            Span::Text(s) => s.into_any(),
            Span::Code(s) => view! { <code>{s}</code> }.into_any(),
            Span::Bold(s) if !nested => view! { <strong>{spans(s, true)}</strong> }.into_any(),
            Span::Bold(s) => s.into_any(),
            Span::Math(s) => view! { <span class="math">{s}</span> }.into_any(),
        })
        .collect_view()
        .into_any()
}

/// The spans of one paragraph of chapter text.
#[component]
pub fn Paragraph(#[prop(into)] text: Signal<&'static str>) -> impl IntoView {
    move || spans(text.get(), false)
}
