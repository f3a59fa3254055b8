"""Demo content written for hack365: plausible Swedish organisations,
events, challenges and questions. Dates are relative to the day the demo is
loaded, so the events are always in sensible phases."""

from __future__ import annotations

DEMO_PASSWORD = "oppna-data-hela-aret"  # noqa: S105 - printed for the demo, never used in production

# slug, name, organisation number, kind, level, county, municipality, website, description
ORGANISATIONS = [
    (
        "folkhalsomyndigheten",
        "Folkhälsomyndigheten",
        "202100-6545",
        "agency",
        "national",
        "01",
        "0184",
        "https://www.folkhalsomyndigheten.se",
        "Nationell myndighet med ansvar för folkhälsofrågor. Publicerar statistik om smittsamma "
        "sjukdomar, vaccinationer och levnadsvanor.",
    ),
    (
        "trafikverket",
        "Trafikverket",
        "202100-6297",
        "agency",
        "national",
        "20",
        "2081",
        "https://www.trafikverket.se",
        "Ansvarar för långsiktig planering av transportsystemet och för byggande, drift och underhåll "
        "av statliga vägar och järnvägar.",
    ),
    (
        "smhi",
        "Sveriges meteorologiska och hydrologiska institut (SMHI)",
        "202100-0555",
        "agency",
        "national",
        "05",
        "0581",
        "https://www.smhi.se",
        "Expertmyndighet för meteorologi, hydrologi, oceanografi och klimat.",
    ),
    (
        "lansstyrelsen-vasterbotten",
        "Länsstyrelsen Västerbotten",
        "202100-2395",
        "agency",
        "regional",
        "24",
        "2480",
        "https://www.lansstyrelsen.se/vasterbotten",
        "Statens företrädare i Västerbottens län: krisberedskap, miljö, landsbygd och samhällsplanering.",
    ),
    (
        "region-stockholm",
        "Region Stockholm",
        "232100-0016",
        "region",
        "regional",
        "01",
        "",
        "https://www.regionstockholm.se",
        "Ansvarar för hälso- och sjukvård och kollektivtrafik i Stockholms län.",
    ),
    (
        "region-vasterbotten",
        "Region Västerbotten",
        "232100-0255",
        "region",
        "regional",
        "24",
        "",
        "https://www.regionvasterbotten.se",
        "Ansvarar för hälso- och sjukvård, tandvård och regional utveckling i Västerbotten.",
    ),
    (
        "goteborgs-stad",
        "Göteborgs Stad",
        "212000-1355",
        "municipality",
        "local",
        "14",
        "1480",
        "https://goteborg.se",
        "Sveriges näst största kommun, med 600 000 invånare.",
    ),
    (
        "umea-kommun",
        "Umeå kommun",
        "212000-2536",
        "municipality",
        "local",
        "24",
        "2480",
        "https://www.umea.se",
        "Norrlands största kommun och en växande universitetsstad.",
    ),
    (
        "malmo-stad",
        "Malmö stad",
        "212000-1181",
        "municipality",
        "local",
        "12",
        "1280",
        "https://malmo.se",
        "Sveriges tredje största stad, med invånare från 180 länder.",
    ),
    (
        "kiruna-kommun",
        "Kiruna kommun",
        "212000-2668",
        "municipality",
        "local",
        "25",
        "2584",
        "https://www.kiruna.se",
        "Sveriges nordligaste kommun, mitt i en pågående stadsflytt.",
    ),
    (
        "umea-universitet",
        "Umeå universitet",
        "202100-2841",
        "academia",
        "national",
        "24",
        "2480",
        "https://www.umu.se",
        "Universitet med forskning om bland annat AI, folkhälsa och arktiska frågor.",
    ),
    (
        "oppna-data-foreningen",
        "Föreningen Öppna data Sverige",
        "802012-3454",
        "civil_society",
        "national",
        "01",
        "0180",
        "",
        "Ideell förening som samlar utvecklare, journalister och forskare kring öppna data.",
    ),
    (
        "civic-tech-norr",
        "Civic Tech Norr",
        "802456-7896",
        "civil_society",
        "regional",
        "25",
        "2580",
        "",
        "Nätverk för medborgardriven teknik i Norrbotten och Västerbotten.",
    ),
    (
        "datakraft-ab",
        "Datakraft AB",
        "556789-0123",
        "company",
        "local",
        "01",
        "0180",
        "",
        "Konsultbolag inom dataanalys och tillgänglig design för offentlig sektor.",
    ),
]

# username, e-mail, display name, sector, county, organizer?, [(org slug, role)]
USERS = [
    ("arrangor", "arrangor@demo.hack365.se", "Anna Arrangör", "public_sector", "01", True, []),
    (
        "fhm",
        "behov@folkhalsomyndigheten.demo.hack365.se",
        "Karin Lindqvist",
        "public_sector",
        "01",
        False,
        [("folkhalsomyndigheten", "need_owner"), ("folkhalsomyndigheten", "publisher")],
    ),
    (
        "trafikverket",
        "behov@trafikverket.demo.hack365.se",
        "Jonas Berg",
        "public_sector",
        "20",
        False,
        [("trafikverket", "need_owner")],
    ),
    (
        "smhi",
        "data@smhi.demo.hack365.se",
        "Sara Holm",
        "public_sector",
        "05",
        False,
        [("smhi", "publisher")],
    ),
    (
        "regionsthlm",
        "behov@regionstockholm.demo.hack365.se",
        "Mats Ek",
        "public_sector",
        "01",
        False,
        [("region-stockholm", "need_owner")],
    ),
    (
        "umea",
        "behov@umea.demo.hack365.se",
        "Lina Nordström",
        "public_sector",
        "24",
        False,
        [("umea-kommun", "need_owner"), ("umea-kommun", "publisher")],
    ),
    (
        "goteborg",
        "behov@goteborg.demo.hack365.se",
        "Erik Dahl",
        "public_sector",
        "14",
        False,
        [("goteborgs-stad", "need_owner")],
    ),
    (
        "lst",
        "behov@lansstyrelsen-ac.demo.hack365.se",
        "Maria Sundberg",
        "public_sector",
        "24",
        False,
        [("lansstyrelsen-vasterbotten", "need_owner")],
    ),
    ("deltagare", "deltagare@demo.hack365.se", "Amir Hosseini", "student", "12", False, []),
    ("utvecklare", "utvecklare@demo.hack365.se", "Elin Johansson", "business", "01", False, []),
    ("forskare", "forskare@demo.hack365.se", "Olle Persson", "academia", "24", False, []),
    ("mentor", "mentor@demo.hack365.se", "Fatima Ali", "civil_society", "14", False, []),
    ("jury", "jury@demo.hack365.se", "Gunilla Ström", "public_sector", "01", False, []),
    ("jury2", "jury2@demo.hack365.se", "Maria Lindqvist", "public_sector", "01", False, []),
    ("jury3", "jury3@demo.hack365.se", "Erik Nilsson", "academia", "24", False, []),
    # participants in the demo teams (src/hack365/demo/teams.py)
    ("nora", "nora@demo.hack365.se", "Nora Lind", "student", "01", False, []),
    ("ahmed", "ahmed@demo.hack365.se", "Ahmed Yusuf", "business", "14", False, []),
    ("linnea", "linnea@demo.hack365.se", "Linnea Berg", "civil_society", "25", False, []),
    ("johan", "johan@demo.hack365.se", "Johan Nilsson", "academia", "24", False, []),
    ("sofia", "sofia@demo.hack365.se", "Sofia Karlsson", "public_sector", "12", False, []),
    ("kim", "kim@demo.hack365.se", "Kim Andersson", "student", "03", False, []),
]

SKILLS = {
    "deltagare": ["Python", "dataanalys", "React"],
    "utvecklare": ["Django", "PostgreSQL", "tillgänglighet"],
    "forskare": ["statistik", "R", "folkhälsa"],
    "mentor": ["produktutveckling", "tjänstedesign", "öppna data"],
    "jury": ["offentlig upphandling", "innovationsledning"],
}

# slug, name, kind, offsets in days relative to today for
# (registration_opens, hacking_starts, submission_deadline, evaluation_ends, results_at), place, description
EVENTS = [
    (
        "hack-the-crisis-sverige",
        "Hack the Crisis Sverige",
        "crisis",
        (-240, -230, -228, -215, -210),
        "Digitalt, hela Sverige",
        "En helg då tusentals deltagare från civilsamhälle, näringsliv, offentlig sektor och akademi tog "
        "fram lösningar på utmaningar som covid-19-pandemin ställde samhället inför.\n\n"
        "Evenemanget arrangerades digitalt på 48 timmar.",
    ),
    (
        "hack-for-sweden-2027",
        "Hack for Sweden 2027",
        "annual",
        (-10, 20, 22, 40, 45),
        "Stockholm och digitalt",
        "Sveriges största årliga hackathon för öppna data. Myndigheter, regioner och kommuner "
        "presenterar samhällsutmaningar och deltagare bygger lösningar med öppna data under en helg.",
    ),
]

# slug, title, owner slug, co-owners, event slug or None, status, level, themes, summary,
# problem, expected benefit, target group
CHALLENGES = [
    (
        "smittspridning-i-realtid",
        "Smittspridning i realtid för kommunernas krisledning",
        "folkhalsomyndigheten",
        ["region-stockholm"],
        "hack-the-crisis-sverige",
        "archived",
        "national",
        ["HEAL", "GOVE"],
        "Hur kan kommuner få en samlad bild av smittläget i sitt område, dag för dag?",
        "Under covid-19-pandemin fick kommunernas krisledningar uppgifter om smittspridning från "
        "många källor: regionernas rapporter, Folkhälsomyndighetens statistik och egna uppgifter om "
        "frånvaro i skola och omsorg. Uppgifterna kom i olika format och med olika fördröjning.\n\n"
        "## Vad vi söker\n\n- En samlad lägesbild per kommun\n- Tydliga osäkerheter\n- Export till "
        "krisledningens rapporter",
        "Snabbare och bättre underbyggda beslut om åtgärder i äldreomsorg och skola.",
        "Krisledningar i kommuner och regioner",
    ),
    (
        "digital-ensamhet-aldre",
        "Minska ensamheten bland äldre i isolering",
        "region-stockholm",
        [],
        "hack-the-crisis-sverige",
        "closed",
        "regional",
        ["HEAL", "SOCI"],
        "Äldre som isoleras för att skydda sig mot smitta riskerar ofrivillig ensamhet.",
        "Besöksförbud och rekommendationer om isolering skyddade riskgrupper men ledde till att många "
        "äldre blev ensamma. Vi vill hitta sätt att hålla kontakten som fungerar även för den som inte "
        "är van vid digitala verktyg.",
        "Bättre psykisk hälsa bland äldre och ett stöd till anhöriga och civilsamhället.",
        "Personer över 70 år, anhöriga, frivilligorganisationer",
    ),
    (
        "skyddsutrustning-lagerlage",
        "Överblick över skyddsutrustning i vård och omsorg",
        "region-vasterbotten",
        ["umea-kommun"],
        "hack-the-crisis-sverige",
        "closed",
        "regional",
        ["HEAL", "ECON"],
        "Var finns skyddsutrustningen, och var tar den slut först?",
        "Bristen på skyddsutrustning våren 2020 visade att regioner och kommuner saknade en gemensam "
        "bild av lager och förbrukning. Utmaningen är att visa lagerläge och prognoser utan att röja "
        "uppgifter som omfattas av sekretess.",
        "Färre akuta bristsituationer och bättre samordning mellan region och kommuner.",
        "Inköpare och beredskapssamordnare",
    ),
    (
        "kollektivtrafik-trangsel",
        "Trängselinformation i kollektivtrafiken",
        "region-stockholm",
        [],
        "hack-for-sweden-2027",
        "published",
        "regional",
        ["TRAN", "HEAL"],
        "Hjälp resenärer att välja avgångar med plats – för smittskydd och komfort.",
        "Resenärer vet sällan hur fullt det är på en buss eller ett tåg innan de stiger på. Under "
        "pandemin blev det en smittskyddsfråga, och i dag handlar det om tillgänglighet och komfort. "
        "Det finns öppna data om tidtabeller och förseningar men inte om beläggning.",
        "Jämnare beläggning, färre trängselsituationer och en mer tillgänglig kollektivtrafik.",
        "Resenärer, särskilt personer med funktionsnedsättning",
    ),
    (
        "vintervaglag-norr",
        "Säkrare vintervägar i Norrland",
        "trafikverket",
        ["lansstyrelsen-vasterbotten"],
        "hack-for-sweden-2027",
        "published",
        "national",
        ["TRAN", "ENVI"],
        "Kan väderdata och väglagsdata tillsammans varna för farliga vägavsnitt i förväg?",
        "Trafikverket publicerar öppna data om väglag och vägväderstationer, och SMHI publicerar "
        "prognoser. Ändå saknas en tjänst som i förväg pekar ut var halka och snödrev blir farligast.",
        "Färre olyckor och bättre planerad vinterväghållning.",
        "Trafikanter, åkerier och väghållare",
    ),
    (
        "klimatanpassning-skyfall",
        "Skyfall i staden: var ska vattnet ta vägen?",
        "goteborgs-stad",
        [],
        None,
        "published",
        "local",
        ["ENVI", "REGI"],
        "Hjälp fastighetsägare och planerare att förstå risken för översvämning vid skyfall.",
        "Göteborg har kartlagt var vatten samlas vid kraftiga skyfall. Kartorna är svåra att förstå "
        "för den som inte är expert. Vi söker sätt att göra risken begriplig för fastighetsägare.",
        "Färre skador vid skyfall och bättre underlag när staden planerar nya områden.",
        "Fastighetsägare, stadsplanerare",
    ),
    (
        "skolvag-trygghet",
        "Trygga skolvägar i Umeå",
        "umea-kommun",
        [],
        None,
        "published",
        "local",
        ["TRAN", "EDUC", "SOCI"],
        "Vilka skolvägar upplevs som otrygga, och vad kan kommunen göra?",
        "Föräldrar skjutsar barn till skolan för att de upplever vägen som otrygg. Kommunen har data "
        "om trafikflöden, olyckor och belysning men vet lite om hur barnen själva upplever vägen.",
        "Fler barn som går och cyklar till skolan, och säkrare korsningar.",
        "Barn och föräldrar, trafikplanerare",
    ),
    (
        "renskotsel-och-vindkraft",
        "Renskötsel och markanvändning i förändring",
        "lansstyrelsen-vasterbotten",
        [],
        None,
        "published",
        "regional",
        ["AGRI", "ENVI", "REGI"],
        "Hur kan renskötselns behov synas tidigt i planeringen av vindkraft och gruvor?",
        "Renskötselområden, flyttleder och planerade etableringar finns i olika register. Samebyar "
        "och planerare behöver ett gemensamt underlag tidigt i processen.",
        "Färre konflikter om mark och bättre samråd med samebyarna.",
        "Samebyar, planerare på länsstyrelsen och kommuner",
    ),
    (
        "vaccinationsvilja",
        "Nå fler med information om vaccination",
        "folkhalsomyndigheten",
        [],
        None,
        "in_review",
        "national",
        ["HEAL", "SOCI"],
        "Hur når vi grupper där vaccinationstäckningen är låg?",
        "Vaccinationstäckningen varierar mellan områden. Vi vill förstå varför och pröva nya sätt att "
        "ge information på fler språk.",
        "Högre och jämnare vaccinationstäckning.",
        "Invånare i områden med låg vaccinationstäckning",
    ),
    (
        "stadsflytt-kiruna",
        "Följ stadsflytten i Kiruna",
        "kiruna-kommun",
        [],
        None,
        "changes_requested",
        "local",
        ["REGI", "SOCI"],
        "En tjänst där invånare följer flytten av sitt kvarter.",
        "Kiruna flyttar sitt centrum. Invånarna vill veta när deras kvarter berörs.",
        "Bättre information till invånarna.",
        "Invånare i Kiruna",
    ),
    (
        "cykelparkering-malmo",
        "Lediga cykelplatser vid stationerna",
        "malmo-stad",
        [],
        None,
        "draft",
        "local",
        ["TRAN"],
        "Var finns lediga cykelplatser vid Malmös stationer?",
        "Cykelparkeringarna vid stationerna är fulla på morgonen. Kommunen planerar sensorer.",
        "Fler som cyklar till tåget.",
        "Pendlare",
    ),
    (
        "luftkvalitet-skolgardar",
        "Luftkvalitet på skolgårdar",
        "goteborgs-stad",
        [],
        "hack-for-sweden-2027",
        "draft",
        "local",
        ["ENVI", "EDUC", "HEAL"],
        "Hur ren är luften där barnen leker?",
        "Mätstationerna för luftkvalitet står vid stora vägar, inte vid skolgårdar. Kan modeller och "
        "öppna data uppskatta luftkvaliteten där barn vistas?",
        "Bättre underlag när nya skolor placeras.",
        "Barn, föräldrar, skolförvaltningen",
    ),
    (
        "hemtjanst-planering",
        "Smartare planering i hemtjänsten under pandemin",
        "umea-kommun",
        [],
        "hack-the-crisis-sverige",
        "archived",
        "local",
        ["HEAL", "GOVE"],
        "Färre personer per brukare i hemtjänsten minskar smittrisken.",
        "Under pandemin ville kommunen minska antalet personal som besöker varje brukare i "
        "hemtjänsten. Schemaläggningen gjordes för hand.",
        "Lägre smittrisk och kontinuitet för brukarna.",
        "Brukare i hemtjänsten, schemaläggare",
    ),
]

# challenge slug, asker username, question, answerer username or None, answer
QUESTIONS = [
    (
        "kollektivtrafik-trangsel",
        "deltagare",
        "Finns det historiska data om beläggning per avgång, även om de inte är öppna i dag?",
        "regionsthlm",
        "Ja, för pendeltåget finns räknade resenärer per avgång för 2024–2026. Vi publicerar dem som "
        "öppna data inför hackathonet.",
    ),
    (
        "kollektivtrafik-trangsel",
        "utvecklare",
        "Får lösningen använda realtidsdata från GTFS-RT-flödet?",
        None,
        "",
    ),
    (
        "vintervaglag-norr",
        "forskare",
        "Hur ofta uppdateras vägväderstationernas mätvärden?",
        "trafikverket",
        "Var tionde minut. Historik finns från 2015 och framåt.",
    ),
    (
        "klimatanpassning-skyfall",
        "utvecklare",
        "Vilken upplösning har skyfallskarteringen?",
        "goteborg",
        "2 × 2 meter. Kartan beskriver ett 100-årsregn med klimatfaktor.",
    ),
    (
        "skolvag-trygghet",
        "mentor",
        "Får vi göra enkäter med elever, eller ska lösningen bygga på befintliga data?",
        "umea",
        "Ni får gärna samla in nya uppgifter, men kontakta oss först så att vi hjälper er med "
        "samtycke från vårdnadshavare.",
    ),
    (
        "smittspridning-i-realtid",
        "deltagare",
        "Kommer lösningarna från hackathonet att användas?",
        "fhm",
        "Två av lösningarna prövades av kommuner under hösten. Läs mer under respektive lösning.",
    ),
]

# The demo catalog that `hack365 demo` harvests (data/catalog.ttl, written by make_catalog.py).
DEMO_CATALOG_SOURCE = "Demokatalog (hack365)"
DEMO_DATASET = "https://demo.hack365.se/dataset/"

# challenge slug → [(dataset IRI, why it helps)], linked by the challenge's need owner (or the
# organizer when the owner has no need owner in the demo) while the challenge is drafted.
DATASET_LINKS = {
    "smittspridning-i-realtid": [
        (
            DEMO_DATASET + "folkhalsomyndigheten/bekraftade-fall-covid-19-per-kommun",
            "Smittläget per kommun och vecka – grunden för lägesbilden.",
        ),
        (
            DEMO_DATASET + "folkhalsomyndigheten/bekraftade-fall-covid-19-per-region",
            "Dagliga fall per region visar trenden snabbare än veckosiffrorna.",
        ),
        (
            DEMO_DATASET + "folkhalsomyndigheten/covid-19-intensivvardade",
            "Visar belastningen på intensivvården i regionen.",
        ),
        (
            DEMO_DATASET + "folkhalsomyndigheten/sars-cov-2-i-avloppsvatten",
            "Avloppsvattnet ger en tidig signal innan fallen syns i statistiken.",
        ),
        (
            DEMO_DATASET + "skolverket/franvaro-under-pandemin",
            "Frånvaron i skolan var en av kommunernas egna källor till lägesbilden.",
        ),
    ],
    "digital-ensamhet-aldre": [
        (
            DEMO_DATASET + "folkhalsomyndigheten/ofrivillig-ensamhet",
            "Hur vanlig ensamheten är bland äldre, per region och år.",
        ),
        (
            DEMO_DATASET + "scb/aldre-i-ensamhushall",
            "Var bor de äldre som bor ensamma? Hjälper er att rikta insatserna.",
        ),
        (
            DEMO_DATASET + "scb/it-anvandning",
            "Visar hur många äldre som använder internet och digitala tjänster.",
        ),
        (
            DEMO_DATASET + "socialstyrelsen/brukarundersokning-aldreomsorg",
            "De äldres egna svar om hur ofta de besväras av ensamhet.",
        ),
        (
            DEMO_DATASET + "region-stockholm/stodlinjer-aldre",
            "Befintliga stödlinjer och träffpunkter som en lösning kan bygga vidare på.",
        ),
    ],
    "skyddsutrustning-lagerlage": [
        (
            DEMO_DATASET + "region-vasterbotten/forbrukning-skyddsutrustning",
            "Förbrukningen per vecka – underlaget för prognoser.",
        ),
        (
            DEMO_DATASET + "socialstyrelsen/lagerlage-skyddsutrustning",
            "Lagerläget per region; uppgifter per enhet lämnas ut efter sekretessprövning.",
        ),
        (
            DEMO_DATASET + "region-vasterbotten/vardenheter-vasterbotten",
            "Var utrustningen behövs: vårdenheter och särskilda boenden.",
        ),
        (
            DEMO_DATASET + "msb/beredskapslager-sjukvardsprodukter",
            "Vilka produktgrupper som finns i de nationella beredskapslagren.",
        ),
    ],
    "kollektivtrafik-trangsel": [
        (
            DEMO_DATASET + "region-stockholm/belaggning-pendeltag",
            "Räknade resenärer per avgång – det närmaste ett facit för trängseln.",
        ),
        (
            DEMO_DATASET + "region-stockholm/tidtabeller-gtfs",
            "Alla planerade avgångar att koppla beläggningen till.",
        ),
        (
            DEMO_DATASET + "region-stockholm/realtid-gtfs-rt",
            "Förseningar och fordonspositioner i realtid.",
        ),
        (
            DEMO_DATASET + "region-stockholm/pastigande-per-hallplats",
            "Hur många som stiger på per hållplats och linje.",
        ),
        (
            DEMO_DATASET + "region-stockholm/hallplatser-stockholms-lan",
            "Hållplatser med uppgifter om tillgänglighet.",
        ),
    ],
    "vintervaglag-norr": [
        (
            DEMO_DATASET + "trafikverket/vagvaderstationer",
            "Vägytans temperatur och luftfuktighet var tionde minut, med historik från 2015.",
        ),
        (
            DEMO_DATASET + "trafikverket/vaglag",
            "Aktuellt väglag och när vägen senast plogades eller saltades.",
        ),
        (
            DEMO_DATASET + "smhi/punktprognoser",
            "Prognoser för temperatur och nederbörd för valfri punkt längs vägen.",
        ),
        (DEMO_DATASET + "smhi/vadervarningar", "SMHI:s varningar för halka och snöfall."),
        (DEMO_DATASET + "smhi/snodjup", "Snödjupet vid stationerna visar var snödrev kan uppstå."),
    ],
    "klimatanpassning-skyfall": [
        (
            DEMO_DATASET + "goteborgs-stad/skyfallskartering",
            "Stadens skyfallskartering i 2 × 2 meter, som lösningen ska göra begriplig.",
        ),
        (
            DEMO_DATASET + "smhi/nederbord-15-minuter",
            "Uppmätta korta, intensiva regn att jämföra kartan med.",
        ),
        (
            DEMO_DATASET + "smhi/extrem-korttidsnederbord",
            "Hur ofta ett visst skyfall kan väntas, nu och i ett framtida klimat.",
        ),
        (
            DEMO_DATASET + "lantmateriet/markhojdmodell-grid-1",
            "Markhöjden avgör vart vattnet rinner.",
        ),
        (
            DEMO_DATASET + "sgu/jordarter",
            "Jordarternas genomsläpplighet visar var vattnet kan tas upp.",
        ),
    ],
    "skolvag-trygghet": [
        (
            DEMO_DATASET + "umea-kommun/gatubelysning",
            "Belysningen längs gång- och cykelvägar påverkar hur trygg vägen känns.",
        ),
        (
            DEMO_DATASET + "umea-kommun/trafikmatningar",
            "Fordonsflöden och hastigheter på kommunens gator.",
        ),
        (DEMO_DATASET + "umea-kommun/grundskolor", "Skolornas lägen och upptagningsområden."),
        (
            DEMO_DATASET + "transportstyrelsen/vagtrafikskadade-per-kommun",
            "Hur många barn som skadas i trafiken i kommunen.",
        ),
        (
            DEMO_DATASET + "bra/nationella-trygghetsundersokningen",
            "Hur trygga invånarna känner sig i sitt område.",
        ),
    ],
    "renskotsel-och-vindkraft": [
        (
            DEMO_DATASET + "sametinget/renskotselomraden-flyttleder",
            "Samebyarnas betesområden och flyttleder, som de själva beskrivit dem.",
        ),
        (
            DEMO_DATASET + "lansstyrelsen-vasterbotten/vindkraftsetableringar",
            "Befintliga och planerade vindkraftverk i länet.",
        ),
        (
            DEMO_DATASET + "sgu/mineraltillstand",
            "Undersökningstillstånd och koncessioner för gruvor.",
        ),
        (
            DEMO_DATASET + "sametinget/riksintresse-rennaring",
            "Områden av riksintresse för rennäringen.",
        ),
        (
            DEMO_DATASET + "skogsstyrelsen/skogliga-grunddata",
            "Skogens struktur påverkar tillgången på hänglav och därmed vinterbetet.",
        ),
    ],
    "hemtjanst-planering": [
        (
            DEMO_DATASET + "umea-kommun/hemtjanstomraden",
            "Hemtjänstens områden med brukare och beviljade timmar per månad.",
        ),
        (
            DEMO_DATASET + "socialstyrelsen/aldreomsorg-hemtjanst-sarskilt-boende",
            "Antal personal per brukare under 14 dagar, att jämföra med andra kommuner.",
        ),
        (
            DEMO_DATASET + "socialstyrelsen/covid-19-sarskilt-boende-hemtjanst",
            "Smittan bland äldre med hemtjänst, vecka för vecka.",
        ),
        (
            DEMO_DATASET + "folkhalsomyndigheten/bekraftade-fall-covid-19-per-kommun",
            "Smittläget i kommunen avgör hur mycket kontinuiteten betyder.",
        ),
    ],
    "luftkvalitet-skolgardar": [
        (
            DEMO_DATASET + "goteborgs-stad/luftkvalitet-matstationer",
            "Stadens egna mätningar att kalibrera en modell mot.",
        ),
        (
            DEMO_DATASET + "goteborgs-stad/skolgardar-friytor",
            "Var skolgårdarna ligger och hur stora de är.",
        ),
        (
            DEMO_DATASET + "goteborgs-stad/trafikmatningar",
            "Trafiken på gatorna nära skolorna är den största källan till kvävedioxid.",
        ),
        (DEMO_DATASET + "smhi/luftkvalitet-matdata", "Mätdata från stationer i hela landet."),
        (
            DEMO_DATASET + "umea-universitet/luftfororeningar-vid-skolor-umea",
            "Forskningsmätningar vid skolgårdar i Umeå visar hur stor skillnaden kan vara.",
        ),
    ],
}
