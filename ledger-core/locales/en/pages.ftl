### Madini message catalog: pages, en.
### The node's public pages (node/src/pages.rs, lotpage.rs, templates/).

pages-language = Language

## Home page.
pages-home-title = Madini ledger { $origin }
pages-home-heading = Madini ledger
pages-home-log = Log
pages-home-entries = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
}
pages-home-root = Root
pages-home-vkey = Verifier key
pages-home-checkpoint = Signed checkpoint
pages-home-log-json = log (JSON)
pages-home-api = API (OpenAPI)
pages-home-lots-json = lots (JSON)
pages-home-latest = Latest lots
pages-home-no-lots = No lot is on this ledger yet.

## The lot page: its figures.
pages-lot-title = Lot { $lot }
pages-lot-title-short = Lot
pages-lot-mineral = Mineral
pages-lot-mass = Mass
pages-lot-grade = Grade
pages-lot-custodian = Held by
pages-lot-status = Status
pages-lot-tag = Tag
pages-lot-findings = What does not add up
pages-lot-chain = Chain of custody
pages-lot-entry = Ledger entry { $index }
pages-lot-proof = proof
pages-lot-check = Check it yourself
pages-lot-check-text = Everything above can be checked without trusting this server:
pages-lot-bundle = offline bundle
pages-lot-checkpoint = signed checkpoint
pages-lot-log = Log
pages-lot-entries = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
}

## The lot page: the verifier's verdict.
pages-verdict-unverifiable = Cannot be verified: the data does not match the signed log
pages-verdict-findings = { $count ->
    [one] Authentic, but { $count } problem: the numbers do not add up
   *[other] Authentic, but { $count } problems: the numbers do not add up
}
pages-verdict-under-review = Under review: an open incident concerns this lot
pages-verdict-verified = Verified: complete chain of origin, no problem found

## How serious a finding is.
pages-severity-critical = critical
pages-severity-error = problem
pages-severity-warning = warning

## The lot page: each step of the chain of custody.
pages-step-register = Registered at the mine, tag { $tag }
pages-step-offer = Handed over to { $to }
pages-step-accept = Received (custody accepted)
pages-step-refuse = Refused by the receiver
pages-step-split = Split into { $lots }
pages-step-merge = Merged: { $inputs } → { $lot }
pages-step-process = Processed ({ $method }): { $inputs } → { $lot }
pages-step-transport = Transported from { $from } to { $to }
pages-step-store = Stored
pages-step-tax = Tax paid: { $kind } { $amount } { $currency } ({ $authority })
pages-step-export = Exported to { $destination } under certificate { $cert }
pages-step-correct = Correction: { $reason }

## Pages that say something is wrong.
pages-not-found-title = Not found
pages-lot-not-found = Lot { $lot } is not in this ledger.
pages-tag-not-found = Tag { $tag } is not in this ledger.
pages-error-title = Something went wrong
pages-error-text = This server could not show the page. Try again in a moment; the operator's log has the details.
pages-home-link = Back to the ledger's home page


## The public registry pages (node/src/public.rs): dashboard, search, sites, actors.

pages-languages = Languages
pages-search-label = Search a lot, tag, mine site, actor or case
pages-search-button = Search
pages-search-title = Search
pages-search-results = Results for “{ $q }”
pages-search-empty = Type a lot, tag, mine site, actor or case number to search the registry.
pages-search-none = Nothing in this registry matches “{ $q }”.
pages-search-too-long = Only the first { $n } characters were searched.
pages-footer = Everything on this page is computed from the public log and can be checked without trusting this server:
pages-checkpoint = signed checkpoint
pages-report-link = report an incident
pages-app-link = field app
pages-back-home = Back to the registry
pages-not-found-site = Mine site { $id } is not in this registry.
pages-not-found-actor = Actor { $id } is not in this registry.
pages-dash-title = Mineral registry
pages-dash-intro = Mine sites, actors, production and what the verifier finds, computed from the first { $size } entries of the public log.
pages-counts = { $sites } mine sites, { $actors } actors, { $lots } lots.
pages-verifier-title = What the verifier finds in the whole log
pages-verifier-none = No finding: every rule checks out.
pages-findings-caption = Findings per rule
pages-rule = Rule
pages-family = Family
pages-severity = Worst severity
pages-count = Findings
pages-total = Total
pages-severity-info = note
pages-under-review = Lots under review
pages-under-review-count = Lots under review because an incident about them is open: { $n }.
pages-open-incidents = Open incidents
pages-no-open-incidents = No incident is open.
pages-case-lots = { $n ->
    [one] { $n } lot under review
   *[other] { $n } lots under review
}
pages-case-open = open
pages-case-investigating = being investigated
pages-case-resolved = resolved
pages-case-dismissed = dismissed
pages-audit-yourself = Check it yourself:
pages-report-yourself = Recompute these figures yourself:
pages-map-title = Mine sites of the region by ICGLR status
pages-map-caption = Each symbol is a registered mine site at its recorded position; the shape and colour give its status. Borders: Natural Earth (public domain), approximate.
pages-site-map = Where { $name } lies
pages-status-green = Green: eligible
pages-status-yellow = Yellow: issues to fix
pages-status-red = Red: excluded
pages-status-blue = Blue: not yet inspected
pages-flows-title = Production and flows
pages-flows-caption = Per country of origin and mineral, over the whole log
pages-chart-country = Production by country of origin and mineral
pages-chart-month = Production per month, all minerals
pages-months-table = Figures per month
pages-country = Country
pages-country-several = Several countries
pages-country-cd = DR Congo
pages-country-rw = Rwanda
pages-country-bi = Burundi
pages-country-ug = Uganda
pages-country-tz = Tanzania
pages-country-ke = Kenya
pages-mineral = Mineral
pages-minerals = Minerals
pages-mineral-cassiterite = cassiterite (tin ore)
pages-mineral-coltan = coltan (tantalum ore)
pages-mineral-wolframite = wolframite (tungsten ore)
pages-mineral-gold = gold
pages-produced = Produced
pages-transferred = Changed hands
pages-exported = Exported
pages-lots = Lots
pages-month = Month
pages-mass = Mass
pages-latest-lots = Latest lots
pages-log-title = The log
pages-log = Log
pages-entries = entries
pages-entry = entry
pages-root = Root
pages-vkey = Verifier key
pages-kind-lot = Lot
pages-kind-tag = Tag
pages-kind-site = Mine site
pages-kind-actor = Actor
pages-kind-case = Incident case
pages-tag-on = attached to lot { $lot }
pages-id = Identifier
pages-since = since
pages-activity = Activity
pages-activity-abandoned = abandoned
pages-activity-active = active
pages-activity-inactive = not active
pages-capacity = Assessed capacity
pages-capacity-value = { $mass } per { $days } days
pages-produced-year = Produced this year
pages-of-capacity = of a yearly capacity of
pages-last-inspection = Last inspection
pages-never = never
pages-location = Position (latitude, longitude)
pages-operators = Operated by
pages-production-chart = Production against capacity
pages-production-caption = Bars: mass registered at the site each month. Dashed line: the assessed capacity for 30 days. Hatched bars exceed it.
pages-over-capacity = over capacity
pages-note = Note
pages-status-history = Status history
pages-ev-site-register = Registered
pages-ev-site-update = Profile updated
pages-ev-site-inspect = Inspected ({ $id })
pages-ev-site-status = Status changed: { $reason }
pages-ev-tags = Tags { $prefix } { $first } to { $last } allocated
pages-ev-licence = Licence { $id } granted
pages-inspections = Inspections
pages-no-inspections = No inspection recorded.
pages-date = Date
pages-result = Result
pages-summary = Summary
pages-incidents = Incidents
pages-no-incidents = No incident reported.
pages-category-armed-group = armed group
pages-category-child-labour = child labour
pages-category-smuggling = smuggling
pages-category-tag-fraud = tag fraud
pages-category-illegal-taxation = illegal taxation
pages-category-fraud = fraud
pages-category-safety = safety
pages-category-violence = violence
pages-category-other = other
pages-roles = Roles
pages-role-authority = registry authority
pages-role-inspector = inspector
pages-role-cooperative = cooperative
pages-role-trader = trader
pages-role-shipper = shipper
pages-role-processor = processor
pages-role-warehouse = warehouse
pages-role-importer = importer
pages-role-exporter = exporter
pages-locality = Town
pages-stock = Stock held now, by mineral
pages-no-stock = Holds no open lot.
pages-licences = Licences
pages-no-licences = No licence recorded.
pages-licence-type = Type
pages-licence-claim = claim
pages-licence-exploration-permit = exploration permit
pages-licence-mining-license = mining licence
pages-licence-artisanal-permit = artisanal mining permit
pages-licence-unlicensed = unlicensed
pages-licence-other = other
pages-valid = Valid
pages-keys = Signing keys
pages-key-active = in use
pages-key-retired = replaced
pages-key-revoked = revoked
pages-sites-operated = Mine sites it operates

## The lot page: offers and delays (lotpage.rs).
pages-lot-offered-to = Offered to { $actor }, who has not answered yet.
pages-lot-accept-in-app = Accept or refuse it in the field app
pages-lot-recorded-later = recorded { $delay } after the time it claims
pages-lot-claimed-after = claims a time { $delay } after it was recorded
pages-lot-minutes = { $count } min
pages-lot-hours = { $count } h
pages-lot-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
pages-lot-dag = Where lot { $lot } came from: every lot in its provenance, splits and merges as arrows
pages-lot-path = The path of lot { $lot }: its mine sites and the places it was moved to or stored
pages-lot-graph-title = Provenance
pages-lot-map-title = Path on the map

## The dashboard: the verifier's verdict on the whole log (public.rs).
pages-log-verdict-verified = Verified: every signature, proof and rule checks out, and no finding is an error.
pages-log-verdict-findings = Verified with findings: the data is authentic, but the numbers do not all add up.
pages-log-verdict-unverifiable = Cannot be verified: the data does not match the signed log.

## Large logs: map clusters and the months shown.
pages-map-cluster = { $count } sites here: { $statuses }
pages-months-window = The latest { $shown } of { $total } months; the CSV below holds them all.
