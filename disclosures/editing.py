"""What holds a disclosure being edited: an application's entity step, or a change of ownership
request (the provider's disclosure as it will be after the change). Each says whether the
disclosure may change now, and records that it did."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from changes.models import ChangeRequest
from disclosures.models import Disclosure
from onboarding.exceptions import OnboardingError
from onboarding.models import Application, ApplicationStep
from onboarding.services.access import editable_step, require_member
from onboarding.services.steps import draft_saved
from portal.models import User

ENTITY = ApplicationStep.Kind.ENTITY


@dataclass(frozen=True)
class Editing:
    """A disclosure, the applicant's application it belongs to (the provider's, for a change
    request) and the change request holding it, if one does."""

    disclosure: Disclosure
    application: Application
    change_request: ChangeRequest | None = None

    @classmethod
    def of_application(cls, application: Application) -> "Editing":
        return cls(application.disclosure, application)

    @property
    def back_url(self) -> str:
        """The page the disclosure is edited on, at its section."""
        if self.change_request is not None:
            return self.change_request.get_absolute_url() + "#disclosure-heading"
        return reverse("onboarding:step", args=[self.application.pk, "entity"]) + (
            "#disclosure-heading"
        )

    def locked(self, user: User) -> Disclosure:
        """The disclosure under its row lock, if ``user`` may change it now; otherwise a message
        saying why not. Call inside the write's transaction."""
        if self.change_request is None:
            editable_step(self.application, ENTITY, user)
        else:
            require_member(self.application.organization, user)
            current = ChangeRequest.objects.select_for_update().get(pk=self.change_request.pk)
            if not current.is_editable:
                raise OnboardingError(
                    _("This change request is %(status)s and can no longer be changed.")
                    % {"status": current.get_status_display().lower()}
                )
        return Disclosure.objects.select_for_update().get(pk=self.disclosure.pk)

    def changed(self, user: User, disclosure: Disclosure, what: str) -> None:
        """Record that the disclosure changed: a draft of the entity step (which voids its
        signature), or the change request's draft."""
        if self.change_request is None:
            self.application.disclosure = disclosure
            draft_saved(self.application, ENTITY, user, what)
        else:
            ChangeRequest.objects.filter(pk=self.change_request.pk).update(
                updated_at=timezone.now()
            )
