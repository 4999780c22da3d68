# The series prints dates as "2017.04.18 (Tue)".
DATE_FORMAT = "Y.m.d (D)"
DATETIME_FORMAT = "Y.m.d (D) H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
SHORT_DATE_FORMAT = "Y.m.d"
