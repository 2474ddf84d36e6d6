"""English words in names. Notation: see :mod:`flowmap.inference.matcher` ('-word' ends a
compound, 'word-' is a stem, a space is one or more separators, ' ?' an optional one)."""

WORDS = {
    # A pool or lane that names the party the process serves.
    "customer": [
        "customers?", "clients?", "patients?", "citizens?", "applicants?", "passengers?",
        "guests?", "members?", "buyers?", "consumers?", "subscribers?", "policy ?holders?",
        "claimants?", "students?", "tenants?", "travell?ers?", "shoppers?", "end ?users?",
        "requesters?", "requestors?", "account ?holders?", "debtors?", "insured",
    ],
    # A function that serves the customer: customer service, not the customer.
    "service": [
        "customer (?:service|support|care|desk|relations|success|contact|helpdesk)",
        "client (?:service|support|care|desk|relations)", "support", "service ?desk",
        "help ?desk", "call ?cent(?:er|re)s?", "contact ?cent(?:er|re)s?", "after ?sales",
        "complaints? (?:desk|team|department|handling)", "front ?desk",
    ],
    # Role levels: 1 front line, 2 team lead, 3 manager, 4 head/director, 5 executive.
    "level": {
        # "Owner" alone is the owner of the business; a "Budget owner" or "Process owner" owns a
        # responsibility, not a rank (no level word: see "person").
        5: ["vice ?presidents?", "vp", "svp", "evp", "chief \\w+ officer", "chief", "executives?",
            "ceo", "cfo", "coo", "cio", "cto", "cmo", "presidents?", "board",
            ("(?<!\\w\\s)owners?", "owner"),
            "managing directors?", "general managers?", "managing partners?"],
        4: ["heads?", "directors?", "director of", "deputy directors?"],
        3: ["managers?", "manager of"],
        2: ["team ?leads?", "team ?leaders?", "supervisors?", "coordinators?", "foreman",
            "forewoman", "shift ?leads?", "group ?leads?"],
        1: ["clerks?", "agents?", "representatives?", "reps?", "specialists?", "analysts?",
            "officers?", "assistants?", "operators?", "workers?", "employees?", "staff",
            "technicians?", "advisors?", "advisers?", "associates?", "caseworkers?",
            "case ?handlers?"],
    },
    # Words that only say "a unit of people" (a lane "Sales team" is the department Sales).
    "unit": ["teams?", "departments?", "dept", "lanes?", "groups?", "units?", "offices?", "staff",
             "person", "people", "sections?", "divisions?"],
    # Small words a department's name may hold around its own words.
    "filler": ["of", "the", "and", "for", "to", "line", "senior", "junior"],
    # Words that name a person's job (a lane 'Pizza chef' is a role, not a department).
    "person": [
        "chef", "cooks?", "drivers?", "couriers?", "boy", "girl", "nurses?", "doctors?",
        "physicians?", "tellers?", "cashiers?", "receptionists?", "engineers?", "accountants?",
        "approvers?", "reviewers?", "dispatchers?", "pickers?", "planners?", "secretary",
        "administrators?", "admins?", "consultants?", "experts?", "lawyers?", "auditors?",
        "inspectors?", "adjusters?", "handlers?", "underwriters?", "recruiters?", "owners?",
        "buyers?", "sellers?", "salesperson", "salesman", "saleswoman", "controllers?",
    ],
    # What a function does (FunctionKind); customer service comes from "service" above.
    "kind": {
        "billing": ["billing", "invoic-", "accounts receivable"],
        "finance": ["finance", "financial", "accounting", "accounts", "treasury", "credit",
                    "controlling", "accounts payable"],
        "sales": ["sales", "selling", "account management", "business development"],
        "marketing": ["marketing"],
        "logistics": ["logistics", "warehouse", "warehousing", "shipping", "dispatch",
                      "transport", "delivery", "fulfil ?l?ment", "distribution", "stores"],
        "manufacturing": ["production", "manufactur-", "plant", "assembly", "kitchen",
                          "factory", "workshop"],
        "procurement": ["procurement", "purchasing", "sourcing", "supply"],
        "hr": ["hr", "human resources", "personnel", "recruiting", "recruitment", "payroll"],
        "it": ["it", "information technology", "ict", "helpdesk it"],
        "legal": ["legal", "law", "contracts"],
        "compliance": ["compliance", "audit", "quality assurance", "qa"],
        "risk": ["risk", "underwriting", "fraud"],
        "product": ["product", "engineering", "development", "r ?& ?d", "research"],
        "field": ["field", "installation", "repair", "maintenance", "service technicians?"],
        "operations": ["operations", "processing", "back ?office", "claims", "admin",
                       "administration"],
        "management": ["management", "executive", "board", "leadership"],
    },
    # A check that has passed: a state named "Approved" is where the work is, not a check.
    "passed": ["approved", "checked", "verified", "reviewed", "validated", "signed off",
               "authori[sz]ed", "released", "passed"],
    # Cancelling or withdrawing something: "Cancel review" is no review.
    "cancel": ["cancel-", "abort-", "withdraw-", "revok-", "revocation", "call off"],
    # Recording a status: "Set status: approved" is no approval.
    "status": ["(?:set|sets|update|updates|change|changes) (?:\\w+ ){0,2}status",
               "status (?:update|change)"],
    # Why a step exists (Purpose), from its name.
    "purpose": {
        # "Submit for approval", "Request approval", "approval strategy": asking for an
        # approval or naming its rules is not approving.
        "approval": [(("(?<!for\\s)(?<!request\\s)(?<!requests\\s)(?<!seek\\s)(?<!await\\s)"
                      "(?<!acknowledge\\s)"
                      "approv(?:e|es|ed|al|als|ing)(?! (?:strateg(?:y|ies)|matrix|"
                      "rules?|polic(?:y|ies)|limits?))(?!(?<=al) requests?)(?!(?<=als) requests?)"),
                     "approve"), "sign ?off", "signs off", "signed off",
                     "authori[sz](?:e|es|ed|ation|ing)", "sanction", "endorse-",
                     "grant(?:s|ed)? approval"],
        "inspection": ["check(?:s|ed|ing|list|lists)?", "cross ?check-", "double ?check-", "verif(?:y|ies|ied|ication)", "inspect-", "review-",
                       "validat(?:e|es|ed|ion|ing)", "audit(?:s|ed|ing)?", "examin-",
                       "quality control", "screen(?:s|ed|ing)?",
                       "compar(?:e|es|ed|ing|ison)"],
        "re-entry": ["re ?key-", "re ?(?:enter|entry|type)-", "transcrib-",
                     "copy (?:\\w+ )?(?:into|to)", "enter (?:\\w+ )?again", "key in again"],
        "transport": ["forward-", "pass(?:es)?(?: \\w+){0,2} to", "hand ?(?:over|off)-",
                      "route (?:\\w+ )?to", "re ?rout-", "transfer(?:s|red)? (?:\\w+ )?to",
                      "send (?:\\w+ )?to (?:\\w+ )?(?:department|team|office)"],
        "batching": ["batch-", ("(?:nightly|weekly|monthly|overnight) (?:\\w+ )?"
                     "(?:run|transfer|job)-")],
        "waiting": ["wait-", "queue-", "on hold", "put (?:\\w+ )?on hold"],
        "rework": ["redo", "re ?do(?:ne|es)?", "re ?work-", "amend-", "correct(?:s|ed|ion)?",
                   "fix(?:es|ed)? (?:the )?(?:error|mistake)s?", "re ?submit-", "re ?send-",
                   "re ?bill-"],
        "deflection": ["refer (?:\\w+ )?to (?:the )?(?:faq|website|portal|self ?service)",
                       "self ?service", "faq"],
        "placation": ["apologi[sz]-", "apology", "sorry", "goodwill", "gesture", "voucher",
                      "calm (?:\\w+ )?down", "reassur-",
                      "calm(?:s|ed|ing)? (?:the |a )?(?:customer|client|caller|guest|patient)s?",
                      "placat-", "pacif(?:y|ies|ied|ying)", "sooth(?:e|es|ed|ing)", "courtesy"],
        "compensation": ["compensat-", "refund-", "reimburs-", "credit note", "indemni-",
                         "pay damages"],
        "recovery": ["recover-", "replace-", "replacement", "re ?ship-", "re ?deliver-"],
        "root-cause-fix": ["root ?cause-", "fix (?:the )?cause", "prevent recurrence",
                           "corrective action", "capa"],
        "feedback": ["survey-", "feedback", "questionnaire-", "nps", "net promoter",
                     "satisfaction (?:survey|call|rating|score)", "rate (?:the )?service",
                     "customer voice", "listen-", "customer satisfaction", "csat",
                     "customer ratings?", "ask (?:the )?customers? how"],
        "escalation": ["escalat-"],
        "notification": ["notif(?:y|ies|ied|ication|ications)", "inform(?:s|ed|ing)?",
                         "(?:send|sends|sent|post|e ?mail) (?:\\w+ ){0,3}messages?",
                         "messages? to",
                         "confirm(?:s|ed|ation)?", "let (?:\\w+ )?know", "tell"],
        "chasing": ["chas(?:e|er|es|ed|ing)", "follow ?up-", "remind-", "dunning",
                    "nudge-", "hurry-"],
        "reporting": ["report-"],
        "compliance": ["compliance", "kyc", "aml", "anti money laundering", "regulatory"],
        "diagnosis": ["diagnos-", "troubleshoot-", "triage-", "analy[sz](?:e|es|ed|is)"],
        "delivery": ["deliver-", "ship(?:s|ped|ping|ment)?", "dispatch-",
                     "hand (?:\\w+ )?(?:to|over to) (?:the )?customer", "install-"],
        "payment": ["pay(?:s|ing|ment|ments)?", "paid", "settle (?:\\w+ )?(?:invoice|bill)",
                    "collect payment", "charge (?:the )?(?:card|customer)"],
        "sale": ["sell-", "sale", "order(?:s|ed|ing)?", "purchase-", "buy(?:s|ing)?",
                 "book(?:s|ed|ing)?", "quote-", "offer-", "sign (?:the )?contract",
                 "accept(?:s|ed|ance)? (?:the )?(?:offer|quote|order)"],
        "complaint": ["complain-", "complaints?", "grievance-", "dispute-", "claim about"],
    },
    # Words that mark a step as waste when the model does not declare its value (VAL002).
    # Each entry is (word, how the rule page names it); kinds of waste are Lean's office forms.
    "waste": {
        "re-keying": [("update (?:the )?(?:\\w+ )?(?:file|spreadsheet|excel|sheet|worksheet|tracker)s?",
                       "update the spreadsheet"),
                      ("(?:create|prepare|fill (?:in|out))\\w* (?:\\w+ ){1,3}from (?:the |a |an )?(?:\\w+ )?(?:requisitions?|requests?|forms?|applications?|e ?mails?|faxe?s?|letters?|paper|spreadsheets?)",
                       "create ... from the request"),
                      ("re ?key-", "re-key"), ("re ?(?:enter|entry|type)-", "re-enter"),
                      ("transcrib-", "transcribe"), ("(?:photo)?cop(?:y|ies)", "copy")],
        "transport": [("print-", "print"), ("scan-", "scan"), ("fax-", "fax"),
                      ("forward-", "forward"), ("pass(?:es)?(?: \\w+){0,2} to", "pass ... to"),
                      ("(?:allocate|assign)\\w*(?: \\w+){0,2} to", "assign ... to"),
                      (("(?:allocate|assign|appoint)\\w* (?:an? |the )?(?:approver|reviewer|"
                       "handler|case ?worker|case ?owner|processor|adjuster|assessor)s?"),
                       "assign approver"),
                      ("transfer(?:red)? to", "transfer to"), ("re ?route-", "re-route"),
                      ("hand ?(?:over|carr)-", "hand over"), ("escalat-", "escalate")],
        "batching": [("batch-", "batch"),
                     ("(?:nightly|weekly|monthly|overnight) (?:\\w+ )?(?:run|transfer|job)-",
                      "nightly/weekly/monthly/overnight run"),
                     ("(?:end of (?:the )?(?:month|quarter)|month ?end|quarter ?end)",
                      "month end")],
        "waiting": [("wait-", "wait"), ("queue-", "queue")],
        "chasing": [("chas(?:e|er|ing)-", "chase"), ("follow ?up-", "follow up"),
                    ("remind-", "remind")],
        "over-processing": [("second (?:approval|sign)-", "second approval"),
                            ("re ?approv-", "re-approve"), ("countersign-", "countersign"),
                            ("double ?check-", "double-check"), ("re ?check-", "re-check"),
                            ("(?:check|verify) again-", "check again"), ("by hand", "by hand")],
        "rework": [("re ?(?:send|submit)-", "re-send"), ("repeat-", "repeat"),
                   ("again", "again"), ("re ?(?:do|work)", "redo"), ("amend-", "amend"),
                   ("re ?bill-", "re-bill")],
    },
    # A gateway branch whose label names a failure (exception flows, service dumping).
    "failure": [
        "insufficient", "not enough",
        "errors?", "erroneous", "wrong", "missing", "missed", "reject(?:s|ed|ion)?",
        "defects?", "defective", "faulty", "fault", "complaints?", "disputes?", "disputed",
        "late", "delay(?:s|ed)?", "overdue", "fail(?:s|ed|ing|ure|ures)?", "complain(?:s|ed|t|ts)?", "incorrect", "incomplete",
        "invalid", "damaged", "broken", "lost", "denied", "declined", "not ok", "nok",
        "no ?show", "out of stock", "short(?:age)?", ("not (?:ready|delivered|arrived|received|"
        "working|in stock|on time|approved|valid|complete|correct|available|found|possible)"),
        "unavailable", "overcharg-", "billed before", "at risk", "cancel(?:l?ed|lation)",
        "returned", "unpaid", "not paid",
    ],
    # The customer receives something (an outcome, not a cost to them).
    "receive": [
        "receiv(?:e|es|ed|ing)", "receipt of", "gets?", "obtain-", "accept(?:s|ed)? delivery",
        "collect(?:s|ed)? (?:the )?(?:goods|parcel|order|package|item)", "pick(?:s)? up",
        "take(?:s)? delivery",
    ],
    # The organisation hands something to the customer.
    "deliver": [
        "deliver-", "ship(?:s|ped)?", "send(?:s)?", "sent", "dispatch-", "hand(?:s|ed)? over",
        "provid(?:e|es|ed)", "issu(?:e|es|ed)", "mail(?:s|ed)?", "post(?:s|ed)? (?:to|out)",
    ],
}

# Whole words that contain a word above but mean something else.
EXCLUDE: dict[str, list[str]] = {}
