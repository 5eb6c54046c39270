### Madini message catalog: findings, sw.
### Ujumbe wa mhakiki (ledger-core/src/verify/). "Ingizo" ni "entry",
### "mzigo" ni "lot", "mgodi" ni "site", "daftari" ni "log", "hali ya daftari
### iliyotiwa sahihi" ni "signed checkpoint".

## Mambo yaliyogunduliwa.
finding-back-dating = Ingizo { $n } linadai tukio lilitokea siku { $days } kabla ya kurekodiwa (zaidi ya { $max }): huenda tarehe imerudishwa nyuma ili liingie katika kipindi kilichopita.
finding-cert-mass = Cheti { $cid } (ingizo { $n }) kinathibitisha { $cm } lakini mizigo yake ina { $hm } tu.
finding-cert-validity = Cheti { $cid } (ingizo { $n }) ni halali kwa siku { $validity }; vyeti vya ICGLR huisha ndani ya siku { $max }.
finding-correction = Ingizo { $n } linasahihisha takwimu za ingizo { $t } la mzigo { $lot } ({ $reason }); yote mawili yanabaki kwenye daftari na ukaguzi unaofuata unatumia takwimu zilizosahihishwa.
finding-double-spend = Ingizo { $n } linashughulikia mzigo ambao mnyororo wake ulikuwa umeshasonga mbele: mzigo uleule ulitumika mara mbili ({ $why }).
finding-export-eligibility = Mzigo { $lot } unasafirishwa nje kwa cheti { $cid } ingawa sehemu yake inatoka kwenye mgodi ambao haukustahili (nyekundu, au njano zaidi ya muda wake wa kurekebisha) madini yaliposajiliwa.
finding-export-expired = Mzigo { $lot } unasafirishwa nje kwa cheti { $cid }, ambacho muda wake uliisha siku { $days } zilizopita.
finding-export-mass = Mauzo ya nje kwa cheti { $cid } yanafikia { $a }, zaidi ya { $cm } kinachothibitisha.
finding-export-origin = Mzigo { $lot } unasafirishwa nje kwa cheti { $cid }, kinachotaja asili { $d } lakini kinaacha { $m }, ambako sehemu ya madini ilichimbwa.
finding-future-dated = Ingizo { $n } linadai muda ulio dakika { $mins } baada ya kurekodiwa kwake: saa ya aliyetia sahihi si sahihi au muda umebuniwa.
finding-incident-open = Kesi ya tukio { $c } kuhusu { $about } bado iko wazi: { $k ->
    [one] mzigo { $k } unachunguzwa
   *[other] mizigo { $k } inachunguzwa
} hadi itakapotatuliwa.
finding-log-breaks-rule = Ingizo { $n } linavunja kanuni ya daftari { $id }, ambayo seva ilipaswa kuikataa: { $why }.
finding-merge-grade = Ingizo { $n } linaupa mzigo ulioungwa { $out } kiwango cha { $g1 } % ilhali wastani wa kiwango cha mizigo iliyoingia, kwa uzito wake, ni { $g2 } %.
finding-merge-mass-gain = Ingizo { $n } linaunganisha mizigo yenye uzito wa { $a } kuwa mzigo { $out } wa { $m }: mzigo ulioungwa una uzito zaidi ya mizigo iliyoingia.
finding-merge-mass-loss = Ingizo { $n } linaunganisha mizigo yenye uzito wa { $a } kuwa mzigo { $out } wa { $m } tu: uzito ulipotea katika kuunganisha.
finding-processing-metal = Ingizo { $n } linachakata mizigo yenye gramu { $ci } za metali kuwa mzigo { $out } wenye gramu { $co }: uchakataji hauwezi kuzalisha metali, kwa hiyo madini yaliongezwa nje ya daftari.
finding-processing-recovery = Ingizo { $n } linapata { $r } tu ya metali katika mzigo { $out } (kinachokubalika: angalau { $f }): huenda metali imetoka nje ya daftari.
finding-site-capacity = Kuanzia ingizo { $n }, mgodi { $sid } ulisajili { $w } ndani ya siku { $days }, zaidi ya uwezo wake uliokadiriwa wa { $c }: huenda madini kutoka kwingine yanapitishwa kwa jina lake.
finding-site-inactive = Mzigo { $lot } ulisajiliwa kwenye mgodi { $sid }, ambao umerekodiwa kuwa haufanyi kazi (msimbo wa MDC.02 { $a }).
finding-site-status-grace-over = Mzigo { $lot } ulisajiliwa kwenye mgodi { $sid } wakati mgodi ulikuwa njano kwa muda mrefu kuliko muda wake wa kurekebisha: haustahili.
finding-site-status-lapsed = Mzigo { $lot } ulisajiliwa kwenye mgodi { $sid }, ambao cheti chake kilikuwa kimeshuka hadi { $status } kwa kukosa ukaguzi.
finding-site-status-red = Mzigo { $lot } ulisajiliwa kwenye mgodi { $sid } wakati mgodi ulikuwa nyekundu (umezuiwa kufanya biashara).
finding-split-grade = Ingizo { $n } linaipa sehemu { $cl } ya mzigo { $lot } kiwango cha { $g1 } % ingawa mzigo ulikuwa { $g2 } %: kugawanya hakubadilishi kiwango.
finding-split-mass = Ingizo { $n } linagawa mzigo { $lot } wa { $m } kuwa sehemu zenye jumla ya { $a }: sehemu zina uzito zaidi ya mzigo mzima.
finding-stock-balance-export = Ingizo { $n } linasafirisha nje { $a } ya mzigo { $lot }, ambao una { $h } tu.
finding-stock-balance-negative = Baada ya ingizo { $n }, { $actor } amepeleka { $sk } zaidi ya { $mineral } kuliko alichowahi kupokea: akiba yake iko chini ya sifuri.
finding-stock-balance-offer = Kwenye ingizo { $n }, { $giver } anakabidhi { $m } ya mzigo { $lot } lakini anashikilia { $h } tu: anapeleka zaidi ya alichopokea.
finding-tag-reuse = Lebo { $tag } ya mzigo { $lot } ilikuwa imeshabandikwa kwenye mzigo { $ol } katika daftari { $oo }: lebo hutumika mara moja tu, kwa hiyo mmoja wa mizigo hiyo unapitishwa kwa udanganyifu.
finding-teleport = Kwenye ingizo { $n }, mzigo { $lot } unasafiri km { $kmr } kwa dakika { $mins }{ $route }, kasi kuliko km { $max } kwa saa: haukuweza kusafiri hivyo.
finding-time-order = Ingizo { $n } kwenye mzigo { $lot } linadai muda ulio saa { $hours } kabla ya tukio lililotangulia la mzigo huo: mfuatano wa matukio hauko sawa.
finding-transfer-grade-accept = Mzigo { $lot } ulikabidhiwa kwa kiwango cha { $g1 } % na kupokelewa kwa { $g2 } % (ingizo { $n }): kiwango hakibadiliki wakati wa kukabidhiana.
finding-transfer-grade-offer = Kwenye ingizo { $n }, mzigo { $lot } unakabidhiwa kwa kiwango cha { $g1 } % ingawa ulikuwa { $g2 } %: kiwango hakibadiliki wakati wa kukabidhiana.
finding-transfer-mass-gain = Kwenye ingizo { $n }, { $receiver } alipokea { $got } ya mzigo { $lot } lakini { $giver } alikabidhi { $sent } tu: uzito uliongezeka njiani.
finding-transfer-mass-loss = Kwenye ingizo { $n }, { $receiver } alipokea { $got } ya mzigo { $lot } ilhali { $giver } alikabidhi { $sent }: uzito ulipotea njiani.
finding-transfer-mass-remainder = Kwenye ingizo { $n }, { $giver } anakabidhi { $m } ya mzigo { $lot } akiwa anashikilia { $h }: tofauti hiyo haijaelezwa.
finding-untaxed-export = Mzigo { $lot } unasafirishwa nje (ingizo { $n }) bila kodi, mrabaha wala ada yoyote iliyorekodiwa juu yake au juu ya mizigo ulikotoka.

## Uadilifu: data hazithibitiki.
finding-integrity-bundle = Kifurushi cha mzigo { $lot } hakithibitiki: { $msg }.
finding-integrity-chain = Ingizo { $index } halitaji ingizo { $p } kama lililotangulia: mnyororo wa daftari umekatika (ingizo limeondolewa, limehamishwa au limerudiwa).
finding-integrity-error = { $error }
finding-integrity-leaf = Ingizo { $index } si rekodi halali ya daftari: { $e }.
finding-integrity-origin = Mwanzo wa daftari unataja chanzo { $origin }, na hali yake iliyotiwa sahihi inataja { $o }.
finding-integrity-record-time = Ingizo { $index } lilirekodiwa kabla ya ingizo linalolitangulia.
finding-integrity-rewritten = Maingizo { $size } ya kwanza hayatoi mzizi ambao mhakiki huyu aliuona ukitiwa sahihi awali kwa idadi hiyo: daftari limeandikwa upya.
finding-integrity-root = Maingizo { $n } hayatoi mzizi wa hali iliyotiwa sahihi: ingizo { $last }, la mwisho, ambalo hakuna kiungo cha mnyororo kinacholifunika, ni tofauti na daftari lililotiwa sahihi.
finding-integrity-rule = Ingizo { $index } linavunja kanuni ya daftari { $id }, ambayo hakuna daftari halali linaloweza kuwa nayo: { $msg }.
finding-integrity-shrank = Mhakiki huyu aliona mti uliotiwa sahihi wa maingizo { $size }, lakini sasa daftari lina { $m } tu: limepungua.
finding-integrity-signature = Sahihi ya ingizo { $index } haithibitiki: ingizo limebadilishwa au limeghushiwa.
finding-integrity-signer = Ingizo { $index } halina mtia sahihi halali: { $m }.
finding-integrity-size = Daftari lina maingizo { $n } lakini hali yake iliyotiwa sahihi inasema { $m }.
finding-grade-impossible = Ingizo { $n } linataja kiwango cha { $g } kwa mzigo { $lot } wa { $mineral }, zaidi ya { $m } ambacho madini safi yanayo: hakuna madini yanayoweza kuwa na kiwango hicho.
finding-package-mass = Ingizo { $n } linasajili mzigo { $lot } kama vifurushi { $packages } vya { $pk } kila kimoja, zaidi ya { $mk } ambacho kifurushi kimoja kinaweza kupima kwa kuaminika.
finding-site-outside-country = Ingizo { $n } linaweka mgodi { $sid } kwenye { $at }, km { $km } nje ya nchi uliyosajiliwa ({ $cc }): daftari linajipinga lenyewe.
finding-operator-country = Ingizo { $n }: mzigo { $lot } ulisajiliwa na { $a }, mhusika aliyesajiliwa { $ac }, kwenye mgodi { $sid } ulioko { $sc }.
finding-gps-far = Ingizo { $n }: mzigo { $lot } ulisajiliwa km { $d } kutoka mgodi wake { $sid }, si mgodini.
finding-before-site-registered = Ingizo { $n }: mzigo { $lot } unadai kusajiliwa tarehe { $c }, kabla mgodi wake { $sid } haujasajiliwa ({ $r }).
finding-licence-lapsed = Ingizo { $n }: mzigo { $lot } wa { $mineral } ulisajiliwa kwenye mgodi { $sid } tarehe { $c }, wakati hakuna leseni yoyote kati ya { $count } za mgodi iliyohusu madini hayo tarehe hiyo.
finding-inspection-after-record = Ingizo { $n } linarekodi ukaguzi wa mgodi { $sid } wa tarehe { $d }, siku { $days } baada ya kurekodiwa: matokeo yaliingizwa kabla ukaguzi haujafanyika.
finding-claimed-after-revocation = Ingizo { $n } linabatilisha ufunguo { $key } kuanzia { $rev }, lakini ingizo { $m }, lililotiwa sahihi kwa ufunguo huo, linadai { $signed }: ufunguo ulitia sahihi baada ya daftari kusema umekwisha.
