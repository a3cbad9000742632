# Spanish: "30 jun 2026", "30 jun 2026, 14:05 CET".
DATE_FORMAT = "j b Y"
DATETIME_FORMAT = "j b Y, H:i T"
TIME_FORMAT = "H:i T"
SHORT_DATE_FORMAT = DATE_FORMAT  # one date format: the short is the same
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = r"j \d\e F"
YEAR_MONTH_FORMAT = r"F \d\e Y"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
