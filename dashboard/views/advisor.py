"""The org-model advisor's section: recommended vs current model, maturity, the diagnostics of the
model in place (lit ones first, with figure, the guide's words and where the threshold comes from),
what the guide suggests when one is lit, then the centralized model's transition indicators."""

from __future__ import annotations

import streamlit as st

from aiorg_metrics.analysis import advisor
from aiorg_metrics.analysis.diagnostics import Diagnostic, Guidance, Source
from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.display.wording import model_name
from dashboard.widgets import badge_text, md

SIGNAL_BADGES = {
    "lit": ("red", ":material/error:", "Lit"),
    "not_lit": ("green", ":material/check_circle:", "Not lit"),
    "greyed": ("gray", ":material/block:", "For information"),
    "no_data": ("gray", ":material/remove:", "No data"),
}
DIAGNOSTIC_BADGES = {True: SIGNAL_BADGES["lit"], False: SIGNAL_BADGES["not_lit"], None: SIGNAL_BADGES["no_data"]}
SOURCE_BADGES = {
    Source.GUIDE: badge_text("blue", ":material/menu_book:", "threshold from the guide"),
    Source.PRODUCT_DEFAULT: badge_text("orange", ":material/tune:", "threshold: product default"),
}


def _signal(signal: advisor.Signal) -> None:
    colour, icon, word = SIGNAL_BADGES[signal.state.value]
    figure = signal.figure_text()
    text = f":{colour}-badge[{icon} {word}] **{md(signal.label)}**: {md(figure)} :gray[(rule {md(signal.rule)})]"
    greyed = signal.state.value == "greyed"
    st.markdown(f":gray[{text}]" if greyed else text)
    # A greyed signal's explanation repeats the heading above it: only why it matters and the source.
    explanation = "" if greyed else f"{md(signal.explanation)} "
    st.caption(f"{explanation}*Why it matters:* {md(signal.reasoning)} *Source:* {md(signal.source)}.")


def _guide_quote(diagnostic: Diagnostic) -> str:
    return f"The guide: *“{md(diagnostic.guide_text)}”* ({md(diagnostic.guide_section)})"


def _diagnostic(diagnostic: Diagnostic) -> None:
    colour, icon, word = DIAGNOSTIC_BADGES[diagnostic.lit]
    head = f":{colour}-badge[{icon} {word}] **{md(diagnostic.label)}**: {md(diagnostic.figure)}"
    rule = f"Rule: {md(diagnostic.rule)} {SOURCE_BADGES[diagnostic.source]}"
    if diagnostic.lit:
        with st.container(border=True):
            st.markdown(head)
            st.markdown(md(diagnostic.explanation))
            st.caption(f"{rule}  \n{_guide_quote(diagnostic)}")
    else:
        st.markdown(head)
        st.caption(f"{md(diagnostic.explanation)} {rule}  \n{_guide_quote(diagnostic)}")


def _guidance(guidance: Guidance, current: OrgModel) -> None:
    st.markdown("**What the guide suggests**")
    if guidance.move_to is not None:
        st.markdown(f"Consider moving to **{md(model_name(guidance.move_to))}**: {md(guidance.move_reason)}")
    else:
        st.markdown(md(guidance.move_reason))
    if guidance.practices:
        st.markdown(f"Good practices of the {md(current.phrase)} model ({md(guidance.practices_source)}):")
        st.markdown("\n".join(f"- {md(practice)}" for practice in guidance.practices))
    else:
        st.caption(md(guidance.practices_source))


def _diagnostics(advice: advisor.Advice) -> None:
    model = f"{model_name(advice.current)}, {advice.current_source}"
    st.markdown(f"**Diagnostics of the model in place** ({md(model)})")
    if not advice.diagnostics:
        st.caption("The guide gives no rule the data can check for this model.")
        return
    for diagnostic in sorted(advice.diagnostics, key=lambda d: {True: 0, False: 1, None: 2}[d.lit]):
        _diagnostic(diagnostic)
    if advice.guidance is not None:
        _guidance(advice.guidance, advice.current)


def _maturity(advice: advisor.Advice) -> None:
    if advice.maturity is None:  # the engine's own sentence: it names the `maturity` setting in code
        st.info(advice.maturity_reason, icon=":material/tune:")
        return
    reading = ", ".join(model_name(m) for m in advice.maturity_reading) or "–"
    agree = {True: badge_text("green", ":material/check:", "Agrees with the size"),
             False: badge_text("orange", ":material/warning:", "Differs from the size"),
             None: badge_text("gray", ":material/help:", "Cannot tell")}[advice.agree]
    st.markdown(f"Maturity reading: **{md(reading)}** {agree}")
    st.caption(f"{md(advice.maturity_reason)} {md(advice.agree_reason)}")


def _transition_indicators(advice: advisor.Advice) -> None:
    if advice.current is OrgModel.CENTRALIZED:
        return  # they are the diagnostics above
    runs = "has no AI staff yet" if advice.current is OrgModel.NONE else f"runs {advice.current.phrase}"
    st.markdown("**Transition indicators of the centralized model** :gray[(for information: the guide gives them "
                f"for leaving the centralized model, and this organization {md(runs)})]")
    for signal in (*advice.transition_indicators, advice.hub_size_signal):
        _signal(signal)


def render_advice(advice: advisor.Advice) -> None:
    """The org-model advisor: recommended vs current model, maturity, diagnostics, transition indicators."""
    with st.container(border=True, key="advisor"):
        st.markdown("##### :material/explore: Org-model advisor")
        left, right = st.columns(2)
        recommended = model_name(advice.recommended) if advice.recommended else "No recommendation"
        with left:
            st.markdown(f"Recommended: **{md(recommended)}**")
            st.caption(md(advice.recommended_reason))
        with right:
            st.markdown(f"Current: **{md(model_name(advice.current))}** ({md(advice.current_source)})")
            st.caption(md(advice.current_reason))
        _maturity(advice)
        _diagnostics(advice)
        _transition_indicators(advice)
        with st.expander("Criteria of the guide the data does not capture"):
            st.markdown("\n".join(f"- **{md(model_name(c.model))}**: {md(c.criterion)}. {md(c.reasoning)}"
                                   for c in advice.uncaptured_criteria))
