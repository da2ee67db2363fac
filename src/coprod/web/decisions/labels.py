"""Words shown for the identifiers of decisions and publication rights, in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from coprod.core.ids import DecisionRule, PartnerReview

METHOD_LABELS = {
    DecisionRule.CONSENSUS.value: _("By consensus"),
    DecisionRule.VOTE.value: _("By vote"),
    DecisionRule.LEAD_DECIDES.value: _("The lead decided"),
    DecisionRule.STEERING_GROUP.value: _("The steering group decided"),
}
METHOD_HELP = {
    DecisionRule.CONSENSUS.value: _("Everyone could live with it; some may have stood aside."),
    DecisionRule.VOTE.value: _("Record how many voted for, against, and abstained."),
    DecisionRule.LEAD_DECIDES.value: _("The project lead decided, having heard the others."),
    DecisionRule.STEERING_GROUP.value: _("A steering or management group decided."),
}
# "How decisions are taken", as a partner reads it on the partner view.
RULE_LABELS = {
    DecisionRule.CONSENSUS.value: _(
        "By consensus: a decision stands when everyone can live with it."
    ),
    DecisionRule.VOTE.value: _("By a vote of those taking part."),
    DecisionRule.LEAD_DECIDES.value: _("The project lead decides, having heard everyone."),
    DecisionRule.STEERING_GROUP.value: _("A steering or management group decides."),
}
OUTCOME_LABELS = {
    "carried": _("carried"),
    "not carried": _("not carried"),
    "tied": _("tied"),
}
REVIEW_LABELS = {
    PartnerReview.COMMENT.value: _("Partners may comment"),
    PartnerReview.VETO.value: _("Partners may stop publication (veto)"),
    PartnerReview.NONE.value: _("No review by partners"),
}
REVIEW_HELP = {
    PartnerReview.COMMENT.value: _(
        "The usual choice: partners see a draft and comment; the authors decide what to change."
    ),
    PartnerReview.VETO.value: _(
        "Only if the agreement says so: partners can stop publication, which may keep unwelcome "
        "findings from being shared."
    ),
    PartnerReview.NONE.value: _("Partners do not see a draft first."),
}
