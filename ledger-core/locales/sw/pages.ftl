### Madini message catalog: pages, sw.
### Kurasa za umma za seva (node/src/pages.rs, lotpage.rs, templates/).
### "Mzigo" ni "lot"; "daftari" ni "ledger/log"; "ingizo" (wingi "maingizo")
### ni "entry"; "lebo" ni "tag".

pages-language = Lugha

## Ukurasa wa mwanzo.
pages-home-title = Daftari la Madini { $origin }
pages-home-heading = Daftari la Madini
pages-home-log = Daftari
pages-home-entries = { $count ->
    [one] ingizo { $count }
   *[other] maingizo { $count }
}
pages-home-root = Mzizi
pages-home-vkey = Ufunguo wa kuhakiki
pages-home-checkpoint = Hali ya daftari iliyotiwa sahihi
pages-home-log-json = daftari (JSON)
pages-home-api = API (OpenAPI)
pages-home-lots-json = mizigo (JSON)
pages-home-latest = Mizigo ya karibuni
pages-home-no-lots = Bado hakuna mzigo katika daftari hili.

## Ukurasa wa mzigo: takwimu zake.
pages-lot-title = Mzigo { $lot }
pages-lot-title-short = Mzigo
pages-lot-mineral = Madini
pages-lot-mass = Uzito
pages-lot-grade = Kiwango
pages-lot-custodian = Uko mikononi mwa
pages-lot-status = Hali
pages-lot-tag = Lebo
pages-lot-findings = Mambo yasiyolingana
pages-lot-chain = Mnyororo wa umiliki
pages-lot-entry = Ingizo la daftari { $index }
pages-lot-proof = uthibitisho
pages-lot-check = Jihakikishie mwenyewe
pages-lot-check-text = Kila kitu hapo juu kinaweza kuhakikiwa bila kuiamini seva hii:
pages-lot-bundle = kifurushi cha kutumia bila mtandao
pages-lot-checkpoint = hali ya daftari iliyotiwa sahihi
pages-lot-log = Daftari
pages-lot-entries = { $count ->
    [one] ingizo { $count }
   *[other] maingizo { $count }
}

## Ukurasa wa mzigo: uamuzi wa mhakiki.
pages-verdict-unverifiable = Hauwezi kuhakikiwa: data hazilingani na daftari lililotiwa sahihi
pages-verdict-findings = { $count ->
    [one] Ni halisi, lakini kuna tatizo { $count }: hesabu hazilingani
   *[other] Ni halisi, lakini kuna matatizo { $count }: hesabu hazilingani
}
pages-verdict-under-review = Unachunguzwa: kuna tukio ambalo bado halijafungwa linalohusu mzigo huu
pages-verdict-verified = Umehakikiwa: mnyororo wa asili ni kamili, hakuna tatizo lililopatikana

## Uzito wa jambo lililogunduliwa.
pages-severity-critical = hatari kubwa
pages-severity-error = tatizo
pages-severity-warning = tahadhari

## Ukurasa wa mzigo: kila hatua ya mnyororo wa umiliki.
pages-step-register = Umesajiliwa mgodini, lebo { $tag }
pages-step-offer = Umekabidhiwa kwa { $to }
pages-step-accept = Umepokelewa (umiliki umekubaliwa)
pages-step-refuse = Umekataliwa na mpokeaji
pages-step-split = Umegawanywa kuwa { $lots }
pages-step-merge = Umeunganishwa: { $inputs } → { $lot }
pages-step-process = Umechakatwa ({ $method }): { $inputs } → { $lot }
pages-step-transport = Umesafirishwa kutoka { $from } hadi { $to }
pages-step-store = Umehifadhiwa ghalani
pages-step-tax = Kodi imelipwa: { $kind } { $amount } { $currency } ({ $authority })
pages-step-export = Umesafirishwa nje kwenda { $destination } kwa cheti { $cert }
pages-step-correct = Marekebisho: { $reason }

## Kurasa zinazoonyesha kuna tatizo.
pages-not-found-title = Haipatikani
pages-lot-not-found = Mzigo { $lot } haumo katika daftari hili.
pages-tag-not-found = Lebo { $tag } haimo katika daftari hili.
pages-error-title = Kuna hitilafu
pages-error-text = Seva hii haikuweza kuonyesha ukurasa. Jaribu tena baada ya muda mfupi; kumbukumbu za mwendeshaji zina maelezo.
pages-home-link = Rudi kwenye ukurasa wa mwanzo wa daftari


## The public registry pages (node/src/public.rs): dashboard, search, sites, actors.

pages-languages = Lugha
pages-search-label = Tafuta mzigo, lebo, mgodi, mhusika au kesi
pages-search-button = Tafuta
pages-search-title = Utafutaji
pages-search-results = Matokeo ya “{ $q }”
pages-search-empty = Andika mzigo, lebo, mgodi, mhusika au namba ya kesi ili kutafuta kwenye rejista.
pages-search-none = Hakuna kitu kwenye rejista hii kinacholingana na “{ $q }”.
pages-search-too-long = Herufi { $n } za kwanza tu ndizo zilizotafutwa.
pages-footer = Kila kitu kwenye ukurasa huu kimekokotolewa kutoka kwenye daftari la umma na kinaweza kuhakikiwa bila kuiamini seva hii:
pages-checkpoint = kituo cha ukaguzi kilichosainiwa
pages-report-link = ripoti tukio
pages-app-link = programu ya uwandani
pages-back-home = Rudi kwenye rejista
pages-not-found-site = Mgodi { $id } haumo kwenye rejista hii.
pages-not-found-actor = Mhusika { $id } hayumo kwenye rejista hii.
pages-dash-title = Rejista ya madini
pages-dash-intro = Migodi, wahusika, uzalishaji na yale anayoyagundua mhakiki, yamekokotolewa kutoka kwenye maingizo { $size } ya kwanza ya daftari la umma.
pages-counts = Migodi { $sites }, wahusika { $actors }, mizigo { $lots }.
pages-verifier-title = Anachogundua mhakiki katika daftari zima
pages-verifier-none = Hakuna dosari: kila kanuni iko sawa.
pages-findings-caption = Dosari kwa kila kanuni
pages-rule = Kanuni
pages-family = Kundi
pages-severity = Uzito mkubwa zaidi
pages-count = Dosari
pages-total = Jumla
pages-severity-info = taarifa
pages-under-review = Mizigo inayochunguzwa
pages-under-review-count = Mizigo inayochunguzwa kwa sababu kuna tukio lililo wazi kuihusu: { $n }.
pages-open-incidents = Matukio yaliyo wazi
pages-no-open-incidents = Hakuna tukio lililo wazi.
pages-case-lots = { $n ->
    [one] mzigo { $n } unachunguzwa
   *[other] mizigo { $n } inachunguzwa
}
pages-case-open = wazi
pages-case-investigating = inachunguzwa
pages-case-resolved = imetatuliwa
pages-case-dismissed = imetupiliwa mbali
pages-audit-yourself = Hakiki mwenyewe:
pages-report-yourself = Kokotoa takwimu hizi mwenyewe:
pages-map-title = Migodi ya kanda kwa hali yake ya ICGLR
pages-map-caption = Kila alama ni mgodi uliosajiliwa, mahali ulipoandikishwa; umbo na rangi yake vinaonyesha hali yake. Mipaka: Natural Earth (mali ya umma), ya kukadiria.
pages-site-map = Mahali { $name } ulipo
pages-status-green = Kijani: unaruhusiwa
pages-status-yellow = Njano: kuna kasoro za kurekebisha
pages-status-red = Nyekundu: umezuiliwa
pages-status-blue = Buluu: bado haujakaguliwa
pages-flows-title = Uzalishaji na mtiririko
pages-flows-caption = Kwa nchi ya asili na madini, katika daftari zima
pages-chart-country = Uzalishaji kwa nchi ya asili na madini
pages-chart-month = Uzalishaji kwa mwezi, madini yote
pages-months-table = Takwimu kwa mwezi
pages-country = Nchi
pages-country-several = Nchi kadhaa
pages-country-cd = DR Kongo
pages-country-rw = Rwanda
pages-country-bi = Burundi
pages-country-ug = Uganda
pages-country-tz = Tanzania
pages-country-ke = Kenya
pages-mineral = Madini
pages-minerals = Madini
pages-mineral-cassiterite = kasiterite (mawe ya bati)
pages-mineral-coltan = koltani (mawe ya tantalamu)
pages-mineral-wolframite = wolframite (mawe ya tangsteni)
pages-mineral-gold = dhahabu
pages-produced = Imezalishwa
pages-transferred = Imekabidhiwa
pages-exported = Imesafirishwa nje
pages-lots = Mizigo
pages-month = Mwezi
pages-mass = Uzito
pages-latest-lots = Mizigo ya karibuni
pages-log-title = Daftari
pages-log = Daftari
pages-entries = maingizo
pages-entry = ingizo
pages-root = Mzizi
pages-vkey = Ufunguo wa uhakiki
pages-kind-lot = Mzigo
pages-kind-tag = Lebo
pages-kind-site = Mgodi
pages-kind-actor = Mhusika
pages-kind-case = Kesi ya tukio
pages-tag-on = imebandikwa kwenye mzigo { $lot }
pages-id = Kitambulisho
pages-since = tangu
pages-activity = Shughuli
pages-activity-abandoned = umetelekezwa
pages-activity-active = unafanya kazi
pages-activity-inactive = haufanyi kazi
pages-capacity = Uwezo uliokadiriwa
pages-capacity-value = { $mass } kwa siku { $days }
pages-produced-year = Imezalishwa mwaka huu
pages-of-capacity = ya uwezo wa mwaka wa
pages-last-inspection = Ukaguzi wa mwisho
pages-never = haujawahi
pages-location = Mahali (latitudo, longitudo)
pages-operators = Unaendeshwa na
pages-production-chart = Uzalishaji ukilinganishwa na uwezo
pages-production-caption = Nguzo: uzito ulioandikishwa kwenye mgodi kila mwezi. Mstari wa vistari: uwezo uliokadiriwa kwa siku 30. Nguzo zenye mistari zimeuzidi.
pages-over-capacity = imezidi uwezo
pages-note = Maelezo
pages-status-history = Historia ya hali
pages-ev-site-register = Umesajiliwa
pages-ev-site-update = Taarifa zimesasishwa
pages-ev-site-inspect = Umekaguliwa ({ $id })
pages-ev-site-status = Hali imebadilishwa: { $reason }
pages-ev-tags = Lebo { $prefix } { $first } hadi { $last } zimetolewa
pages-ev-licence = Leseni { $id } imetolewa
pages-inspections = Ukaguzi
pages-no-inspections = Hakuna ukaguzi ulioandikishwa.
pages-date = Tarehe
pages-result = Matokeo
pages-summary = Muhtasari
pages-incidents = Matukio
pages-no-incidents = Hakuna tukio lililoripotiwa.
pages-category-armed-group = kikundi chenye silaha
pages-category-child-labour = ajira ya watoto
pages-category-smuggling = magendo
pages-category-tag-fraud = udanganyifu wa lebo
pages-category-illegal-taxation = ushuru haramu
pages-category-fraud = udanganyifu
pages-category-safety = usalama
pages-category-violence = vurugu
pages-category-other = mengineyo
pages-roles = Majukumu
pages-role-authority = mamlaka ya rejista
pages-role-inspector = mkaguzi
pages-role-cooperative = ushirika
pages-role-trader = mfanyabiashara
pages-role-shipper = msafirishaji
pages-role-processor = mchakataji
pages-role-warehouse = ghala
pages-role-importer = mwagizaji
pages-role-exporter = msafirishaji nje
pages-locality = Mji
pages-stock = Akiba iliyopo sasa, kwa madini
pages-no-stock = Hana mzigo ulio wazi.
pages-licences = Leseni
pages-no-licences = Hakuna leseni iliyoandikishwa.
pages-licence-type = Aina
pages-licence-claim = eneo la madai
pages-licence-exploration-permit = leseni ya utafutaji
pages-licence-mining-license = leseni ya uchimbaji
pages-licence-artisanal-permit = kibali cha uchimbaji mdogo
pages-licence-unlicensed = bila leseni
pages-licence-other = nyingine
pages-valid = Muda wa uhalali
pages-keys = Funguo za kusaini
pages-key-active = inatumika
pages-key-retired = imebadilishwa
pages-key-revoked = imefutwa
pages-sites-operated = Migodi anayoiendesha

## The lot page: offers and delays (lotpage.rs).
pages-lot-offered-to = Imetolewa kwa { $actor }, ambaye bado hajajibu.
pages-lot-accept-in-app = Ikubali au ikatae kwenye programu ya uwandani
pages-lot-recorded-later = imeandikwa { $delay } baada ya wakati inaoutaja
pages-lot-claimed-after = inataja wakati wa { $delay } baada ya kuandikwa
pages-lot-minutes = dakika { $count }
pages-lot-hours = saa { $count }
pages-lot-days = { $count ->
    [one] siku { $count }
   *[other] siku { $count }
}
pages-lot-dag = Mzigo { $lot } ulikotoka: kila mzigo katika asili yake, migawanyo na miunganiko kama mishale
pages-lot-path = Njia ya mzigo { $lot }: migodi yake na mahali ulipohamishiwa au kuhifadhiwa
pages-lot-graph-title = Asili
pages-lot-map-title = Njia kwenye ramani

## The dashboard: the verifier's verdict on the whole log (public.rs).
pages-log-verdict-verified = Imehakikiwa: kila sahihi, uthibitisho na kanuni viko sawa, na hakuna tatizo kubwa.
pages-log-verdict-findings = Imehakikiwa lakini kuna dosari: data ni halisi, ila takwimu hazilingani zote.
pages-log-verdict-unverifiable = Haiwezi kuhakikiwa: data hailingani na daftari lililosainiwa.

## Large logs: map clusters and the months shown.
pages-map-cluster = Migodi { $count } hapa: { $statuses }
pages-months-window = Miezi { $shown } ya mwisho kati ya { $total }; CSV hapa chini ina yote.
