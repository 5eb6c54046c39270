### Madini message catalog: findings, fr.
### Les messages des constatations du vérificateur (ledger-core/src/verify/).

## Constatations.
finding-back-dating = L'entrée { $n } dit avoir eu lieu { $days } jours avant d'être enregistrée (plus de { $max }) : elle est peut-être antidatée pour entrer dans une période passée.
finding-cert-mass = Le certificat { $cid } (entrée { $n }) certifie { $cm } mais ses lots ne contiennent que { $hm }.
finding-cert-validity = Le certificat { $cid } (entrée { $n }) est valable { $validity } jours ; les certificats ICGLR expirent en { $max } jours au plus.
finding-correction = L'entrée { $n } corrige les chiffres de l'entrée { $t } pour le lot { $lot } ({ $reason }) ; les deux restent au journal et les contrôles suivants utilisent les chiffres corrigés.
finding-double-spend = L'entrée { $n } agit sur un lot dont la chaîne avait déjà avancé : le même lot a été consommé deux fois ({ $why }).
finding-export-eligibility = Le lot { $lot } est exporté sous le certificat { $cid } alors qu'une partie provient d'un site non éligible (rouge, ou jaune au-delà du délai de grâce) lors de l'enregistrement du minerai.
finding-export-expired = Le lot { $lot } est exporté sous le certificat { $cid }, expiré depuis { $days } jours.
finding-export-mass = Les exportations sous le certificat { $cid } atteignent { $a }, plus que les { $cm } certifiés.
finding-export-origin = Le lot { $lot } est exporté sous le certificat { $cid }, qui déclare l'origine { $d } mais omet { $m }, d'où provient une partie du minerai.
finding-future-dated = L'entrée { $n } déclare une heure { $mins } minutes après son enregistrement : l'horloge du signataire est fausse ou l'heure est inventée.
finding-incident-open = Le dossier d'incident { $c } concernant { $about } est toujours ouvert : { $k ->
    [one] { $k } lot est
   *[other] { $k } lots sont
} en cours d'examen jusqu'à sa clôture.
finding-log-breaks-rule = L'entrée { $n } enfreint la règle { $id } du registre, que le nœud aurait dû refuser : { $why }.
finding-merge-grade = L'entrée { $n } donne au lot fusionné { $out } une teneur de { $g1 } % alors que la teneur moyenne pondérée des composants est de { $g2 } %.
finding-merge-mass-gain = L'entrée { $n } fusionne des lots pesant { $a } en un lot { $out } de { $m } : le lot fusionné pèse plus que ses composants.
finding-merge-mass-loss = L'entrée { $n } fusionne des lots pesant { $a } en un lot { $out } de seulement { $m } : de la masse s'est perdue.
finding-processing-metal = L'entrée { $n } traite des lots contenant { $ci } g de métal en un lot { $out } qui en contient { $co } g : le traitement ne crée pas de métal, du minerai a donc été ajouté hors registre.
finding-processing-recovery = L'entrée { $n } ne récupère que { $r } du métal dans le lot { $out } (plausible : au moins { $f }) : du métal a peut-être quitté le registre.
finding-site-capacity = À partir de l'entrée { $n }, le site { $sid } a enregistré { $w } en { $days } jours, au-delà de sa capacité évaluée de { $c } : du minerai d'ailleurs passe peut-être sous son nom.
finding-site-inactive = Le lot { $lot } a été enregistré au site { $sid }, enregistré comme non actif (code MDC.02 { $a }).
finding-site-status-grace-over = Le lot { $lot } a été enregistré au site { $sid } alors que le site était jaune depuis plus longtemps que son délai de grâce : il n'est pas éligible.
finding-site-status-lapsed = Le lot { $lot } a été enregistré au site { $sid }, dont la certification était devenue { $status } faute d'inspection.
finding-site-status-red = Le lot { $lot } a été enregistré au site { $sid } alors que le site était rouge (exclu du commerce).
finding-split-grade = L'entrée { $n } donne à la part { $cl } du lot { $lot } une teneur de { $g1 } % alors que le lot était à { $g2 } % : une division ne change pas la teneur.
finding-split-mass = L'entrée { $n } divise le lot { $lot } de { $m } en parts totalisant { $a } : les parts pèsent plus que le tout.
finding-stock-balance-export = L'entrée { $n } exporte { $a } du lot { $lot }, qui ne contient que { $h }.
finding-stock-balance-negative = Après l'entrée { $n }, { $actor } a cédé { $sk } de { $mineral } de plus qu'il n'en a jamais reçu : son stock est négatif.
finding-stock-balance-offer = À l'entrée { $n }, { $giver } cède { $m } du lot { $lot } mais n'en détient que { $h } : il cède plus qu'il n'a reçu.
finding-tag-reuse = L'étiquette { $tag } du lot { $lot } était déjà posée sur le lot { $ol } dans le journal { $oo } : une étiquette ne sert qu'une fois, l'un des deux est blanchi.
finding-teleport = À l'entrée { $n }, le lot { $lot } parcourt { $kmr } km en { $mins } minutes{ $route }, plus vite que { $max } km/h : il n'a pas pu voyager ainsi.
finding-time-order = L'entrée { $n } sur le lot { $lot } déclare une heure { $hours } heures avant l'événement précédent du lot : l'ordre des événements ne tient pas.
finding-transfer-grade-accept = Le lot { $lot } a été cédé à une teneur de { $g1 } % et reçu à { $g2 } % (entrée { $n }) : la teneur ne change pas lors d'un transfert.
finding-transfer-grade-offer = À l'entrée { $n }, le lot { $lot } est cédé à une teneur de { $g1 } % alors qu'il était à { $g2 } % : la teneur ne change pas lors d'un transfert.
finding-transfer-mass-gain = À l'entrée { $n }, { $receiver } a reçu { $got } du lot { $lot } mais { $giver } n'en a cédé que { $sent } : de la masse est apparue en route.
finding-transfer-mass-loss = À l'entrée { $n }, { $receiver } a reçu { $got } du lot { $lot } là où { $giver } en a cédé { $sent } : de la masse s'est perdue en route.
finding-transfer-mass-remainder = À l'entrée { $n }, { $giver } cède { $m } du lot { $lot } en détenant { $h } : la différence n'est pas expliquée.
finding-untaxed-export = Le lot { $lot } est exporté (entrée { $n }) sans taxe, redevance ni frais enregistrés sur lui ou sur les lots dont il provient.

## Intégrité : les données ne se vérifient pas.
finding-integrity-bundle = Le paquet du lot { $lot } ne se vérifie pas : { $msg }.
finding-integrity-chain = L'entrée { $index } ne désigne pas l'entrée { $p } comme feuille précédente : la chaîne linéaire est rompue (entrée supprimée, déplacée ou dupliquée).
finding-integrity-error = { $error }
finding-integrity-leaf = L'entrée { $index } n'est pas une feuille valide : { $e }.
finding-integrity-origin = La genèse du journal nomme l'origine { $origin }, son point de contrôle { $o }.
finding-integrity-record-time = L'entrée { $index } a été enregistrée avant l'entrée qui la précède.
finding-integrity-rewritten = Les { $size } premières entrées ne donnent pas la racine signée vue auparavant pour cette taille : le journal a été réécrit.
finding-integrity-root = Les { $n } entrées ne donnent pas la racine du point de contrôle : l'entrée { $last }, la dernière, qu'aucun lien de chaîne ne couvre, diffère du journal signé.
finding-integrity-rule = L'entrée { $index } enfreint la règle { $id }, qu'aucun journal valide ne contient : { $msg }.
finding-integrity-shrank = Ce vérificateur a vu un arbre signé de { $size } entrées, mais le journal n'en a plus que { $m } : il a rétréci.
finding-integrity-signature = La signature de l'entrée { $index } ne se vérifie pas : l'entrée a été modifiée ou falsifiée.
finding-integrity-signer = L'entrée { $index } n'a pas de signataire valide : { $m }.
finding-integrity-size = Le journal contient { $n } entrées mais son point de contrôle en annonce { $m }.
finding-grade-impossible = L'entrée { $n } donne une teneur de { $g } au lot { $lot } de { $mineral }, plus que les { $m } que contient le minéral pur : aucun minerai ne peut avoir cette teneur.
finding-package-mass = L'entrée { $n } enregistre le lot { $lot } en { $packages } colis de { $pk } chacun, plus que les { $mk } qu'un colis peut vraisemblablement peser.
finding-site-outside-country = L'entrée { $n } place le site { $sid } en { $at }, à { $km } km hors du pays où il est enregistré ({ $cc }) : le registre se contredit.
finding-operator-country = Entrée { $n } : le lot { $lot } a été enregistré par { $a }, acteur enregistré en { $ac }, au site { $sid } situé en { $sc }.
finding-gps-far = Entrée { $n } : le lot { $lot } a été enregistré à { $d } km de son site { $sid }, et non sur le site.
finding-before-site-registered = Entrée { $n } : le lot { $lot } se dit enregistré le { $c }, avant l'enregistrement de son site { $sid } ({ $r }).
finding-licence-lapsed = Entrée { $n } : le lot { $lot } de { $mineral } a été enregistré au site { $sid } le { $c }, alors qu'aucun des { $count } permis du site ne couvrait ce minéral à cette date.
finding-inspection-after-record = L'entrée { $n } enregistre une inspection du site { $sid } datée du { $d }, { $days } jour(s) après son enregistrement : le résultat a été saisi avant que l'inspection ait lieu.
finding-claimed-after-revocation = L'entrée { $n } révoque la clé { $key } à compter du { $rev }, mais l'entrée { $m }, signée par cette clé, se dit du { $signed } : la clé a signé après la fin que lui donne le registre.
