"""English dates written out in the same day-month-year order as the Indonesian
ones ("23 November 2026"), so a date reads the same in either language."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
