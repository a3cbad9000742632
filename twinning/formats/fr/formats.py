# French: "30 juin 2026", "30 juin 2026, 14:05 CET" (abbreviations as French writes them: "janv.").
DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y, H:i T"
TIME_FORMAT = "H:i T"
SHORT_DATE_FORMAT = DATE_FORMAT  # one date format: the short is the same
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
