from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coprod.web.projects.demo import PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo organisation, its two projects and the demo users (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_load()
        if summary.created:
            for title in summary.projects:
                self.stdout.write(f"Loaded demo project: {title}")
        else:
            self.stdout.write("The demo is already loaded.")
        users = ", ".join(summary.users)
        self.stdout.write(f"Demo users: {users} (password: {PASSWORD})")
