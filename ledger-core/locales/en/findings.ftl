### Madini message catalog: findings, en.
### The verifier's finding messages (ledger-core/src/verify/), one per case of a
### rule of spec/verifier.md section 3; every report carries each one in every
### language. Ids start with the rule's message key, finding-<rule>.

## Findings.
finding-back-dating = Entry { $n } claims to have happened { $days } days before it was recorded (more than { $max }): it may be back-dated to fit an earlier period.
finding-cert-mass = Certificate { $cid } (entry { $n }) certifies { $cm } but its lots hold only { $hm }.
finding-cert-validity = Certificate { $cid } (entry { $n }) is valid for { $validity } days; ICGLR certificates expire within { $max }.
finding-correction = Entry { $n } corrects the figures of entry { $t } for lot { $lot } ({ $reason }); both stay on the log and later checks use the corrected figures.
finding-double-spend = Entry { $n } acts on a lot whose chain had already moved on: the same lot was consumed twice ({ $why }).
finding-export-eligibility = Lot { $lot } is exported under certificate { $cid } although part of it comes from a site that was not eligible (Red, or Yellow past its grace period) when the ore was registered.
finding-export-expired = Lot { $lot } is exported under certificate { $cid }, which had expired { $days } days before.
finding-export-mass = Exports under certificate { $cid } reach { $a }, more than the { $cm } it certifies.
finding-export-origin = Lot { $lot } is exported under certificate { $cid }, which declares origin { $d } but omits { $m }, where part of the ore was mined.
finding-future-dated = Entry { $n } claims a time { $mins } minutes after it was recorded: the signer's clock is wrong or the time is invented.
finding-incident-open = Incident case { $c } about { $about } is still open: { $k ->
    [one] { $k } lot is
   *[other] { $k } lots are
} under review until it is resolved.
finding-log-breaks-rule = Entry { $n } breaks the ledger rule { $id }, which the node should have refused: { $why }.
finding-merge-grade = Entry { $n } gives merged lot { $out } a grade of { $g1 } % where the inputs' mass-weighted grade is { $g2 } %.
finding-merge-mass-gain = Entry { $n } merges lots weighing { $a } into lot { $out } of { $m }: the merged lot weighs more than its inputs.
finding-merge-mass-loss = Entry { $n } merges lots weighing { $a } into lot { $out } of only { $m }: mass was lost in the merge.
finding-processing-metal = Entry { $n } processes lots holding { $ci } g of metal into lot { $out } holding { $co } g: processing cannot create metal, so ore was added off the books.
finding-processing-recovery = Entry { $n } recovers only { $r } of the metal into lot { $out } (plausible: at least { $f }): metal may have left the books.
finding-site-capacity = From entry { $n }, site { $sid } registered { $w } within { $days } days, above its assessed capacity of { $c }: ore from elsewhere may be passed off under its name.
finding-site-inactive = Lot { $lot } was registered at site { $sid }, which is recorded as not active (MDC.02 code { $a }).
finding-site-status-grace-over = Lot { $lot } was registered at site { $sid } while the site was Yellow for longer than its grace period: it is not eligible.
finding-site-status-lapsed = Lot { $lot } was registered at site { $sid }, whose certification had lapsed to { $status } for lack of inspection.
finding-site-status-red = Lot { $lot } was registered at site { $sid } while the site was Red (excluded from trade).
finding-split-grade = Entry { $n } gives part { $cl } of lot { $lot } a grade of { $g1 } % although the lot was { $g2 } %: a split does not change grade.
finding-split-mass = Entry { $n } splits lot { $lot } of { $m } into parts totalling { $a }: the parts weigh more than the whole.
finding-stock-balance-export = Entry { $n } exports { $a } of lot { $lot }, which holds only { $h }.
finding-stock-balance-negative = After entry { $n }, { $actor } has sent on { $sk } more { $mineral } than it ever received: its stock is negative.
finding-stock-balance-offer = At entry { $n }, { $giver } hands over { $m } of lot { $lot } but holds only { $h } of it: it sends on more than it received.
finding-tag-reuse = Tag { $tag } on lot { $lot } was already attached to lot { $ol } in log { $oo }: a tag is used once, so one of them is laundered.
finding-teleport = At entry { $n }, lot { $lot } covers { $kmr } km in { $mins } minutes{ $route }, faster than { $max } km/h: it cannot have travelled that way.
finding-time-order = Entry { $n } on lot { $lot } claims a time { $hours } hours before the lot's previous event: the order of events does not hold.
finding-transfer-grade-accept = Lot { $lot } was handed over at grade { $g1 } % and received at { $g2 } % (entry { $n }): grade does not change in a transfer.
finding-transfer-grade-offer = At entry { $n }, lot { $lot } is handed over at grade { $g1 } % although it was { $g2 } %: grade does not change in a transfer.
finding-transfer-mass-gain = At entry { $n }, { $receiver } received { $got } of lot { $lot } but { $giver } handed over only { $sent }: mass appeared in transit.
finding-transfer-mass-loss = At entry { $n }, { $receiver } received { $got } of lot { $lot } where { $giver } handed over { $sent }: mass was lost in transit.
finding-transfer-mass-remainder = At entry { $n }, { $giver } hands over { $m } of lot { $lot } while holding { $h }: the difference is unaccounted for.
finding-untaxed-export = Lot { $lot } is exported (entry { $n }) with no tax, royalty or fee recorded on it or on the lots it came from.

## Integrity: the data does not verify.
finding-integrity-bundle = The bundle of lot { $lot } does not verify: { $msg }.
finding-integrity-chain = Entry { $index } does not name entry { $p } as its previous leaf: the linear chain is broken (an entry was dropped, reordered or duplicated).
finding-integrity-error = { $error }
finding-integrity-leaf = Entry { $index } is not a valid leaf: { $e }.
finding-integrity-origin = The log's genesis names origin { $origin }, its checkpoint { $o }.
finding-integrity-record-time = Entry { $index } was recorded before the entry preceding it.
finding-integrity-rewritten = The first { $size } entries do not hash to the root this verifier saw signed earlier for that size: the log was rewritten.
finding-integrity-root = The { $n } entries do not hash to the checkpoint's root: entry { $last }, the last one, which no later chain link covers, differs from the signed log.
finding-integrity-rule = Entry { $index } breaks the ledger rule { $id }, which no valid log contains: { $msg }.
finding-integrity-shrank = This verifier saw a signed tree of { $size } entries, but the log now has only { $m }: it shrank.
finding-integrity-signature = The signature of entry { $index } does not verify: the entry was altered or forged.
finding-integrity-signer = Entry { $index } has no valid signer: { $m }.
finding-integrity-size = The log holds { $n } entries but its checkpoint says { $m }.
finding-grade-impossible = Entry { $n } states a grade of { $g } for lot { $lot } of { $mineral }, more than the { $m } the pure mineral holds: no ore can have that grade.
finding-package-mass = Entry { $n } registers lot { $lot } as { $packages } package(s) of { $pk } each, more than the { $mk } one package can plausibly weigh.
finding-site-outside-country = Entry { $n } places site { $sid } at { $at }, { $km } km outside the country it is registered in ({ $cc }): the registry contradicts itself.
finding-operator-country = Entry { $n }: lot { $lot } was registered by { $a }, an actor registered in { $ac }, at site { $sid } in { $sc }.
finding-gps-far = Entry { $n }: lot { $lot } was registered { $d } km from its site { $sid }, not at the site.
finding-before-site-registered = Entry { $n }: lot { $lot } claims to have been registered on { $c }, before its site { $sid } was registered ({ $r }).
finding-licence-lapsed = Entry { $n }: lot { $lot } of { $mineral } was registered at site { $sid } on { $c }, when none of the site's { $count } licence(s) covered that mineral on that date.
finding-inspection-after-record = Entry { $n } records an inspection of site { $sid } dated { $d }, { $days } day(s) after it was recorded: the result was entered before the inspection took place.
finding-claimed-after-revocation = Entry { $n } revokes key { $key } as of { $rev }, but entry { $m }, signed by that key, claims { $signed }: the key signed after the registry says it ended.
