from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from hack365.accounts.models import Profile, User


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.se")
    password = factory.django.Password("correct-horse-battery")
    is_active = True

    @factory.post_generation
    def verified(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # type: ignore[misc]
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def profile(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # type: ignore[misc]
        # profile=False makes a user without a profile (as createsuperuser does).
        if create and extracted is not False:
            Profile.objects.get_or_create(user=obj, defaults={"display_name": obj.username.title()})


class OrganizerFactory(UserFactory):
    is_staff = True


class SuperuserFactory(UserFactory):
    is_staff = True
    is_superuser = True
