"""Scoped reads for the reviewer workbench: review queues and the all-applications list.

Every list is one query for its rows plus a fixed number for their related rows, ordered by an
indexed column and cut with LIMIT/OFFSET (no whole-table COUNT), so a page costs the same at
1,000 applications as at 100,000.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.models import Group
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from onboarding.models import (
    Application,
    EntityType,
    PopulationCapacity,
    ServiceCounty,
)
from onboarding.models.entity import EntityProfile
from onboarding.reference import County, PopulationOfFocus
from portal.models import User
from portal.roles import FINAL_APPROVAL_PERMISSION, REVIEW_PERMISSION, is_network_manager
from providers.selectors import has_open_compliance_issue, has_possible_exclusion
from reviews.models import ReviewDecision, ReviewWork
from reviews.record_version import Rows, RowsStamp, named_by
from reviews.rendering_cache import kept, rendering_digest

PAGE_SIZE = 25
Stage = ReviewDecision.Stage
# What ``User.display_name`` reads, for a review's holder.
OWNER_NAME = tuple(f"owner__{name}" for name in User.NAME_FIELDS)

# What the filters' options show: the entity types, and the people who may hold a review (the
# groups' permissions, who is in which group, and those people's names and whether they are
# active). Stamped as the record is (``reviews.record_version``; no rows are chosen by $1), so
# the options are read again only once one of these rows has changed.
_MEMBERSHIPS = User.groups.through
OPTIONS_SHOWN: tuple[Rows, ...] = (
    Rows(EntityType, "TRUE"),
    Rows(Group.permissions.through, "TRUE"),
    Rows(_MEMBERSHIPS, "TRUE"),
    named_by(User, _MEMBERSHIPS, "user", "TRUE", shown=(*User.NAME_FIELDS, "is_active")),
)
options_version = RowsStamp("filter_options", OPTIONS_SHOWN, "integer")


def staff_reviewers() -> QuerySet[User]:
    """People who may hold a review: members of a group carrying the review permission."""
    app_label, codename = REVIEW_PERMISSION.split(".")
    # Start from the (small) group memberships, not from every applicant's account.
    members = User.groups.through.objects.filter(
        group__permissions__codename=codename,
        group__permissions__content_type__app_label=app_label,
    ).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("full_name", "email")


class WorkbenchFilterForm(forms.Form):
    """The filters and sort order shared by the queues and the applications list."""

    QUEUE_SORTS = [
        ("due", _("Due date, soonest first")),
        ("-due", _("Due date, latest first")),
        ("waiting", _("Waiting longest")),
        ("newest", _("Newest")),
    ]
    APPLICATION_SORTS = [
        ("newest", _("Newest")),
        ("oldest", _("Oldest")),
        ("updated", _("Recently updated")),
    ]

    step = forms.ChoiceField(
        label=_("Step"), required=False, choices=[("", _("Any")), *Stage.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Application.Status.choices]
    )
    entity_type = forms.ModelChoiceField(
        label=_("Entity type"),
        required=False,
        queryset=EntityType.objects.all(),
        empty_label=_("Any"),
    )
    county = forms.ChoiceField(
        label=_("County"), required=False, choices=[("", _("Any")), *County.choices]
    )
    population = forms.ChoiceField(
        label=_("Population of focus"),
        required=False,
        choices=[("", _("Any")), *PopulationOfFocus.choices],
    )
    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"), required=False, queryset=User.objects.none(), empty_label=_("Anyone")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    # Applications only: a provider whose roster no longer meets the onboarding rules.
    out_of_compliance = forms.BooleanField(label=_("Out of compliance"), required=False)
    possible_exclusion = forms.BooleanField(
        label=_("Possible exclusion to adjudicate"), required=False
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, sorts: list[tuple[str, Any]], reviewers: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = sorts  # type: ignore[attr-defined]
        if reviewers:
            self.fields["reviewer"].queryset = staff_reviewers()  # type: ignore[attr-defined]
        else:
            del self.fields["reviewer"]
        if sorts != self.APPLICATION_SORTS:
            del self.fields["out_of_compliance"]
            del self.fields["possible_exclusion"]

    @classmethod
    def for_applications(cls, data: Any) -> "WorkbenchFilterForm":
        """The applications list's filters, any reviewer among the choices: as the list, its
        export and the export's background job all read them."""
        return cls(data, sorts=cls.APPLICATION_SORTS, reviewers=True)

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty filters (an invalid value is ignored rather than failing)."""
        if not self.is_valid():
            return {
                name: value
                for name, value in getattr(self, "cleaned_data", {}).items()
                if value not in (None, "", False) and name not in self.errors
            }
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}

    def controls(self) -> list[dict[str, Any]]:
        """The filter fields with their options already rendered.

        Django renders each ``<option>`` through a template, which on a list page costs more than
        the rows; building them here keeps the page's time flat.
        """
        controls = []
        model_options = self._model_options()
        for name, field in self.fields.items():
            if name == "page":
                continue
            raw = self.data.get(name, "")
            if isinstance(field, forms.BooleanField):
                controls.append(
                    {"name": name, "label": field.label, "checkbox": True, "checked": bool(raw)}
                )
                continue
            if isinstance(field, forms.ModelChoiceField):
                choices = [("", str(field.empty_label)), *model_options[name]]
                options = _options_html(choices, raw)
            else:
                options = _fixed_options(self, name, get_language(), raw)
            controls.append({"name": name, "label": field.label, "options": options})
        return controls

    def _model_options(self) -> dict[str, list[tuple[str, str]]]:
        """The entity types' and the reviewers' options (value, label), from the cache while
        the rows they show are unchanged (``OPTIONS_SHOWN``)."""
        fields = {
            name: field
            for name, field in self.fields.items()
            if isinstance(field, forms.ModelChoiceField)
        }
        version = options_version(0)
        return kept(
            None if version is None else f"filter-options:{version}:{rendering_digest(*fields)}",
            # One plain query each; iterating a field's choices opens a server-side cursor.
            lambda: {
                name: [(str(obj.pk), str(obj)) for obj in field.queryset or []]
                for name, field in fields.items()
            },
        )

    def query_string(self, **changes: Any) -> str:
        """The current filters as a query string, with ``changes`` applied (for page links)."""
        values = {**{k: getattr(v, "pk", v) for k, v in self.filters().items()}, **changes}
        return urlencode({k: "on" if v is True else v for k, v in values.items() if v})


def _options_html(choices: list[tuple[str, str]], selected: str) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )


_OPTIONS_CACHE: dict[tuple[str, str, str, str], SafeString] = {}


def _fixed_options(
    form: "WorkbenchFilterForm", name: str, language: str | None, selected: str
) -> SafeString:
    """A fixed field's options, rendered once per language and selection (not on every request;
    escaping the 59 counties was a tenth of the list page's time)."""
    field = form.fields[name]
    choices = field.choices  # type: ignore[attr-defined]
    values = [str(value) for value, _label in choices]
    if selected not in values:  # an unknown value selects "Any", as the browser showed it
        selected = ""
    sort_key = ",".join(values) if name == "sort" else ""
    key = (name, language or "", sort_key, selected)
    if key not in _OPTIONS_CACHE:
        _OPTIONS_CACHE[key] = _options_html(
            [(str(value), str(label)) for value, label in choices], selected
        )
    return _OPTIONS_CACHE[key]


def _application_matches(filters: dict[str, Any], application: str) -> Q:
    """Conditions on the application behind ``application`` (an OuterRef path to its pk)."""
    condition = Q()
    if entity_type := filters.get("entity_type"):
        condition &= Q(
            Exists(
                EntityProfile.entity_types.through.objects.filter(
                    entityprofile__application_id=OuterRef(application),
                    entitytype_id=entity_type.pk,
                )
            )
        )
    if county := filters.get("county"):
        condition &= Q(
            Exists(
                ServiceCounty.objects.filter(
                    profile__application_id=OuterRef(application), county=county
                )
            )
        )
    if population := filters.get("population"):
        condition &= Q(
            Exists(
                PopulationCapacity.objects.filter(
                    application_id=OuterRef(application), population=population
                )
            )
        )
    return condition


@dataclass(frozen=True)
class Page:
    """One page of a list, known to have a next page without counting the whole table."""

    rows: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_of(queryset: QuerySet[Any], number: int | None) -> Page:
    number = number or 1
    offset = (number - 1) * PAGE_SIZE
    rows = list(queryset[offset : offset + PAGE_SIZE + 1])
    return Page(rows[:PAGE_SIZE], number, len(rows) > PAGE_SIZE)


QUEUE_ORDER = {
    "due": ("due_on", "task_id"),
    "-due": ("-due_on", "-task_id"),
    "waiting": ("created_at", "task_id"),
    "newest": ("-created_at", "-task_id"),
}


def claimable_stages(user: User) -> list[str]:
    stages: list[str] = []
    if user.has_perm(REVIEW_PERMISSION):
        stages += [Stage.ENTITY, Stage.ATTESTATIONS, Stage.DATA_SHARING, Stage.CHANGE]
    if user.has_perm(FINAL_APPROVAL_PERMISSION):
        stages.append(Stage.FINAL)
    return stages


def _review_work(filters: dict[str, Any]) -> QuerySet[ReviewWork]:
    today = timezone.localdate()
    work = (
        ReviewWork.objects.filter(is_open=True)
        .select_related("application__organization", "owner")
        .annotate(overdue=ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField()))
    )
    if step := filters.get("step"):
        work = work.filter(stage=step)
    if status := filters.get("status"):
        work = work.filter(application__status=status)
    if reviewer := filters.get("reviewer"):
        work = work.filter(owner=reviewer)
    if filters.get("overdue"):
        work = work.filter(due_on__lt=today)
    work = work.filter(_application_matches(filters, "application_id"))
    return work.order_by(*QUEUE_ORDER.get(filters.get("sort", "due"), QUEUE_ORDER["due"]))


def review_queue(user: User, filters: dict[str, Any]) -> Page:
    """Review work nobody holds that the user's role allows them to claim."""
    work = _review_work(filters).filter(owner__isnull=True, stage__in=claimable_stages(user))
    return page_of(work, filters.get("page"))


def my_review_work(user: User, filters: dict[str, Any]) -> Page:
    """Review work the user holds."""
    return page_of(_review_work(filters).filter(owner=user), filters.get("page"))


def team_review_work(filters: dict[str, Any]) -> Page:
    """Every open review, held or not: the managers' view of the whole team's work."""
    return page_of(_review_work(filters), filters.get("page"))


APPLICATION_ORDER = {
    "newest": ("-pk",),
    "oldest": ("pk",),
    "updated": ("-updated_at", "-pk"),
}


def applications_filtered(filters: dict[str, Any]) -> QuerySet[Application]:
    """All applications matching the workbench filters (without related rows)."""
    applications = Application.objects.all()
    if status := filters.get("status"):
        applications = applications.filter(status=status)
    open_work = ReviewWork.objects.filter(application_id=OuterRef("pk"), is_open=True)
    if step := filters.get("step"):
        applications = applications.filter(Exists(open_work.filter(stage=step)))
    if reviewer := filters.get("reviewer"):
        applications = applications.filter(Exists(open_work.filter(owner=reviewer)))
    if filters.get("overdue"):
        applications = applications.filter(
            Exists(open_work.filter(due_on__lt=timezone.localdate()))
        )
    if filters.get("out_of_compliance"):
        applications = applications.filter(has_open_compliance_issue())
    if filters.get("possible_exclusion"):
        applications = applications.filter(has_possible_exclusion())
    applications = applications.filter(_application_matches(filters, "pk"))
    order = APPLICATION_ORDER.get(filters.get("sort", "newest"), APPLICATION_ORDER["newest"])
    return applications.order_by(*order)


def can_reassign(user: User) -> bool:
    return is_network_manager(user)
