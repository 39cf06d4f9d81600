//! fig_nin: VGG-11 next to NiN, drawn as SVG from the live configs via `figure::layout`.

use leptos::prelude::*;

use super::prose::Paragraph;
use crate::figure::{FigureColumn, FigureItem, LINE_HEIGHT, PADDING, layout};
use crate::i18n::{self, Lang};
use crate::model::config::{NinConfig, VGG11};

const COLUMN_WIDTH: f32 = 250.0;
const TITLE_HEIGHT: f32 = 30.0;

fn css_class(item: &FigureItem) -> &'static str {
    match item {
        FigureItem::Block { nin: true, .. } => "fig-box fig-nin-block",
        FigureItem::Block { nin: false, .. } => "fig-box fig-vgg-block",
        FigureItem::MaxPool { .. } => "fig-box fig-pool",
        FigureItem::Dropout { .. } => "fig-box fig-dropout",
        FigureItem::GlobalAvgPool | FigureItem::Flatten => "fig-box fig-head",
        FigureItem::FullyConnected { .. } => "fig-box fig-fc",
    }
}

fn column(lang: Lang, title: &'static str, col: FigureColumn, x: f32, testid: &'static str) -> impl IntoView {
    let boxes = col
        .boxes
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let y = TITLE_HEIGHT + b.y;
            let lines = i18n::figure_lines(lang, &b.item);
            let arrow = (i > 0).then(|| {
                view! { <line class="fig-arrow" x1=x + COLUMN_WIDTH / 2.0 x2=x + COLUMN_WIDTH / 2.0 y1=y - 16.0 y2=y - 3.0 marker-end="url(#fig-arrowhead)"/> }
            });
            let texts = lines
                .into_iter()
                .enumerate()
                .map(|(j, line)| {
                    let weight = if j == 0 && matches!(b.item, FigureItem::Block { .. }) { "600" } else { "400" };
                    view! {
                        <text x=x + COLUMN_WIDTH / 2.0 y=y + PADDING + LINE_HEIGHT * (j as f32 + 0.75) text-anchor="middle" font-weight=weight>{line}</text>
                    }
                })
                .collect_view();
            view! {
                {arrow}
                <g data-testid=testid>
                    <rect class=css_class(&b.item) x=x y=y width=COLUMN_WIDTH height=b.height rx="6"/>
                    {texts}
                </g>
            }
        })
        .collect_view();
    view! {
        <text class="fig-title" x=x + COLUMN_WIDTH / 2.0 y="18" text-anchor="middle">{title}</text>
        {boxes}
    }
}

/// One column in its own SVG (hidden from assistive technology: the figure's container is the
/// image and carries the label). `marker`: this SVG defines the arrowhead every column uses.
fn column_svg(lang: Lang, title: &'static str, col: FigureColumn, testid: &'static str, marker: bool) -> impl IntoView {
    let height = TITLE_HEIGHT + col.height + 4.0;
    let width = COLUMN_WIDTH + 2.0;
    let defs = marker.then(|| {
        view! {
            <defs>
                <marker id="fig-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
                    <path d="M0,0 L10,5 L0,10 z" class="fig-arrowhead"/>
                </marker>
            </defs>
        }
    });
    view! {
        <svg viewBox=format!("-1 0 {width} {height}") aria-hidden="true" focusable="false">
            {defs}
            {column(lang, title, col, 0.0, testid)}
        </svg>
    }
}

/// The figure with its caption, in the current language.
#[component]
pub fn FigNin() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    move || {
        let lang = lang.get();
        let t = lang.ui();
        let vgg = layout(&NinConfig::vgg(&VGG11, 10));
        let nin = layout(&NinConfig::book());
        let label = lang.chapter().fig_nin_caption.replace('$', "");
        view! {
            <figure class="fig-nin" id="fig_nin">
                // One SVG per column: side by side when there is room, one above the other on a
                // phone, so the text keeps its size (issue 29).
                <div class="fig-cols" role="img" aria-label=label data-testid="fig-nin">
                    {column_svg(lang, t.fig_vgg, vgg, "fig-vgg-stage", true)}
                    {column_svg(lang, t.fig_nin, nin, "fig-nin-stage", false)}
                </div>
                <figcaption>
                    <strong>{t.fig_figure_label} " 1. "</strong>
                    <Paragraph text=lang.chapter().fig_nin_caption/>
                </figcaption>
            </figure>
        }
    }
}

/// Two configs side by side in the style of figure 1 (exercise 6: a VGG and its NiN member).
/// Reuses figure 1's arrowhead marker.
#[component]
pub fn FigPair(left: NinConfig, left_title: &'static str, right: NinConfig, right_title: &'static str) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    move || {
        let lang = lang.get();
        let (l, r) = (layout(&left), layout(&right));
        view! {
            <figure class="fig-nin fig-pair">
                <div class="fig-cols" role="img" aria-label=format!("{left_title} / {right_title}") data-testid="fig-pair">
                    {column_svg(lang, left_title, l, "fig-left-stage", false)}
                    {column_svg(lang, right_title, r, "fig-right-stage", false)}
                </div>
            </figure>
        }
    }
}
