### Madini message catalog: pages, fr.
### Les pages publiques du nœud (node/src/pages.rs, lotpage.rs, templates/).

pages-language = Langue

## Page d'accueil.
pages-home-title = Registre Madini { $origin }
pages-home-heading = Registre Madini
pages-home-log = Journal
pages-home-entries = { $count ->
    [one] { $count } entrée
   *[other] { $count } entrées
}
pages-home-root = Racine
pages-home-vkey = Clé de vérification
pages-home-checkpoint = Point de contrôle signé
pages-home-log-json = journal (JSON)
pages-home-api = API (OpenAPI)
pages-home-lots-json = lots (JSON)
pages-home-latest = Derniers lots
pages-home-no-lots = Aucun lot n'est encore dans ce registre.

## La page d'un lot : ses chiffres.
pages-lot-title = Lot { $lot }
pages-lot-title-short = Lot
pages-lot-mineral = Minerai
pages-lot-mass = Masse
pages-lot-grade = Teneur
pages-lot-custodian = Détenu par
pages-lot-status = Statut
pages-lot-tag = Étiquette
pages-lot-findings = Ce qui ne concorde pas
pages-lot-chain = Chaîne de traçabilité
pages-lot-entry = Entrée du registre { $index }
pages-lot-proof = preuve
pages-lot-check = Vérifiez vous-même
pages-lot-check-text = Tout ce qui précède se vérifie sans faire confiance à ce serveur :
pages-lot-bundle = paquet hors ligne
pages-lot-checkpoint = point de contrôle signé
pages-lot-log = Journal
pages-lot-entries = { $count ->
    [one] { $count } entrée
   *[other] { $count } entrées
}

## La page d'un lot : le verdict du vérificateur.
pages-verdict-unverifiable = Invérifiable : les données ne correspondent pas au journal signé
pages-verdict-findings = { $count ->
    [one] Authentique, mais { $count } problème : les chiffres ne concordent pas
   *[other] Authentique, mais { $count } problèmes : les chiffres ne concordent pas
}
pages-verdict-under-review = En cours d'examen : un incident ouvert concerne ce lot
pages-verdict-verified = Vérifié : chaîne d'origine complète, aucun problème trouvé

## La gravité d'une constatation.
pages-severity-critical = critique
pages-severity-error = problème
pages-severity-warning = attention

## La page d'un lot : chaque étape de la chaîne de traçabilité.
pages-step-register = Enregistré à la mine, étiquette { $tag }
pages-step-offer = Cédé à { $to }
pages-step-accept = Reçu (garde acceptée)
pages-step-refuse = Refusé par le destinataire
pages-step-split = Divisé en { $lots }
pages-step-merge = Fusionné : { $inputs } → { $lot }
pages-step-process = Traité ({ $method }) : { $inputs } → { $lot }
pages-step-transport = Transporté de { $from } à { $to }
pages-step-store = Entreposé
pages-step-tax = Taxe payée : { $kind } { $amount } { $currency } ({ $authority })
pages-step-export = Exporté vers { $destination } sous le certificat { $cert }
pages-step-correct = Correction : { $reason }

## Pages qui signalent un problème.
pages-not-found-title = Introuvable
pages-lot-not-found = Le lot { $lot } n'est pas dans ce registre.
pages-tag-not-found = L'étiquette { $tag } n'est pas dans ce registre.
pages-error-title = Une erreur est survenue
pages-error-text = Ce serveur n'a pas pu afficher la page. Réessayez dans un instant ; le journal de l'exploitant donne les détails.
pages-home-link = Retour à l'accueil du registre


## The public registry pages (node/src/public.rs): dashboard, search, sites, actors.

pages-languages = Langues
pages-search-label = Rechercher un lot, une étiquette, un site minier, un acteur ou un dossier
pages-search-button = Rechercher
pages-search-title = Recherche
pages-search-results = Résultats pour « { $q } »
pages-search-empty = Saisissez un lot, une étiquette, un site minier, un acteur ou un numéro de dossier pour chercher dans le registre.
pages-search-none = Rien dans ce registre ne correspond à « { $q } ».
pages-search-too-long = Seuls les { $n } premiers caractères ont été cherchés.
pages-footer = Tout ce qui figure sur cette page est calculé à partir du journal public et se vérifie sans faire confiance à ce serveur :
pages-checkpoint = point de contrôle signé
pages-report-link = signaler un incident
pages-app-link = application de terrain
pages-back-home = Retour au registre
pages-not-found-site = Le site minier { $id } n'est pas dans ce registre.
pages-not-found-actor = L'acteur { $id } n'est pas dans ce registre.
pages-dash-title = Registre des minerais
pages-dash-intro = Sites miniers, acteurs, production et constatations du vérificateur, calculés à partir des { $size } premières entrées du journal public.
pages-counts = { $sites } sites miniers, { $actors } acteurs, { $lots } lots.
pages-verifier-title = Ce que le vérificateur trouve dans tout le journal
pages-verifier-none = Aucune constatation : toutes les règles sont respectées.
pages-findings-caption = Constatations par règle
pages-rule = Règle
pages-family = Famille
pages-severity = Gravité maximale
pages-count = Constatations
pages-total = Total
pages-severity-info = remarque
pages-under-review = Lots en cours d'examen
pages-under-review-count = Lots en cours d'examen parce qu'un incident les concernant est ouvert : { $n }.
pages-open-incidents = Incidents ouverts
pages-no-open-incidents = Aucun incident n'est ouvert.
pages-case-lots = { $n ->
    [one] { $n } lot en cours d'examen
   *[other] { $n } lots en cours d'examen
}
pages-case-open = ouvert
pages-case-investigating = en cours d'enquête
pages-case-resolved = résolu
pages-case-dismissed = classé sans suite
pages-audit-yourself = Vérifiez vous-même :
pages-report-yourself = Recalculez ces chiffres vous-même :
pages-map-title = Sites miniers de la région selon leur statut CIRGL
pages-map-caption = Chaque symbole est un site minier enregistré, à sa position déclarée ; sa forme et sa couleur donnent son statut. Frontières : Natural Earth (domaine public), approximatives.
pages-site-map = Où se trouve { $name }
pages-status-green = Vert : éligible
pages-status-yellow = Jaune : problèmes à corriger
pages-status-red = Rouge : exclu
pages-status-blue = Bleu : pas encore inspecté
pages-flows-title = Production et flux
pages-flows-caption = Par pays d'origine et minerai, sur tout le journal
pages-chart-country = Production par pays d'origine et minerai
pages-chart-month = Production par mois, tous minerais
pages-months-table = Chiffres par mois
pages-country = Pays
pages-country-several = Plusieurs pays
pages-country-cd = RD Congo
pages-country-rw = Rwanda
pages-country-bi = Burundi
pages-country-ug = Ouganda
pages-country-tz = Tanzanie
pages-country-ke = Kenya
pages-mineral = Minerai
pages-minerals = Minerais
pages-mineral-cassiterite = cassitérite (minerai d'étain)
pages-mineral-coltan = coltan (minerai de tantale)
pages-mineral-wolframite = wolframite (minerai de tungstène)
pages-mineral-gold = or
pages-produced = Produit
pages-transferred = Cédé
pages-exported = Exporté
pages-lots = Lots
pages-month = Mois
pages-mass = Masse
pages-latest-lots = Derniers lots
pages-log-title = Le journal
pages-log = Journal
pages-entries = entrées
pages-entry = entrée
pages-root = Racine
pages-vkey = Clé de vérification
pages-kind-lot = Lot
pages-kind-tag = Étiquette
pages-kind-site = Site minier
pages-kind-actor = Acteur
pages-kind-case = Dossier d'incident
pages-tag-on = attachée au lot { $lot }
pages-id = Identifiant
pages-since = depuis le
pages-activity = Activité
pages-activity-abandoned = abandonné
pages-activity-active = actif
pages-activity-inactive = inactif
pages-capacity = Capacité évaluée
pages-capacity-value = { $mass } par { $days } jours
pages-produced-year = Produit cette année
pages-of-capacity = d'une capacité annuelle de
pages-last-inspection = Dernière inspection
pages-never = jamais
pages-location = Position (latitude, longitude)
pages-operators = Exploité par
pages-production-chart = Production face à la capacité
pages-production-caption = Barres : masse enregistrée au site chaque mois. Ligne pointillée : la capacité évaluée pour 30 jours. Les barres hachurées la dépassent.
pages-over-capacity = au-delà de la capacité
pages-note = Remarque
pages-status-history = Historique du statut
pages-ev-site-register = Enregistré
pages-ev-site-update = Profil mis à jour
pages-ev-site-inspect = Inspecté ({ $id })
pages-ev-site-status = Statut modifié : { $reason }
pages-ev-tags = Étiquettes { $prefix } { $first } à { $last } attribuées
pages-ev-licence = Titre { $id } accordé
pages-inspections = Inspections
pages-no-inspections = Aucune inspection enregistrée.
pages-date = Date
pages-result = Résultat
pages-summary = Résumé
pages-incidents = Incidents
pages-no-incidents = Aucun incident signalé.
pages-category-armed-group = groupe armé
pages-category-child-labour = travail des enfants
pages-category-smuggling = contrebande
pages-category-tag-fraud = fraude aux étiquettes
pages-category-illegal-taxation = taxation illégale
pages-category-fraud = fraude
pages-category-safety = sécurité
pages-category-violence = violence
pages-category-other = autre
pages-roles = Rôles
pages-role-authority = autorité du registre
pages-role-inspector = inspecteur
pages-role-cooperative = coopérative
pages-role-trader = négociant
pages-role-shipper = transporteur
pages-role-processor = transformateur
pages-role-warehouse = entrepôt
pages-role-importer = importateur
pages-role-exporter = exportateur
pages-locality = Localité
pages-stock = Stock détenu actuellement, par minerai
pages-no-stock = Ne détient aucun lot ouvert.
pages-licences = Titres
pages-no-licences = Aucun titre enregistré.
pages-licence-type = Type
pages-licence-claim = concession
pages-licence-exploration-permit = permis de recherche
pages-licence-mining-license = permis d'exploitation
pages-licence-artisanal-permit = autorisation d'exploitation artisanale
pages-licence-unlicensed = sans titre
pages-licence-other = autre
pages-valid = Validité
pages-keys = Clés de signature
pages-key-active = en service
pages-key-retired = remplacée
pages-key-revoked = révoquée
pages-sites-operated = Sites miniers qu'il exploite

## The lot page: offers and delays (lotpage.rs).
pages-lot-offered-to = Offert à { $actor }, qui n'a pas encore répondu.
pages-lot-accept-in-app = L'accepter ou le refuser dans l'application de terrain
pages-lot-recorded-later = enregistré { $delay } après l'heure déclarée
pages-lot-claimed-after = déclare une heure { $delay } après son enregistrement
pages-lot-minutes = { $count } min
pages-lot-hours = { $count } h
pages-lot-days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}
pages-lot-dag = D'où vient le lot { $lot } : chaque lot de sa provenance, divisions et fusions en flèches
pages-lot-path = Le parcours du lot { $lot } : ses sites miniers et les lieux où il a été transporté ou entreposé
pages-lot-graph-title = Provenance
pages-lot-map-title = Parcours sur la carte

## The dashboard: the verifier's verdict on the whole log (public.rs).
pages-log-verdict-verified = Vérifié : signatures, preuves et règles sont en ordre, aucune constatation n'est une erreur.
pages-log-verdict-findings = Vérifié avec constatations : les données sont authentiques, mais les chiffres ne concordent pas tous.
pages-log-verdict-unverifiable = Invérifiable : les données ne correspondent pas au journal signé.

## Large logs: map clusters and the months shown.
pages-map-cluster = { $count } sites ici : { $statuses }
pages-months-window = Les { $shown } derniers des { $total } mois ; le CSV ci-dessous les contient tous.
