### Madini message catalog: cli, en.
### The madini command line (cli/src/): messages, then help (cli-help-*).

## Languages (--lang, profile set --set-lang).
cli-error-lang-unknown = error: --lang "{ $lang }" is not a language madini speaks; use one of { $langs }
cli-set-lang-unknown = --set-lang "{ $lang }": use one of { $langs }

## seal.rs (madini incident open).
cli-seal-no-report = case { $case }: the node's history of it holds no incident report; check the case id
cli-seal-not-sealed = case { $case }: its text is not sealed; `madini incident show` prints it
cli-seal-not-yours = case { $case }: its text is not sealed to your key { $key }; a case handler it names must open it
cli-seal-does-not-open = case { $case }: the sealed text does not open ({ $reason }); report it to the registry

## The node's rules, in the refusal message (client.rs).
cli-rule-stale-head = the lot has changed since
cli-rule-not-custodian = you do not hold this lot
cli-rule-offer-not-for-you = the offer is not addressed to you
cli-rule-no-pending-offer = no offer pending
cli-rule-key-revoked = key revoked
cli-rule-key-retired = key replaced
cli-rule-unknown-key = unknown key
cli-rule-tag-used = tag already used
cli-rule-tag-not-allocated = tag not allocated
cli-rule-tag-wrong-site = another site's tag
cli-rule-role-not-allowed = role not allowed
cli-rule-lot-unknown = unknown lot
cli-rule-lot-exists = lot already registered
cli-rule-lot-closed = lot closed
cli-rule-bad-signature = invalid signature
cli-rule-other = a rule of the registry

## The fate of a pushed event (import.rs, read.rs)
cli-recorded-at-index = recorded at index { $index }
cli-already-at-index = already in the log at index { $index }
cli-refused = REFUSED ({ $rule }): { $detail }

## client.rs
cli-client-node-refused-event = the node refused the event ({ $rule }, { $what }): { $detail }
cli-client-not-found = not found: { $detail }
cli-client-node-failed = the node at { $url } failed ({ $status }): { $detail }
cli-client-node-s-answer-not = the node's answer to { $what } is not what spec/http.md says: { $why }
cli-client-cannot-reach-node = cannot reach the node at { $url }: { $error }
cli-client-check-address-node-madini = check the address (--node or MADINI_NODE) and your connection; signing commands keep working offline and `madini sync` sends their events later
cli-client-cannot-read-madini-ca = cannot read MADINI_CA_FILE { $shown }: { $error }
cli-client-madini-ca-file-holds = MADINI_CA_FILE { $shown } holds no PEM certificate
cli-client-give-node-s-certificate = give the node's certificate file (-----BEGIN CERTIFICATE-----), or unset MADINI_CA_FILE
cli-client-node-cannot-trusted = the node at { $url } cannot be trusted: { $why }
cli-client-log-key-not-one = its log key { $vkey } is not the one in your profile ({ $exp })
cli-client-checkpoint-does-not-verify = its checkpoint does not verify: { $error }
cli-client-log-now-presents-key = log { $origin } now presents key { $vkey }, but this device pinned { $old }
cli-client-if-registry-really-changed = if the registry really changed its log key, delete the pinned file under the data directory's logs/ folder
cli-client-log-shrank-entries-since = the log shrank from { $old } to { $new } entries since this device last checked it
cli-client-two-different-roots-same = two different roots for the same size { $size }: the log was rewritten
cli-client-tree-entries-does-not = the tree of { $size } entries does not extend the tree of { $old } this device verified ({ $error }): the log was rewritten
cli-client-entry-node-not-readable = entry { $index } from the node is not a readable leaf
cli-client-event-entry-not-json = the event of entry { $index } is not JSON: { $error }

## config.rs
cli-config-cannot-find-home-directory = cannot find a home directory for the config
cli-config-config-file-malformed = config file { $path } is malformed: { $error }
cli-config-fix-delete-file-madini = fix or delete the file; `madini profile set` rewrites it
cli-config-no-profile-named = no profile named { $name }

## ctx.rs
cli-ctx-key-ended = this device's key { $key } signs nothing more: the node said { $why }
cli-ctx-key-ended-fix = make a new key (madini key new) and ask the registry to register it for your actor
cli-ctx-presign-warning = warning before signing
cli-ctx-presign-strict = nothing was signed: { $count ->
    [one] the check before signing found 1 figure an auditor would flag
   *[other] the checks before signing found { $count } figures an auditor would flag
  }
cli-ctx-presign-strict-fix = check the figures and run the command again, or without --strict to sign them as they are (the ledger records what you claim; the verifier judges it)
cli-ctx-command-needs-know-which = this command needs to know which actor you act for
cli-ctx-pass-actor-id-set = pass --actor ID, set MADINI_ACTOR, or run `madini profile set --actor ID`
cli-ctx-note-first-contact-log = note: first contact with log { $origin }; its key { $key } is now pinned on this device
cli-ctx-device-never-reached-node = this device has never reached the node at { $url }, so it does not know which log to sign for
cli-ctx-connect-once-run-madini = connect once and run `madini log status`; after that, signing works offline
cli-ctx-lot-not-log = lot { $lot } is not in the log
cli-ctx-check-lot-id-madini = check the lot id (`madini lot list`), or sync the outbox if it was registered offline
cli-ctx-offline-using-lot-s = offline: using lot { $lot }'s latest event as known on { $when }
cli-ctx-cannot-tell-latest-event = cannot tell the latest event of lot { $lot } while offline
cli-ctx-run-madini-lot-show = run `madini lot show { $lot }` once online so this device remembers it, or pass --prev HASH
cli-ctx-event-would-invalid = the { $kind } event would be invalid: { $error }
cli-ctx-warning-earlier-outbox-event = warning: earlier outbox event #{ $seq } ({ $kind }) was refused ({ $rule }): { $detail }
cli-ctx-nothing-recorded-event-kept = nothing was recorded; the event is kept under refused/ in the data directory for reference
cli-ctx-not-sent-now-event = not sent now ({ $why }); the event is safe in the outbox: run `madini sync` later
cli-ctx-already-log-index-event = { $kind }{ $lots }: already in the log at index { $index } (event { $hash })
cli-ctx-recorded-index-event = { $kind }{ $lots }: recorded at index { $index } (event { $hash })
cli-ctx-signed-saved-outbox-event = { $kind }{ $lots }: signed and saved in the outbox (event { $hash }; { $count } waiting); `madini sync` sends it when the node is reachable

## error.rs
cli-error-cannot-use = cannot use { $path }: { $error }
cli-error-error = error
cli-error-fix = fix

## exports.rs
cli-exports-log-s-checkpoint-does = the log's checkpoint does not verify under the trusted key: { $error }
cli-exports-log-s-leaves-do = the log's { $leaves } leaves do not hash to its signed checkpoint ({ $size } entries); run `madini audit` to find where
cli-exports-what-use-sites-lots = --what { $what }: use sites, lots, certificates or entities
cli-exports-icglr-documents-written = { $count } ICGLR { $what } documents written to { $dir }
cli-exports-warning-actor-lacks-icglr = warning: actor { $id } lacks ICGLR contact details ({ $fields }); documents naming it do not validate until `madini actor update --id { $id } --representative .. --phone +.. --email ..` records them
cli-exports-epcis-document-written = EPCIS document written to { $file }
cli-exports-no-report-use-taxes = no report { $kind }: use taxes, flows, actors or sites
cli-exports-month = month
cli-exports-country = country
cli-exports-mineral = mineral
cli-exports-produced = produced
cli-exports-exported = exported
cli-exports-taxes = taxes
cli-exports-exports-no-tax-recorded = { $untaxed } exports with no tax recorded along their chain
cli-exports-site = site
cli-exports-transferred = transferred
cli-exports-actor = actor
cli-exports-name = name
cli-exports-roles = roles
cli-exports-status = status
cli-exports-last-inspection = last inspection
cli-exports-year = this year
cli-exports-capacity-year = capacity/year

## import.rs
cli-import-cannot-read = cannot read { $path }: { $error }
cli-import-unknown-column = { $path }: unknown column { $column }
cli-import-columns = the columns are { $expected }
cli-import-required-column-missing = { $path }: the required column { $column } is missing
cli-import-row = { $path }: row { $row }: { $error }
cli-import-required = { $col } is required
cli-import-row-header = row
cli-import-result = result
cli-import-signed-waiting-outbox = signed, waiting in the outbox
cli-import-invalid = INVALID: { $error }
cli-import-recorded-already-there-refused = { $ok } recorded, { $existing } already there, { $refused } refused, { $invalid } invalid, { $waiting } waiting
cli-import-note-file-holds-inspections = note: the file holds { $inspections } inspections; they are not imported, because inspectors sign inspections (`madini site inspect`)
cli-import-row-role-not-madini = { $path }: row { $row }: a role is not a Madini role

## keys.rs
cli-keys-system-random-source-failed = the system random source failed: { $error }
cli-keys-already-exists-key-file = { $path } already exists; a key file is never overwritten
cli-keys-choose-another-path-out = choose another path with --out
cli-keys-key-file-does-not = key file { $path } does not exist
cli-keys-create-one-madini-key = create one with `madini key new`, or name yours with --key FILE
cli-keys-key-file-read-other = key file { $path } can be read by other users (mode { $mode })
cli-keys-key-file-not-ed25519 = key file { $path } is not an Ed25519 PKCS#8 private key: { $why }
cli-keys-passphrase = passphrase for { $path }:
cli-keys-wrong-passphrase-key-file = wrong passphrase for key file { $path }
cli-keys-passphrase-needed-but-there = a passphrase is needed but there is no terminal to ask for it

## lots.rs
cli-lots-not-id-mass-id = { $value } is not ID:MASS or ID:MASS:GRADE
cli-lots-mass-grade-lot-not = the mass and grade of lot { $lot } are not known on this device
cli-lots-give-mass-grade = give --mass and --grade
cli-lots-label-written = label written to { $file }
cli-lots-lot-no-pending-offer = lot { $lot } has no pending offer to accept (its last event is { $last })
cli-lots-giver-must-offer-first = the giver must offer it to you first (`madini lot offer`)
cli-lots-offered-figures-lot-not = the offered figures of lot { $lot } are not known on this device; give { $opt }
cli-lots-correction-needs-mass-grade = a correction needs --mass, --grade or both

## outbox.rs
cli-outbox-waiting-another-madini-command = waiting for another madini command using the outbox...
cli-outbox-outbox-file-damaged = outbox file { $path } is damaged: { $error }
cli-outbox-move-out-outbox-re = move it out of the outbox and re-sign the event
cli-outbox-node-cannot-reached = the node at { $url } cannot be reached
cli-outbox-node-s-checkpoint-does = the node's checkpoint does not verify under the pinned log key: { $error }
cli-outbox-node-answered-events = the node answered for { $answered } of { $sent } events

## parse.rs
cli-parse-not-mineral-use-cassiterite = { $value } is not a mineral; use cassiterite, coltan, wolframite, gold or an HS code (2609.00.00, 2615.90.00, 2611.00.00, 7108.12.00)
cli-parse-not-role-use-authority = { $value } is not a role; use authority, inspector, cooperative, trader, shipper, processor, warehouse, importer or exporter
cli-parse-not-public-key-keys = { $value } is not a public key; keys are written ed25519:BASE64, as `madini key show` prints them
cli-parse-not-event-hash-hex = { $value } is not an event hash (64 hex digits)
cli-parse-not-site-status-use = { $value } is not a site status; use blue, green, yellow or red (MDC.01 0-3)
cli-parse-inspection-green-yellow-red = an inspection is green, yellow or red (blue means not inspected)
cli-parse-not-inspection-result-use = { $value } is not an inspection result; use green, yellow or red
cli-parse-not-activity-status-use = { $value } is not an activity status; use active, non-active or abandoned (MDC.02)
cli-parse-not-incident-category-use = { $value } is not an incident category; use armed-group, child-labour, smuggling, tag-fraud, illegal-taxation, fraud, violence, safety or other
cli-parse-not-case-status-use = { $value } is not a case status; use open, investigating, resolved or dismissed
cli-parse-not-licence-type-use = { $value } is not a licence type; use claim, exploration_permit, mining_license, artisanal_permit, unlicensed or other
cli-parse-packages = packages is 1 to 1000
cli-parse-capacity-window-days = a capacity window is 1 to 366 days
cli-parse-tag-width-digits = a tag width is 1 to 12 digits
cli-parse-minor-unit-currency-not = the minor unit of currency { $currency } is not known to this CLI; use one of USD, EUR, CDF, RWF, BIF, UGX, TZS, KES
cli-parse-amount-decimals = amount { $value }: { $error } ({ $currency } has { $digits } decimals)
cli-parse-outside-degrees = { $value } is outside -{ $max }..{ $max } degrees
cli-parse-point-not-latitude-longitude = point { $value } is not `latitude,longitude` in decimal degrees (e.g. -1.6790,29.2220)

## read.rs
cli-read-claims = claims
cli-read-delay = signed after
cli-read-delay-min = { $n } min
cli-read-delay-h = { $n } h
cli-read-delay-d = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
cli-read-new-passphrase = new passphrase:
cli-read-again = again:
cli-read-two-passphrases-differ = the two passphrases differ
cli-read-passphrase-shorter-than-characters = the passphrase is shorter than 8 characters
cli-read-new-key-written-mode = new key written to { $path } (mode 0600)
cli-read-give-public-key-registry = give the public key to your registry to be registered; never share the file
cli-read-public-key = public key:
cli-read-key-id = key id:
cli-read-file = file:
cli-read-setting = setting
cli-read-value = value
cli-read-set-node-not-http = { $flag } { $url } is not an http:// or https:// URL
cli-read-profile-saved = profile saved in { $file }
cli-read-outbox-empty = the outbox is empty
cli-read-event = event
cli-read-fate = fate
cli-read-events-still-wait-outbox = { $count } events still wait in the outbox ({ $why }); run `madini sync` again later
cli-read-nothing-waiting-outbox = nothing waiting in the outbox
cli-read-signed = signed
cli-read-refused-node = refused by the node:
cli-read-rule = rule
cli-read-reason = reason
cli-read-node = node
cli-read-log = log
cli-read-log-key = log key
cli-read-entries = entries
cli-read-root = root
cli-read-checkpoint = checkpoint
cli-read-signed-s-ago-verified = signed { $time } ({ $age } s ago), verified
cli-read-outbox = outbox
cli-read-waiting = { $waiting } waiting
cli-read-anonymous = (anonymous)
cli-read-index = index
cli-read-lot = lot
cli-read-claimed = claimed
cli-read-recorded = recorded
cli-read-signer = signer
cli-read-mass = mass
cli-read-grade = grade
cli-read-detail = detail
cli-read-custodian = custodian
cli-read-offered = offered to
cli-read-tag = tag
cli-read-latest-event = latest event
cli-read-keys = keys
cli-read-capacity = capacity
cli-read-operators = operators

## registry.rs
cli-registry-revoke-name-owner = key { $key } is not { $actor }'s: to revoke another actor's key, name its owner with --owner ACTOR
cli-registry-required = { $opt } is required
cli-registry-role-required-least-one = --role is required (at least one role)
cli-registry-public-key-required-actor = --public-key is required: the actor signs with it (from `madini key show` on the actor's device)
cli-registry-warning-node-cannot-reached = warning: the node cannot be reached, so the profile is replaced exactly as given: fields left out are cleared
cli-registry-warning-s-icglr-documents = warning: { $id }'s ICGLR documents will not validate without a legal representative, an E.164 phone and an e-mail whose last label has 2 to 4 letters (missing or refused: { $fields }); add --representative, --phone, --email
cli-registry-give-new-key-new = give the new key with --new ed25519:... or --new-key-file FILE
cli-registry-name-least-one-subject = name at least one subject with --lot, --site or --about-actor
cli-registry-case-id-keep-receipt = case id (keep it as your receipt): { $case }
cli-registry-inclusion-proof-checked-entry = inclusion proof checked: entry { $index } is in the signed log of { $size } entries

## tags.rs
cli-tags-lot-not-registered-mine = lot { $lot } was not registered at a mine (it came from a split, merge or processing), so it has no bag tag
cli-tags-lot-registered-key-not = lot { $lot } was registered with key { $key }, not this device's key { $my_id }: only the registering cooperative can sign its tag
cli-tags-svg-png-files-hold = svg and png files hold one label; use --format pdf for { $count } labels
cli-tags-per-page = --per-page is 8 or 24
cli-tags-no-lot-print-name = no lot to print: name lots, or use --since DATE for the lots this device registered
cli-tags-labels-written = { $count } labels written to { $file }
cli-tags-cannot-read-image = cannot read image { $path }: { $error }
cli-tags-no-readable-qr-code = no readable QR code in { $path }
cli-tags-take-photo-again-closer = take the photo again, closer and in better light, or type the payload
cli-tags-qr-code-does-not = the QR code in { $path } does not hold a public key (ed25519:...)
cli-tags-photograph-key-screen-field = photograph the key screen of the field app, or type the key with --public-key
cli-tags-tag-cannot-trusted = this tag cannot be trusted: { $why }
cli-tags-signed-key-which-not = it is signed by key { $kid }, which is not a registered key this device knows (a foreign or forged tag)
cli-tags-if-registry-registered-cooperative = if the registry registered this cooperative recently, connect once so this device learns its key
cli-tags-signature-does-not-verify = its signature does not verify: the printed figures were changed after signing
cli-tags-signer-not-cooperative = the signer { $signer } is not a cooperative
cli-tags-claim-valid-tag-lot = claim VALID: tag { $tag }, lot { $lot }, site { $site }, { $mass } at { $grade }, signed by { $signer }
cli-tags-log-held-status-verifier = in the log: held by { $custodian }, status { $status }, verifier verdict { $verdict }
cli-tags-offline-claim-authentic-current = offline: the claim is authentic; its current state in the log was not checked
cli-tags-problem = PROBLEM:
cli-tags-log-no-lot-tag = the log has no lot with tag { $tag }: the tag was never registered on this log
cli-tags-log-tag-attached-lot = in the log, tag { $tag } is attached to lot { $on_log }, not { $lot }: the label was moved or copied
cli-tags-registration-log-states-other = the registration in the log states other figures than the label
cli-tags-open-incident-puts-lot = an open incident puts this lot under review

## verify.rs
cli-verify-policy-line = policy file { $file }, line { $line }, key { $key }: { $error }
cli-verify-tiles-unreadable = cannot read { $what }: { $error }
cli-verify-tiles-unreadable-fix = check --tiles: it is the URL the tiles are served under, where URL/checkpoint is the log's signed checkpoint
cli-verify-tiles-checkpoint-bad = the checkpoint at { $url } does not verify under the key this device trusts: { $error }
cli-verify-tiles-bundle-bad = an entry bundle at { $url } is not what the checkpoint says: { $error }
cli-verify-see-spec-verifier-md = see spec/verifier.md section 4 for the keys and their defaults
cli-verify-device-no-trusted-key = this device has no trusted key for log { $origin }
cli-verify-pass-vkey-key-registry = pass --vkey with the key the registry publishes, or run `madini log status` against its node once
cli-verify-verified-every-signature-proof = VERIFIED: every signature, proof and rule checks out, and no finding is an error
cli-verify-verified-findings-data-authentic = VERIFIED WITH FINDINGS: the data is authentic, but the numbers do not all add up
cli-verify-cannot-verified-data-altered = CANNOT BE VERIFIED: the data was altered or does not match the signed log
cli-verify-log-scope-entries-root = log { $origin } ({ $scope } scope), { $count } entries, root { $root }
cli-verify-policy = policy { $policy } ({ $digest })
cli-verify-findings-critical-errors-warnings = findings: { $critical } critical, { $errors } errors, { $warnings } warnings, { $info } info
cli-verify-under-review-open-incidents = under review (open incidents): { $count ->
    [one] { $count } lot
   *[other] { $count } lots
}
cli-verify-lots = lots
cli-verify-tolerance = tolerance
cli-verify-not-checked-scope = not checked in this scope:
cli-verify-not-lot-bundle = { $file } is not a lot bundle: { $error }
cli-verify-bundle-lot-not = the bundle is for lot { $bundle }, not { $lot }
cli-verify-bundle-lot-entries-written = bundle of lot { $lot } ({ $count } entries) written to { $file }; check it anywhere with `madini verify lot { $lot } --bundle { $file }`
cli-verify-node-stopped-serving-entries = the node stopped serving entries at { $next } of { $size }
cli-verify-node-sent-entries-out = the node sent entries out of order at { $next }
cli-verify-entry-node-not-base64 = entry { $next } from the node is not base64: { $error }
cli-verify-not-readable-log-archive = { $path } is not a readable log archive: { $why }
cli-verify-archive-s-checkpoint-does = the archive's checkpoint does not verify under the trusted key: { $error }
cli-verify-entries-log-written-audit = { $size } entries of log { $origin } written to { $file }; audit it offline with `madini audit --archive { $file }`

## Help (help.rs): clap's about and help texts, by place in the command tree.
## cli-help is `madini` itself, cli-help-lot-register is `madini lot register`;
## an argument adds two hyphens and its long name (or its name, for a positional
## one): cli-help-lot-register--mass. Global arguments and clap's own --help and
## --version are the root's (cli-help--node); cli-help-help is clap's `help`
## command at every level. A text shared by several arguments is written once and
## referenced ({ cli-help-... }). cli-help-after closes `madini --help`.
cli-help-after =
    Exit codes: 0 success; 1 a check found problems (verifier findings that are errors or critical); 2 usage or input error (a bad value is refused before anything runs), including an event the node refused; 3 the node could not be reached or trusted (including an answer that is not what spec/http.md says), or data does not verify. A closed standard output (madini ... | head) does not change the code.
    Environment: MADINI_NODE, MADINI_KEY, MADINI_ACTOR, MADINI_PROFILE, MADINI_LANG, MADINI_HOME (config and data directory), MADINI_PASSPHRASE (for encrypted keys in scripts), MADINI_CA_FILE (PEM certificates trusted for HTTPS instead of the public roots, for a node with its own certificate).

## madini
cli-help = Madini: trace 3T and gold lots from the mine to export on a signed, public ledger
cli-help--node = Node URL (default from the profile, else http://127.0.0.1:8080)
cli-help--key = Private key file (PKCS#8 PEM, mode 0600)
cli-help--actor = Actor id you act for
cli-help--profile = Named profile from the config file
cli-help--json = Machine-readable JSON output
cli-help--lang = Message language: en, fr or sw (default: the profile, then the system locale)
cli-help--offline = Sign into the outbox without contacting the node
cli-help--strict = Do not sign a lot event the pre-signing checks warn about (exit 1)
cli-help-audit--tiles = Audit from the log's C2SP tiles at this URL (a node, or any static copy of its tiles) instead of the node's API
cli-help-log-fetch--tiles = Read the log from its C2SP tiles at this URL (a node, or any static copy of its tiles) instead of the node's API
cli-help--help = Print help
cli-help--version = Print version

## madini key
cli-help-key = Create and show keys; rotate and revoke registered keys
cli-help-key-new = Create a new Ed25519 key (PKCS#8 PEM, mode 0600)
cli-help-key-new--out = Where to write it (default: key.pem next to the config file)
cli-help-key-new--encrypt = Encrypt it with a passphrase (asked for, or MADINI_PASSPHRASE)
cli-help-key-show = Print the public key and key id of the key in force
cli-help-key-rotate = Replace a registered key by a new one
cli-help-key-rotate--owner = Whose key (default: the actor in force)
cli-help-key-rotate--old = Key id being replaced (default: the key in force)
cli-help-key-rotate--new = The new public key, ed25519:BASE64
cli-help-key-rotate--new-key-file = Or the new key's file (its public key is used; the file stays on this device)
cli-help-key-rotate--time = When it happened (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; default now)
cli-help-key-revoke = Revoke a registered key from now on
cli-help-key-revoke--owner = { cli-help-key-rotate--owner }
cli-help-key-revoke--key-id = Key id to revoke
cli-help-key-revoke--reason = Why (lost device, compromise...)
cli-help-key-revoke--time = { cli-help-key-rotate--time }

## madini help
cli-help-help = Print this message or the help of the given subcommand(s)

## madini profile
cli-help-profile = Show or change the profile (node URL, key file, actor id)
cli-help-profile-show = Print the settings in force and where they come from
cli-help-profile-set = Change the profile in the config file
cli-help-profile-set--set-node = Node URL
cli-help-profile-set--set-key = Key file
cli-help-profile-set--set-actor = Actor id
cli-help-profile-set--set-lang = Language (en, fr, sw)
cli-help-profile-set--set-vkey = The log's verifier key (C2SP vkey) to require from the node
cli-help-profile-set--set-tiles = Read the log from its C2SP tiles at this URL in audit, verify lot, log fetch and scan

## madini actor
cli-help-actor = Register, update, show and list actors
cli-help-actor-register = Register an actor with its roles and keys (authority)
cli-help-actor-register--id = { cli-help-profile-set--set-actor }
cli-help-actor-register--name = Legal name
cli-help-actor-register--country = Country of registration (ISO 3166-1 alpha-2)
cli-help-actor-register--role = Roles (repeat or comma-separate): authority, inspector, cooperative, trader, shipper, processor, warehouse, importer, exporter
cli-help-actor-register--public-key = Public keys ed25519:BASE64 (register only; repeat for several)
cli-help-actor-register--public-key-image = Photos of public-key QR codes, as the field app shows them (register only; repeat for several)
cli-help-actor-register--tin = Tax id
cli-help-actor-register--locality = Locality of the address
cli-help-actor-register--region-code = ISO 3166-2 region code
cli-help-actor-register--region = Region name
cli-help-actor-register--representative = Representative's name
cli-help-actor-register--phone = Phone (E.164, e.g. +250788000000)
cli-help-actor-register--email = Email
cli-help-actor-register--time = { cli-help-key-rotate--time }
cli-help-actor-update = Replace an actor's profile (authority); omitted fields keep their value when the node is reachable
cli-help-actor-update--id = { cli-help-profile-set--set-actor }
cli-help-actor-update--name = { cli-help-actor-register--name }
cli-help-actor-update--country = { cli-help-actor-register--country }
cli-help-actor-update--role = { cli-help-actor-register--role }
cli-help-actor-update--public-key = { cli-help-actor-register--public-key }
cli-help-actor-update--public-key-image = { cli-help-actor-register--public-key-image }
cli-help-actor-update--tin = { cli-help-actor-register--tin }
cli-help-actor-update--locality = { cli-help-actor-register--locality }
cli-help-actor-update--region-code = { cli-help-actor-register--region-code }
cli-help-actor-update--region = { cli-help-actor-register--region }
cli-help-actor-update--representative = { cli-help-actor-register--representative }
cli-help-actor-update--phone = { cli-help-actor-register--phone }
cli-help-actor-update--email = { cli-help-actor-register--email }
cli-help-actor-update--time = { cli-help-key-rotate--time }
cli-help-actor-show = Show one actor
cli-help-actor-show--id = { cli-help-profile-set--set-actor }
cli-help-actor-list = List actors

## madini licence
cli-help-licence = Grant licences
cli-help-licence-grant = Grant a licence (authority)
cli-help-licence-grant--id = Licence id (MD.02 licenseId)
cli-help-licence-grant--type = MDC.04 type: claim, exploration_permit, mining_license, artisanal_permit, unlicensed, other
cli-help-licence-grant--holder = Actor holding it
cli-help-licence-grant--site = Site it covers
cli-help-licence-grant--mineral = Minerals covered (repeat or comma-separate)
cli-help-licence-grant--granted = Date granted
cli-help-licence-grant--expires = Expiry date
cli-help-licence-grant--time = { cli-help-key-rotate--time }

## madini site
cli-help-site = Register, update, inspect and show mine sites
cli-help-site-register = Register a mine site (authority)
cli-help-site-register--id = ICGLR site id, `CC-<lat><lon>-NNNNN` (e.g. RW-1.9641+30.0619-12345)
cli-help-site-register--national-id = National id
cli-help-site-register--name = Name
cli-help-site-register--lat = Latitude, decimal degrees
cli-help-site-register--lon = Longitude, decimal degrees
cli-help-site-register--region-code = { cli-help-actor-register--region-code }
cli-help-site-register--region = { cli-help-actor-register--region }
cli-help-site-register--locality = Locality
cli-help-site-register--mineral = Minerals mined (repeat or comma-separate)
cli-help-site-register--activity = Activity: active, non-active or abandoned
cli-help-site-register--capacity = Assessed capacity: at most this mass (e.g. 3t) per --capacity-days days
cli-help-site-register--capacity-days = The capacity window, days
cli-help-site-register--operator = Cooperatives that may register lots here (repeat or comma-separate)
cli-help-site-register--time = { cli-help-key-rotate--time }
cli-help-site-update = Replace a site's profile (authority)
cli-help-site-update--id = { cli-help-site-register--id }
cli-help-site-update--national-id = { cli-help-site-register--national-id }
cli-help-site-update--name = { cli-help-site-register--name }
cli-help-site-update--lat = { cli-help-site-register--lat }
cli-help-site-update--lon = { cli-help-site-register--lon }
cli-help-site-update--region-code = { cli-help-actor-register--region-code }
cli-help-site-update--region = { cli-help-actor-register--region }
cli-help-site-update--locality = { cli-help-site-register--locality }
cli-help-site-update--mineral = { cli-help-site-register--mineral }
cli-help-site-update--activity = { cli-help-site-register--activity }
cli-help-site-update--capacity = { cli-help-site-register--capacity }
cli-help-site-update--capacity-days = { cli-help-site-register--capacity-days }
cli-help-site-update--operator = { cli-help-site-register--operator }
cli-help-site-update--time = { cli-help-key-rotate--time }
cli-help-site-inspect = Record an inspection (inspector)
cli-help-site-inspect--site = Site id
cli-help-site-inspect--id = Inspection id (MD.07 inspectionId)
cli-help-site-inspect--date = Day of the inspection
cli-help-site-inspect--result = green, yellow or red
cli-help-site-inspect--report = The full report file: its SHA-256 is recorded
cli-help-site-inspect--report-uri = Where the report can be read
cli-help-site-inspect--purpose = Purpose
cli-help-site-inspect--summary = Summary of findings
cli-help-site-inspect--time = { cli-help-key-rotate--time }
cli-help-site-status = Change a site's certification status without an inspection (inspector or authority)
cli-help-site-status--site = { cli-help-site-inspect--site }
cli-help-site-status--status = blue, green, yellow or red
cli-help-site-status--reason = Why
cli-help-site-status--time = { cli-help-key-rotate--time }
cli-help-site-show = Show one site
cli-help-site-show--site = { cli-help-site-inspect--site }
cli-help-site-list = List sites

## madini tags
cli-help-tags = Allocate tag ranges to sites; look a tag up
cli-help-tags-allocate = Allocate a range of tag ids to a site (authority): PREFIX-NNNN from --first to --last
cli-help-tags-allocate--site = { cli-help-site-inspect--site }
cli-help-tags-allocate--prefix = Prefix, e.g. RW-T
cli-help-tags-allocate--width = Digits of the number, zero-padded
cli-help-tags-allocate--first = First number
cli-help-tags-allocate--last = Last number
cli-help-tags-allocate--time = { cli-help-key-rotate--time }
cli-help-tags-show = Which lot a tag is attached to, and its state
cli-help-tags-show--tag = Tag id
cli-help-tags-print = Print QR labels for lots (svg, png or an A4 pdf of 8 or 24 labels per page)
cli-help-tags-print--lots = Lots to print (registered with this device's key)
cli-help-tags-print--since = Also every lot this device registered since this date
cli-help-tags-print--format = svg, png (one label) or pdf (sheets)
cli-help-tags-print--per-page = Labels per A4 page: 8 or 24
cli-help-tags-print--out = File to write
cli-help-tags-print--base-url = Base URL of the node's public pages (default: the node URL in force)

## madini lot
cli-help-lot = Register lots and record everything that happens to them
cli-help-lot-register = Register a bagged lot at a mine site with its tag (cooperative)
cli-help-lot-register--lot = New lot id
cli-help-lot-register--site = { cli-help-site-inspect--site }
cli-help-lot-register--tag = Tag id on the bag
cli-help-lot-register--mineral = Mineral
cli-help-lot-register--mass = Mass (25.3kg, 1.2t, 25300g; a bare number is kg)
cli-help-lot-register--grade = Grade (65.5%, 6550bp; a bare number is percent)
cli-help-lot-register--miner = Miner or team
cli-help-lot-register--gps = Where the bag was sealed: latitude,longitude
cli-help-lot-register--packages = Number of bags
cli-help-lot-register--label = Also print the bag's label to this file (.pdf, .png or .svg)
cli-help-lot-register--time = { cli-help-key-rotate--time }
cli-help-lot-offer = Offer a lot to another actor (custody changes when they accept)
cli-help-lot-offer--lot = Lot id
cli-help-lot-offer--to = Receiver's actor id
cli-help-lot-offer--mass = Mass handed over (default: the lot's current mass)
cli-help-lot-offer--grade = Grade handed over (default: the lot's current grade)
cli-help-lot-offer--price = Sale price (major units), with --currency
cli-help-lot-offer--currency = ISO 4217 currency of the price
cli-help-lot-offer--prev = The lot's latest event hash (default: found in the outbox, on the node or in the cache)
cli-help-lot-offer--time = { cli-help-key-rotate--time }
cli-help-lot-accept = Accept a lot offered to you, with what you weighed and assayed
cli-help-lot-accept--lot = { cli-help-lot-offer--lot }
cli-help-lot-accept--mass = Mass received (default: the offered mass)
cli-help-lot-accept--grade = Grade received (default: the offered grade)
cli-help-lot-accept--prev = { cli-help-lot-offer--prev }
cli-help-lot-accept--time = { cli-help-key-rotate--time }
cli-help-lot-refuse = Refuse a lot offered to you
cli-help-lot-refuse--lot = { cli-help-lot-offer--lot }
cli-help-lot-refuse--reason = { cli-help-site-status--reason }
cli-help-lot-refuse--prev = { cli-help-lot-offer--prev }
cli-help-lot-refuse--time = { cli-help-key-rotate--time }
cli-help-lot-split = Split a lot into children: `--child ID:MASS` or `--child ID:MASS:GRADE` (grade defaults to the parent's)
cli-help-lot-split--lot = { cli-help-lot-offer--lot }
cli-help-lot-split--child = Children, e.g. --child L-7a:12kg --child L-7b:13.3kg
cli-help-lot-split--prev = { cli-help-lot-offer--prev }
cli-help-lot-split--time = { cli-help-key-rotate--time }
cli-help-lot-merge = Merge lots of one mineral into a new lot
cli-help-lot-merge--input = Input lots (repeat or comma-separate)
cli-help-lot-merge--lot = { cli-help-lot-register--lot }
cli-help-lot-merge--mass = Output mass
cli-help-lot-merge--grade = Output grade
cli-help-lot-merge--time = { cli-help-key-rotate--time }
cli-help-lot-process = Process lots into a new lot (processor): mass falls, grade rises
cli-help-lot-process--input = { cli-help-lot-merge--input }
cli-help-lot-process--lot = { cli-help-lot-register--lot }
cli-help-lot-process--mass = { cli-help-lot-merge--mass }
cli-help-lot-process--grade = { cli-help-lot-merge--grade }
cli-help-lot-process--method = Method, e.g. washing, magnetic separation
cli-help-lot-process--time = { cli-help-key-rotate--time }
cli-help-lot-transport = Record a transport: --from and --to are NAME or NAME@LAT,LON
cli-help-lot-transport--lot = { cli-help-lot-offer--lot }
cli-help-lot-transport--from = Departure place
cli-help-lot-transport--to = Arrival place
cli-help-lot-transport--departed = Departure time
cli-help-lot-transport--arrived = Arrival time
cli-help-lot-transport--carrier = Carrier
cli-help-lot-transport--method = Means (truck, motorbike, boat...)
cli-help-lot-transport--prev = { cli-help-lot-offer--prev }
cli-help-lot-transport--time = { cli-help-key-rotate--time }
cli-help-lot-store = Record storage at a place (NAME or NAME@LAT,LON)
cli-help-lot-store--lot = { cli-help-lot-offer--lot }
cli-help-lot-store--place = Place
cli-help-lot-store--warehouse = Warehouse actor id
cli-help-lot-store--prev = { cli-help-lot-offer--prev }
cli-help-lot-store--time = { cli-help-key-rotate--time }
cli-help-lot-tax = Record a tax, fee or royalty paid on the lot (ICGLR MD.13)
cli-help-lot-tax--lot = { cli-help-lot-offer--lot }
cli-help-lot-tax--type = royalty, export tax, fee...
cli-help-lot-tax--amount = Amount in major units (1250.50)
cli-help-lot-tax--currency = ISO 4217 currency
cli-help-lot-tax--authority = Who collected it
cli-help-lot-tax--receipt = Receipt number
cli-help-lot-tax--paid = Date paid (default today)
cli-help-lot-tax--prev = { cli-help-lot-offer--prev }
cli-help-lot-tax--time = { cli-help-key-rotate--time }
cli-help-lot-export = Export a lot under a certificate (exporter)
cli-help-lot-export--lot = { cli-help-lot-offer--lot }
cli-help-lot-export--cert = Certificate number
cli-help-lot-export--mass = Mass exported (default: the lot's mass)
cli-help-lot-export--destination = Destination country
cli-help-lot-export--prev = { cli-help-lot-offer--prev }
cli-help-lot-export--time = { cli-help-key-rotate--time }
cli-help-lot-correct = Correct the mass or grade stated by an earlier event of the lot
cli-help-lot-correct--lot = { cli-help-lot-offer--lot }
cli-help-lot-correct--event = Hash of the event being corrected
cli-help-lot-correct--mass = Corrected mass
cli-help-lot-correct--grade = Corrected grade
cli-help-lot-correct--reason = { cli-help-site-status--reason }
cli-help-lot-correct--prev = { cli-help-lot-offer--prev }
cli-help-lot-correct--time = { cli-help-key-rotate--time }
cli-help-lot-show = A lot's state and its history as a table
cli-help-lot-show--lot = { cli-help-lot-offer--lot }
cli-help-lot-history = The lot's provenance: every event of its chain and of the lots it came from, with signers and times
cli-help-lot-history--lot = { cli-help-lot-offer--lot }
cli-help-lot-bundle = Save the lot's bundle (entries, proofs, checkpoint) for offline verification
cli-help-lot-bundle--lot = { cli-help-lot-offer--lot }
cli-help-lot-bundle--out = { cli-help-tags-print--out }
cli-help-lot-list = Lots, newest first
cli-help-lot-list--limit = How many

## madini cert
cli-help-cert = Request and issue export certificates
cli-help-cert-request = Request an export certificate (exporter)
cli-help-cert-request--id = Request id
cli-help-cert-request--lot = Lots to export (repeat or comma-separate)
cli-help-cert-request--mineral = { cli-help-lot-register--mineral }
cli-help-cert-request--mass = Total mass (e.g. 1.2t)
cli-help-cert-request--destination = { cli-help-lot-export--destination }
cli-help-cert-request--time = { cli-help-key-rotate--time }
cli-help-cert-issue = Issue an export certificate (authority; ICGLR MD.03)
cli-help-cert-issue--id = { cli-help-lot-export--cert }
cli-help-cert-issue--exporter = Exporter allowed to use it
cli-help-cert-issue--lot = Lots covered (repeat or comma-separate)
cli-help-cert-issue--mineral = { cli-help-lot-register--mineral }
cli-help-cert-issue--mass = Certified mass
cli-help-cert-issue--origin = Declared countries of origin (repeat or comma-separate)
cli-help-cert-issue--destination = { cli-help-lot-export--destination }
cli-help-cert-issue--issued = Issue date (default today)
cli-help-cert-issue--expires = Expiry (default: 90 days after issue, the ICGLR maximum)
cli-help-cert-issue--request = The request it answers
cli-help-cert-issue--time = { cli-help-key-rotate--time }

## madini incident
cli-help-incident = Report incidents (anonymously if you wish) and follow cases
cli-help-incident-report = Report an incident about lots, sites or actors; --anonymous signs with a throw-away key
cli-help-incident-report--lot = Lots concerned (repeat or comma-separate)
cli-help-incident-report--site = Sites concerned
cli-help-incident-report--about-actor = Actors concerned
cli-help-incident-report--category = armed-group, child-labour, smuggling, tag-fraud, illegal-taxation, fraud, violence, safety, other
cli-help-incident-report--summary = What happened
cli-help-incident-report--evidence = Evidence file kept off the log: only its SHA-256 is recorded
cli-help-incident-report--anonymous = Report without revealing who you are (a fresh key, never stored)
cli-help-incident-report--time = { cli-help-key-rotate--time }
cli-help-incident-open = Read a case's sealed text with your key (a case handler it was sealed to)
cli-help-incident-open--case = { cli-help-incident-status--case }
cli-help-incident-status = Change a case's status (authority or inspector): open, investigating, resolved, dismissed
cli-help-incident-status--case = Case id (the report's event hash)
cli-help-incident-status--status = New status
cli-help-incident-status--note = Note
cli-help-incident-status--time = { cli-help-key-rotate--time }
cli-help-incident-show = Show a case and its history
cli-help-incident-show--case = Case id

## madini import
cli-help-import = Bulk import of actors and sites (CSV, ICGLR MD.01 JSON)
cli-help-import-actors = Register actors from a CSV file (authority)
cli-help-import-actors--file = The CSV file
cli-help-import-sites = Register mine sites from a CSV file (authority)
cli-help-import-sites--file = { cli-help-import-actors--file }
cli-help-import-icglr-sites = Register mine sites from ICGLR MD.01 JSON (one record or an array)
cli-help-import-icglr-sites--file = The JSON file
cli-help-import-icglr-sites--capacity = Capacity for records that state none (e.g. 3t)
cli-help-import-icglr-sites--capacity-days = Its window in days
cli-help-import-icglr-entities = Register business entities from ICGLR MD.04 JSON; their keys and roles come from a CSV file `id,roles,public_keys`
cli-help-import-icglr-entities--file = { cli-help-import-icglr-sites--file }
cli-help-import-icglr-entities--credentials = CSV of each entity's Madini roles and public keys

## madini sync
cli-help-sync = Push the outbox to the node, in signing order

## madini outbox
cli-help-outbox = List the events waiting in the outbox (and those the node refused)

## madini log
cli-help-log = The log: size, root, checkpoint age; fetch it whole into an archive
cli-help-log-status = Size, root and checkpoint age, verified against the pinned log key
cli-help-log-fetch = Download the whole log into an archive file (`spec/verifier.md` section 6)
cli-help-log-fetch--out = Archive file to write

## madini verify
cli-help-verify = Verify one lot's chain of origin from its bundle, offline if need be
cli-help-verify-lot = A lot: fetched from the node, or from a bundle file with --bundle (no network)
cli-help-verify-lot--lot = { cli-help-lot-offer--lot }
cli-help-verify-lot--bundle = Verify this bundle file, with no network (from `madini lot bundle`)
cli-help-verify-lot--tiles = Assemble the lot's bundle from the log's C2SP tiles at this URL (a node, or any static copy of its tiles) instead of the node's API
cli-help-verify-lot--policy = Policy file (TOML, `spec/verifier.md` section 4); default: the built-in policy
cli-help-verify-lot--vkey = Trust this log key (C2SP vkey) instead of the one pinned on this device

## madini audit
cli-help-audit = Verify a whole log: every signature, proof and rule, and every finding
cli-help-audit--archive = Audit a log archive (from `madini log fetch`) instead of the node
cli-help-audit--threads = Threads for signature checks (default: all cores)
cli-help-audit--policy = { cli-help-verify-lot--policy }
cli-help-audit--vkey = { cli-help-verify-lot--vkey }

## madini scan
cli-help-scan = Check a bag's QR tag: its signed claim offline, and the lot in the log when online
cli-help-scan--payload = The QR payload (the text a QR reader gives)
cli-help-scan--image = Or a photo or scan of the label (PNG or JPEG)
cli-help-scan--tiles = Check the lot in the log read from its C2SP tiles at this URL (a node, or any static copy of its tiles) instead of the node's API

## madini export
cli-help-export = ICGLR and EPCIS documents, recomputed from the log on this device
cli-help-export-icglr = ICGLR data-standard documents, one JSON file per document in DIR
cli-help-export-icglr--what = sites (MD.01), lots (MD.12), certificates (MD.03) or entities (MD.04)
cli-help-export-icglr--out = Directory to write into
cli-help-export-icglr--archive = Read the log from an archive instead of the node
cli-help-export-icglr--policy = { cli-help-verify-lot--policy }
cli-help-export-icglr--vkey = { cli-help-verify-lot--vkey }
cli-help-export-epcis = A GS1 EPCIS 2.0 document: one lot's provenance, a time window, or everything
cli-help-export-epcis--lot = One lot and everything it came from
cli-help-export-epcis--from = Entries recorded from this date (included)
cli-help-export-epcis--to = Entries recorded until this date (excluded)
cli-help-export-epcis--out = { cli-help-tags-print--out }
cli-help-export-epcis--archive = { cli-help-export-icglr--archive }
cli-help-export-epcis--policy = { cli-help-verify-lot--policy }
cli-help-export-epcis--vkey = { cli-help-verify-lot--vkey }

## madini report
cli-help-report = Public reports: taxes, flows, actors, sites (from the node, or --from-log)
cli-help-report--kind = taxes, flows, actors or sites
cli-help-report--format = table, json, csv, or geojson (sites)
cli-help-report--part = For taxes as CSV: lines, periods or untaxed
cli-help-report--year = Year of "production this year" (default: the year of the last entry)
cli-help-report--from-log = Recompute from the raw log on this device instead of asking the node
cli-help-report--archive = Recompute from a log archive (implies --from-log)
cli-help-report--policy = { cli-help-verify-lot--policy }
cli-help-report--vkey = { cli-help-verify-lot--vkey }

## help.rs: the headings of every help page (cli-help-heading-*), in place of clap's own words.
cli-help-heading-usage = Usage:
cli-help-heading-commands = Commands
cli-help-heading-arguments = Arguments
cli-help-heading-options = Options

## help.rs: clap's usage errors, in place of its English (cli-usage-*).
## $cmd is the command as typed so far (madini lot register).
cli-usage-unknown-argument = { $cmd } does not take { $arg }
cli-usage-unknown-command = { $cmd } has no command { $name }
cli-usage-invalid-value = { $arg } does not take the value "{ $value }"; use one of { $valid }
cli-usage-missing = { $cmd } needs { $args }
cli-usage-missing-command = { $cmd } needs a command
cli-usage-conflict = { $arg } cannot be used with { $other }
cli-usage-needs-value = { $arg } needs a value
cli-usage-no-equals = { $arg } takes its value after an equals sign ({ $arg }=...)
cli-usage-values = { $arg } was given the wrong number of values
cli-usage-not-utf8 = an argument of { $cmd } is not valid UTF-8 text
cli-usage-other = { $cmd } could not read its command line
cli-usage-did-you-mean = did you mean { $suggestion }?
cli-usage-fix = run { $cmd } --help for what it takes
