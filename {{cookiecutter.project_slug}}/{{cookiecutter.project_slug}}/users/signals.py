"""A saved user: a changed password revokes every refresh token, and the cached row goes.

Hooked on the save rather than called from one service, so that the admin's forms and
`manage.py changepassword` log the user out of every device too, and every change (or
deletion) is seen by the next API request (users/row_cache.py).
"""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from {{ cookiecutter.project_slug }}.users.models import User
from {{ cookiecutter.project_slug }}.users.row_cache import user_row_forget
from {{ cookiecutter.project_slug }}.users.tokens import user_refresh_tokens_revoke


@receiver(post_save, sender=User, dispatch_uid="users.revoke_refresh_tokens_on_password_change")
def revoke_refresh_tokens_on_password_change(
    sender: type[User], instance: User, *, created: bool, **kwargs: Any
) -> None:
    # set_password() keeps the new raw password in `_password` until save() is done;
    # a hash upgrade at login (check_password) clears it first, so it revokes nothing.
    if not created and getattr(instance, "_password", None) is not None:
        user_refresh_tokens_revoke(user=instance)


@receiver(post_save, sender=User, dispatch_uid="users.forget_cached_row_on_save")
@receiver(post_delete, sender=User, dispatch_uid="users.forget_cached_row_on_delete")
def forget_cached_row(sender: type[User], instance: User, **kwargs: Any) -> None:
    user_row_forget(user_id=instance.pk)
