"""Reference data from the plan's ECM documents (DESIGN.md §5), kept as code-level choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QualificationCriterion(models.IntegerChoices):
    LEADERSHIP = 1, _("Strong, engaged leadership that joins learning activities")
    IN_PERSON_CAPACITY = (
        2,
        _(
            "Capacity for timely in-person care management in the settings members prefer "
            "(in person, by telephone or by video)"
        ),
    )
    SERVE_ALL_REFERRED = 3, _("Capacity to serve all referred members with timely outreach")
    ACCEPT_ASSIGNED = (
        4,
        _(
            "Ability to transition, accept, perform outreach activities and enroll ECM members "
            "assigned by the plan"
        ),
    )
    COMMUNITY_ENGAGEMENT = (
        5,
        _(
            "Engagement with hospitals, primary care, behavioral health, specialists, housing and "
            "Community Supports providers"
        ),
    )
    LINK_AND_SHARE = 6, _("Ability to link members to ECM services and share information")
    DATA_AND_REPORTING = (
        7,
        _("Ability to meet the plan's data-sharing, documentation and reporting requirements"),
    )


class CareTeamRole(models.TextChoices):
    LEAD_CARE_MANAGER = "lead_care_manager", _("Lead Care Manager")
    ECM_DIRECTOR = "ecm_director", _("ECM Director")
    CLINICAL_CONSULTANT = "clinical_consultant", _("ECM Clinical Consultant")
    COMMUNITY_HEALTH_WORKER = "community_health_worker", _("Community Health Worker")


class PopulationOfFocus(models.TextChoices):
    HOMELESS_ADULTS = "1a", _("1a · Adults experiencing homelessness")
    HOMELESS_FAMILIES = "1b", _("1b · Families and unaccompanied youth experiencing homelessness")
    AVOIDABLE_USE_ADULTS = "2a", _("2a · Adults at risk for avoidable hospital or ED utilization")
    AVOIDABLE_USE_CHILDREN = (
        "2b",
        _("2b · Children and youth at risk for avoidable hospital or ED use"),
    )
    SMI_SUD_ADULTS = "3a", _("3a · Adults with serious mental health and/or SUD needs")
    SMI_SUD_CHILDREN = (
        "3b",
        _("3b · Children and youth with serious mental health and/or SUD needs"),
    )
    REENTRY_ADULTS = "4a", _("4a · Adults transitioning from incarceration")
    REENTRY_YOUTH = "4b", _("4b · Youth transitioning from incarceration")
    LTC_RISK = "5", _("5 · Adults at risk for long-term care institutionalization")
    NURSING_FACILITY_TRANSITION = (
        "6",
        _("6 · Nursing facility residents transitioning to the community"),
    )
    CCS = "7", _("7 · Children and youth in CCS or CCS Whole Child Model with additional needs")
    CHILD_WELFARE = "8", _("8 · Children and youth involved in child welfare")
    # The seed names the eligible groups: members who are Black, American Indian or Alaska
    # Native, or Pacific Islander, pregnant or within 12 months after giving birth.
    BIRTH_EQUITY_ADULTS = (
        "9a",
        _(
            "9a · Birth equity: adults who are pregnant or postpartum (up to 12 months) and "
            "Black, American Indian or Alaska Native, or Pacific Islander"
        ),
    )
    BIRTH_EQUITY_YOUTH = (
        "9b",
        _(
            "9b · Birth equity: youth who are pregnant or postpartum (up to 12 months) and "
            "Black, American Indian or Alaska Native, or Pacific Islander"
        ),
    )


class County(models.TextChoices):
    ALAMEDA = "alameda", "Alameda"
    ALPINE = "alpine", "Alpine"
    AMADOR = "amador", "Amador"
    BUTTE = "butte", "Butte"
    CALAVERAS = "calaveras", "Calaveras"
    COLUSA = "colusa", "Colusa"
    CONTRA_COSTA = "contra_costa", "Contra Costa"
    DEL_NORTE = "del_norte", "Del Norte"
    EL_DORADO = "el_dorado", "El Dorado"
    FRESNO = "fresno", "Fresno"
    GLENN = "glenn", "Glenn"
    HUMBOLDT = "humboldt", "Humboldt"
    IMPERIAL = "imperial", "Imperial"
    INYO = "inyo", "Inyo"
    KERN = "kern", "Kern"
    KINGS = "kings", "Kings"
    LAKE = "lake", "Lake"
    LASSEN = "lassen", "Lassen"
    LOS_ANGELES = "los_angeles", "Los Angeles"
    MADERA = "madera", "Madera"
    MARIN = "marin", "Marin"
    MARIPOSA = "mariposa", "Mariposa"
    MENDOCINO = "mendocino", "Mendocino"
    MERCED = "merced", "Merced"
    MODOC = "modoc", "Modoc"
    MONO = "mono", "Mono"
    MONTEREY = "monterey", "Monterey"
    NAPA = "napa", "Napa"
    NEVADA = "nevada", "Nevada"
    ORANGE = "orange", "Orange"
    PLACER = "placer", "Placer"
    PLUMAS = "plumas", "Plumas"
    RIVERSIDE = "riverside", "Riverside"
    SACRAMENTO = "sacramento", "Sacramento"
    SAN_BENITO = "san_benito", "San Benito"
    SAN_BERNARDINO = "san_bernardino", "San Bernardino"
    SAN_DIEGO = "san_diego", "San Diego"
    SAN_FRANCISCO = "san_francisco", "San Francisco"
    SAN_JOAQUIN = "san_joaquin", "San Joaquin"
    SAN_LUIS_OBISPO = "san_luis_obispo", "San Luis Obispo"
    SAN_MATEO = "san_mateo", "San Mateo"
    SANTA_BARBARA = "santa_barbara", "Santa Barbara"
    SANTA_CLARA = "santa_clara", "Santa Clara"
    SANTA_CRUZ = "santa_cruz", "Santa Cruz"
    SHASTA = "shasta", "Shasta"
    SIERRA = "sierra", "Sierra"
    SISKIYOU = "siskiyou", "Siskiyou"
    SOLANO = "solano", "Solano"
    SONOMA = "sonoma", "Sonoma"
    STANISLAUS = "stanislaus", "Stanislaus"
    SUTTER = "sutter", "Sutter"
    TEHAMA = "tehama", "Tehama"
    TRINITY = "trinity", "Trinity"
    TULARE = "tulare", "Tulare"
    TUOLUMNE = "tuolumne", "Tuolumne"
    VENTURA = "ventura", "Ventura"
    YOLO = "yolo", "Yolo"
    YUBA = "yuba", "Yuba"


class CareSetting(models.TextChoices):
    """Where the provider's care managers work with members: in person wherever members prefer,
    or by telephone or video (criterion 2: "in-person, telephonically, etc.")."""

    STREET = "street", _("Street (outreach where members live outside)")
    SHELTER = "shelter", _("Shelter or interim housing")
    HOME = "home", _("Member's home")
    CLINIC = "clinic", _("Clinic")
    HOSPITAL = "hospital", _("Hospital")
    TELEPHONIC = "telephonic", _("By telephone")
    VIDEO = "video", _("By video")
    OTHER = "other", _("Other")


class PartnerKind(models.TextChoices):
    """The kinds of partners criterion 5 asks the provider to name."""

    HOSPITAL = "hospital", _("Hospital")
    PRIMARY_CARE = "primary_care", _("Primary care")
    BEHAVIORAL_HEALTH = "behavioral_health", _("Behavioral health")
    HOUSING = "housing", _("Housing or Community Supports")


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding (MOU)")
    CONTRACT = "contract", _("Contract")
    DATA_SHARING = "data_sharing", _("Data-sharing agreement")
    REFERRAL_PROTOCOL = "referral_protocol", _("Written referral protocol")
    INFORMAL = "informal", _("Informal working relationship")


class ReviewReasonCode(models.TextChoices):
    """Why a reviewer returns an item: coded, so returns can be counted and reported."""

    INCOMPLETE = "incomplete", _("Incomplete or missing information")
    INSUFFICIENT_NARRATIVE = "insufficient_narrative", _("Narrative does not show the capability")
    MISSING_EVIDENCE = "missing_evidence", _("Evidence missing or does not support the claim")
    INCONSISTENT = "inconsistent", _("Inconsistent with other answers or documents")
    LICENSE_PROBLEM = "license_problem", _("License or certificate problem")
    STAFFING_GAP = "staffing_gap", _("Staffing does not meet the requirement")
    CAPACITY_UNREALISTIC = "capacity_unrealistic", _("Capacity figures are not credible")
    OTHER = "other", _("Other (see comment)")


class DataExchangeMethod(models.TextChoices):
    SFTP = "sftp", _("SFTP")
    PLAN_PORTAL = "plan_portal", _("Plan's provider portal")
    SECURE_EMAIL = "secure_email", _("Secure email")
    API = "api", _("API")


class DxfAgreementStatus(models.TextChoices):
    SIGNED = "signed", _("Signed")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_STARTED = "not_started", _("Not started")


class ClaimsPath(models.TextChoices):
    CLAIMS = "claims", _("Claims (837P)")
    INVOICE = "invoice", _("Invoices")


# The 23 eligible entity types with the evidence each must provide: (code, name, evidence, needs
# written justification). Seeded by a data migration; plan administrators edit them in the admin.
ENTITY_TYPES: list[tuple[str, str, list[tuple[str, bool]], bool]] = [
    (
        "county_agency",
        "City or county government agency",
        [("Authorizing letter from the agency", True)],
        False,
    ),
    (
        "county_behavioral_health",
        "County behavioral health provider",
        [("County contract or authorizing letter", True)],
        False,
    ),
    (
        "physician_group",
        "PCP, specialist or physician group",
        [("Medical group license or roster of licensed physicians", True)],
        False,
    ),
    (
        "fqhc",
        "Federally Qualified Health Center",
        [("HRSA grant award or look-alike designation", True)],
        False,
    ),
    (
        "community_health_center",
        "Community health center",
        [("Clinic license (CDPH)", True)],
        False,
    ),
    (
        "cbo",
        "Community-based organization",
        [("IRS determination letter", True), ("Most recent annual report", False)],
        False,
    ),
    (
        "hospital",
        "Hospital or hospital-based physician group or clinic (including public hospital and "
        "district and/or municipal public hospital)",
        [("Hospital license (CDPH)", True)],
        False,
    ),
    (
        "rural_health_clinic",
        "Rural health clinic and/or Indian Health Service program",
        [("RHC certification or IHS agreement", True)],
        False,
    ),
    (
        "local_health_department",
        "Local health department",
        [("Authorizing letter from the health officer", True)],
        False,
    ),
    (
        "behavioral_health_entity",
        "Behavioral health entity",
        [("DHCS or county behavioral health certification", True)],
        False,
    ),
    (
        "community_mental_health_center",
        "Community mental health center",
        [("Certification as a community mental health center", True)],
        False,
    ),
    (
        "child_welfare",
        "Child welfare organization",
        [("License or contract with county child welfare services", True)],
        False,
    ),
    (
        "private_nonprofit",
        "Private non-profit organization",
        [("IRS determination letter", True)],
        False,
    ),
    (
        "sud_provider",
        "Substance use disorder treatment provider",
        [("DHCS license or certification", True)],
        False,
    ),
    (
        "cbas",
        "Community Based Adult Services (CBAS) provider",
        [("CDA CBAS certification", True)],
        False,
    ),
    (
        "skilled_nursing_facility",
        "Skilled nursing facility",
        [("CDPH skilled nursing facility license", True)],
        False,
    ),
    (
        "homelessness_services",
        "Organization serving people experiencing homelessness",
        [("Evidence of homelessness services (contract, CoC membership)", True)],
        False,
    ),
    (
        "justice_involved_services",
        "Organization serving justice-involved people",
        [("Evidence of reentry services (contract or MOU)", True)],
        False,
    ),
    (
        "ccs_provider",
        "California Children's Services (CCS) provider",
        [("CCS paneling or approval letter", True)],
        False,
    ),
    ("regional_center", "Regional Center", [("DDS contract", True)], False),
    (
        "first5_commission",
        "First 5 county commission",
        [("County ordinance or resolution establishing the commission", True)],
        False,
    ),
    (
        "school_based_health_center",
        "School-based health center",
        [("Agreement with the school district", True)],
        False,
    ),
    (
        "other_dhcs_approved",
        "Other qualified provider or entity approved by DHCS",
        [("DHCS approval evidence", True)],
        True,
    ),
]
