"""The X12 data element and segment dictionary the guides are authored from (004010 base).

This is authoring input, not runtime data: ``authoring.py`` writes the guides as pyx12 map
XML (``*.xml`` beside this file) and the runtime reads only the XML. Types and lengths follow
the X12 004010 element dictionary; segments list their elements in order with the syntax
notes of the standard (P paired, R required, E exclusion, C conditional, L list conditional).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["DATA_ELEMENTS", "SEGMENTS", "CodeList", "Comp", "Elem", "SegDef"]

# ref: (type, min, max, name)
DATA_ELEMENTS: dict[str, tuple[str, int, int, str]] = {
    "2": ("N0", 1, 6, "Number of Accepted Transaction Sets"),
    "19": ("AN", 2, 30, "City Name"),
    "22": ("AN", 1, 30, "Commodity Code"),
    "23": ("ID", 1, 1, "Commodity Code Qualifier"),
    "26": ("ID", 2, 3, "Country Code"),
    "28": ("N0", 1, 9, "Group Control Number"),
    "40": ("ID", 2, 2, "Equipment Description Code"),
    "54": ("ID", 1, 1, "Risk of Loss Code"),
    "65": ("R", 1, 8, "Height"),
    "66": ("ID", 1, 2, "Identification Code Qualifier"),
    "67": ("AN", 2, 80, "Identification Code"),
    "79": ("AN", 1, 50, "Lading Description"),
    "80": ("N0", 1, 7, "Lading Quantity"),
    "81": ("R", 1, 10, "Weight"),
    "82": ("R", 1, 8, "Length"),
    "87": ("AN", 1, 48, "Marks and Numbers"),
    "88": ("ID", 1, 2, "Marks and Numbers Qualifier"),
    "91": ("ID", 1, 2, "Transportation Method/Type Code"),
    "92": ("ID", 2, 2, "Purchase Order Type Code"),
    "93": ("AN", 1, 60, "Name"),
    "96": ("N0", 1, 10, "Number of Included Segments"),
    "97": ("N0", 1, 6, "Number of Transaction Sets Included"),
    "98": ("ID", 2, 3, "Entity Identifier Code"),
    "100": ("ID", 3, 3, "Currency Code"),
    "102": ("ID", 1, 1, "Ownership Code"),
    "103": ("AN", 3, 5, "Packaging Code"),
    "107": ("ID", 1, 2, "Payment Method Code"),
    "116": ("ID", 3, 15, "Postal Code"),
    "123": ("N0", 1, 6, "Number of Received Transaction Sets"),
    "127": ("AN", 1, 30, "Reference Identification"),
    "128": ("ID", 2, 3, "Reference Identification Qualifier"),
    "133": ("ID", 1, 2, "Routing Sequence Code"),
    "143": ("ID", 3, 3, "Transaction Set Identifier Code"),
    "146": ("ID", 2, 2, "Shipment Method of Payment"),
    "156": ("ID", 2, 2, "State or Province Code"),
    "166": ("AN", 1, 55, "Address Information"),
    "183": ("R", 1, 8, "Volume"),
    "187": ("ID", 1, 2, "Weight Qualifier"),
    "189": ("R", 1, 8, "Width"),
    "206": ("AN", 1, 4, "Equipment Initial"),
    "207": ("AN", 1, 10, "Equipment Number"),
    "212": ("R", 1, 17, "Unit Price"),
    "225": ("AN", 2, 15, "Seal Number"),
    "234": ("AN", 1, 48, "Product/Service ID"),
    "235": ("ID", 2, 2, "Product/Service ID Qualifier"),
    "280": ("R", 4, 10, "Exchange Rate"),
    "284": ("ID", 1, 2, "Service Level Code"),
    "306": ("ID", 1, 2, "Action Code"),
    "309": ("ID", 1, 2, "Location Qualifier"),
    "310": ("AN", 1, 30, "Location Identifier"),
    "324": ("AN", 1, 22, "Purchase Order Number"),
    "327": ("AN", 1, 8, "Change Order Sequence Number"),
    "328": ("AN", 1, 30, "Release Number"),
    "329": ("AN", 4, 9, "Transaction Set Control Number"),
    "330": ("R", 1, 15, "Quantity Ordered"),
    "333": ("ID", 1, 2, "Terms Basis Date Code"),
    "334": ("ID", 2, 2, "Transportation Terms Qualifier Code"),
    "335": ("ID", 3, 3, "Transportation Terms Code"),
    "336": ("ID", 2, 2, "Terms Type Code"),
    "337": ("TM", 4, 8, "Time"),
    "338": ("R", 1, 6, "Terms Discount Percent"),
    "342": ("N2", 1, 10, "Percent of Invoice Payable"),
    "347": ("R", 1, 10, "Hash Total"),
    "349": ("ID", 1, 1, "Item Description Type"),
    "350": ("AN", 1, 20, "Assigned Identification"),
    "351": ("N0", 1, 3, "Terms Discount Days Due"),
    "352": ("AN", 1, 80, "Description"),
    "353": ("ID", 2, 2, "Transaction Set Purpose Code"),
    "354": ("N0", 1, 6, "Number of Line Items"),
    "355": ("ID", 2, 2, "Unit or Basis for Measurement Code"),
    "356": ("N0", 1, 6, "Pack"),
    "357": ("R", 1, 8, "Size"),
    "362": ("N2", 1, 10, "Terms Discount Amount"),
    "364": ("AN", 1, 80, "Communication Number"),
    "365": ("ID", 2, 2, "Communication Number Qualifier"),
    "366": ("ID", 2, 2, "Contact Function Code"),
    "368": ("ID", 2, 2, "Shipment/Order Status Code"),
    "369": ("AN", 1, 45, "Free-form Description"),
    "367": ("AN", 1, 30, "Contract Number"),
    "370": ("DT", 8, 8, "Terms Discount Due Date"),
    "373": ("DT", 8, 8, "Date"),
    "374": ("ID", 3, 3, "Date/Time Qualifier"),
    "380": ("R", 1, 15, "Quantity"),
    "382": ("R", 1, 10, "Number of Units Shipped"),
    "384": ("R", 1, 9, "Gross Weight per Pack"),
    "385": ("R", 1, 9, "Gross Volume per Pack"),
    "386": ("N0", 1, 3, "Terms Net Days"),
    "387": ("AN", 1, 35, "Routing"),
    "389": ("N2", 1, 10, "Deferred Amount Due"),
    "396": ("AN", 2, 30, "Shipment Identification"),
    "407": ("AN", 1, 30, "Seal Status Code"),
    "443": ("AN", 1, 20, "Contact Inquiry Reference"),
    "446": ("DT", 8, 8, "Terms Net Due Date"),
    "447": ("AN", 1, 4, "Loop Identifier Code"),
    "478": ("ID", 1, 1, "Credit/Debit Flag Code"),
    "479": ("ID", 2, 2, "Functional Identifier Code"),
    "480": ("AN", 1, 12, "Version / Release / Industry Identifier Code"),
    "508": ("AN", 1, 35, "Account Number"),
    "522": ("ID", 1, 3, "Amount Qualifier Code"),
    "559": ("ID", 2, 2, "Agency Qualifier Code"),
    "560": ("ID", 2, 2, "Special Services Code"),
    "563": ("ID", 1, 2, "Sales Requirement Code"),
    "587": ("ID", 2, 2, "Acknowledgment Type"),
    "596": ("ID", 1, 1, "Ship/Order Status Code"),
    "610": ("N2", 1, 15, "Amount"),
    "623": ("ID", 2, 2, "Time Code"),
    "628": ("AN", 1, 12, "Hierarchical ID Number"),
    "639": ("ID", 2, 2, "Basis of Unit Price Code"),
    "640": ("ID", 2, 2, "Transaction Type Code"),
    "641": ("ID", 3, 3, "Status Reason Code"),
    "646": ("R", 1, 9, "Quantity Shipped to Date"),
    "649": ("R", 1, 10, "Multiplier"),
    "668": ("ID", 2, 2, "Line Item Status Code"),
    "672": ("ID", 2, 2, "Resource Authorization Code"),
    "673": ("ID", 2, 2, "Quantity Qualifier"),
    "675": ("ID", 2, 2, "Schedule Type Qualifier"),
    "676": ("ID", 1, 1, "Schedule Quantity Qualifier"),
    "678": ("ID", 1, 2, "Ship/Delivery or Calendar Pattern Code"),
    "679": ("ID", 1, 2, "Ship/Delivery Pattern Time Code"),
    "680": ("ID", 1, 1, "Forecast Qualifier"),
    "681": ("ID", 1, 1, "Forecast Timing Qualifier"),
    "706": ("ID", 2, 2, "Entity Relationship Code"),
    "715": ("ID", 1, 1, "Functional Group Acknowledge Code"),
    "716": ("ID", 1, 3, "Functional Group Syntax Error Code"),
    "717": ("ID", 1, 1, "Transaction Set Acknowledgment Code"),
    "718": ("ID", 1, 3, "Transaction Set Syntax Error Code"),
    "719": ("N0", 1, 6, "Segment Position in Transaction Set"),
    "720": ("ID", 1, 3, "Segment Syntax Error Code"),
    "721": ("ID", 2, 3, "Segment ID Code"),
    "722": ("N0", 1, 2, "Element Position in Segment"),
    "723": ("ID", 1, 3, "Data Element Syntax Error Code"),
    "724": ("AN", 1, 99, "Copy of Bad Data Element"),
    "725": ("N0", 1, 4, "Data Element Reference Number"),
    "728": ("ID", 2, 2, "Returnable Container Load Make-Up Code"),
    "731": ("ID", 2, 2, "Transit Direction Code"),
    "732": ("ID", 2, 2, "Transit Time Direction Qualifier"),
    "733": ("R", 1, 4, "Transit Time"),
    "734": ("AN", 1, 12, "Hierarchical Parent ID Number"),
    "735": ("ID", 1, 2, "Hierarchical Level Code"),
    "736": ("ID", 1, 1, "Hierarchical Child Code"),
    "737": ("ID", 2, 2, "Measurement Reference ID Code"),
    "738": ("ID", 1, 3, "Measurement Qualifier"),
    "739": ("R", 1, 20, "Measurement Value"),
    "740": ("R", 1, 20, "Range Minimum"),
    "741": ("R", 1, 20, "Range Maximum"),
    "750": ("ID", 2, 3, "Product/Process Characteristic Code"),
    "751": ("AN", 1, 12, "Product Description Code"),
    "752": ("ID", 2, 2, "Surface/Layer/Position Code"),
    "753": ("ID", 2, 2, "Packaging Characteristic Code"),
    "754": ("AN", 1, 7, "Packaging Description Code"),
    "765": ("N0", 1, 2, "Day of Month"),
    "782": ("R", 1, 18, "Monetary Amount"),
    "783": ("ID", 2, 2, "Planning Schedule Type Code"),
    "810": ("N0", 1, 6, "Inner Pack"),
    "819": ("ID", 2, 3, "Language Code"),
    "822": ("AN", 1, 15, "Source Subqualifier"),
    "933": ("AN", 1, 264, "Free-Form Message Text"),
    "934": ("ID", 2, 2, "Printer Carriage Control Code"),
    "935": ("ID", 2, 2, "Measurement Significance Code"),
    "936": ("R", 1, 10, "Measurement Attribute Code"),
    "954": ("R", 1, 10, "Percent"),
    "1005": ("ID", 4, 4, "Hierarchical Structure Code"),
    "1018": ("R", 1, 15, "Exponent"),
    "1019": ("ID", 3, 3, "Invoice Type Code"),
    "1073": ("ID", 1, 1, "Yes/No Condition or Response Code"),
    "1166": ("ID", 2, 2, "Contract Type Code"),
    "1232": ("ID", 2, 2, "Purchase Category"),
    "1250": ("ID", 2, 3, "Date Time Period Format Qualifier"),
    "1251": ("AN", 1, 35, "Date Time Period"),
    "1270": ("ID", 1, 3, "Code List Qualifier Code"),
    "1271": ("AN", 1, 30, "Industry Code"),
    "1321": ("ID", 2, 3, "Condition Indicator"),
    "1470": ("N0", 1, 9, "Number"),
    "1528": ("N0", 1, 2, "Component Data Element Position in Composite"),
    "1686": ("N0", 1, 4, "Repeating Data Element Position"),
    "1705": ("AN", 1, 35, "Implementation Convention Reference"),
    "1715": ("ID", 3, 3, "Country Subdivision Code"),
}


class Elem(NamedTuple):
    ref: str
    usage: str = "S"  # R required, S situational, N not used (pyx12 map usage codes)
    codes: tuple[str, ...] = ()


class Comp(NamedTuple):
    ref: str  # composite id, e.g. C001
    usage: str
    elements: tuple[Elem, ...]


class SegDef(NamedTuple):
    name: str
    elements: tuple[Elem | Comp, ...]
    syntax: tuple[str, ...] = ()


def _e(spec: str) -> tuple[Elem, ...]:
    """'353! 92 324' -> elements; '!' marks required (X12 M)."""
    return tuple(Elem(tok.rstrip("!"), "R" if tok.endswith("!") else "S") for tok in spec.split())


class CodeList(NamedTuple):
    ref: str
    codes: tuple[str, ...]


# Composites used in these guides.
C001 = Comp("C001", "S", _e("355! 1018 649 355 1018 649 355 1018 649 355 1018 649 355 1018 649"))
C030 = Comp("C030", "R", _e("722! 1528"))
C040 = Comp("C040", "S", _e("128! 127! 128 127 128 127"))

_PAIRS_10 = " ".join(["235 234"] * 10)
_PAIRS_15 = " ".join(["235 234"] * 15)
_PO1_SYNTAX = tuple(f"P{n:02d}{n + 1:02d}" for n in range(6, 25, 2))
_LIN_SYNTAX = tuple(f"P{n:02d}{n + 1:02d}" for n in range(4, 31, 2))

SEGMENTS: dict[str, SegDef] = {
    "ST": SegDef("Transaction Set Header", _e("143! 329!")),
    "SE": SegDef("Transaction Set Trailer", _e("96! 329!")),
    "BEG": SegDef(
        "Beginning Segment for Purchase Order", _e("353! 92! 324! 328 373! 367 587 1019 1166 1232")
    ),
    "CUR": SegDef("Currency", _e("98! 100! 280"), ()),
    "REF": SegDef("Reference Identification", (*_e("128! 127 352"), C040), ("R0203",)),
    "PER": SegDef(
        "Administrative Communications Contact",
        _e("366! 93 365 364 365 364 365 364 443"),
        ("P0304", "P0506", "P0708"),
    ),
    "FOB": SegDef(
        "F.O.B. Related Instructions",
        _e("146! 309 352 334 335 309 352 54 352"),
        ("C0302", "C0405", "C0706", "C0809"),
    ),
    "ITD": SegDef(
        "Terms of Sale/Deferred Terms of Sale",
        _e("336 333 338 370 351 446 386 362 389 342 352 765 107 954"),
    ),
    "DTM": SegDef(
        "Date/Time Reference", _e("374! 373 337 623 1250 1251"), ("R020305", "C0403", "P0506")
    ),
    "PID": SegDef(
        "Product/Item Description",
        _e("349! 750 559 751 352 752 822 1073 819"),
        ("C0403", "R0405", "C0703", "C0804", "C0905"),
    ),
    "PKG": SegDef(
        "Marking, Packaging, Loading", _e("349 753 559 754 352 819"), ("R0405", "C0403", "C0501")
    ),
    "TD1": SegDef(
        "Carrier Details (Quantity and Weight)",
        _e("103 80 23 22 79 187 81 355 183 355"),
        ("C0102", "C0302", "C0607", "P0708", "P0910"),
    ),
    "TD5": SegDef(
        "Carrier Details (Routing Sequence/Transit Time)",
        _e("133 66 67 91 387 368 309 310 731 732 733 284 284 284 26"),
        ("R0204050612", "C0203", "C0708", "C1011"),
    ),
    "TD3": SegDef(
        "Carrier Details (Equipment)",
        _e("40 206 207 187 81 355 102 407 225"),
        ("E0110", "C0203", "C0405", "P0506"),
    ),
    "MAN": SegDef("Marks and Numbers", _e("88! 87! 87 88 87 87"), ("P0405", "C0605")),
    "N1": SegDef("Name", _e("98! 93 66 67 706 98"), ("R0203", "P0304")),
    "N2": SegDef("Additional Name Information", _e("93! 93")),
    "N3": SegDef("Address Information", _e("166! 166")),
    "N4": SegDef("Geographic Location", _e("19 156 116 26 309 310"), ("C0605",)),
    "PO1": SegDef(
        "Baseline Item Data",
        _e("350 330 355 212 639 " + _PAIRS_10),
        ("C0302", "C0504", *_PO1_SYNTAX),
    ),
    "PO4": SegDef(
        "Item Physical Details",
        _e("356 357 355 103 187 384 355 385 355 82 189 65 355 810 752 350 350"),
        ("P0203", "C0506", "P0607", "P0809", "C1013", "C1113", "C1213"),
    ),
    "IT8": SegDef("Conditions of Sale", _e("563 306 610 508 596 559 560")),
    "N9": SegDef("Reference Identification", (*_e("128! 127 369 373 337 623"), C040), ("R0203",)),
    "MSG": SegDef("Message Text", _e("933! 934 1470"), ("C0302",)),
    "CTT": SegDef("Transaction Totals", _e("354! 347 81 355 183 355 352"), ("P0304", "P0506")),
    "AMT": SegDef("Monetary Amount", _e("522! 782! 478")),
    "BSN": SegDef(
        "Beginning Segment for Ship Notice", _e("353! 396! 373! 337! 1005 640 641"), ("C0706",)
    ),
    "HL": SegDef("Hierarchical Level", _e("628! 734 735! 736")),
    "LIN": SegDef("Item Identification", _e("350 235! 234! " + _PAIRS_15[8:]), _LIN_SYNTAX),
    "SN1": SegDef("Item Detail (Shipment)", _e("350 382! 355! 646 330 355 728 668"), ("P0506",)),
    "PRF": SegDef("Purchase Order Reference", _e("324! 328 327 373 350 367 92")),
    "MEA": SegDef(
        "Measurements",
        (*_e("737 738 739"), C001, *_e("740 741 935 936 752")),
        ("R03050608", "C0504", "C0604", "L07030506", "E0803"),
    ),
    "YNQ": SegDef(
        "Yes/No Question",
        _e("1321 1073! 1250 1251 933 933 933 1270 1271"),
        ("R0109", "P0304", "C0908"),
    ),
    "BFR": SegDef(
        "Beginning Segment for Planning Schedule",
        _e("353! 127 328 675! 676! 373! 373 373! 373 367 324 783 306"),
        ("R0203",),
    ),
    "UIT": SegDef("Unit Detail", (Comp("C001", "R", C001.elements), *_e("212 639")), ("C0302",)),
    "SDP": SegDef(
        "Ship/Delivery Pattern",
        _e("678! 679! 678 679 678 679 678 679"),
        ("P0304", "P0506", "P0708"),
    ),
    "FST": SegDef(
        "Forecast Schedule", _e("380! 680! 681! 373! 373 374 337 128 127"), ("C0706", "P0809")
    ),
    "ATH": SegDef("Resource Authorization", _e("672! 373 380 380 373"), ("C0305",)),
    "SHP": SegDef(
        "Shipped/Received Information",
        _e("673 380 374 373 337 373 337"),
        ("C0102", "C0304", "C0503", "C0607", "C0703"),
    ),
    "AK1": SegDef("Functional Group Response Header", _e("479! 28!")),
    "AK2": SegDef("Transaction Set Response Header", _e("143! 329!")),
    "AK3": SegDef("Data Segment Note", _e("721! 719! 447 720")),
    "AK4": SegDef("Data Element Note", (C030, *_e("725 723! 724"))),
    "AK5": SegDef("Transaction Set Response Trailer", _e("717! 718 718 718 718 718")),
    "AK9": SegDef("Functional Group Response Trailer", _e("715! 97! 123! 2! 716 716 716 716 716")),
}

# Code lists for the ID elements that matter (X12 004010 code sources, trimmed to the codes a
# supplier gateway sees; an unknown code is AK4 7). Keyed by data element number.
CODE_LISTS: dict[str, tuple[str, ...]] = {
    "353": ("00", "01", "04", "05", "06", "07", "14", "ZZ"),
    "92": ("BK", "BL", "CN", "CO", "DS", "KN", "NE", "OS", "RE", "RL", "RO", "SA", "SP", "ST"),
    "100": ("AUD", "CAD", "CHF", "CNY", "EUR", "GBP", "INR", "JPY", "MXN", "USD"),
    "735": ("S", "O", "P", "T", "I", "Q", "E", "Z", "F", "D", "G", "PH"),
    "1005": ("0001", "0002", "0003", "0004", "0005", "0006", "0007"),
    "675": ("DL", "SH", "KB", "PD", "SL", "ZZ"),
    "676": ("A", "C"),
    "680": ("A", "B", "C", "D", "Z"),
    "681": ("D", "F", "M", "Q", "T", "W", "Z"),
    "672": ("FI", "MT", "PQ", "PY", "HC"),
    "479": (
        "AG",
        "BE",
        "FA",
        "HB",
        "HC",
        "HI",
        "HN",
        "HP",
        "HR",
        "HS",
        "IN",
        "PO",
        "PR",
        "PS",
        "RA",
        "SC",
        "SH",
        "SS",
    ),
    "715": ("A", "E", "M", "P", "R", "W", "X"),
    "717": ("A", "E", "M", "R", "W", "X"),
    "720": ("1", "2", "3", "4", "5", "6", "7", "8"),
    "723": ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
    "716": (
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "10",
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "23",
        "24",
        "25",
        "26",
    ),
    "718": (
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "10",
        "11",
        "12",
        "13",
        "15",
        "16",
        "17",
        "18",
        "19",
        "23",
        "24",
        "25",
        "26",
        "27",
    ),
}
