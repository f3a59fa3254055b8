"""The 13 EU data themes (http://publications.europa.eu/resource/authority/data-theme)."""

EU_DATA_THEMES: list[tuple[str, str, str]] = [
    (
        "AGRI",
        "Jordbruk, fiske, skogsbruk och livsmedel",
        "Agriculture, fisheries, forestry and food",
    ),
    ("ECON", "Ekonomi och finans", "Economy and finance"),
    ("EDUC", "Utbildning, kultur och sport", "Education, culture and sport"),
    ("ENER", "Energi", "Energy"),
    ("ENVI", "Miljö", "Environment"),
    ("GOVE", "Regeringen och den offentliga sektorn", "Government and public sector"),
    ("HEAL", "Hälsa", "Health"),
    ("INTR", "Internationella frågor", "International issues"),
    (
        "JUST",
        "Rättsliga frågor, rättssystemet och allmän säkerhet",
        "Justice, legal system and public safety",
    ),
    ("REGI", "Regioner och städer", "Regions and cities"),
    ("SOCI", "Befolkning och samhälle", "Population and society"),
    ("TECH", "Vetenskap och teknik", "Science and technology"),
    ("TRAN", "Transport", "Transport"),
]
