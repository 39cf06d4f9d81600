//! The introduction's argument made concrete: VGG-11's fully connected parameters and their
//! FP32 memory next to NiN's, computed by the same analysis as the shape summary.

use leptos::prelude::*;

use crate::analysis::{InputShape, LayerKind, ShapePlan, plan};
use crate::format;
use crate::i18n::Lang;
use crate::model::config::{NinConfig, VGG11};

struct Row {
    name: &'static str,
    fc: u64,
    total: u64,
}

fn fc_params(p: &ShapePlan) -> u64 {
    p.rows.iter().filter(|r| matches!(r.kind, LayerKind::Linear { .. })).map(|r| r.params).sum()
}

#[component]
pub fn Motivation() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let input = InputShape::book();
    let (Ok(vgg), Ok(nin)) = (plan(&NinConfig::vgg(&VGG11, 10), input), plan(&NinConfig::book(), input)) else {
        return view! { <p class="error">"analysis failed"</p> }.into_any();
    };
    let first_fc = vgg.rows.iter().find(|r| matches!(r.kind, LayerKind::Linear { .. })).map(|r| r.params).unwrap_or(0);
    let rows = [Row { name: "VGG-11", fc: fc_params(&vgg), total: vgg.total_params() }, Row { name: "NiN", fc: fc_params(&nin), total: nin.total_params() }];
    let max = rows.iter().map(|r| r.total).max().unwrap_or(1).max(1);
    view! {
        <div class="cell motivation" data-testid="motivation">
            {move || {
                let t = lang.get().ui();
                let body = rows
                    .iter()
                    .map(|r| {
                        let share = r.total as f64 / max as f64 * 100.0;
                        view! {
                            <tr>
                                <th scope="row">{r.name}</th>
                                <td class="num" data-testid="fc-params">{format::grouped(r.fc)}</td>
                                <td class="num">{format::grouped(r.total)}</td>
                                <td class="num bar-cell">
                                    <span class="bar" style=format!("width:{share:.2}%")></span>
                                    <span class="bar-label">{format::bytes(r.total * 4)}</span>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="cell-head"><span class="cell-title">{t.motivation_title}</span></div>
                    <div class="table-scroll" tabindex="0">
                        <table class="summary">
                            <thead>
                                <tr>
                                    <th scope="col">{t.motivation_model}</th>
                                    <th scope="col" class="num">{t.motivation_fc}</th>
                                    <th scope="col" class="num">{t.motivation_all}</th>
                                    <th scope="col" class="num">{t.motivation_fp32}</th>
                                </tr>
                            </thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                    <p class="measure">
                        {t.motivation_first_fc} ": " <strong data-testid="vgg-first-fc">{format::grouped(first_fc)}</strong>
                        " " {t.params_word} " = " <strong>{format::bytes(first_fc * 4)}</strong> " (FP32)."
                    </p>
                    <p class="note">{t.motivation_note}</p>
                }
            }}
        </div>
    }
    .into_any()
}
