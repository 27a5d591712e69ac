from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo site and load data: `seed_demo`, `generate_load_data` (no models)."""

    name = "demo"
