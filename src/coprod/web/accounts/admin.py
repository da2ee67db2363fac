from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from coprod.web.accounts.models import User


@admin.register(User)
class CoprodUserAdmin(UserAdmin, SimpleHistoryAdmin):  # type: ignore[misc]
    fieldsets = (*UserAdmin.fieldsets, ("Coprod", {"fields": ("display_name",)}))  # type: ignore[misc]
