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
