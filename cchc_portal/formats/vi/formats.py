# Vietnamese formats on top of Django's own "vi" locale. Django's leaves
# NUMBER_GROUPING unset, so "1292" would never print as "1.292".
DATE_FORMAT = r"\n\gà\y d \t\há\n\g m \nă\m Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
DATETIME_FORMAT = r"H:i \n\gà\y d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
