### Madini message catalog: cli, fr.
### La ligne de commande madini (cli/src/) : messages, puis aide (cli-help-*).

## Langues (--lang, profile set --set-lang).
cli-error-lang-unknown = erreur : --lang « { $lang } » n'est pas une langue de madini ; utilisez l'une de { $langs }
cli-set-lang-unknown = --set-lang « { $lang } » : utilisez l'une de { $langs }

## seal.rs (madini incident open).
cli-seal-no-report = dossier { $case } : son historique ne contient aucun signalement ; vérifiez l'identifiant du dossier
cli-seal-not-sealed = dossier { $case } : son texte n'est pas scellé ; `madini incident show` l'affiche
cli-seal-not-yours = dossier { $case } : son texte n'est pas scellé pour votre clé { $key } ; un des responsables qu'il nomme doit l'ouvrir
cli-seal-does-not-open = dossier { $case } : le texte scellé ne s'ouvre pas ({ $reason }) ; signalez-le au registre

## Les règles du nœud, dans le message de refus (client.rs).
cli-rule-stale-head = le lot a changé depuis
cli-rule-not-custodian = vous ne détenez pas ce lot
cli-rule-offer-not-for-you = l'offre ne vous est pas adressée
cli-rule-no-pending-offer = aucune offre en attente
cli-rule-key-revoked = clé révoquée
cli-rule-key-retired = clé remplacée
cli-rule-unknown-key = clé inconnue
cli-rule-tag-used = étiquette déjà utilisée
cli-rule-tag-not-allocated = étiquette non attribuée
cli-rule-tag-wrong-site = étiquette d'un autre site
cli-rule-role-not-allowed = rôle non autorisé
cli-rule-lot-unknown = lot inconnu
cli-rule-lot-exists = lot déjà enregistré
cli-rule-lot-closed = lot clos
cli-rule-bad-signature = signature invalide
cli-rule-other = règle du registre

## The fate of a pushed event (import.rs, read.rs)
cli-recorded-at-index = enregistré à l'index { $index }
cli-already-at-index = déjà dans le journal à l'index { $index }
cli-refused = REFUSÉ ({ $rule }) : { $detail }

## client.rs
cli-client-node-refused-event = le nœud a refusé l'événement ({ $rule }, { $what }) : { $detail }
cli-client-not-found = introuvable : { $detail }
cli-client-node-failed = le nœud { $url } a échoué ({ $status }) : { $detail }
cli-client-node-s-answer-not = la réponse du nœud à { $what } n'est pas celle que décrit spec/http.md : { $why }
cli-client-cannot-reach-node = impossible de joindre le nœud { $url } : { $error }
cli-client-check-address-node-madini = vérifiez l'adresse (--node ou MADINI_NODE) et la connexion ; les commandes de signature fonctionnent hors ligne et `madini sync` enverra leurs événements plus tard
cli-client-cannot-read-madini-ca = impossible de lire MADINI_CA_FILE { $shown } : { $error }
cli-client-madini-ca-file-holds = MADINI_CA_FILE { $shown } ne contient aucun certificat PEM
cli-client-give-node-s-certificate = donnez le fichier de certificat du nœud (-----BEGIN CERTIFICATE-----), ou retirez MADINI_CA_FILE
cli-client-node-cannot-trusted = le nœud { $url } n'est pas digne de confiance : { $why }
cli-client-log-key-not-one = sa clé de journal { $vkey } n'est pas celle de votre profil ({ $exp })
cli-client-checkpoint-does-not-verify = son point de contrôle ne se vérifie pas : { $error }
cli-client-log-now-presents-key = le journal { $origin } présente la clé { $vkey }, mais cet appareil a retenu { $old }
cli-client-if-registry-really-changed = si le registre a vraiment changé de clé, supprimez le fichier retenu dans le dossier logs/ des données
cli-client-log-shrank-entries-since = le journal a rétréci de { $old } à { $new } entrées depuis la dernière vérification
cli-client-two-different-roots-same = deux racines différentes pour la même taille { $size } : le journal a été réécrit
cli-client-tree-entries-does-not = l'arbre de { $size } entrées ne prolonge pas celui de { $old } vérifié par cet appareil ({ $error }) : le journal a été réécrit
cli-client-entry-node-not-readable = l'entrée { $index } du nœud n'est pas une feuille lisible
cli-client-event-entry-not-json = l'événement de l'entrée { $index } n'est pas du JSON : { $error }

## config.rs
cli-config-cannot-find-home-directory = impossible de trouver le répertoire personnel pour la configuration
cli-config-config-file-malformed = le fichier de configuration { $path } est mal formé : { $error }
cli-config-fix-delete-file-madini = corrigez ou supprimez le fichier ; `madini profile set` le réécrit
cli-config-no-profile-named = aucun profil nommé { $name }

## ctx.rs
cli-ctx-key-ended = la clé { $key } de cet appareil ne signe plus rien : le nœud a répondu { $why }
cli-ctx-key-ended-fix = créez une nouvelle clé (madini key new) et demandez au registre de l'enregistrer pour votre acteur
cli-ctx-presign-warning = avertissement avant de signer
cli-ctx-presign-strict = rien n'a été signé : { $count ->
    [one] la vérification avant signature a trouvé 1 chiffre qu'un auditeur relèverait
   *[other] les vérifications avant signature ont trouvé { $count } chiffres qu'un auditeur relèverait
  }
cli-ctx-presign-strict-fix = vérifiez les chiffres et relancez la commande, ou relancez-la sans --strict pour les signer tels quels (le registre enregistre ce que vous déclarez ; le vérificateur en juge)
cli-ctx-command-needs-know-which = cette commande doit savoir pour quel acteur vous agissez
cli-ctx-pass-actor-id-set = passez --actor ID, définissez MADINI_ACTOR, ou lancez `madini profile set --actor ID`
cli-ctx-note-first-contact-log = note : premier contact avec le journal { $origin } ; sa clé { $key } est désormais retenue sur cet appareil
cli-ctx-device-never-reached-node = cet appareil n'a jamais joint le nœud { $url } et ne sait donc pas pour quel journal signer
cli-ctx-connect-once-run-madini = connectez-vous une fois et lancez `madini log status` ; ensuite la signature fonctionne hors ligne
cli-ctx-lot-not-log = le lot { $lot } n'est pas dans le journal
cli-ctx-check-lot-id-madini = vérifiez l'identifiant (`madini lot list`), ou synchronisez la boîte d'envoi s'il a été enregistré hors ligne
cli-ctx-offline-using-lot-s = hors ligne : dernier événement du lot { $lot } tel que connu le { $when }
cli-ctx-cannot-tell-latest-event = impossible de connaître le dernier événement du lot { $lot } hors ligne
cli-ctx-run-madini-lot-show = lancez `madini lot show { $lot }` une fois en ligne pour que l'appareil s'en souvienne, ou passez --prev HASH
cli-ctx-event-would-invalid = l'événement { $kind } serait invalide : { $error }
cli-ctx-warning-earlier-outbox-event = attention : l'événement #{ $seq } ({ $kind }) de la boîte d'envoi a été refusé ({ $rule }) : { $detail }
cli-ctx-nothing-recorded-event-kept = rien n'a été enregistré ; l'événement est gardé dans refused/ du répertoire de données
cli-ctx-not-sent-now-event = non envoyé ({ $why }) ; l'événement est en sécurité dans la boîte d'envoi : lancez `madini sync` plus tard
cli-ctx-already-log-index-event = { $kind }{ $lots } : déjà dans le journal à l'index { $index } (événement { $hash })
cli-ctx-recorded-index-event = { $kind }{ $lots } : enregistré à l'index { $index } (événement { $hash })
cli-ctx-signed-saved-outbox-event = { $kind }{ $lots } : signé et gardé dans la boîte d'envoi (événement { $hash } ; { $count } en attente) ; `madini sync` l'enverra quand le nœud sera joignable

## error.rs
cli-error-cannot-use = impossible d'utiliser { $path } : { $error }
cli-error-error = erreur
cli-error-fix = solution

## exports.rs
cli-exports-log-s-checkpoint-does = le point de contrôle du journal ne se vérifie pas avec la clé de confiance : { $error }
cli-exports-log-s-leaves-do = les { $leaves } feuilles du journal ne donnent pas son point de contrôle signé ({ $size } entrées) ; lancez `madini audit` pour trouver où
cli-exports-what-use-sites-lots = --what { $what } : utilisez sites, lots, certificates ou entities
cli-exports-icglr-documents-written = { $count } documents ICGLR { $what } écrits dans { $dir }
cli-exports-warning-actor-lacks-icglr = attention : il manque à l'acteur { $id } des coordonnées ICGLR ({ $fields }) ; les documents qui le nomment ne sont pas valides tant que `madini actor update --id { $id } --representative .. --phone +.. --email ..` ne les a pas enregistrées
cli-exports-epcis-document-written = document EPCIS écrit dans { $file }
cli-exports-no-report-use-taxes = aucun rapport { $kind } : utilisez taxes, flows, actors ou sites
cli-exports-month = mois
cli-exports-country = pays
cli-exports-mineral = minerai
cli-exports-produced = produit
cli-exports-exported = exporté
cli-exports-taxes = taxes
cli-exports-exports-no-tax-recorded = { $untaxed } exportations sans taxe enregistrée le long de leur chaîne
cli-exports-site = site
cli-exports-transferred = transféré
cli-exports-actor = acteur
cli-exports-name = nom
cli-exports-roles = rôles
cli-exports-status = statut
cli-exports-last-inspection = dernière inspection
cli-exports-year = cette année
cli-exports-capacity-year = capacité/an

## import.rs
cli-import-cannot-read = impossible de lire { $path } : { $error }
cli-import-unknown-column = { $path } : colonne inconnue { $column }
cli-import-columns = les colonnes sont { $expected }
cli-import-required-column-missing = { $path } : la colonne obligatoire { $column } manque
cli-import-row = { $path } : ligne { $row } : { $error }
cli-import-required = { $col } est obligatoire
cli-import-row-header = ligne
cli-import-result = résultat
cli-import-signed-waiting-outbox = signé, en attente dans la boîte d'envoi
cli-import-invalid = INVALIDE : { $error }
cli-import-recorded-already-there-refused = { $ok } enregistrés, { $existing } déjà présents, { $refused } refusés, { $invalid } invalides, { $waiting } en attente
cli-import-note-file-holds-inspections = note : le fichier contient { $inspections } inspections ; elles ne sont pas importées, car les inspecteurs signent les inspections (`madini site inspect`)
cli-import-row-role-not-madini = { $path } : ligne { $row } : un rôle n'est pas un rôle Madini

## keys.rs
cli-keys-system-random-source-failed = la source aléatoire du système a échoué : { $error }
cli-keys-already-exists-key-file = { $path } existe déjà ; un fichier de clé n'est jamais écrasé
cli-keys-choose-another-path-out = choisissez un autre chemin avec --out
cli-keys-key-file-does-not = le fichier de clé { $path } n'existe pas
cli-keys-create-one-madini-key = créez-en une avec `madini key new`, ou indiquez la vôtre avec --key FICHIER
cli-keys-key-file-read-other = le fichier de clé { $path } est lisible par d'autres utilisateurs (mode { $mode })
cli-keys-key-file-not-ed25519 = le fichier de clé { $path } n'est pas une clé privée Ed25519 PKCS#8 : { $why }
cli-keys-passphrase = phrase secrète pour { $path } :
cli-keys-wrong-passphrase-key-file = phrase secrète incorrecte pour le fichier de clé { $path }
cli-keys-passphrase-needed-but-there = une phrase secrète est nécessaire mais aucun terminal ne permet de la demander

## lots.rs
cli-lots-not-id-mass-id = { $value } n'est pas ID:MASSE ou ID:MASSE:TENEUR
cli-lots-mass-grade-lot-not = la masse et la teneur du lot { $lot } ne sont pas connues sur cet appareil
cli-lots-give-mass-grade = indiquez --mass et --grade
cli-lots-label-written = étiquette écrite dans { $file }
cli-lots-lot-no-pending-offer = le lot { $lot } n'a pas d'offre en attente à accepter (son dernier événement est { $last })
cli-lots-giver-must-offer-first = le cédant doit d'abord vous l'offrir (`madini lot offer`)
cli-lots-offered-figures-lot-not = les chiffres offerts pour le lot { $lot } ne sont pas connus sur cet appareil ; indiquez { $opt }
cli-lots-correction-needs-mass-grade = une correction demande --mass, --grade ou les deux

## outbox.rs
cli-outbox-waiting-another-madini-command = attente d'une autre commande madini qui utilise la boîte d'envoi...
cli-outbox-outbox-file-damaged = le fichier { $path } de la boîte d'envoi est endommagé : { $error }
cli-outbox-move-out-outbox-re = déplacez-le hors de la boîte d'envoi et signez à nouveau l'événement
cli-outbox-node-cannot-reached = le nœud { $url } est injoignable
cli-outbox-node-s-checkpoint-does = le point de contrôle du nœud ne se vérifie pas avec la clé retenue : { $error }
cli-outbox-node-answered-events = le nœud a répondu pour { $answered } événements sur { $sent }

## parse.rs
cli-parse-not-mineral-use-cassiterite = { $value } n'est pas un minerai ; utilisez cassiterite, coltan, wolframite, gold ou un code SH (2609.00.00, 2615.90.00, 2611.00.00, 7108.12.00)
cli-parse-not-role-use-authority = { $value } n'est pas un rôle ; utilisez authority, inspector, cooperative, trader, shipper, processor, warehouse, importer ou exporter
cli-parse-not-public-key-keys = { $value } n'est pas une clé publique ; les clés s'écrivent ed25519:BASE64, comme les affiche `madini key show`
cli-parse-not-event-hash-hex = { $value } n'est pas une empreinte d'événement (64 chiffres hexadécimaux)
cli-parse-not-site-status-use = { $value } n'est pas un statut de site ; utilisez blue, green, yellow ou red (MDC.01 0-3)
cli-parse-inspection-green-yellow-red = une inspection est green, yellow ou red (blue signifie non inspecté)
cli-parse-not-inspection-result-use = { $value } n'est pas un résultat d'inspection ; utilisez green, yellow ou red
cli-parse-not-activity-status-use = { $value } n'est pas un statut d'activité ; utilisez active, non-active ou abandoned (MDC.02)
cli-parse-not-incident-category-use = { $value } n'est pas une catégorie d'incident ; utilisez armed-group, child-labour, smuggling, tag-fraud, illegal-taxation, fraud, violence, safety ou other
cli-parse-not-case-status-use = { $value } n'est pas un statut de dossier ; utilisez open, investigating, resolved ou dismissed
cli-parse-not-licence-type-use = { $value } n'est pas un type de licence ; utilisez claim, exploration_permit, mining_license, artisanal_permit, unlicensed ou other
cli-parse-packages = le nombre de colis va de 1 à 1000
cli-parse-capacity-window-days = une fenêtre de capacité va de 1 à 366 jours
cli-parse-tag-width-digits = une largeur d'étiquette va de 1 à 12 chiffres
cli-parse-minor-unit-currency-not = l'unité divisionnaire de la devise { $currency } est inconnue ; utilisez USD, EUR, CDF, RWF, BIF, UGX, TZS ou KES
cli-parse-amount-decimals = montant { $value } : { $error } ({ $currency } a { $digits } décimales)
cli-parse-outside-degrees = { $value } est hors de -{ $max }..{ $max } degrés
cli-parse-point-not-latitude-longitude = le point { $value } n'est pas `latitude,longitude` en degrés décimaux (ex. -1.6790,29.2220)

## read.rs
cli-read-claims = déclare
cli-read-delay = signé après
cli-read-delay-min = { $n } min
cli-read-delay-h = { $n } h
cli-read-delay-d = { $n ->
    [one] { $n } jour
   *[other] { $n } jours
}
cli-read-new-passphrase = nouvelle phrase secrète :
cli-read-again = encore :
cli-read-two-passphrases-differ = les deux phrases secrètes diffèrent
cli-read-passphrase-shorter-than-characters = la phrase secrète fait moins de 8 caractères
cli-read-new-key-written-mode = nouvelle clé écrite dans { $path } (mode 0600)
cli-read-give-public-key-registry = donnez la clé publique à votre registre pour l'enregistrer ; ne partagez jamais le fichier
cli-read-public-key = clé publique :
cli-read-key-id = identifiant :
cli-read-file = fichier :
cli-read-setting = réglage
cli-read-value = valeur
cli-read-set-node-not-http = { $flag } { $url } n'est pas une URL http:// ou https://
cli-read-profile-saved = profil enregistré dans { $file }
cli-read-outbox-empty = la boîte d'envoi est vide
cli-read-event = événement
cli-read-fate = sort
cli-read-events-still-wait-outbox = { $count } événements attendent encore dans la boîte d'envoi ({ $why }) ; relancez `madini sync` plus tard
cli-read-nothing-waiting-outbox = rien en attente dans la boîte d'envoi
cli-read-signed = signé
cli-read-refused-node = refusés par le nœud :
cli-read-rule = règle
cli-read-reason = motif
cli-read-node = nœud
cli-read-log = journal
cli-read-log-key = clé du journal
cli-read-entries = entrées
cli-read-root = racine
cli-read-checkpoint = point de contrôle
cli-read-signed-s-ago-verified = signé { $time } (il y a { $age } s), vérifié
cli-read-outbox = boîte d'envoi
cli-read-waiting = { $waiting } en attente
cli-read-anonymous = (anonyme)
cli-read-index = index
cli-read-lot = lot
cli-read-claimed = déclaré
cli-read-recorded = enregistré
cli-read-signer = signataire
cli-read-mass = masse
cli-read-grade = teneur
cli-read-detail = détail
cli-read-custodian = détenteur
cli-read-offered = offert à
cli-read-tag = étiquette
cli-read-latest-event = dernier événement
cli-read-keys = clés
cli-read-capacity = capacité
cli-read-operators = exploitants

## registry.rs
cli-registry-revoke-name-owner = la clé { $key } n'est pas celle de { $actor } : pour révoquer la clé d'un autre acteur, nommez son titulaire avec --owner ACTEUR
cli-registry-required = { $opt } est obligatoire
cli-registry-role-required-least-one = --role est obligatoire (au moins un rôle)
cli-registry-public-key-required-actor = --public-key est obligatoire : l'acteur signe avec (donnée par `madini key show` sur son appareil)
cli-registry-warning-node-cannot-reached = attention : le nœud est injoignable, le profil est donc remplacé tel quel : les champs omis sont effacés
cli-registry-warning-s-icglr-documents = attention : les documents ICGLR de { $id } ne seront pas valides sans représentant légal, téléphone E.164 et courriel dont le dernier label a 2 à 4 lettres (manquant ou refusé : { $fields }) ; ajoutez --representative, --phone, --email
cli-registry-give-new-key-new = donnez la nouvelle clé avec --new ed25519:... ou --new-key-file FICHIER
cli-registry-name-least-one-subject = nommez au moins un sujet avec --lot, --site ou --about-actor
cli-registry-case-id-keep-receipt = numéro de dossier (gardez-le comme reçu) : { $case }
cli-registry-inclusion-proof-checked-entry = preuve d'inclusion vérifiée : l'entrée { $index } est dans le journal signé de { $size } entrées

## tags.rs
cli-tags-lot-not-registered-mine = le lot { $lot } n'a pas été enregistré à une mine (il provient d'une division, fusion ou transformation) : il n'a pas d'étiquette de sac
cli-tags-lot-registered-key-not = le lot { $lot } a été enregistré avec la clé { $key }, pas celle de cet appareil ({ $my_id }) : seule la coopérative qui l'a enregistré peut signer son étiquette
cli-tags-svg-png-files-hold = les fichiers svg et png contiennent une étiquette ; utilisez --format pdf pour { $count } étiquettes
cli-tags-per-page = --per-page vaut 8 ou 24
cli-tags-no-lot-print-name = aucun lot à imprimer : nommez des lots, ou utilisez --since DATE pour ceux enregistrés sur cet appareil
cli-tags-labels-written = { $count } étiquettes écrites dans { $file }
cli-tags-cannot-read-image = impossible de lire l'image { $path } : { $error }
cli-tags-no-readable-qr-code = aucun code QR lisible dans { $path }
cli-tags-take-photo-again-closer = reprenez la photo de plus près et mieux éclairée, ou saisissez le contenu
cli-tags-qr-code-does-not = le code QR de { $path } ne contient pas de clé publique (ed25519:...)
cli-tags-photograph-key-screen-field = photographiez l'écran de clé de l'application de terrain, ou saisissez la clé avec --public-key
cli-tags-tag-cannot-trusted = cette étiquette n'est pas digne de confiance : { $why }
cli-tags-signed-key-which-not = elle est signée par la clé { $kid }, qui n'est pas une clé enregistrée connue de cet appareil (étiquette étrangère ou falsifiée)
cli-tags-if-registry-registered-cooperative = si le registre a enregistré cette coopérative récemment, connectez-vous une fois pour que l'appareil apprenne sa clé
cli-tags-signature-does-not-verify = sa signature ne se vérifie pas : les chiffres imprimés ont été modifiés après la signature
cli-tags-signer-not-cooperative = le signataire { $signer } n'est pas une coopérative
cli-tags-claim-valid-tag-lot = déclaration VALIDE : étiquette { $tag }, lot { $lot }, site { $site }, { $mass } à { $grade }, signée par { $signer }
cli-tags-log-held-status-verifier = au journal : détenu par { $custodian }, statut { $status }, verdict du vérificateur { $verdict }
cli-tags-offline-claim-authentic-current = hors ligne : la déclaration est authentique ; son état actuel au journal n'a pas été vérifié
cli-tags-problem = PROBLÈME :
cli-tags-log-no-lot-tag = le journal n'a aucun lot portant l'étiquette { $tag } : elle n'a jamais été enregistrée sur ce journal
cli-tags-log-tag-attached-lot = au journal, l'étiquette { $tag } est posée sur le lot { $on_log }, pas { $lot } : l'étiquette a été déplacée ou copiée
cli-tags-registration-log-states-other = l'enregistrement au journal indique d'autres chiffres que l'étiquette
cli-tags-open-incident-puts-lot = un incident ouvert place ce lot en cours d'examen

## verify.rs
cli-verify-policy-line = fichier de politique { $file }, ligne { $line }, clé { $key } : { $error }
cli-verify-tiles-unreadable = impossible de lire { $what } : { $error }
cli-verify-tiles-unreadable-fix = vérifiez --tiles : c'est l'URL sous laquelle les tuiles sont servies, où URL/checkpoint est le point de contrôle signé du journal
cli-verify-tiles-checkpoint-bad = le point de contrôle de { $url } ne se vérifie pas avec la clé en laquelle cet appareil a confiance : { $error }
cli-verify-tiles-bundle-bad = un paquet d'entrées de { $url } ne correspond pas au point de contrôle : { $error }
cli-verify-see-spec-verifier-md = voir spec/verifier.md section 4 pour les clés et leurs valeurs par défaut
cli-verify-device-no-trusted-key = cet appareil n'a aucune clé de confiance pour le journal { $origin }
cli-verify-pass-vkey-key-registry = passez --vkey avec la clé publiée par le registre, ou lancez une fois `madini log status` sur son nœud
cli-verify-verified-every-signature-proof = VÉRIFIÉ : signatures, preuves et règles sont en ordre, aucune constatation n'est une erreur
cli-verify-verified-findings-data-authentic = VÉRIFIÉ AVEC CONSTATATIONS : les données sont authentiques, mais les chiffres ne concordent pas tous
cli-verify-cannot-verified-data-altered = INVÉRIFIABLE : les données ont été modifiées ou ne correspondent pas au journal signé
cli-verify-log-scope-entries-root = journal { $origin } (portée { $scope }), { $count } entrées, racine { $root }
cli-verify-policy = politique { $policy } ({ $digest })
cli-verify-findings-critical-errors-warnings = constatations : { $critical } critiques, { $errors } erreurs, { $warnings } avertissements, { $info } infos
cli-verify-under-review-open-incidents = en cours d'examen (incidents ouverts) : { $count ->
    [one] { $count } lot
   *[other] { $count } lots
}
cli-verify-lots = lots
cli-verify-tolerance = tolérance
cli-verify-not-checked-scope = non vérifié dans cette portée :
cli-verify-not-lot-bundle = { $file } n'est pas un paquet de lot : { $error }
cli-verify-bundle-lot-not = le paquet concerne le lot { $bundle }, pas { $lot }
cli-verify-bundle-lot-entries-written = paquet du lot { $lot } ({ $count } entrées) écrit dans { $file } ; vérifiez-le partout avec `madini verify lot { $lot } --bundle { $file }`
cli-verify-node-stopped-serving-entries = le nœud a cessé de servir les entrées à { $next } sur { $size }
cli-verify-node-sent-entries-out = le nœud a envoyé les entrées dans le désordre à { $next }
cli-verify-entry-node-not-base64 = l'entrée { $next } du nœud n'est pas en base64 : { $error }
cli-verify-not-readable-log-archive = { $path } n'est pas une archive de journal lisible : { $why }
cli-verify-archive-s-checkpoint-does = le point de contrôle de l'archive ne se vérifie pas avec la clé de confiance : { $error }
cli-verify-entries-log-written-audit = { $size } entrées du journal { $origin } écrites dans { $file } ; auditez-le hors ligne avec `madini audit --archive { $file }`

## Aide (help.rs) : les textes about et help de clap, selon leur place dans l'arbre des commandes.
## cli-help est `madini` lui-même, cli-help-lot-register est `madini lot register` ;
## un argument ajoute deux tirets et son nom long (ou son nom, s'il est positionnel) :
## cli-help-lot-register--mass. Les arguments globaux et les --help et --version de
## clap sont ceux de la racine (cli-help--node) ; cli-help-help est la commande `help`
## de clap à tous les niveaux. Un texte commun à plusieurs arguments est écrit une fois
## et référencé ({ cli-help-... }). cli-help-after termine `madini --help`.
cli-help-after =
    Codes de sortie : 0 succès ; 1 une vérification a trouvé des problèmes (constats du vérificateur de gravité erreur ou critique) ; 2 erreur d'usage ou de saisie (une mauvaise valeur est refusée avant toute action), y compris un événement refusé par le nœud ; 3 le nœud est injoignable ou indigne de confiance (y compris une réponse qui n'est pas celle que décrit spec/http.md), ou des données ne se vérifient pas. Une sortie standard fermée (madini ... | head) ne change pas le code.
    Environnement : MADINI_NODE, MADINI_KEY, MADINI_ACTOR, MADINI_PROFILE, MADINI_LANG, MADINI_HOME (dossier de configuration et de données), MADINI_PASSPHRASE (pour les clés chiffrées dans les scripts), MADINI_CA_FILE (certificats PEM de confiance pour HTTPS à la place des autorités publiques, pour un nœud qui a son propre certificat).

## madini
cli-help = Madini : suivre les lots de 3T et d'or de la mine à l'exportation sur un registre signé et public
cli-help--node = URL du nœud (par défaut celle du profil, sinon http://127.0.0.1:8080)
cli-help--key = Fichier de clé privée (PKCS#8 PEM, mode 0600)
cli-help--actor = Identifiant de l'acteur pour lequel vous agissez
cli-help--profile = Profil nommé du fichier de configuration
cli-help--json = Sortie JSON, lisible par une machine
cli-help--lang = Langue des messages : en, fr ou sw (par défaut : celle du profil, puis celle du système)
cli-help--offline = Signer dans la boîte d'envoi sans contacter le nœud
cli-help--strict = Ne pas signer un événement de lot que les vérifications avant signature signalent (sortie 1)
cli-help-audit--tiles = Auditer à partir des tuiles C2SP du journal à cette URL (un nœud, ou toute copie statique de ses tuiles) au lieu de l'API du nœud
cli-help-log-fetch--tiles = Lire le journal à partir de ses tuiles C2SP à cette URL (un nœud, ou toute copie statique de ses tuiles) au lieu de l'API du nœud
cli-help--help = Afficher l'aide
cli-help--version = Afficher la version

## madini key
cli-help-key = Créer et afficher des clés ; remplacer et révoquer des clés enregistrées
cli-help-key-new = Créer une nouvelle clé Ed25519 (PKCS#8 PEM, mode 0600)
cli-help-key-new--out = Où l'écrire (par défaut : key.pem à côté du fichier de configuration)
cli-help-key-new--encrypt = La chiffrer avec une phrase secrète (demandée, ou MADINI_PASSPHRASE)
cli-help-key-show = Afficher la clé publique et l'identifiant de la clé en vigueur
cli-help-key-rotate = Remplacer une clé enregistrée par une nouvelle
cli-help-key-rotate--owner = À qui est la clé (par défaut : l'acteur en vigueur)
cli-help-key-rotate--old = Identifiant de la clé remplacée (par défaut : la clé en vigueur)
cli-help-key-rotate--new = La nouvelle clé publique, ed25519:BASE64
cli-help-key-rotate--new-key-file = Ou le fichier de la nouvelle clé (sa clé publique est utilisée ; le fichier reste sur cet appareil)
cli-help-key-rotate--time = Quand cela s'est passé (AAAA-MM-JJ ou AAAA-MM-JJTHH:MM:SSZ ; par défaut maintenant)
cli-help-key-revoke = Révoquer une clé enregistrée à partir de maintenant
cli-help-key-revoke--owner = { cli-help-key-rotate--owner }
cli-help-key-revoke--key-id = Identifiant de la clé à révoquer
cli-help-key-revoke--reason = Pourquoi (appareil perdu, compromission...)
cli-help-key-revoke--time = { cli-help-key-rotate--time }

## madini help
cli-help-help = Afficher ce message ou l'aide des sous-commandes données

## madini profile
cli-help-profile = Afficher ou modifier le profil (URL du nœud, fichier de clé, identifiant d'acteur)
cli-help-profile-show = Afficher les réglages en vigueur et leur provenance
cli-help-profile-set = Modifier le profil dans le fichier de configuration
cli-help-profile-set--set-node = URL du nœud
cli-help-profile-set--set-key = Fichier de clé
cli-help-profile-set--set-actor = Identifiant d'acteur
cli-help-profile-set--set-lang = Langue (en, fr, sw)
cli-help-profile-set--set-vkey = La clé de vérification du journal (vkey C2SP) à exiger du nœud
cli-help-profile-set--set-tiles = Lire le journal à partir de ses tuiles C2SP à cette URL dans audit, verify lot, log fetch et scan

## madini actor
cli-help-actor = Enregistrer, mettre à jour, afficher et lister les acteurs
cli-help-actor-register = Enregistrer un acteur avec ses rôles et ses clés (autorité)
cli-help-actor-register--id = { cli-help-profile-set--set-actor }
cli-help-actor-register--name = Raison sociale
cli-help-actor-register--country = Pays d'enregistrement (ISO 3166-1 alpha-2)
cli-help-actor-register--role = Rôles (répétés ou séparés par des virgules) : authority, inspector, cooperative, trader, shipper, processor, warehouse, importer, exporter
cli-help-actor-register--public-key = Clés publiques ed25519:BASE64 (à l'enregistrement seulement ; à répéter pour plusieurs)
cli-help-actor-register--public-key-image = Photos des codes QR de clé publique, tels que l'application de terrain les affiche (à l'enregistrement seulement ; à répéter pour plusieurs)
cli-help-actor-register--tin = Numéro d'identification fiscale
cli-help-actor-register--locality = Localité de l'adresse
cli-help-actor-register--region-code = Code de région ISO 3166-2
cli-help-actor-register--region = Nom de la région
cli-help-actor-register--representative = Nom du représentant
cli-help-actor-register--phone = Téléphone (E.164, par ex. +250788000000)
cli-help-actor-register--email = Courriel
cli-help-actor-register--time = { cli-help-key-rotate--time }
cli-help-actor-update = Remplacer le profil d'un acteur (autorité) ; les champs omis gardent leur valeur si le nœud est joignable
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
cli-help-actor-show = Afficher un acteur
cli-help-actor-show--id = { cli-help-profile-set--set-actor }
cli-help-actor-list = Lister les acteurs

## madini licence
cli-help-licence = Accorder des licences
cli-help-licence-grant = Accorder une licence (autorité)
cli-help-licence-grant--id = Identifiant de la licence (licenseId MD.02)
cli-help-licence-grant--type = Type MDC.04 : claim, exploration_permit, mining_license, artisanal_permit, unlicensed, other
cli-help-licence-grant--holder = Acteur titulaire
cli-help-licence-grant--site = Site couvert
cli-help-licence-grant--mineral = Minerais couverts (répétés ou séparés par des virgules)
cli-help-licence-grant--granted = Date d'octroi
cli-help-licence-grant--expires = Date d'expiration
cli-help-licence-grant--time = { cli-help-key-rotate--time }

## madini site
cli-help-site = Enregistrer, mettre à jour, inspecter et afficher les sites miniers
cli-help-site-register = Enregistrer un site minier (autorité)
cli-help-site-register--id = Identifiant ICGLR du site, `CC-<lat><lon>-NNNNN` (par ex. RW-1.9641+30.0619-12345)
cli-help-site-register--national-id = Identifiant national
cli-help-site-register--name = Nom
cli-help-site-register--lat = Latitude, en degrés décimaux
cli-help-site-register--lon = Longitude, en degrés décimaux
cli-help-site-register--region-code = { cli-help-actor-register--region-code }
cli-help-site-register--region = { cli-help-actor-register--region }
cli-help-site-register--locality = Localité
cli-help-site-register--mineral = Minerais extraits (répétés ou séparés par des virgules)
cli-help-site-register--activity = Activité : active, non-active ou abandoned
cli-help-site-register--capacity = Capacité évaluée : au plus cette masse (par ex. 3t) par période de --capacity-days jours
cli-help-site-register--capacity-days = La période de capacité, en jours
cli-help-site-register--operator = Coopératives qui peuvent y enregistrer des lots (répétées ou séparées par des virgules)
cli-help-site-register--time = { cli-help-key-rotate--time }
cli-help-site-update = Remplacer le profil d'un site (autorité)
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
cli-help-site-inspect = Enregistrer une inspection (inspecteur)
cli-help-site-inspect--site = Identifiant du site
cli-help-site-inspect--id = Identifiant de l'inspection (inspectionId MD.07)
cli-help-site-inspect--date = Jour de l'inspection
cli-help-site-inspect--result = green, yellow ou red
cli-help-site-inspect--report = Le fichier du rapport complet : son SHA-256 est enregistré
cli-help-site-inspect--report-uri = Où lire le rapport
cli-help-site-inspect--purpose = Objet
cli-help-site-inspect--summary = Résumé des constatations
cli-help-site-inspect--time = { cli-help-key-rotate--time }
cli-help-site-status = Changer le statut de certification d'un site sans inspection (inspecteur ou autorité)
cli-help-site-status--site = { cli-help-site-inspect--site }
cli-help-site-status--status = blue, green, yellow ou red
cli-help-site-status--reason = Pourquoi
cli-help-site-status--time = { cli-help-key-rotate--time }
cli-help-site-show = Afficher un site
cli-help-site-show--site = { cli-help-site-inspect--site }
cli-help-site-list = Lister les sites

## madini tags
cli-help-tags = Attribuer des plages d'étiquettes aux sites ; chercher une étiquette
cli-help-tags-allocate = Attribuer une plage d'identifiants d'étiquettes à un site (autorité) : PRÉFIXE-NNNN de --first à --last
cli-help-tags-allocate--site = { cli-help-site-inspect--site }
cli-help-tags-allocate--prefix = Préfixe, par ex. RW-T
cli-help-tags-allocate--width = Chiffres du numéro, complétés par des zéros
cli-help-tags-allocate--first = Premier numéro
cli-help-tags-allocate--last = Dernier numéro
cli-help-tags-allocate--time = { cli-help-key-rotate--time }
cli-help-tags-show = À quel lot une étiquette est attachée, et son état
cli-help-tags-show--tag = Identifiant de l'étiquette
cli-help-tags-print = Imprimer les étiquettes QR de lots (svg, png ou un pdf A4 de 8 ou 24 étiquettes par page)
cli-help-tags-print--lots = Lots à imprimer (enregistrés avec la clé de cet appareil)
cli-help-tags-print--since = Aussi chaque lot que cet appareil a enregistré depuis cette date
cli-help-tags-print--format = svg, png (une étiquette) ou pdf (planches)
cli-help-tags-print--per-page = Étiquettes par page A4 : 8 ou 24
cli-help-tags-print--out = Fichier à écrire
cli-help-tags-print--base-url = URL de base des pages publiques du nœud (par défaut : l'URL du nœud en vigueur)

## madini lot
cli-help-lot = Enregistrer des lots et consigner tout ce qui leur arrive
cli-help-lot-register = Enregistrer un lot ensaché sur un site minier avec son étiquette (coopérative)
cli-help-lot-register--lot = Identifiant du nouveau lot
cli-help-lot-register--site = { cli-help-site-inspect--site }
cli-help-lot-register--tag = Identifiant de l'étiquette sur le sac
cli-help-lot-register--mineral = Minerai
cli-help-lot-register--mass = Masse (25.3kg, 1.2t, 25300g ; un nombre seul est en kg)
cli-help-lot-register--grade = Teneur (65.5%, 6550bp ; un nombre seul est en pour cent)
cli-help-lot-register--miner = Mineur ou équipe
cli-help-lot-register--gps = Où le sac a été scellé : latitude,longitude
cli-help-lot-register--packages = Nombre de sacs
cli-help-lot-register--label = Imprimer aussi l'étiquette du sac dans ce fichier (.pdf, .png ou .svg)
cli-help-lot-register--time = { cli-help-key-rotate--time }
cli-help-lot-offer = Offrir un lot à un autre acteur (la garde change quand il accepte)
cli-help-lot-offer--lot = Identifiant du lot
cli-help-lot-offer--to = Identifiant de l'acteur qui reçoit
cli-help-lot-offer--mass = Masse remise (par défaut : la masse actuelle du lot)
cli-help-lot-offer--grade = Teneur remise (par défaut : la teneur actuelle du lot)
cli-help-lot-offer--price = Prix de vente (unités principales), avec --currency
cli-help-lot-offer--currency = Devise ISO 4217 du prix
cli-help-lot-offer--prev = Empreinte du dernier événement du lot (par défaut : trouvée dans la boîte d'envoi, sur le nœud ou dans le cache)
cli-help-lot-offer--time = { cli-help-key-rotate--time }
cli-help-lot-accept = Accepter un lot qui vous est offert, avec ce que vous avez pesé et analysé
cli-help-lot-accept--lot = { cli-help-lot-offer--lot }
cli-help-lot-accept--mass = Masse reçue (par défaut : la masse offerte)
cli-help-lot-accept--grade = Teneur reçue (par défaut : la teneur offerte)
cli-help-lot-accept--prev = { cli-help-lot-offer--prev }
cli-help-lot-accept--time = { cli-help-key-rotate--time }
cli-help-lot-refuse = Refuser un lot qui vous est offert
cli-help-lot-refuse--lot = { cli-help-lot-offer--lot }
cli-help-lot-refuse--reason = { cli-help-site-status--reason }
cli-help-lot-refuse--prev = { cli-help-lot-offer--prev }
cli-help-lot-refuse--time = { cli-help-key-rotate--time }
cli-help-lot-split = Diviser un lot en lots enfants : `--child ID:MASSE` ou `--child ID:MASSE:TENEUR` (la teneur par défaut est celle du parent)
cli-help-lot-split--lot = { cli-help-lot-offer--lot }
cli-help-lot-split--child = Lots enfants, par ex. --child L-7a:12kg --child L-7b:13.3kg
cli-help-lot-split--prev = { cli-help-lot-offer--prev }
cli-help-lot-split--time = { cli-help-key-rotate--time }
cli-help-lot-merge = Fusionner des lots d'un même minerai en un nouveau lot
cli-help-lot-merge--input = Lots d'entrée (répétés ou séparés par des virgules)
cli-help-lot-merge--lot = { cli-help-lot-register--lot }
cli-help-lot-merge--mass = Masse de sortie
cli-help-lot-merge--grade = Teneur de sortie
cli-help-lot-merge--time = { cli-help-key-rotate--time }
cli-help-lot-process = Traiter des lots en un nouveau lot (transformateur) : la masse baisse, la teneur monte
cli-help-lot-process--input = { cli-help-lot-merge--input }
cli-help-lot-process--lot = { cli-help-lot-register--lot }
cli-help-lot-process--mass = { cli-help-lot-merge--mass }
cli-help-lot-process--grade = { cli-help-lot-merge--grade }
cli-help-lot-process--method = Méthode, par ex. lavage, séparation magnétique
cli-help-lot-process--time = { cli-help-key-rotate--time }
cli-help-lot-transport = Consigner un transport : --from et --to sont NOM ou NOM@LAT,LON
cli-help-lot-transport--lot = { cli-help-lot-offer--lot }
cli-help-lot-transport--from = Lieu de départ
cli-help-lot-transport--to = Lieu d'arrivée
cli-help-lot-transport--departed = Heure de départ
cli-help-lot-transport--arrived = Heure d'arrivée
cli-help-lot-transport--carrier = Transporteur
cli-help-lot-transport--method = Moyen (camion, moto, bateau...)
cli-help-lot-transport--prev = { cli-help-lot-offer--prev }
cli-help-lot-transport--time = { cli-help-key-rotate--time }
cli-help-lot-store = Consigner un stockage en un lieu (NOM ou NOM@LAT,LON)
cli-help-lot-store--lot = { cli-help-lot-offer--lot }
cli-help-lot-store--place = Lieu
cli-help-lot-store--warehouse = Identifiant de l'acteur entrepôt
cli-help-lot-store--prev = { cli-help-lot-offer--prev }
cli-help-lot-store--time = { cli-help-key-rotate--time }
cli-help-lot-tax = Consigner une taxe, un droit ou une redevance payée sur le lot (ICGLR MD.13)
cli-help-lot-tax--lot = { cli-help-lot-offer--lot }
cli-help-lot-tax--type = redevance, taxe à l'exportation, droit...
cli-help-lot-tax--amount = Montant en unités principales (1250.50)
cli-help-lot-tax--currency = Devise ISO 4217
cli-help-lot-tax--authority = Qui l'a perçue
cli-help-lot-tax--receipt = Numéro de reçu
cli-help-lot-tax--paid = Date de paiement (par défaut aujourd'hui)
cli-help-lot-tax--prev = { cli-help-lot-offer--prev }
cli-help-lot-tax--time = { cli-help-key-rotate--time }
cli-help-lot-export = Exporter un lot sous un certificat (exportateur)
cli-help-lot-export--lot = { cli-help-lot-offer--lot }
cli-help-lot-export--cert = Numéro du certificat
cli-help-lot-export--mass = Masse exportée (par défaut : la masse du lot)
cli-help-lot-export--destination = Pays de destination
cli-help-lot-export--prev = { cli-help-lot-offer--prev }
cli-help-lot-export--time = { cli-help-key-rotate--time }
cli-help-lot-correct = Corriger la masse ou la teneur déclarée par un événement antérieur du lot
cli-help-lot-correct--lot = { cli-help-lot-offer--lot }
cli-help-lot-correct--event = Empreinte de l'événement corrigé
cli-help-lot-correct--mass = Masse corrigée
cli-help-lot-correct--grade = Teneur corrigée
cli-help-lot-correct--reason = { cli-help-site-status--reason }
cli-help-lot-correct--prev = { cli-help-lot-offer--prev }
cli-help-lot-correct--time = { cli-help-key-rotate--time }
cli-help-lot-show = L'état d'un lot et son historique sous forme de tableau
cli-help-lot-show--lot = { cli-help-lot-offer--lot }
cli-help-lot-history = La provenance du lot : chaque événement de sa chaîne et des lots dont il est issu, avec signataires et dates
cli-help-lot-history--lot = { cli-help-lot-offer--lot }
cli-help-lot-bundle = Enregistrer le paquet du lot (entrées, preuves, point de contrôle) pour une vérification hors ligne
cli-help-lot-bundle--lot = { cli-help-lot-offer--lot }
cli-help-lot-bundle--out = { cli-help-tags-print--out }
cli-help-lot-list = Les lots, du plus récent au plus ancien
cli-help-lot-list--limit = Combien

## madini cert
cli-help-cert = Demander et délivrer des certificats d'exportation
cli-help-cert-request = Demander un certificat d'exportation (exportateur)
cli-help-cert-request--id = Identifiant de la demande
cli-help-cert-request--lot = Lots à exporter (répétés ou séparés par des virgules)
cli-help-cert-request--mineral = { cli-help-lot-register--mineral }
cli-help-cert-request--mass = Masse totale (par ex. 1.2t)
cli-help-cert-request--destination = { cli-help-lot-export--destination }
cli-help-cert-request--time = { cli-help-key-rotate--time }
cli-help-cert-issue = Délivrer un certificat d'exportation (autorité ; ICGLR MD.03)
cli-help-cert-issue--id = { cli-help-lot-export--cert }
cli-help-cert-issue--exporter = Exportateur autorisé à l'utiliser
cli-help-cert-issue--lot = Lots couverts (répétés ou séparés par des virgules)
cli-help-cert-issue--mineral = { cli-help-lot-register--mineral }
cli-help-cert-issue--mass = Masse certifiée
cli-help-cert-issue--origin = Pays d'origine déclarés (répétés ou séparés par des virgules)
cli-help-cert-issue--destination = { cli-help-lot-export--destination }
cli-help-cert-issue--issued = Date de délivrance (par défaut aujourd'hui)
cli-help-cert-issue--expires = Expiration (par défaut : 90 jours après la délivrance, le maximum ICGLR)
cli-help-cert-issue--request = La demande à laquelle il répond
cli-help-cert-issue--time = { cli-help-key-rotate--time }

## madini incident
cli-help-incident = Signaler des incidents (anonymement si vous le souhaitez) et suivre les dossiers
cli-help-incident-report = Signaler un incident concernant des lots, sites ou acteurs ; --anonymous signe avec une clé jetable
cli-help-incident-report--lot = Lots concernés (répétés ou séparés par des virgules)
cli-help-incident-report--site = Sites concernés
cli-help-incident-report--about-actor = Acteurs concernés
cli-help-incident-report--category = armed-group, child-labour, smuggling, tag-fraud, illegal-taxation, fraud, violence, safety, other
cli-help-incident-report--summary = Ce qui s'est passé
cli-help-incident-report--evidence = Fichier de preuve gardé hors du journal : seul son SHA-256 est enregistré
cli-help-incident-report--anonymous = Signaler sans révéler qui vous êtes (une clé neuve, jamais conservée)
cli-help-incident-report--time = { cli-help-key-rotate--time }
cli-help-incident-open = Lire le texte scellé d'un dossier avec votre clé (un responsable pour qui il a été scellé)
cli-help-incident-open--case = { cli-help-incident-status--case }
cli-help-incident-status = Changer le statut d'un dossier (autorité ou inspecteur) : open, investigating, resolved, dismissed
cli-help-incident-status--case = Identifiant du dossier (l'empreinte de l'événement du signalement)
cli-help-incident-status--status = Nouveau statut
cli-help-incident-status--note = Note
cli-help-incident-status--time = { cli-help-key-rotate--time }
cli-help-incident-show = Afficher un dossier et son historique
cli-help-incident-show--case = Identifiant du dossier

## madini import
cli-help-import = Import en masse d'acteurs et de sites (CSV, JSON ICGLR MD.01)
cli-help-import-actors = Enregistrer des acteurs depuis un fichier CSV (autorité)
cli-help-import-actors--file = Le fichier CSV
cli-help-import-sites = Enregistrer des sites miniers depuis un fichier CSV (autorité)
cli-help-import-sites--file = { cli-help-import-actors--file }
cli-help-import-icglr-sites = Enregistrer des sites miniers depuis du JSON ICGLR MD.01 (un enregistrement ou un tableau)
cli-help-import-icglr-sites--file = Le fichier JSON
cli-help-import-icglr-sites--capacity = Capacité des enregistrements qui n'en indiquent pas (par ex. 3t)
cli-help-import-icglr-sites--capacity-days = Sa période en jours
cli-help-import-icglr-entities = Enregistrer des entités commerciales depuis du JSON ICGLR MD.04 ; leurs clés et rôles viennent d'un fichier CSV `id,roles,public_keys`
cli-help-import-icglr-entities--file = { cli-help-import-icglr-sites--file }
cli-help-import-icglr-entities--credentials = CSV des rôles Madini et des clés publiques de chaque entité

## madini sync
cli-help-sync = Envoyer la boîte d'envoi au nœud, dans l'ordre de signature

## madini outbox
cli-help-outbox = Lister les événements en attente dans la boîte d'envoi (et ceux que le nœud a refusés)

## madini log
cli-help-log = Le journal : taille, racine, âge du point de contrôle ; le télécharger entier dans une archive
cli-help-log-status = Taille, racine et âge du point de contrôle, vérifiés avec la clé de journal retenue
cli-help-log-fetch = Télécharger tout le journal dans un fichier d'archive (`spec/verifier.md` section 6)
cli-help-log-fetch--out = Fichier d'archive à écrire

## madini verify
cli-help-verify = Vérifier la chaîne d'origine d'un lot depuis son paquet, hors ligne au besoin
cli-help-verify-lot = Un lot : récupéré sur le nœud, ou depuis un fichier de paquet avec --bundle (sans réseau)
cli-help-verify-lot--lot = { cli-help-lot-offer--lot }
cli-help-verify-lot--bundle = Vérifier ce fichier de paquet, sans réseau (issu de `madini lot bundle`)
cli-help-verify-lot--tiles = Assembler le paquet du lot à partir des tuiles C2SP du journal à cette URL (un nœud, ou toute copie statique de ses tuiles) au lieu de l'API du nœud
cli-help-verify-lot--policy = Fichier de politique (TOML, `spec/verifier.md` section 4) ; par défaut : la politique intégrée
cli-help-verify-lot--vkey = Faire confiance à cette clé de journal (vkey C2SP) plutôt qu'à celle retenue sur cet appareil

## madini audit
cli-help-audit = Vérifier un journal entier : chaque signature, preuve et règle, et chaque constat
cli-help-audit--archive = Auditer une archive de journal (issue de `madini log fetch`) plutôt que le nœud
cli-help-audit--threads = Fils d'exécution pour les vérifications de signature (par défaut : tous les cœurs)
cli-help-audit--policy = { cli-help-verify-lot--policy }
cli-help-audit--vkey = { cli-help-verify-lot--vkey }

## madini scan
cli-help-scan = Vérifier l'étiquette QR d'un sac : son attestation signée hors ligne, et le lot dans le journal en ligne
cli-help-scan--payload = Le contenu du QR (le texte que donne un lecteur de QR)
cli-help-scan--image = Ou une photo ou un scan de l'étiquette (PNG ou JPEG)
cli-help-scan--tiles = Vérifier le lot dans le journal lu à partir de ses tuiles C2SP à cette URL (un nœud, ou toute copie statique de ses tuiles) au lieu de l'API du nœud

## madini export
cli-help-export = Documents ICGLR et EPCIS, recalculés depuis le journal sur cet appareil
cli-help-export-icglr = Documents du standard de données ICGLR, un fichier JSON par document dans DIR
cli-help-export-icglr--what = sites (MD.01), lots (MD.12), certificates (MD.03) ou entities (MD.04)
cli-help-export-icglr--out = Dossier où écrire
cli-help-export-icglr--archive = Lire le journal depuis une archive plutôt que sur le nœud
cli-help-export-icglr--policy = { cli-help-verify-lot--policy }
cli-help-export-icglr--vkey = { cli-help-verify-lot--vkey }
cli-help-export-epcis = Un document GS1 EPCIS 2.0 : la provenance d'un lot, une période, ou tout
cli-help-export-epcis--lot = Un lot et tout ce dont il est issu
cli-help-export-epcis--from = Entrées enregistrées à partir de cette date (incluse)
cli-help-export-epcis--to = Entrées enregistrées jusqu'à cette date (exclue)
cli-help-export-epcis--out = { cli-help-tags-print--out }
cli-help-export-epcis--archive = { cli-help-export-icglr--archive }
cli-help-export-epcis--policy = { cli-help-verify-lot--policy }
cli-help-export-epcis--vkey = { cli-help-verify-lot--vkey }

## madini report
cli-help-report = Rapports publics : taxes, flux, acteurs, sites (depuis le nœud, ou --from-log)
cli-help-report--kind = taxes, flows, actors ou sites
cli-help-report--format = table, json, csv, ou geojson (sites)
cli-help-report--part = Pour les taxes en CSV : lines, periods ou untaxed
cli-help-report--year = Année de la « production de cette année » (par défaut : l'année de la dernière entrée)
cli-help-report--from-log = Recalculer depuis le journal brut sur cet appareil plutôt que de demander au nœud
cli-help-report--archive = Recalculer depuis une archive de journal (implique --from-log)
cli-help-report--policy = { cli-help-verify-lot--policy }
cli-help-report--vkey = { cli-help-verify-lot--vkey }

## help.rs: the headings of every help page (cli-help-heading-*), in place of clap's own words.
cli-help-heading-usage = Utilisation :
cli-help-heading-commands = Commandes
cli-help-heading-arguments = Arguments
cli-help-heading-options = Options

## help.rs : les erreurs d'usage de clap, à la place de son anglais (cli-usage-*).
## $cmd est la commande telle que tapée jusque-là (madini lot register).
cli-usage-unknown-argument = { $cmd } ne prend pas { $arg }
cli-usage-unknown-command = { $cmd } n'a pas de commande { $name }
cli-usage-invalid-value = { $arg } n'accepte pas la valeur « { $value } » ; utilisez l'une de { $valid }
cli-usage-missing = { $cmd } a besoin de { $args }
cli-usage-missing-command = { $cmd } a besoin d'une commande
cli-usage-conflict = { $arg } ne peut pas être utilisé avec { $other }
cli-usage-needs-value = { $arg } a besoin d'une valeur
cli-usage-no-equals = { $arg } prend sa valeur après un signe égal ({ $arg }=...)
cli-usage-values = { $arg } a reçu un mauvais nombre de valeurs
cli-usage-not-utf8 = un argument de { $cmd } n'est pas un texte UTF-8 valide
cli-usage-other = { $cmd } n'a pas pu lire sa ligne de commande
cli-usage-did-you-mean = vouliez-vous dire { $suggestion } ?
cli-usage-fix = lancez { $cmd } --help pour voir ce qu'elle accepte
