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
