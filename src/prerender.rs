//! The chapter as static HTML, readable before the wasm has loaded and with JavaScript off
//! (issue 29). Rendered natively from the same texts the app renders (`content::chapter`, the
//! `i18n` tables) into `www/prerender/{en,ja}.html`; `scripts/post_build.mjs` puts them into the
//! built index.html (English in the page, Japanese in a `<template>` a tiny inline script swaps
//! in before the first paint where the student reads Japanese). The native test
//! `the_committed_pages_are_what_the_texts_render` fails when a text changed and the files did
//! not (`UPDATE_PRERENDER=1 cargo test prerender` rewrites them), so they cannot drift.
//!
//! The markup mirrors `ui::app`'s: the same classes, section ids and headings, and every
//! paragraph carries `data-p` (`section:before:i`), as the app's do, so that the app can put the
//! paragraph the student was reading back where it was when it takes over.

use crate::content::chapter::ChapterText;
use crate::content::markup::{Span, parse};
use crate::exercises::Exercise;
use crate::i18n::Lang;

/// `text` with `&`, `<`, `>` and `"` escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A paragraph's inline markup as HTML, as `ui::prose` renders it (bold one level deep).
fn spans(text: &str, nested: bool) -> String {
    parse(text)
        .into_iter()
        .map(|span| match span {
            Span::Text(s) => escape(s),
            Span::Code(s) => format!("<code>{}</code>", escape(s)),
            Span::Bold(s) if !nested => format!("<strong>{}</strong>", spans(s, true)),
            Span::Bold(s) => escape(s),
            Span::Math(s) => format!("<span class=\"math\">{}</span>", escape(s)),
        })
        .collect()
}

/// The placeholder where a section's cells will be: says the engine is loading.
fn cells_placeholder(lang: Lang) -> String {
    format!("<div class=\"cell cell-loading\" data-testid=\"cell-loading\"><p class=\"note\">{}</p></div>", escape(lang.ui().engine_loading))
}

fn paragraphs(out: &mut String, id: &str, part: &str, texts: &[&str]) {
    for (i, p) in texts.iter().enumerate() {
        out.push_str(&format!("<p data-p=\"{id}:{part}:{i}\">{}</p>", spans(p, false)));
    }
}

/// The exercises' questions and what each experiment measures, as the exercise cells show them.
fn exercises(out: &mut String, lang: Lang, chapter: &ChapterText) {
    for (i, exercise) in Exercise::ALL.into_iter().enumerate() {
        let text = &chapter.exercises[i];
        out.push_str(&format!(
            "<article class=\"exercise\" id=\"{}\" data-testid=\"exercise\"><h3>{} {}</h3><p>{}</p><p class=\"note\">{}</p>{}</article>",
            exercise.id(),
            escape(lang.ex().exercise),
            exercise.number(),
            spans(text.question, false),
            spans(text.experiment, false),
            cells_placeholder(lang)
        ));
    }
}

/// The whole chapter in `lang`: header, contents, sections (cells as placeholders), footer.
pub fn render(lang: Lang) -> String {
    let (ui, chapter) = (lang.ui(), lang.chapter());
    let mut out = String::new();
    out.push_str(&format!(
        "<header class=\"site-header\"><div class=\"wrap header-row\"><div><p class=\"kicker\">{}</p><h1>{}</h1><p class=\"lede\">{}</p></div></div></header>",
        escape(ui.kicker),
        escape(chapter.title),
        spans(chapter.subtitle, false)
    ));
    out.push_str("<main class=\"wrap\">");
    out.push_str(&format!(
        "<p class=\"boot\" id=\"boot\" role=\"status\" data-testid=\"boot\"><span id=\"boot-text\">{}</span> <span id=\"boot-bytes\"></span></p>",
        escape(ui.engine_loading)
    ));
    out.push_str(&format!("<nav class=\"toc\" aria-label=\"{0}\"><div class=\"toc-head\"><h2>{0}</h2></div><ol>", escape(ui.contents)));
    for s in &chapter.sections {
        out.push_str(&format!("<li><a href=\"#{}\">{}</a></li>", s.id, escape(s.title)));
    }
    out.push_str("</ol></nav>");
    for s in &chapter.sections {
        out.push_str(&format!(
            "<section id=\"{0}\" aria-labelledby=\"{0}-title\" data-testid=\"chapter-section\"><h2 id=\"{0}-title\">{1}</h2>",
            s.id,
            escape(s.title)
        ));
        paragraphs(&mut out, s.id, "before", s.before_cells);
        match s.id {
            "exercises" => exercises(&mut out, lang, chapter),
            "summary" => {}
            _ => out.push_str(&cells_placeholder(lang)),
        }
        paragraphs(&mut out, s.id, "after", s.after_cells);
        out.push_str("</section>");
    }
    out.push_str("</main>");
    out.push_str(&format!("<footer class=\"wrap site-footer\"><p>{}</p><p>{}</p></footer>", spans(chapter.credits, false), escape(ui.footer)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(lang: Lang) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www/prerender").join(format!("{}.html", lang.code()))
    }

    #[test]
    fn the_committed_pages_are_what_the_texts_render() {
        for lang in [Lang::En, Lang::Ja] {
            let html = render(lang) + "\n";
            if std::env::var("UPDATE_PRERENDER").is_ok_and(|v| v == "1") {
                std::fs::create_dir_all(path(lang).parent().unwrap()).unwrap();
                std::fs::write(path(lang), &html).unwrap();
            }
            let committed = std::fs::read_to_string(path(lang)).unwrap_or_default();
            assert!(committed == html, "{} is out of date: run UPDATE_PRERENDER=1 cargo test prerender", path(lang).display());
        }
    }

    #[test]
    fn every_text_of_the_chapter_is_in_the_page() {
        for lang in [Lang::En, Lang::Ja] {
            let html = render(lang);
            let chapter = lang.chapter();
            assert!(html.contains(&format!("<h1>{}</h1>", escape(chapter.title))));
            for s in &chapter.sections {
                assert!(html.contains(&format!("id=\"{}-title\">{}</h2>", s.id, escape(s.title))), "{}", s.id);
                for p in s.before_cells.iter().chain(s.after_cells) {
                    assert!(html.contains(&spans(p, false)), "{lang:?} {}: {p}", s.id);
                }
            }
            for ex in &chapter.exercises {
                assert!(html.contains(&spans(ex.question, false)));
            }
            assert_eq!(html.matches("<section ").count(), 6);
            assert_eq!(html.matches("<article class=\"exercise\"").count(), 6);
        }
    }

    #[test]
    fn markup_is_escaped_and_styled() {
        assert_eq!(spans("a <b> & **c `d`** $1×1$", false), "a &lt;b&gt; &amp; <strong>c <code>d</code></strong> <span class=\"math\">1×1</span>");
    }
}
