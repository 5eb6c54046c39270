### Madini message catalog: cli, sw.
### Amri za madini (cli/src/): ujumbe, kisha maelezo ya msaada (cli-help-*).
### "Mzigo" ni "lot", "daftari" ni "log", "ingizo" ni "entry", "lebo" ni "tag",
### "mgodi" ni "site", "seva" ni "node", "sanduku la kutuma" ni "outbox".

## Lugha (--lang, profile set --set-lang).
cli-error-lang-unknown = hitilafu: --lang "{ $lang }" si lugha ambayo madini inaitumia; tumia mojawapo ya { $langs }
cli-set-lang-unknown = --set-lang "{ $lang }": tumia mojawapo ya { $langs }

## seal.rs (madini incident open).
cli-seal-no-report = kesi { $case }: historia yake haina ripoti ya tukio; kagua namba ya kesi
cli-seal-not-sealed = kesi { $case }: maandishi yake hayajafungwa; `madini incident show` inayaonyesha
cli-seal-not-yours = kesi { $case }: maandishi yake hayajafungwa kwa ufunguo wako { $key }; mmoja wa wanaoshughulikia kesi anaowataja ndiye afungue
cli-seal-does-not-open = kesi { $case }: maandishi yaliyofungwa hayafunguki ({ $reason }); ripoti hili kwa daftari

## Kanuni za seva, katika ujumbe wa kukataa (client.rs).
cli-rule-stale-head = mzigo umebadilika tangu hapo
cli-rule-not-custodian = huna mzigo huu mikononi mwako
cli-rule-offer-not-for-you = ofa hii haikuelekezwa kwako
cli-rule-no-pending-offer = hakuna ofa inayosubiri
cli-rule-key-revoked = ufunguo umefutwa
cli-rule-key-retired = ufunguo umebadilishwa
cli-rule-unknown-key = ufunguo haujulikani
cli-rule-tag-used = lebo imeshatumika
cli-rule-tag-not-allocated = lebo haijatolewa kwa mgodi wowote
cli-rule-tag-wrong-site = lebo ya mgodi mwingine
cli-rule-role-not-allowed = jukumu hili haliruhusiwi
cli-rule-lot-unknown = mzigo haujulikani
cli-rule-lot-exists = mzigo umeshasajiliwa
cli-rule-lot-closed = mzigo umefungwa
cli-rule-bad-signature = sahihi si halali
cli-rule-other = kanuni ya ofisi ya usajili

## The fate of a pushed event (import.rs, read.rs)
cli-recorded-at-index = limerekodiwa kwenye ingizo { $index }
cli-already-at-index = tayari limo katika daftari kwenye ingizo { $index }
cli-refused = LIMEKATALIWA ({ $rule }): { $detail }

## client.rs
cli-client-node-refused-event = seva imekataa tukio ({ $rule }, { $what }): { $detail }
cli-client-not-found = haipatikani: { $detail }
cli-client-node-failed = seva ya { $url } imeshindwa ({ $status }): { $detail }
cli-client-node-s-answer-not = jibu la seva kwa { $what } si lile ambalo spec/http.md inaeleza: { $why }
cli-client-cannot-reach-node = haiwezekani kufikia seva ya { $url }: { $error }
cli-client-check-address-node-madini = angalia anwani (--node au MADINI_NODE) na mtandao wako; amri za kutia sahihi zinaendelea kufanya kazi bila mtandao na `madini sync` itatuma matukio yake baadaye
cli-client-cannot-read-madini-ca = haiwezekani kusoma MADINI_CA_FILE { $shown }: { $error }
cli-client-madini-ca-file-holds = MADINI_CA_FILE { $shown } haina cheti chochote cha PEM
cli-client-give-node-s-certificate = toa faili ya cheti cha seva (-----BEGIN CERTIFICATE-----), au ondoa MADINI_CA_FILE
cli-client-node-cannot-trusted = seva ya { $url } haiwezi kuaminiwa: { $why }
cli-client-log-key-not-one = ufunguo wa daftari lake { $vkey } si ule ulio kwenye wasifu wako ({ $exp })
cli-client-checkpoint-does-not-verify = hali yake ya daftari iliyotiwa sahihi haihakikiki: { $error }
cli-client-log-now-presents-key = daftari { $origin } sasa linaonyesha ufunguo { $vkey }, lakini kifaa hiki kilihifadhi { $old }
cli-client-if-registry-really-changed = kama ofisi ya usajili kweli imebadilisha ufunguo wa daftari lake, futa faili iliyohifadhiwa katika folda logs/ ya saraka ya data
cli-client-log-shrank-entries-since = daftari limepungua kutoka maingizo { $old } hadi { $new } tangu kifaa hiki kilipolikagua mara ya mwisho
cli-client-two-different-roots-same = mizizi miwili tofauti kwa ukubwa uleule { $size }: daftari liliandikwa upya
cli-client-tree-entries-does-not = mti wa maingizo { $size } haurefushi mti wa maingizo { $old } ambao kifaa hiki kilihakiki ({ $error }): daftari liliandikwa upya
cli-client-entry-node-not-readable = ingizo { $index } kutoka kwa seva halisomeki kama jani la daftari
cli-client-event-entry-not-json = tukio la ingizo { $index } si JSON: { $error }

## config.rs
cli-config-cannot-find-home-directory = haiwezekani kupata saraka ya nyumbani kwa faili ya mipangilio
cli-config-config-file-malformed = faili ya mipangilio { $path } imeharibika: { $error }
cli-config-fix-delete-file-madini = irekebishe au ifute faili; `madini profile set` inaiandika upya
cli-config-no-profile-named = hakuna wasifu unaoitwa { $name }

## ctx.rs
cli-ctx-key-ended = ufunguo { $key } wa kifaa hiki hautii sahihi tena: seva ilisema { $why }
cli-ctx-key-ended-fix = tengeneza ufunguo mpya (madini key new) na uombe daftari liusajili kwa mhusika wako
cli-ctx-presign-warning = tahadhari kabla ya kutia sahihi
cli-ctx-presign-strict = hakuna kilichotiwa sahihi: { $count ->
    [one] ukaguzi kabla ya sahihi umepata takwimu 1 ambayo mkaguzi angeitilia shaka
   *[other] ukaguzi kabla ya sahihi umepata takwimu { $count } ambazo mkaguzi angezitilia shaka
  }
cli-ctx-presign-strict-fix = kagua takwimu na uendeshe amri tena, au iendeshe bila --strict ili kuzitia sahihi kama zilivyo (daftari linarekodi unachodai; mhakiki ndiye anayeamua)
cli-ctx-command-needs-know-which = amri hii inahitaji kujua unamwakilisha mhusika gani
cli-ctx-pass-actor-id-set = toa --actor ID, weka MADINI_ACTOR, au endesha `madini profile set --actor ID`
cli-ctx-note-first-contact-log = kumbuka: mawasiliano ya kwanza na daftari { $origin }; ufunguo wake { $key } sasa umehifadhiwa kwenye kifaa hiki
cli-ctx-device-never-reached-node = kifaa hiki hakijawahi kufikia seva ya { $url }, kwa hiyo hakijui kitie sahihi kwa daftari gani
cli-ctx-connect-once-run-madini = unganisha mara moja na uendeshe `madini log status`; baada ya hapo, kutia sahihi kunafanya kazi bila mtandao
cli-ctx-lot-not-log = mzigo { $lot } haumo katika daftari
cli-ctx-check-lot-id-madini = angalia kitambulisho cha mzigo (`madini lot list`), au tuma sanduku la kutuma kama ulisajiliwa bila mtandao
cli-ctx-offline-using-lot-s = bila mtandao: inatumia tukio la mwisho la mzigo { $lot } kama lilivyojulikana tarehe { $when }
cli-ctx-cannot-tell-latest-event = haiwezekani kujua tukio la mwisho la mzigo { $lot } bila mtandao
cli-ctx-run-madini-lot-show = endesha `madini lot show { $lot }` mara moja ukiwa mtandaoni ili kifaa hiki kiukumbuke, au toa --prev HASH
cli-ctx-event-would-invalid = tukio la { $kind } lingekuwa si halali: { $error }
cli-ctx-warning-earlier-outbox-event = onyo: tukio la awali #{ $seq } la sanduku la kutuma ({ $kind }) lilikataliwa ({ $rule }): { $detail }
cli-ctx-nothing-recorded-event-kept = hakuna kilichorekodiwa; tukio limehifadhiwa katika refused/ ndani ya saraka ya data kwa marejeo
cli-ctx-not-sent-now-event = halijatumwa sasa ({ $why }); tukio liko salama katika sanduku la kutuma: endesha `madini sync` baadaye
cli-ctx-already-log-index-event = { $kind }{ $lots }: tayari limo katika daftari kwenye ingizo { $index } (tukio { $hash })
cli-ctx-recorded-index-event = { $kind }{ $lots }: limerekodiwa kwenye ingizo { $index } (tukio { $hash })
cli-ctx-signed-saved-outbox-event = { $kind }{ $lots }: limetiwa sahihi na kuhifadhiwa katika sanduku la kutuma (tukio { $hash }; { $count } yanasubiri); `madini sync` italituma seva ikipatikana

## error.rs
cli-error-cannot-use = haiwezekani kutumia { $path }: { $error }
cli-error-error = hitilafu
cli-error-fix = suluhisho

## exports.rs
cli-exports-log-s-checkpoint-does = hali ya daftari iliyotiwa sahihi haihakikiki kwa ufunguo unaoaminiwa: { $error }
cli-exports-log-s-leaves-do = majani { $leaves } ya daftari hayalingani na hali yake iliyotiwa sahihi (maingizo { $size }); endesha `madini audit` kupata mahali
cli-exports-what-use-sites-lots = --what { $what }: tumia sites, lots, certificates au entities
cli-exports-icglr-documents-written = hati { $count } za ICGLR { $what } zimeandikwa katika { $dir }
cli-exports-warning-actor-lacks-icglr = onyo: mhusika { $id } hana maelezo ya mawasiliano ya ICGLR ({ $fields }); hati zinazomtaja hazitakubalika hadi `madini actor update --id { $id } --representative .. --phone +.. --email ..` iyarekodi
cli-exports-epcis-document-written = hati ya EPCIS imeandikwa katika { $file }
cli-exports-no-report-use-taxes = hakuna ripoti { $kind }: tumia taxes, flows, actors au sites
cli-exports-month = mwezi
cli-exports-country = nchi
cli-exports-mineral = madini
cli-exports-produced = yaliyozalishwa
cli-exports-exported = yaliyosafirishwa nje
cli-exports-taxes = kodi
cli-exports-exports-no-tax-recorded = mauzo nje { $untaxed } bila kodi iliyorekodiwa katika mnyororo wao
cli-exports-site = mgodi
cli-exports-transferred = yaliyokabidhiwa
cli-exports-actor = mhusika
cli-exports-name = jina
cli-exports-roles = majukumu
cli-exports-status = hali
cli-exports-last-inspection = ukaguzi wa mwisho
cli-exports-year = mwaka huu
cli-exports-capacity-year = uwezo/mwaka

## import.rs
cli-import-cannot-read = haiwezekani kusoma { $path }: { $error }
cli-import-unknown-column = { $path }: safu isiyojulikana { $column }
cli-import-columns = safu ni { $expected }
cli-import-required-column-missing = { $path }: safu ya lazima { $column } haipo
cli-import-row = { $path }: mstari { $row }: { $error }
cli-import-required = { $col } inahitajika
cli-import-row-header = mstari
cli-import-result = matokeo
cli-import-signed-waiting-outbox = limetiwa sahihi, linasubiri katika sanduku la kutuma
cli-import-invalid = SI HALALI: { $error }
cli-import-recorded-already-there-refused = { $ok } yamerekodiwa, { $existing } yalikuwepo tayari, { $refused } yamekataliwa, { $invalid } si halali, { $waiting } yanasubiri
cli-import-note-file-holds-inspections = kumbuka: faili ina ukaguzi { $inspections }; haujaingizwa, kwa sababu wakaguzi ndio hutia sahihi ukaguzi (`madini site inspect`)
cli-import-row-role-not-madini = { $path }: mstari { $row }: jukumu fulani si jukumu la Madini

## keys.rs
cli-keys-system-random-source-failed = chanzo cha namba nasibu cha mfumo kimeshindwa: { $error }
cli-keys-already-exists-key-file = { $path } tayari ipo; faili ya ufunguo haiandikwi juu yake kamwe
cli-keys-choose-another-path-out = chagua njia nyingine kwa --out
cli-keys-key-file-does-not = faili ya ufunguo { $path } haipo
cli-keys-create-one-madini-key = tengeneza moja kwa `madini key new`, au taja yako kwa --key FILE
cli-keys-key-file-read-other = faili ya ufunguo { $path } inaweza kusomwa na watumiaji wengine (ruhusa { $mode })
cli-keys-key-file-not-ed25519 = faili ya ufunguo { $path } si ufunguo binafsi wa Ed25519 PKCS#8: { $why }
cli-keys-passphrase = nenosiri la { $path }:
cli-keys-wrong-passphrase-key-file = nenosiri si sahihi kwa faili ya ufunguo { $path }
cli-keys-passphrase-needed-but-there = nenosiri linahitajika lakini hakuna terminali ya kuliuliza

## lots.rs
cli-lots-not-id-mass-id = { $value } si ID:UZITO wala ID:UZITO:KIWANGO
cli-lots-mass-grade-lot-not = uzito na kiwango cha mzigo { $lot } havijulikani kwenye kifaa hiki
cli-lots-give-mass-grade = toa --mass na --grade
cli-lots-label-written = lebo imeandikwa katika { $file }
cli-lots-lot-no-pending-offer = mzigo { $lot } hauna ofa inayosubiri kukubaliwa (tukio lake la mwisho ni { $last })
cli-lots-giver-must-offer-first = anayetoa lazima kwanza akupe ofa (`madini lot offer`)
cli-lots-offered-figures-lot-not = takwimu zilizotolewa katika ofa ya mzigo { $lot } hazijulikani kwenye kifaa hiki; toa { $opt }
cli-lots-correction-needs-mass-grade = marekebisho yanahitaji --mass, --grade au vyote viwili

## outbox.rs
cli-outbox-waiting-another-madini-command = inasubiri amri nyingine ya madini inayotumia sanduku la kutuma...
cli-outbox-outbox-file-damaged = faili ya sanduku la kutuma { $path } imeharibika: { $error }
cli-outbox-move-out-outbox-re = iondoe katika sanduku la kutuma na utie sahihi tukio upya
cli-outbox-node-cannot-reached = seva ya { $url } haifikiki
cli-outbox-node-s-checkpoint-does = hali ya daftari iliyotiwa sahihi ya seva haihakikiki kwa ufunguo wa daftari uliohifadhiwa: { $error }
cli-outbox-node-answered-events = seva imejibu matukio { $answered } kati ya { $sent }

## parse.rs
cli-parse-not-mineral-use-cassiterite = { $value } si madini; tumia cassiterite, coltan, wolframite, gold au msimbo wa HS (2609.00.00, 2615.90.00, 2611.00.00, 7108.12.00)
cli-parse-not-role-use-authority = { $value } si jukumu; tumia authority, inspector, cooperative, trader, shipper, processor, warehouse, importer au exporter
cli-parse-not-public-key-keys = { $value } si ufunguo wa umma; funguo huandikwa ed25519:BASE64, kama `madini key show` inavyozichapisha
cli-parse-not-event-hash-hex = { $value } si hashi ya tukio (tarakimu 64 za heksadesimali)
cli-parse-not-site-status-use = { $value } si hali ya mgodi; tumia blue, green, yellow au red (MDC.01 0-3)
cli-parse-inspection-green-yellow-red = ukaguzi ni green, yellow au red (blue maana yake haujakaguliwa)
cli-parse-not-inspection-result-use = { $value } si matokeo ya ukaguzi; tumia green, yellow au red
cli-parse-not-activity-status-use = { $value } si hali ya shughuli; tumia active, non-active au abandoned (MDC.02)
cli-parse-not-incident-category-use = { $value } si aina ya tukio baya; tumia armed-group, child-labour, smuggling, tag-fraud, illegal-taxation, fraud, violence, safety au other
cli-parse-not-case-status-use = { $value } si hali ya kesi; tumia open, investigating, resolved au dismissed
cli-parse-not-licence-type-use = { $value } si aina ya leseni; tumia claim, exploration_permit, mining_license, artisanal_permit, unlicensed au other
cli-parse-packages = idadi ya vifurushi ni 1 hadi 1000
cli-parse-capacity-window-days = kipindi cha uwezo ni siku 1 hadi 366
cli-parse-tag-width-digits = upana wa lebo ni tarakimu 1 hadi 12
cli-parse-minor-unit-currency-not = kipimo kidogo cha sarafu { $currency } hakijulikani kwa CLI hii; tumia mojawapo ya USD, EUR, CDF, RWF, BIF, UGX, TZS, KES
cli-parse-amount-decimals = kiasi { $value }: { $error } ({ $currency } ina desimali { $digits })
cli-parse-outside-degrees = { $value } kiko nje ya nyuzi -{ $max }..{ $max }
cli-parse-point-not-latitude-longitude = sehemu { $value } si `latitudo,longitudo` kwa nyuzi za desimali (mfano -1.6790,29.2220)

## read.rs
cli-read-claims = inadai
cli-read-delay = imetiwa sahihi baada ya
cli-read-delay-min = dakika { $n }
cli-read-delay-h = saa { $n }
cli-read-delay-d = siku { $n }
cli-read-new-passphrase = nenosiri jipya:
cli-read-again = tena:
cli-read-two-passphrases-differ = manenosiri mawili hayalingani
cli-read-passphrase-shorter-than-characters = nenosiri ni fupi kuliko herufi 8
cli-read-new-key-written-mode = ufunguo mpya umeandikwa katika { $path } (ruhusa 0600)
cli-read-give-public-key-registry = mpe ofisi yako ya usajili ufunguo wa umma ili usajiliwe; usimpe mtu yeyote faili hii
cli-read-public-key = ufunguo wa umma:
cli-read-key-id = kitambulisho cha ufunguo:
cli-read-file = faili:
cli-read-setting = mpangilio
cli-read-value = thamani
cli-read-set-node-not-http = { $flag } { $url } si anwani ya http:// au https://
cli-read-profile-saved = wasifu umehifadhiwa katika { $file }
cli-read-outbox-empty = sanduku la kutuma ni tupu
cli-read-event = tukio
cli-read-fate = matokeo
cli-read-events-still-wait-outbox = matukio { $count } bado yanasubiri katika sanduku la kutuma ({ $why }); endesha `madini sync` tena baadaye
cli-read-nothing-waiting-outbox = hakuna kinachosubiri katika sanduku la kutuma
cli-read-signed = limetiwa sahihi
cli-read-refused-node = yamekataliwa na seva:
cli-read-rule = kanuni
cli-read-reason = sababu
cli-read-node = seva
cli-read-log = daftari
cli-read-log-key = ufunguo wa daftari
cli-read-entries = maingizo
cli-read-root = mzizi
cli-read-checkpoint = hali iliyotiwa sahihi
cli-read-signed-s-ago-verified = imetiwa sahihi { $time } (sekunde { $age } zilizopita), imehakikiwa
cli-read-outbox = sanduku la kutuma
cli-read-waiting = { $waiting } yanasubiri
cli-read-anonymous = (bila jina)
cli-read-index = ingizo
cli-read-lot = mzigo
cli-read-claimed = tarehe inayodaiwa
cli-read-recorded = imerekodiwa
cli-read-signer = aliyetia sahihi
cli-read-mass = uzito
cli-read-grade = kiwango
cli-read-detail = maelezo
cli-read-custodian = uko mikononi mwa
cli-read-offered = umetolewa kwa
cli-read-tag = lebo
cli-read-latest-event = tukio la mwisho
cli-read-keys = funguo
cli-read-capacity = uwezo
cli-read-operators = waendeshaji

## registry.rs
cli-registry-revoke-name-owner = ufunguo { $key } si wa { $actor }: kubatilisha ufunguo wa mhusika mwingine, mtaje mwenyewe kwa --owner MHUSIKA
cli-registry-required = { $opt } inahitajika
cli-registry-role-required-least-one = --role inahitajika (angalau jukumu moja)
cli-registry-public-key-required-actor = --public-key inahitajika: mhusika hutia sahihi kwa ufunguo huo (kutoka `madini key show` kwenye kifaa cha mhusika)
cli-registry-warning-node-cannot-reached = onyo: seva haifikiki, kwa hiyo wasifu unabadilishwa kama ulivyotolewa: sehemu zilizoachwa zinafutwa
cli-registry-warning-s-icglr-documents = onyo: hati za ICGLR za { $id } hazitakubalika bila mwakilishi wa kisheria, simu ya E.164 na barua pepe ambayo sehemu yake ya mwisho ina herufi 2 hadi 4 (zinazokosekana au zilizokataliwa: { $fields }); ongeza --representative, --phone, --email
cli-registry-give-new-key-new = toa ufunguo mpya kwa --new ed25519:... au --new-key-file FILE
cli-registry-name-least-one-subject = taja angalau kitu kimoja kwa --lot, --site au --about-actor
cli-registry-case-id-keep-receipt = namba ya kesi (iweke kama stakabadhi yako): { $case }
cli-registry-inclusion-proof-checked-entry = uthibitisho wa kuwemo umehakikiwa: ingizo { $index } limo katika daftari lililotiwa sahihi la maingizo { $size }

## tags.rs
cli-tags-lot-not-registered-mine = mzigo { $lot } haukusajiliwa mgodini (ulitokana na kugawanywa, kuunganishwa au kuchakatwa), kwa hiyo hauna lebo ya gunia
cli-tags-lot-registered-key-not = mzigo { $lot } ulisajiliwa kwa ufunguo { $key }, si ufunguo wa kifaa hiki { $my_id }: ushirika uliousajili tu ndio unaweza kutia sahihi lebo yake
cli-tags-svg-png-files-hold = faili za svg na png zina lebo moja tu; tumia --format pdf kwa lebo { $count }
cli-tags-per-page = --per-page ni 8 au 24
cli-tags-no-lot-print-name = hakuna mzigo wa kuchapisha: taja mizigo, au tumia --since DATE kwa mizigo ambayo kifaa hiki kilisajili
cli-tags-labels-written = lebo { $count } zimeandikwa katika { $file }
cli-tags-cannot-read-image = haiwezekani kusoma picha { $path }: { $error }
cli-tags-no-readable-qr-code = hakuna msimbo wa QR unaosomeka katika { $path }
cli-tags-take-photo-again-closer = piga picha tena, karibu zaidi na kwenye mwanga bora, au andika kilichomo
cli-tags-qr-code-does-not = msimbo wa QR katika { $path } hauna ufunguo wa umma (ed25519:...)
cli-tags-photograph-key-screen-field = piga picha ya skrini ya ufunguo ya programu ya uwandani, au andika ufunguo kwa --public-key
cli-tags-tag-cannot-trusted = lebo hii haiwezi kuaminiwa: { $why }
cli-tags-signed-key-which-not = imetiwa sahihi kwa ufunguo { $kid }, ambao si ufunguo uliosajiliwa unaojulikana na kifaa hiki (lebo ya kigeni au ya kughushi)
cli-tags-if-registry-registered-cooperative = kama ofisi ya usajili imesajili ushirika huu hivi karibuni, unganisha mara moja ili kifaa hiki kijifunze ufunguo wake
cli-tags-signature-does-not-verify = sahihi yake haihakikiki: takwimu zilizochapishwa zilibadilishwa baada ya kutiwa sahihi
cli-tags-signer-not-cooperative = aliyetia sahihi { $signer } si ushirika
cli-tags-claim-valid-tag-lot = tamko ni HALALI: lebo { $tag }, mzigo { $lot }, mgodi { $site }, { $mass } kwa { $grade }, limetiwa sahihi na { $signer }
cli-tags-log-held-status-verifier = katika daftari: uko mikononi mwa { $custodian }, hali { $status }, uamuzi wa mhakiki { $verdict }
cli-tags-offline-claim-authentic-current = bila mtandao: tamko ni la kweli; hali yake ya sasa katika daftari haikukaguliwa
cli-tags-problem = TATIZO:
cli-tags-log-no-lot-tag = daftari halina mzigo wenye lebo { $tag }: lebo hii haikuwahi kusajiliwa katika daftari hili
cli-tags-log-tag-attached-lot = katika daftari, lebo { $tag } imebandikwa kwenye mzigo { $on_log }, si { $lot }: lebo ilihamishwa au kunakiliwa
cli-tags-registration-log-states-other = usajili ulio katika daftari unataja takwimu tofauti na za lebo
cli-tags-open-incident-puts-lot = tukio baya lililo wazi linaweka mzigo huu chini ya uchunguzi

## verify.rs
cli-verify-policy-line = faili ya sera { $file }, mstari { $line }, kipengele { $key }: { $error }
cli-verify-tiles-unreadable = haiwezekani kusoma { $what }: { $error }
cli-verify-tiles-unreadable-fix = kagua --tiles: ni URL ambapo vigae vinatolewa, ambapo URL/checkpoint ni kituo cha ukaguzi kilichotiwa sahihi cha daftari
cli-verify-tiles-checkpoint-bad = kituo cha ukaguzi kwenye { $url } hakithibitiki kwa ufunguo ambao kifaa hiki kinauamini: { $error }
cli-verify-tiles-bundle-bad = kifurushi cha maingizo kwenye { $url } si kile kituo cha ukaguzi kinasema: { $error }
cli-verify-see-spec-verifier-md = tazama spec/verifier.md sehemu ya 4 kwa vipengele na thamani zake za kawaida
cli-verify-device-no-trusted-key = kifaa hiki hakina ufunguo unaoaminiwa wa daftari { $origin }
cli-verify-pass-vkey-key-registry = toa --vkey pamoja na ufunguo ambao ofisi ya usajili inachapisha, au endesha `madini log status` dhidi ya seva yake mara moja
cli-verify-verified-every-signature-proof = IMEHAKIKIWA: kila sahihi, uthibitisho na kanuni ni sahihi, na hakuna jambo lililogunduliwa lililo hitilafu
cli-verify-verified-findings-data-authentic = IMEHAKIKIWA PAMOJA NA MAMBO YALIYOGUNDULIWA: data ni ya kweli, lakini si takwimu zote zinalingana
cli-verify-cannot-verified-data-altered = HAIWEZI KUHAKIKIWA: data ilibadilishwa au hailingani na daftari lililotiwa sahihi
cli-verify-log-scope-entries-root = daftari { $origin } (upeo { $scope }), maingizo { $count }, mzizi { $root }
cli-verify-policy = sera { $policy } ({ $digest })
cli-verify-findings-critical-errors-warnings = mambo yaliyogunduliwa: { $critical } ya hatari kubwa, { $errors } hitilafu, { $warnings } maonyo, { $info } taarifa
cli-verify-under-review-open-incidents = chini ya uchunguzi (matukio mabaya yaliyo wazi): { $count ->
    [one] mzigo { $count }
   *[other] mizigo { $count }
}
cli-verify-lots = mizigo
cli-verify-tolerance = uvumilivu
cli-verify-not-checked-scope = hayakukaguliwa katika upeo huu:
cli-verify-not-lot-bundle = { $file } si kifurushi cha mzigo: { $error }
cli-verify-bundle-lot-not = kifurushi ni cha mzigo { $bundle }, si { $lot }
cli-verify-bundle-lot-entries-written = kifurushi cha mzigo { $lot } (maingizo { $count }) kimeandikwa katika { $file }; kihakiki popote kwa `madini verify lot { $lot } --bundle { $file }`
cli-verify-node-stopped-serving-entries = seva iliacha kutoa maingizo kwenye { $next } kati ya { $size }
cli-verify-node-sent-entries-out = seva ilituma maingizo bila kufuata mpangilio kwenye { $next }
cli-verify-entry-node-not-base64 = ingizo { $next } kutoka kwa seva si base64: { $error }
cli-verify-not-readable-log-archive = { $path } si kumbukumbu ya daftari inayosomeka: { $why }
cli-verify-archive-s-checkpoint-does = hali iliyotiwa sahihi ya kumbukumbu haihakikiki kwa ufunguo unaoaminiwa: { $error }
cli-verify-entries-log-written-audit = maingizo { $size } ya daftari { $origin } yameandikwa katika { $file }; yakague bila mtandao kwa `madini audit --archive { $file }`

## Msaada (help.rs): maandishi ya about na help ya clap, kwa nafasi yake katika mti wa amri.
## cli-help ni `madini` yenyewe, cli-help-lot-register ni `madini lot register`;
## hoja inaongeza vistari viwili na jina lake refu (au jina lake, kwa hoja ya nafasi):
## cli-help-lot-register--mass. Hoja za jumla na --help na --version za clap ni za
## mzizi (cli-help--node); cli-help-help ni amri `help` ya clap katika kila ngazi.
## Maandishi yanayoshirikiwa na hoja kadhaa yanaandikwa mara moja na kurejelewa
## ({ cli-help-... }). cli-help-after inamalizia `madini --help`.
cli-help-after =
    Misimbo ya kutoka: 0 imefaulu; 1 ukaguzi umepata matatizo (mambo yaliyogunduliwa na mhakiki yaliyo hitilafu au ya hatari kubwa); 2 hitilafu ya matumizi au ya data iliyoingizwa (thamani mbaya inakataliwa kabla ya kitu chochote kufanyika), pamoja na tukio ambalo seva imekataa; 3 seva haikufikika au haikuaminika (pamoja na jibu lisilo lile ambalo spec/http.md inaeleza), au data haihakikiki. Matokeo ya kawaida yaliyofungwa (madini ... | head) hayabadilishi msimbo.
    Mazingira: MADINI_NODE, MADINI_KEY, MADINI_ACTOR, MADINI_PROFILE, MADINI_LANG, MADINI_HOME (saraka ya mipangilio na data), MADINI_PASSPHRASE (kwa funguo zilizosimbwa katika hati za amri), MADINI_CA_FILE (vyeti vya PEM vinavyoaminiwa kwa HTTPS badala ya mamlaka za umma, kwa seva yenye cheti chake).

## madini
cli-help = Madini: fuatilia mizigo ya 3T na dhahabu kutoka mgodini hadi inaposafirishwa nje, katika daftari la umma lililotiwa sahihi
cli-help--node = Anwani ya seva (kwa kawaida ile ya wasifu, la sivyo http://127.0.0.1:8080)
cli-help--key = Faili ya ufunguo binafsi (PKCS#8 PEM, ruhusa 0600)
cli-help--actor = Kitambulisho cha mhusika unayemwakilisha
cli-help--profile = Wasifu wenye jina kutoka faili ya mipangilio
cli-help--json = Matokeo kwa JSON, yanayosomeka na mashine
cli-help--lang = Lugha ya ujumbe: en, fr au sw (kwa kawaida: ya wasifu, kisha ya mfumo)
cli-help--offline = Tia sahihi katika sanduku la kutuma bila kuwasiliana na seva
cli-help--strict = Usitie sahihi tukio la mzigo ambalo ukaguzi kabla ya sahihi unalitahadharisha (kutoka 1)
cli-help-audit--tiles = Kagua kutoka kwa vigae vya C2SP vya daftari kwenye URL hii (seva, au nakala yoyote tuli ya vigae vyake) badala ya API ya seva
cli-help-log-fetch--tiles = Soma daftari kutoka kwa vigae vyake vya C2SP kwenye URL hii (seva, au nakala yoyote tuli ya vigae vyake) badala ya API ya seva
cli-help--help = Onyesha msaada
cli-help--version = Onyesha toleo

## madini key
cli-help-key = Tengeneza na uonyeshe funguo; badilisha na ufute funguo zilizosajiliwa
cli-help-key-new = Tengeneza ufunguo mpya wa Ed25519 (PKCS#8 PEM, ruhusa 0600)
cli-help-key-new--out = Mahali pa kuuandika (kwa kawaida: key.pem karibu na faili ya mipangilio)
cli-help-key-new--encrypt = Uusimbe kwa nenosiri (litaulizwa, au MADINI_PASSPHRASE)
cli-help-key-show = Onyesha ufunguo wa umma na kitambulisho cha ufunguo unaotumika
cli-help-key-rotate = Badilisha ufunguo uliosajiliwa kwa mpya
cli-help-key-rotate--owner = Ufunguo ni wa nani (kwa kawaida: mhusika anayetumika)
cli-help-key-rotate--old = Kitambulisho cha ufunguo unaobadilishwa (kwa kawaida: ufunguo unaotumika)
cli-help-key-rotate--new = Ufunguo mpya wa umma, ed25519:BASE64
cli-help-key-rotate--new-key-file = Au faili ya ufunguo mpya (ufunguo wake wa umma unatumika; faili inabaki kwenye kifaa hiki)
cli-help-key-rotate--time = Lilitokea lini (YYYY-MM-DD au YYYY-MM-DDTHH:MM:SSZ; kwa kawaida sasa)
cli-help-key-revoke = Futa ufunguo uliosajiliwa kuanzia sasa
cli-help-key-revoke--owner = { cli-help-key-rotate--owner }
cli-help-key-revoke--key-id = Kitambulisho cha ufunguo wa kufutwa
cli-help-key-revoke--reason = Kwa nini (kifaa kimepotea, ufunguo umeingiliwa...)
cli-help-key-revoke--time = { cli-help-key-rotate--time }

## madini help
cli-help-help = Onyesha ujumbe huu au msaada wa amri ndogo zilizotajwa

## madini profile
cli-help-profile = Onyesha au badilisha wasifu (anwani ya seva, faili ya ufunguo, kitambulisho cha mhusika)
cli-help-profile-show = Onyesha mipangilio inayotumika na inakotoka
cli-help-profile-set = Badilisha wasifu katika faili ya mipangilio
cli-help-profile-set--set-node = Anwani ya seva
cli-help-profile-set--set-key = Faili ya ufunguo
cli-help-profile-set--set-actor = Kitambulisho cha mhusika
cli-help-profile-set--set-lang = Lugha (en, fr, sw)
cli-help-profile-set--set-vkey = Ufunguo wa kuhakiki daftari (vkey ya C2SP) unaodaiwa kutoka kwa seva
cli-help-profile-set--set-tiles = Soma daftari kutoka kwa vigae vyake vya C2SP kwenye URL hii katika audit, verify lot, log fetch na scan

## madini actor
cli-help-actor = Sajili, sasisha, onyesha na orodhesha wahusika
cli-help-actor-register = Sajili mhusika pamoja na majukumu na funguo zake (mamlaka)
cli-help-actor-register--id = { cli-help-profile-set--set-actor }
cli-help-actor-register--name = Jina rasmi
cli-help-actor-register--country = Nchi ya usajili (ISO 3166-1 alpha-2)
cli-help-actor-register--role = Majukumu (rudia au tenganisha kwa koma): authority, inspector, cooperative, trader, shipper, processor, warehouse, importer, exporter
cli-help-actor-register--public-key = Funguo za umma ed25519:BASE64 (wakati wa usajili tu; rudia kwa funguo kadhaa)
cli-help-actor-register--public-key-image = Picha za misimbo ya QR ya funguo za umma, kama programu ya uwandani inavyoionyesha (wakati wa usajili tu; rudia kwa picha kadhaa)
cli-help-actor-register--tin = Namba ya utambulisho wa kodi
cli-help-actor-register--locality = Mahali pa anwani
cli-help-actor-register--region-code = Msimbo wa mkoa ISO 3166-2
cli-help-actor-register--region = Jina la mkoa
cli-help-actor-register--representative = Jina la mwakilishi
cli-help-actor-register--phone = Simu (E.164, mfano +250788000000)
cli-help-actor-register--email = Barua pepe
cli-help-actor-register--time = { cli-help-key-rotate--time }
cli-help-actor-update = Badilisha wasifu wa mhusika (mamlaka); sehemu zilizoachwa zinabaki na thamani yake seva ikifikika
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
cli-help-actor-show = Onyesha mhusika mmoja
cli-help-actor-show--id = { cli-help-profile-set--set-actor }
cli-help-actor-list = Orodhesha wahusika

## madini licence
cli-help-licence = Toa leseni
cli-help-licence-grant = Toa leseni (mamlaka)
cli-help-licence-grant--id = Kitambulisho cha leseni (licenseId ya MD.02)
cli-help-licence-grant--type = Aina ya MDC.04: claim, exploration_permit, mining_license, artisanal_permit, unlicensed, other
cli-help-licence-grant--holder = Mhusika anayeishikilia
cli-help-licence-grant--site = Mgodi unaohusika
cli-help-licence-grant--mineral = Madini yanayohusika (rudia au tenganisha kwa koma)
cli-help-licence-grant--granted = Tarehe ya kutolewa
cli-help-licence-grant--expires = Tarehe ya kuisha
cli-help-licence-grant--time = { cli-help-key-rotate--time }

## madini site
cli-help-site = Sajili, sasisha, kagua na onyesha migodi
cli-help-site-register = Sajili mgodi (mamlaka)
cli-help-site-register--id = Kitambulisho cha ICGLR cha mgodi, `CC-<lat><lon>-NNNNN` (mfano RW-1.9641+30.0619-12345)
cli-help-site-register--national-id = Kitambulisho cha kitaifa
cli-help-site-register--name = Jina
cli-help-site-register--lat = Latitudo, kwa nyuzi za desimali
cli-help-site-register--lon = Longitudo, kwa nyuzi za desimali
cli-help-site-register--region-code = { cli-help-actor-register--region-code }
cli-help-site-register--region = { cli-help-actor-register--region }
cli-help-site-register--locality = Mahali
cli-help-site-register--mineral = Madini yanayochimbwa (rudia au tenganisha kwa koma)
cli-help-site-register--activity = Shughuli: active, non-active au abandoned
cli-help-site-register--capacity = Uwezo uliokadiriwa: uzito usiozidi huu (mfano 3t) kwa kila siku --capacity-days
cli-help-site-register--capacity-days = Kipindi cha uwezo, kwa siku
cli-help-site-register--operator = Vyama vya ushirika vinavyoweza kusajili mizigo hapa (rudia au tenganisha kwa koma)
cli-help-site-register--time = { cli-help-key-rotate--time }
cli-help-site-update = Badilisha wasifu wa mgodi (mamlaka)
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
cli-help-site-inspect = Rekodi ukaguzi (mkaguzi)
cli-help-site-inspect--site = Kitambulisho cha mgodi
cli-help-site-inspect--id = Kitambulisho cha ukaguzi (inspectionId ya MD.07)
cli-help-site-inspect--date = Siku ya ukaguzi
cli-help-site-inspect--result = green, yellow au red
cli-help-site-inspect--report = Faili ya ripoti kamili: SHA-256 yake inarekodiwa
cli-help-site-inspect--report-uri = Mahali ripoti inaposomeka
cli-help-site-inspect--purpose = Madhumuni
cli-help-site-inspect--summary = Muhtasari wa yaliyogunduliwa
cli-help-site-inspect--time = { cli-help-key-rotate--time }
cli-help-site-status = Badilisha hali ya uthibitisho wa mgodi bila ukaguzi (mkaguzi au mamlaka)
cli-help-site-status--site = { cli-help-site-inspect--site }
cli-help-site-status--status = blue, green, yellow au red
cli-help-site-status--reason = Kwa nini
cli-help-site-status--time = { cli-help-key-rotate--time }
cli-help-site-show = Onyesha mgodi mmoja
cli-help-site-show--site = { cli-help-site-inspect--site }
cli-help-site-list = Orodhesha migodi

## madini tags
cli-help-tags = Toa safu za lebo kwa migodi; tafuta lebo
cli-help-tags-allocate = Toa safu ya vitambulisho vya lebo kwa mgodi (mamlaka): KIAMBISHI-NNNN kutoka --first hadi --last
cli-help-tags-allocate--site = { cli-help-site-inspect--site }
cli-help-tags-allocate--prefix = Kiambishi, mfano RW-T
cli-help-tags-allocate--width = Tarakimu za namba, zikijazwa sifuri mbele
cli-help-tags-allocate--first = Namba ya kwanza
cli-help-tags-allocate--last = Namba ya mwisho
cli-help-tags-allocate--time = { cli-help-key-rotate--time }
cli-help-tags-show = Lebo imebandikwa kwenye mzigo gani, na hali yake
cli-help-tags-show--tag = Kitambulisho cha lebo
cli-help-tags-print = Chapisha lebo za QR za mizigo (svg, png au pdf ya A4 yenye lebo 8 au 24 kwa ukurasa)
cli-help-tags-print--lots = Mizigo ya kuchapisha (iliyosajiliwa kwa ufunguo wa kifaa hiki)
cli-help-tags-print--since = Pia kila mzigo ambao kifaa hiki kilisajili tangu tarehe hii
cli-help-tags-print--format = svg, png (lebo moja) au pdf (kurasa)
cli-help-tags-print--per-page = Lebo kwa kila ukurasa wa A4: 8 au 24
cli-help-tags-print--out = Faili ya kuandika
cli-help-tags-print--base-url = Anwani ya msingi ya kurasa za umma za seva (kwa kawaida: anwani ya seva inayotumika)

## madini lot
cli-help-lot = Sajili mizigo na urekodi kila kinachoipata
cli-help-lot-register = Sajili mzigo uliowekwa katika gunia mgodini pamoja na lebo yake (ushirika)
cli-help-lot-register--lot = Kitambulisho cha mzigo mpya
cli-help-lot-register--site = { cli-help-site-inspect--site }
cli-help-lot-register--tag = Kitambulisho cha lebo iliyo kwenye gunia
cli-help-lot-register--mineral = Madini
cli-help-lot-register--mass = Uzito (25.3kg, 1.2t, 25300g; namba peke yake ni kilo)
cli-help-lot-register--grade = Kiwango (65.5%, 6550bp; namba peke yake ni asilimia)
cli-help-lot-register--miner = Mchimbaji au kikundi
cli-help-lot-register--gps = Mahali gunia lilipofungwa: latitudo,longitudo
cli-help-lot-register--packages = Idadi ya magunia
cli-help-lot-register--label = Chapisha pia lebo ya gunia katika faili hii (.pdf, .png au .svg)
cli-help-lot-register--time = { cli-help-key-rotate--time }
cli-help-lot-offer = Mpe mhusika mwingine ofa ya mzigo (umiliki unabadilika akikubali)
cli-help-lot-offer--lot = Kitambulisho cha mzigo
cli-help-lot-offer--to = Kitambulisho cha mhusika anayepokea
cli-help-lot-offer--mass = Uzito unaokabidhiwa (kwa kawaida: uzito wa sasa wa mzigo)
cli-help-lot-offer--grade = Kiwango kinachokabidhiwa (kwa kawaida: kiwango cha sasa cha mzigo)
cli-help-lot-offer--price = Bei ya kuuza (vipimo vikuu), pamoja na --currency
cli-help-lot-offer--currency = Sarafu ya bei kwa ISO 4217
cli-help-lot-offer--prev = Hashi ya tukio la mwisho la mzigo (kwa kawaida: inapatikana katika sanduku la kutuma, kwenye seva au kwenye hifadhi ya muda)
cli-help-lot-offer--time = { cli-help-key-rotate--time }
cli-help-lot-accept = Kubali mzigo uliotolewa kwako, pamoja na uzito na kiwango ulichopima
cli-help-lot-accept--lot = { cli-help-lot-offer--lot }
cli-help-lot-accept--mass = Uzito uliopokelewa (kwa kawaida: uzito uliotolewa katika ofa)
cli-help-lot-accept--grade = Kiwango kilichopokelewa (kwa kawaida: kiwango kilichotolewa katika ofa)
cli-help-lot-accept--prev = { cli-help-lot-offer--prev }
cli-help-lot-accept--time = { cli-help-key-rotate--time }
cli-help-lot-refuse = Kataa mzigo uliotolewa kwako
cli-help-lot-refuse--lot = { cli-help-lot-offer--lot }
cli-help-lot-refuse--reason = { cli-help-site-status--reason }
cli-help-lot-refuse--prev = { cli-help-lot-offer--prev }
cli-help-lot-refuse--time = { cli-help-key-rotate--time }
cli-help-lot-split = Gawanya mzigo kuwa mizigo midogo: `--child ID:UZITO` au `--child ID:UZITO:KIWANGO` (kwa kawaida kiwango ni cha mzigo mzazi)
cli-help-lot-split--lot = { cli-help-lot-offer--lot }
cli-help-lot-split--child = Mizigo midogo, mfano --child L-7a:12kg --child L-7b:13.3kg
cli-help-lot-split--prev = { cli-help-lot-offer--prev }
cli-help-lot-split--time = { cli-help-key-rotate--time }
cli-help-lot-merge = Unganisha mizigo ya madini mamoja kuwa mzigo mpya
cli-help-lot-merge--input = Mizigo inayoingia (rudia au tenganisha kwa koma)
cli-help-lot-merge--lot = { cli-help-lot-register--lot }
cli-help-lot-merge--mass = Uzito unaotoka
cli-help-lot-merge--grade = Kiwango kinachotoka
cli-help-lot-merge--time = { cli-help-key-rotate--time }
cli-help-lot-process = Chakata mizigo kuwa mzigo mpya (mchakataji): uzito unapungua, kiwango kinapanda
cli-help-lot-process--input = { cli-help-lot-merge--input }
cli-help-lot-process--lot = { cli-help-lot-register--lot }
cli-help-lot-process--mass = { cli-help-lot-merge--mass }
cli-help-lot-process--grade = { cli-help-lot-merge--grade }
cli-help-lot-process--method = Njia, mfano kuosha, kutenganisha kwa sumaku
cli-help-lot-process--time = { cli-help-key-rotate--time }
cli-help-lot-transport = Rekodi usafirishaji: --from na --to ni JINA au JINA@LAT,LON
cli-help-lot-transport--lot = { cli-help-lot-offer--lot }
cli-help-lot-transport--from = Mahali pa kuondoka
cli-help-lot-transport--to = Mahali pa kufika
cli-help-lot-transport--departed = Wakati wa kuondoka
cli-help-lot-transport--arrived = Wakati wa kufika
cli-help-lot-transport--carrier = Msafirishaji
cli-help-lot-transport--method = Chombo (lori, pikipiki, mashua...)
cli-help-lot-transport--prev = { cli-help-lot-offer--prev }
cli-help-lot-transport--time = { cli-help-key-rotate--time }
cli-help-lot-store = Rekodi uhifadhi mahali fulani (JINA au JINA@LAT,LON)
cli-help-lot-store--lot = { cli-help-lot-offer--lot }
cli-help-lot-store--place = Mahali
cli-help-lot-store--warehouse = Kitambulisho cha mhusika mwenye ghala
cli-help-lot-store--prev = { cli-help-lot-offer--prev }
cli-help-lot-store--time = { cli-help-key-rotate--time }
cli-help-lot-tax = Rekodi kodi, ada au mrabaha uliolipwa kwa mzigo (ICGLR MD.13)
cli-help-lot-tax--lot = { cli-help-lot-offer--lot }
cli-help-lot-tax--type = mrabaha, kodi ya mauzo nje, ada...
cli-help-lot-tax--amount = Kiasi kwa vipimo vikuu (1250.50)
cli-help-lot-tax--currency = Sarafu kwa ISO 4217
cli-help-lot-tax--authority = Nani aliikusanya
cli-help-lot-tax--receipt = Namba ya stakabadhi
cli-help-lot-tax--paid = Tarehe ya malipo (kwa kawaida leo)
cli-help-lot-tax--prev = { cli-help-lot-offer--prev }
cli-help-lot-tax--time = { cli-help-key-rotate--time }
cli-help-lot-export = Safirisha mzigo nje kwa cheti (msafirishaji nje)
cli-help-lot-export--lot = { cli-help-lot-offer--lot }
cli-help-lot-export--cert = Namba ya cheti
cli-help-lot-export--mass = Uzito unaosafirishwa nje (kwa kawaida: uzito wa mzigo)
cli-help-lot-export--destination = Nchi inakokwenda
cli-help-lot-export--prev = { cli-help-lot-offer--prev }
cli-help-lot-export--time = { cli-help-key-rotate--time }
cli-help-lot-correct = Sahihisha uzito au kiwango kilichotajwa na tukio la awali la mzigo
cli-help-lot-correct--lot = { cli-help-lot-offer--lot }
cli-help-lot-correct--event = Hashi ya tukio linalosahihishwa
cli-help-lot-correct--mass = Uzito uliosahihishwa
cli-help-lot-correct--grade = Kiwango kilichosahihishwa
cli-help-lot-correct--reason = { cli-help-site-status--reason }
cli-help-lot-correct--prev = { cli-help-lot-offer--prev }
cli-help-lot-correct--time = { cli-help-key-rotate--time }
cli-help-lot-show = Hali ya mzigo na historia yake kwa jedwali
cli-help-lot-show--lot = { cli-help-lot-offer--lot }
cli-help-lot-history = Asili ya mzigo: kila tukio la mnyororo wake na la mizigo ulikotoka, pamoja na waliotia sahihi na nyakati
cli-help-lot-history--lot = { cli-help-lot-offer--lot }
cli-help-lot-bundle = Hifadhi kifurushi cha mzigo (maingizo, uthibitisho, hali iliyotiwa sahihi) kwa uhakiki bila mtandao
cli-help-lot-bundle--lot = { cli-help-lot-offer--lot }
cli-help-lot-bundle--out = { cli-help-tags-print--out }
cli-help-lot-list = Mizigo, ya karibuni kwanza
cli-help-lot-list--limit = Ngapi

## madini cert
cli-help-cert = Omba na utoe vyeti vya kusafirisha nje
cli-help-cert-request = Omba cheti cha kusafirisha nje (msafirishaji nje)
cli-help-cert-request--id = Kitambulisho cha ombi
cli-help-cert-request--lot = Mizigo ya kusafirisha nje (rudia au tenganisha kwa koma)
cli-help-cert-request--mineral = { cli-help-lot-register--mineral }
cli-help-cert-request--mass = Uzito wote (mfano 1.2t)
cli-help-cert-request--destination = { cli-help-lot-export--destination }
cli-help-cert-request--time = { cli-help-key-rotate--time }
cli-help-cert-issue = Toa cheti cha kusafirisha nje (mamlaka; ICGLR MD.03)
cli-help-cert-issue--id = { cli-help-lot-export--cert }
cli-help-cert-issue--exporter = Msafirishaji nje anayeruhusiwa kukitumia
cli-help-cert-issue--lot = Mizigo inayohusika (rudia au tenganisha kwa koma)
cli-help-cert-issue--mineral = { cli-help-lot-register--mineral }
cli-help-cert-issue--mass = Uzito uliothibitishwa
cli-help-cert-issue--origin = Nchi za asili zilizotajwa (rudia au tenganisha kwa koma)
cli-help-cert-issue--destination = { cli-help-lot-export--destination }
cli-help-cert-issue--issued = Tarehe ya kutolewa (kwa kawaida leo)
cli-help-cert-issue--expires = Tarehe ya kuisha (kwa kawaida: siku 90 baada ya kutolewa, kiwango cha juu cha ICGLR)
cli-help-cert-issue--request = Ombi linalojibiwa nacho
cli-help-cert-issue--time = { cli-help-key-rotate--time }

## madini incident
cli-help-incident = Ripoti matukio mabaya (bila jina ukipenda) na ufuatilie kesi
cli-help-incident-report = Ripoti tukio baya kuhusu mizigo, migodi au wahusika; --anonymous inatia sahihi kwa ufunguo wa kutumia mara moja
cli-help-incident-report--lot = Mizigo inayohusika (rudia au tenganisha kwa koma)
cli-help-incident-report--site = Migodi inayohusika
cli-help-incident-report--about-actor = Wahusika wanaohusika
cli-help-incident-report--category = armed-group, child-labour, smuggling, tag-fraud, illegal-taxation, fraud, violence, safety, other
cli-help-incident-report--summary = Kilichotokea
cli-help-incident-report--evidence = Faili ya ushahidi inayobaki nje ya daftari: SHA-256 yake tu ndiyo inarekodiwa
cli-help-incident-report--anonymous = Ripoti bila kujulikana wewe ni nani (ufunguo mpya, usiohifadhiwa kamwe)
cli-help-incident-report--time = { cli-help-key-rotate--time }
cli-help-incident-open = Soma maandishi yaliyofungwa ya kesi kwa ufunguo wako (mshughulikiaji wa kesi aliyefungiwa maandishi)
cli-help-incident-open--case = { cli-help-incident-status--case }
cli-help-incident-status = Badilisha hali ya kesi (mamlaka au mkaguzi): open, investigating, resolved, dismissed
cli-help-incident-status--case = Namba ya kesi (hashi ya tukio la ripoti)
cli-help-incident-status--status = Hali mpya
cli-help-incident-status--note = Maelezo
cli-help-incident-status--time = { cli-help-key-rotate--time }
cli-help-incident-show = Onyesha kesi na historia yake
cli-help-incident-show--case = Namba ya kesi

## madini import
cli-help-import = Kuingiza kwa wingi wahusika na migodi (CSV, JSON ya ICGLR MD.01)
cli-help-import-actors = Sajili wahusika kutoka faili ya CSV (mamlaka)
cli-help-import-actors--file = Faili ya CSV
cli-help-import-sites = Sajili migodi kutoka faili ya CSV (mamlaka)
cli-help-import-sites--file = { cli-help-import-actors--file }
cli-help-import-icglr-sites = Sajili migodi kutoka JSON ya ICGLR MD.01 (rekodi moja au orodha)
cli-help-import-icglr-sites--file = Faili ya JSON
cli-help-import-icglr-sites--capacity = Uwezo kwa rekodi zisizotaja uwezo (mfano 3t)
cli-help-import-icglr-sites--capacity-days = Kipindi chake kwa siku
cli-help-import-icglr-entities = Sajili kampuni kutoka JSON ya ICGLR MD.04; funguo na majukumu yao yanatoka faili ya CSV `id,roles,public_keys`
cli-help-import-icglr-entities--file = { cli-help-import-icglr-sites--file }
cli-help-import-icglr-entities--credentials = CSV ya majukumu ya Madini na funguo za umma za kila kampuni

## madini sync
cli-help-sync = Tuma sanduku la kutuma kwa seva, kwa mpangilio wa kutia sahihi

## madini outbox
cli-help-outbox = Orodhesha matukio yanayosubiri katika sanduku la kutuma (na yale ambayo seva imekataa)

## madini log
cli-help-log = Daftari: ukubwa, mzizi, umri wa hali iliyotiwa sahihi; lipakue lote katika kumbukumbu
cli-help-log-status = Ukubwa, mzizi na umri wa hali iliyotiwa sahihi, vilivyohakikiwa kwa ufunguo wa daftari uliohifadhiwa
cli-help-log-fetch = Pakua daftari lote katika faili ya kumbukumbu (`spec/verifier.md` sehemu ya 6)
cli-help-log-fetch--out = Faili ya kumbukumbu ya kuandika

## madini verify
cli-help-verify = Hakiki mnyororo wa asili wa mzigo mmoja kutoka kifurushi chake, bila mtandao ikibidi
cli-help-verify-lot = Mzigo: unaopatikana kutoka kwa seva, au kutoka faili ya kifurushi kwa --bundle (bila mtandao)
cli-help-verify-lot--lot = { cli-help-lot-offer--lot }
cli-help-verify-lot--bundle = Hakiki faili hii ya kifurushi, bila mtandao (kutoka `madini lot bundle`)
cli-help-verify-lot--tiles = Unda kifurushi cha mzigo kutoka kwa vigae vya C2SP vya daftari kwenye URL hii (seva, au nakala yoyote tuli ya vigae vyake) badala ya API ya seva
cli-help-verify-lot--policy = Faili ya sera (TOML, `spec/verifier.md` sehemu ya 4); kwa kawaida: sera iliyojengwa ndani
cli-help-verify-lot--vkey = Amini ufunguo huu wa daftari (vkey ya C2SP) badala ya ule uliohifadhiwa kwenye kifaa hiki

## madini audit
cli-help-audit = Hakiki daftari zima: kila sahihi, uthibitisho na kanuni, na kila jambo lililogunduliwa
cli-help-audit--archive = Kagua kumbukumbu ya daftari (kutoka `madini log fetch`) badala ya seva
cli-help-audit--threads = Nyuzi za kukagua sahihi (kwa kawaida: viini vyote vya kompyuta)
cli-help-audit--policy = { cli-help-verify-lot--policy }
cli-help-audit--vkey = { cli-help-verify-lot--vkey }

## madini scan
cli-help-scan = Hakiki lebo ya QR ya gunia: tamko lake lililotiwa sahihi bila mtandao, na mzigo katika daftari ukiwa mtandaoni
cli-help-scan--payload = Kilichomo katika QR (maandishi ambayo kisoma QR kinatoa)
cli-help-scan--image = Au picha au skani ya lebo (PNG au JPEG)
cli-help-scan--tiles = Hakiki mzigo katika daftari lililosomwa kutoka kwa vigae vyake vya C2SP kwenye URL hii (seva, au nakala yoyote tuli ya vigae vyake) badala ya API ya seva

## madini export
cli-help-export = Hati za ICGLR na EPCIS, zinazokokotolewa upya kutoka daftari kwenye kifaa hiki
cli-help-export-icglr = Hati za kiwango cha data cha ICGLR, faili moja ya JSON kwa kila hati katika DIR
cli-help-export-icglr--what = sites (MD.01), lots (MD.12), certificates (MD.03) au entities (MD.04)
cli-help-export-icglr--out = Saraka ya kuandikia
cli-help-export-icglr--archive = Soma daftari kutoka kumbukumbu badala ya seva
cli-help-export-icglr--policy = { cli-help-verify-lot--policy }
cli-help-export-icglr--vkey = { cli-help-verify-lot--vkey }
cli-help-export-epcis = Hati ya GS1 EPCIS 2.0: asili ya mzigo mmoja, kipindi fulani, au kila kitu
cli-help-export-epcis--lot = Mzigo mmoja na kila kitu ulichotokana nacho
cli-help-export-epcis--from = Maingizo yaliyorekodiwa kuanzia tarehe hii (ikiwemo)
cli-help-export-epcis--to = Maingizo yaliyorekodiwa hadi tarehe hii (bila kuijumuisha)
cli-help-export-epcis--out = { cli-help-tags-print--out }
cli-help-export-epcis--archive = { cli-help-export-icglr--archive }
cli-help-export-epcis--policy = { cli-help-verify-lot--policy }
cli-help-export-epcis--vkey = { cli-help-verify-lot--vkey }

## madini report
cli-help-report = Ripoti za umma: kodi, mitiririko, wahusika, migodi (kutoka kwa seva, au --from-log)
cli-help-report--kind = taxes, flows, actors au sites
cli-help-report--format = table, json, csv, au geojson (sites)
cli-help-report--part = Kwa kodi kama CSV: lines, periods au untaxed
cli-help-report--year = Mwaka wa "uzalishaji wa mwaka huu" (kwa kawaida: mwaka wa ingizo la mwisho)
cli-help-report--from-log = Kokotoa upya kutoka daftari ghafi kwenye kifaa hiki badala ya kuuliza seva
cli-help-report--archive = Kokotoa upya kutoka kumbukumbu ya daftari (inamaanisha --from-log)
cli-help-report--policy = { cli-help-verify-lot--policy }
cli-help-report--vkey = { cli-help-verify-lot--vkey }

## help.rs: the headings of every help page (cli-help-heading-*), in place of clap's own words.
cli-help-heading-usage = Matumizi:
cli-help-heading-commands = Amri
cli-help-heading-arguments = Hoja
cli-help-heading-options = Chaguo

## help.rs: makosa ya matumizi ya clap, badala ya Kiingereza chake (cli-usage-*).
## $cmd ni amri kama ilivyoandikwa hadi hapo (madini lot register).
cli-usage-unknown-argument = { $cmd } haipokei { $arg }
cli-usage-unknown-command = { $cmd } haina amri { $name }
cli-usage-invalid-value = { $arg } haipokei thamani "{ $value }"; tumia mojawapo ya { $valid }
cli-usage-missing = { $cmd } inahitaji { $args }
cli-usage-missing-command = { $cmd } inahitaji amri
cli-usage-conflict = { $arg } haiwezi kutumika pamoja na { $other }
cli-usage-needs-value = { $arg } inahitaji thamani
cli-usage-no-equals = { $arg } inapokea thamani yake baada ya alama ya usawa ({ $arg }=...)
cli-usage-values = { $arg } imepewa idadi isiyo sahihi ya thamani
cli-usage-not-utf8 = hoja moja ya { $cmd } si maandishi sahihi ya UTF-8
cli-usage-other = { $cmd } haikuweza kusoma mstari wake wa amri
cli-usage-did-you-mean = ulimaanisha { $suggestion }?
cli-usage-fix = endesha { $cmd } --help kuona inachopokea
