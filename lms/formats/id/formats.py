"""Indonesian date formats: Django's defaults abbreviate the month ("23 Nov. 2026");
Indonesian documents and certificates write it out ("23 November 2026").
Anything not set here falls back to Django's own `id` formats."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
TIME_FORMAT = "H.i"
