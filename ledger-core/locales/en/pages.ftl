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
