import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from twinning.models import SOCIETY_ADMINS_GROUP

PASSWORD = "correct-horse-battery"  # noqa: S105 - test fixture


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def society_admin(obj, create, extracted, **kwargs):
        """`UserFactory(society_admin=True)`: staff in the "Society admins" group, the way the
        admin grants the role (staff status alone is none)."""
        if create and extracted:
            obj.is_staff = True
            obj.save(update_fields=["is_staff"])
            obj.groups.add(Group.objects.get(name=SOCIETY_ADMINS_GROUP))
