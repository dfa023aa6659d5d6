"""The rule catalogue in French: each rule's title and explanation, by rule id.

Kept apart from the English catalogue so that rules can be added there (and
by the modules that register their own) without touching this table; a test
fails when a registered rule has no French entry here. Canadian French, in
the words of the French edition of the documentation.
"""

from __future__ import annotations

from ._rules import RULES

#: rule id -> (title, explanation), in French.
RULES_FR: dict[str, tuple[str, str]] = {
    "json-syntax": (
        "Le fichier n'est pas du JSON valide",
        "Le fichier n'a pas pu être lu comme du JSON : un crochet, une virgule ou un guillemet "
        "manque ou est mal placé, ou le fichier a été tronqué avant sa fin. Rien de son contenu "
        "n'a pu être vérifié. Ouvrez-le dans un éditeur de texte à la ligne et à la colonne "
        "indiquées et corrigez-le.",
    ),
    "json-empty": (
        "Le fichier est vide",
        "Le fichier ne contient aucune donnée (ou seulement des espaces et des sauts de ligne). "
        "Un fichier d'enregistrements doit contenir au moins une liste vide, écrite [].",
    ),
    "json-encoding": (
        "Le fichier n'est pas du texte UTF-8",
        "Les fichiers JSON doivent être écrits dans l'encodage de caractères UTF-8. Le fichier "
        "contient des octets qui ne sont pas de l'UTF-8, ou il est dans un autre encodage, comme "
        "l'UTF-16. Enregistrez-le de nouveau en UTF-8.",
    ),
    "json-bom": (
        "Le fichier commence par une marque d'ordre des octets",
        "Le fichier commence par une marque d'ordre des octets (BOM) UTF-8 invisible, que "
        "certains éditeurs ajoutent. Le JSON ne la permet pas; hsdata lit tout de même le "
        "fichier, mais d'autres outils peuvent le refuser. Enregistrez le fichier en UTF-8 sans "
        "BOM.",
    ),
    "json-duplicate-key": (
        "Un champ figure deux fois dans le même objet",
        "Le même nom de champ est écrit deux fois dans un objet. La plupart des lecteurs JSON ne "
        "gardent en silence que la dernière valeur : des données seraient perdues sans que "
        "personne ne s'en aperçoive. Gardez l'une des deux.",
    ),
    "json-not-a-number": (
        "NaN ou Infinity n'est pas une valeur JSON",
        "Le fichier contient NaN, Infinity ou -Infinity, que certains programmes écrivent mais "
        "que le JSON ne permet pas. Écrivez le nombre, ou omettez le champ s'il n'est pas connu.",
    ),
    "json-number-range": (
        "Un nombre est trop grand pour être lu",
        "Un nombre du fichier dépasse le plus grand nombre décimal qu'un ordinateur peut stocker "
        "(environ 1,8 × 10^308). Il s'agit presque certainement d'une erreur.",
    ),
    "json-too-deep": (
        "Les données sont imbriquées trop profondément",
        "Les objets et les listes du fichier sont imbriqués les uns dans les autres sur plus de "
        "1 024 niveaux. Aucun enregistrement hsdata n'est imbriqué ainsi; le fichier a "
        "probablement été produit par erreur, ou pour attaquer le validateur.",
    ),
    "json-too-large": (
        "Le fichier est trop volumineux pour être lu d'un seul coup",
        "Un fichier JSON d'enregistrements (ou un datapackage.json, ou une ligne d'un fichier "
        "JSON Lines) dépasse ce que hsdata lit d'un seul coup, car sa lecture occuperait en "
        "mémoire plusieurs fois sa taille. Écrivez les données volumineuses en JSON Lines (un "
        "enregistrement par ligne, dans un fichier .jsonl), qui se lit ligne par ligne dans une "
        "mémoire bornée.",
    ),
    "json-top-level": (
        "Le fichier contient le mauvais genre de valeur",
        "Un fichier d'enregistrements doit contenir une liste d'enregistrements, écrite "
        "[ {...}, {...} ], et un fichier JSON Lines un enregistrement (un objet) par ligne. Un "
        "datapackage.json doit contenir un seul objet.",
    ),
    "json-record-not-object": (
        "Un enregistrement n'est pas un objet",
        "Chaque enregistrement doit être un objet JSON, écrit { ... }. Cet élément de la liste "
        "est plutôt une chaîne, un nombre, une liste ou null.",
    ),
    "input-not-found": (
        "Le fichier ou le dossier n'existe pas",
        "Le chemin donné au validateur n'existe pas ou ne peut pas être ouvert.",
    ),
    "input-usage": (
        "La commande n'a pas été employée correctement",
        "La ligne de commande demande une chose que le validateur n'offre pas : une option "
        "inconnue, une valeur manquante ou une valeur non permise. Exécutez "
        "« hsdata validate --help ».",
    ),
    "input-internal-error": (
        "Le validateur lui-même a échoué",
        "Un problème est survenu dans hsdata pendant la vérification des données : c'est une "
        "faute de hsdata, non des données. Rien n'a été vérifié entièrement. Veuillez le "
        "signaler aux responsables de hsdata, avec le message affiché.",
    ),
    "input-record-type-unknown": (
        "Le type des enregistrements est inconnu",
        "Le validateur n'a pas pu déterminer le genre d'enregistrements que contient un fichier. "
        "Nommez le fichier d'après son type d'enregistrement (events.json, actors.jsonl, "
        "issue-areas.json) ou indiquez son type lors de la validation (record_type en Python, "
        "--record-type en ligne de commande).",
    ),
    "input-schema-version-unknown": (
        "La version de la norme est inconnue",
        "Les données déclarent (ou la commande a demandé) une version de la norme hsdata que "
        "cette copie de hsdata ne comprend pas. Employez une version publiée, ou mettez hsdata "
        "à jour.",
    ),
    "package-descriptor-missing": (
        "Le dossier n'a pas de datapackage.json",
        "Un paquet de données est un dossier muni d'un fichier datapackage.json qui énumère ses "
        "ressources. Ce dossier n'en a pas.",
    ),
    "package-descriptor-invalid": (
        "Le datapackage.json n'est pas un Data Package valide",
        "Le datapackage.json ne suit pas la spécification Frictionless Data Package "
        "(version 2.0) : une propriété obligatoire manque ou n'a pas la bonne forme.",
    ),
    "package-path-url": (
        "Une ressource est une adresse Web",
        "Un paquet hsdata contient lui-même ses données : le chemin de chaque ressource doit "
        "être un fichier du dossier du paquet, non une adresse Web. Le validateur ne télécharge "
        "jamais rien.",
    ),
    "package-path-absolute": (
        "Le chemin d'une ressource est absolu",
        "Les chemins des ressources doivent être relatifs au dossier du paquet (comme "
        "« events.json »), jamais absolus (comme « /home/moi/events.json »), afin que le paquet "
        "fonctionne sur tout ordinateur et ne puisse pas désigner d'autres fichiers de celui-ci.",
    ),
    "package-path-outside": (
        "Le chemin d'une ressource sort du paquet",
        "Le chemin d'une ressource contient « .. » ou un autre moyen de sortir du dossier du "
        "paquet. Par sécurité, le validateur ne lit jamais un fichier situé hors du paquet.",
    ),
    "package-path-symlink": (
        "Une ressource est un lien vers un fichier hors du paquet",
        "Le fichier de la ressource est un lien symbolique qui mène hors du dossier du paquet. "
        "Par sécurité, le validateur ne le suit pas.",
    ),
    "package-resource-missing": (
        "Le fichier d'une ressource n'existe pas",
        "Le datapackage.json énumère une ressource dont le fichier n'est pas dans le dossier du "
        "paquet.",
    ),
    "package-resource-bytes": (
        "La taille d'une ressource diffère de la taille déclarée",
        "Le datapackage.json déclare la taille en octets d'une ressource, et le fichier a une "
        "autre taille : il a été modifié après la description du paquet, ou il est incomplet.",
    ),
    "package-resource-hash": (
        "La somme de contrôle d'une ressource diffère de celle déclarée",
        "Le datapackage.json déclare une somme de contrôle (empreinte) d'une ressource, et le "
        "fichier n'y correspond pas : il a été modifié après la description du paquet, ou il "
        "est endommagé.",
    ),
    "package-resource-schema": (
        "Une ressource n'indique pas le schéma hsdata qu'elle suit",
        "Chaque ressource d'un paquet hsdata nomme le schéma JSON de ses enregistrements dans "
        "« jsonSchema », comme « https://w3id.org/hsdata/schema/1.0/event.json ». Celle-ci n'en "
        "nomme aucun, ou nomme un schéma qui ne fait pas partie de la norme.",
    ),
    "package-record-type-mismatch": (
        "Le type d'enregistrement et le schéma d'une ressource ne concordent pas",
        "La propriété « hsdata:recordType » de la ressource nomme un genre d'enregistrement et "
        "son « jsonSchema » un autre.",
    ),
    "package-version-mismatch": (
        "Le paquet mêle des versions de la norme",
        "Toutes les ressources d'un paquet suivent une seule version de la norme, celle que "
        "nomme la propriété « hsdata:version » du paquet. Ici, le schéma d'une ressource nomme "
        "une autre version.",
    ),
    "package-extensions-unsupported": (
        "Les extensions du paquet n'ont pas été appliquées",
        "Le paquet déclare des extensions hsdata, que cette version du validateur n'applique pas "
        "encore : les enregistrements ont été vérifiés selon la norme seule, de sorte que les "
        "champs ajoutés par une extension sont signalés comme inconnus.",
    ),
    "schema-required": (
        "Un champ obligatoire manque",
        "Chaque enregistrement de ce type doit avoir ce champ, et il manque.",
    ),
    "schema-unknown-field": (
        "Un champ ne fait pas partie de la norme",
        "L'enregistrement a un champ que la norme ne définit pas à cet endroit. Il s'agit "
        "souvent d'une faute d'orthographe dans le nom d'un champ existant : le message propose "
        "le plus proche.",
    ),
    "schema-type": (
        "Une valeur n'est pas du bon genre",
        "La valeur n'est pas du bon genre : par exemple, du texte là où un nombre est attendu, "
        "ou une valeur unique là où une liste est attendue.",
    ),
    "schema-enum": (
        "Une valeur ne fait pas partie de celles permises",
        "Le champ n'accepte qu'un ensemble fixe de valeurs, et celle-ci n'en fait pas partie.",
    ),
    "schema-pattern": (
        "Une valeur n'est pas écrite sous la forme exigée",
        "La valeur n'a pas la forme qu'exige la norme, par exemple un identificateur contenant "
        "des majuscules ou des espaces, ou une étiquette de langue qui ne ressemble pas à « en » "
        "ou à « fr-CA ».",
    ),
    "schema-size": (
        "Une valeur est trop courte, trop longue ou vide",
        "Le texte, la liste ou l'objet est plus court ou plus long que ne le permet la norme, "
        "par exemple un nom vide ou une liste de citations sans citation.",
    ),
    "schema-range": (
        "Un nombre est hors des limites",
        "Le nombre est plus petit ou plus grand que ne le permet la norme, par exemple un "
        "numéro de paragraphe égal à 0.",
    ),
    "schema-unique-items": (
        "Une liste répète une valeur",
        "Chaque valeur ne peut figurer qu'une fois dans cette liste.",
    ),
    "schema-alternatives": (
        "Aucune des formes permises ne convient",
        "La valeur doit prendre l'une de plusieurs formes; par exemple, une citation doit situer "
        "son passage par au moins une section, un paragraphe, une page ou une citation textuelle. "
        "Elle n'en prend aucune.",
    ),
    "schema-reference-unresolvable": (
        "Un schéma renvoie à un schéma qui n'est pas fourni",
        "Les schémas employés pour la vérification renvoient (par $ref) à un autre schéma qui ne "
        "fait pas partie de hsdata, par exemple un schéma sur le Web. hsdata ne va jamais "
        "chercher de schémas sur le réseau : les enregistrements n'ont donc pas pu être vérifiés "
        "selon eux. C'est un problème des schémas (ou d'une extension), non des données.",
    ),
    "schema-other": (
        "L'enregistrement enfreint une autre règle de son schéma",
        "L'enregistrement enfreint une règle de son schéma JSON qu'aucune règle plus précise ne "
        "couvre; le message cite les mots du schéma lui-même.",
    ),
    "schema-deprecated-field": (
        "Un champ est obsolète",
        "Le champ est encore valide dans cette version de la norme, mais obsolète : il sera "
        "retiré dans une version majeure ultérieure. Le message nomme le champ à employer à la "
        "place; « hsdata upgrade » y déplace la valeur pour vous.",
    ),
    "id-duplicate": (
        "Deux enregistrements du même type ont le même identificateur",
        "Les identificateurs doivent être uniques parmi les enregistrements d'un même type, afin "
        "que chaque référence désigne exactement un enregistrement.",
    ),
    "ref-unresolved": (
        "Une référence désigne un enregistrement qui n'existe pas",
        "Le champ contient l'identificateur d'un autre enregistrement, et aucun enregistrement "
        "du type attendu n'a cet identificateur. Il est peut-être mal orthographié, ou "
        "l'enregistrement manque dans les données.",
    ),
    "ref-wrong-type": (
        "Une référence désigne un enregistrement du mauvais type",
        "Le champ doit nommer un enregistrement d'un certain type (par exemple un acteur), et "
        "l'identificateur donné appartient à un enregistrement d'un autre type (par exemple un "
        "partenariat).",
    ),
    "citation-unknown-source": (
        "Une citation nomme une source qui n'est pas déclarée",
        "Chaque citation nomme l'enregistrement de source dont elle provient, et cette source "
        "doit faire partie des sources de l'ensemble de données.",
    ),
    "citation-quote-not-found": (
        "Une citation textuelle ne se trouve pas dans le texte de sa source",
        "Le paquet contient le texte de la source citée (le fichier que nomme son fileName, dans "
        "le dossier du paquet), et aucun paragraphe de ce texte ne contient la citation mot pour "
        "mot. Une citation se recopie exactement, fautes d'orthographe comprises; l'espacement "
        "peut différer, et des points de suspension (… ou ...) peuvent remplacer des mots omis.",
    ),
    "citation-quote-elsewhere": (
        "Une citation textuelle se trouve dans sa source, mais pas à l'endroit cité",
        "La citation se trouve dans le texte de la source, mais pas dans la section et le "
        "paragraphe qu'indique la citation. Les paragraphes sont les blocs de texte séparés par "
        "des lignes vides, comptés à partir de 1 après le titre nommé comme section, ou depuis "
        "le début du texte lorsqu'aucune section n'est donnée. Le message indique où se trouve "
        "la citation.",
    ),
    "citation-place-not-found": (
        "Une section ou un paragraphe cité ne se trouve pas dans le texte de sa source",
        "Le paquet contient le texte de la source citée, et la section que nomme la citation "
        "n'en est pas un titre (un paragraphe qui se lit exactement ainsi, marques d'emphase "
        "mises à part), ou le texte compte moins de paragraphes que le numéro cité.",
    ),
    "source-text-digest": (
        "Le fichier texte d'une source n'est pas le texte que décrit son enregistrement",
        "Le fichier que l'enregistrement de source nomme par fileName se trouve dans le dossier "
        "du paquet, mais son empreinte SHA-256 n'est pas celle que donne l'enregistrement : le "
        "fichier a été modifié, ou c'est un autre texte. Les citations sont tout de même "
        "vérifiées selon lui; elles peuvent donc être signalées comme introuvables.",
    ),
    "source-text-unreadable": (
        "Le fichier texte d'une source ne peut pas être lu",
        "Le fichier que l'enregistrement de source nomme par fileName se trouve dans le dossier "
        "du paquet, mais il ne peut pas être lu comme texte de source : c'est un lien qui mène "
        "hors du paquet, ce n'est pas un fichier ordinaire, il dépasse 8 Mio ou ce n'est pas du "
        "texte UTF-8. Les citations de cette source ne sont pas vérifiées.",
    ),
    "codelist-closed": (
        "Un code ne figure pas dans sa liste de codes fermée",
        "Le champ prend un code d'une liste de codes fermée, qui énumère tous les codes permis; "
        "ce code n'en fait pas partie.",
    ),
    "codelist-open-unknown": (
        "Un code ne figure pas dans sa liste de codes ouverte",
        "Le champ prend un code d'une liste de codes ouverte : d'autres codes sont permis, mais "
        "celui-ci n'y figure pas, et d'autres utilisateurs risquent de ne pas le comprendre. "
        "Vérifiez son orthographe, ou proposez-le pour la liste de codes.",
    ),
    "codelist-deprecated": (
        "Un code est obsolète",
        "Le code est encore accepté, mais obsolète : il sera retiré dans une version ultérieure "
        "de la norme. La liste de codes indique quoi employer à la place.",
    ),
    "date-invalid": (
        "Une date n'est pas une vraie date écrite AAAA, AAAA-MM ou AAAA-MM-JJ",
        "Les dates s'écrivent sous forme d'année (« 1999 »), d'année et de mois (« 1998-12 ») "
        "ou de date complète (« 1998-05-11 »), et doivent exister dans le calendrier : "
        "« 1998-13 » ou « 1999-02-30 » n'existent pas.",
    ),
    "date-order": (
        "Une date de fin précède son début",
        "Une période se termine avant de commencer, ou un membre a quitté un partenariat avant "
        "d'y adhérer. Les dates partielles sont comparées avec équité : « 1998 » et « 1998-05 » "
        "peuvent se chevaucher, et seule une date certainement antérieure à une autre est une "
        "erreur.",
    ),
    "text-blank": (
        "Un texte n'affiche rien",
        "Le texte n'est pas vide, mais chacun de ses caractères est invisible : espaces, espaces "
        "ou liants sans chasse, marque d'ordre des octets, marques bidirectionnelles ou autres "
        "caractères qui ne s'affichent pas. Un nom ou une description composé de tels caractères "
        "paraît vide à tout le monde. Écrivez le texte, ou omettez le champ s'il n'est pas connu.",
    ),
    "text-control-character": (
        "Un texte contient un caractère de contrôle bidirectionnel ou NUL",
        "Le texte contient NUL (U+0000) ou un caractère qui change le sens d'affichage du texte "
        "(marques, enchâssements, forçages et isolats bidirectionnels, U+200E, U+200F, U+202A à "
        "U+202E, U+2066 à U+2069, U+061C). Ils sont invisibles, peuvent faire afficher le texte "
        "dans un autre ordre que celui où il est stocké, et NUL termine prématurément le texte "
        "dans bien des programmes. Retirez-les, à moins que le texte en ait vraiment besoin.",
    ),
    "language-tag-unknown": (
        "Une étiquette de langue ne figure pas dans le registre de l'IANA",
        "Les étiquettes de langue (les clés des textes multilingues, comme « en » et « fr-CA », "
        "et la langue d'une source) sont des étiquettes BCP 47 : chaque partie doit figurer dans "
        "le registre des sous-étiquettes de langue de l'IANA. Cette étiquette a la bonne forme, "
        "mais ne nomme aucune langue, comme « sp » pour l'espagnol (« es ») ou « jp » pour le "
        "japonais (« ja ») : d'autres programmes ne peuvent pas savoir en quelle langue est le "
        "texte. Les versions 1.0 et 1.1 de la norme acceptent l'étiquette; pour elles, c'est "
        "donc un avertissement.",
    ),
    "partnership-bilateral-parties": (
        "Un partenariat bilatéral n'a pas exactement deux parties",
        "Un partenariat bilatéral unit exactement deux membres ayant le rôle « party ».",
    ),
    "partnership-member-count": (
        "Le minimum d'un nombre de membres déclaré dépasse son maximum",
        "Un nombre de membres déclaré donne une borne inférieure et une borne supérieure; la "
        "borne inférieure ne doit pas dépasser la borne supérieure.",
    ),
    "event-before-partnership": (
        "Un événement d'un partenariat précède le début du partenariat",
        "Un événement qui appartient à un partenariat ne peut pas avoir lieu avant le début de "
        "celui-ci. Seul un événement certainement antérieur au début est signalé : une date "
        "partielle qui peut tomber ce jour-là ou plus tard est acceptée.",
    ),
    "hierarchy-cycle": (
        "Une hiérarchie tourne en rond",
        "Le parent (« parent ») d'un acteur et les enjeux plus larges (« broader ») d'un enjeu "
        "forment des hiérarchies : en les remontant depuis n'importe quel enregistrement, on "
        "doit arriver au sommet, jamais revenir à l'enregistrement de départ. Un "
        "enregistrement qui est son propre parent forme le plus court de ces cercles. Chaque "
        "cercle est signalé une fois, à celui de ses enregistrements rencontré en premier, "
        "avec toute la chaîne. Elle remplace la règle issue-area-cycle de hsdata 1.1.",
    ),
    "citation-pointer-missing": (
        "Une citation appuie un champ que l'enregistrement n'a pas",
        "La liste « supports » d'une citation donne des pointeurs JSON vers les champs de "
        "l'enregistrement qu'elle appuie, comme « /name/en » ou « /members/0 ». Chacun doit "
        "mener à un champ de l'enregistrement : un nom mal orthographié, une langue absente ou "
        "une position au-delà de la fin d'une liste laisse l'affirmation sans sa source.",
    ),
    "resource-path-collision": (
        "Deux chemins de ressources désignent le même fichier sur certains ordinateurs",
        "Deux ressources ont des chemins qui ne diffèrent que par les majuscules, ou par la "
        "façon d'encoder une lettre accentuée (un seul caractère, ou une lettre suivie d'un "
        "accent : Unicode NFC et NFD). Windows et macOS les traitent comme un seul fichier, et "
        "le paquet y perdrait une ressource. Renommez l'un des fichiers.",
    ),
    "resource-path-not-portable": (
        "Un chemin de ressource ne fonctionne pas sur tous les ordinateurs",
        "Le chemin d'une ressource se lit sur cet ordinateur, mais pas sur tous : Windows "
        "refuse les noms comme CON, NUL, COM1 ou AUX (quelle que soit l'extension, comme "
        'aux.json), les caractères < > : " | ? * et les caractères de contrôle, et les noms '
        "qui finissent par un point ou une espace. Renommez le fichier pour que le paquet se "
        "charge partout de la même façon.",
    ),
    "actor-posts-not-person": (
        "Un acteur qui n'est pas une personne occupe des postes",
        "Seules les personnes occupent des postes (comme ministre des Affaires étrangères). Un "
        "État ou une organisation ayant des « posts » est probablement une personne enregistrée "
        "avec le mauvais type.",
    ),
    "package-archive-unsafe": (
        "L'archive zip n'est pas sûre à décompresser",
        "Un paquet zippé ne peut contenir que des fichiers situés dans le paquet : aucune entrée "
        "ne peut avoir un nom absolu, en sortir par « .. » ou être un lien symbolique, et "
        "l'archive ne peut pas se décompresser bien au-delà de sa propre taille (une « bombe "
        "zip »). hsdata refuse toute l'archive et ne décompresse rien.",
    ),
    "package-archive-unreadable": (
        "L'archive zip ne peut pas être lue",
        "Le fichier n'est pas une archive zip, est endommagé ou est chiffré : le paquet qu'il "
        "contient ne peut donc pas être lu.",
    ),
    "extension-not-found": (
        "Extension déclarée introuvable",
        "Un paquet de données nomme dans « hsdata:extensions » une extension qui n'est ni un "
        "dossier du paquet, ni une extension fournie avec hsdata, ni une URL que l'utilisateur a "
        "permis à hsdata d'aller chercher.",
    ),
    "extension-network-refused": (
        "L'URL de l'extension exige le réseau",
        "Le paquet déclare une extension par URL, et hsdata n'accède au réseau que si "
        "l'utilisateur le permet. Copiez l'extension dans le paquet et déclarez son chemin "
        "relatif, ou permettez l'accès au réseau.",
    ),
    "extension-unreadable": (
        "Un fichier de l'extension ne peut pas être lu",
        "Un fichier de l'extension manque, n'est pas en UTF-8, ou n'est pas du JSON ou du CSV "
        "valide; ou il ne peut pas être lu dans les limites de hsdata : une URL impossible à "
        "obtenir (ou refusée), un fichier qui n'est pas un fichier ordinaire, qui se trouve hors "
        "du dossier de l'extension, ou qui est trop volumineux ou trop profondément imbriqué.",
    ),
    "extension-descriptor": (
        "Le descripteur de l'extension est incomplet",
        "Le fichier extension.json doit donner le nom et la description de l'extension au moins "
        "en anglais, sa version, les versions de la norme avec lesquelles elle est compatible, "
        "et énumérer les correctifs de schéma et les listes de codes qu'elle contient.",
    ),
    "extension-incompatible": (
        "L'extension ne prend pas en charge cette version",
        "La liste « compatibility » de l'extension ne comprend pas la version de la norme selon "
        "laquelle les données sont validées.",
    ),
    "extension-patch": (
        "Le correctif de schéma de l'extension n'est pas valide",
        "Un correctif de schéma doit être un objet JSON nommant un schéma de la norme (comme "
        "partnership-schema.json), ne doit pas changer le $id du schéma, et le schéma corrigé "
        "doit encore satisfaire au méta-schéma hsdata, chaque $ref se résolvant et chaque liste "
        "de codes qu'il nomme étant présente. Un champ lié à une liste de codes fermée énumère "
        "les codes de la liste, dans l'ordre, comme son enum.",
    ),
    "extension-codelist": (
        "La liste de codes de l'extension n'est pas valide",
        "Un fichier de liste de codes exige les colonnes code et title (et devrait avoir "
        "title_fr et description), des codes uniques, et ne doit qu'ajouter de nouveaux codes "
        "(+nom.csv), retirer des codes existants (-nom.csv) ou créer une liste de codes qui "
        "n'existe pas encore (nom.csv).",
    ),
    "extension-field-undocumented": (
        "Champ d'extension sans titre ni description",
        "Chaque champ de la norme a un titre et une description, que montrent la documentation "
        "et les modèles de tableur; un champ ajouté par une extension devrait en avoir aussi.",
    ),
    "spreadsheet-unreadable": (
        "Le classeur ne peut pas être lu",
        "Le fichier manque, n'est pas un classeur .xlsx (ni un dossier de fichiers CSV) ou est "
        "endommagé.",
    ),
    "spreadsheet-unknown-sheet": (
        "Une feuille ne fait pas partie du modèle",
        "Le classeur a une feuille dont le nom n'est ni un type d'enregistrement ni une liste du "
        "modèle; son contenu n'est pas importé. Donnez-lui le nom qu'elle porte dans le modèle "
        "si elle contient des enregistrements.",
    ),
    "spreadsheet-unknown-column": (
        "Une colonne ne fait pas partie du modèle",
        "Un en-tête de colonne n'est pas un champ des enregistrements de la feuille : ses "
        "valeurs ne peuvent donc pas être importées. Vérifiez l'orthographe d'après le modèle; "
        "les colonnes de langue se terminent par @ et une étiquette de langue, comme name@fr.",
    ),
    "spreadsheet-cell": (
        "La valeur d'une cellule ne convient pas à sa colonne",
        "La colonne prend un nombre, un nombre entier, true ou false, ou une date écrite en "
        "texte, et la cellule contient autre chose. Les dates doivent être du texte (1998, "
        "1998-12 ou 1998-12-03) : un tableur qui a converti une date dans son propre format de "
        "date en a perdu la précision.",
    ),
    "spreadsheet-orphan-row": (
        "Une ligne n'appartient à aucun enregistrement",
        "Une ligne d'une feuille de liste (comme partnership.members) nomme un identificateur "
        "d'enregistrement, ou la position d'un élément de liste, qui n'existe pas sur la feuille "
        "parente.",
    ),
    "spreadsheet-duplicate-id": (
        "Deux lignes ont le même identificateur",
        "L'identificateur de chaque enregistrement doit être unique sur sa feuille, sinon les "
        "lignes de ses listes ne pourraient pas lui être rattachées.",
    ),
    "spreadsheet-package": (
        "La feuille du paquet n'est pas valide",
        "La feuille « package » contient une propriété par ligne : son nom dans la colonne A et "
        "sa valeur dans la colonne B. Une liste s'écrit en séparant ses éléments par des "
        "points-virgules (keywords : « mines terrestres; armes légères »), comme sur les "
        "feuilles d'enregistrements, ou en JSON; un objet s'écrit en JSON.",
    ),
    "spreadsheet-placeholder": (
        "Une cellule contient encore la valeur d'exemple du modèle",
        "Un modèle vierge contient des valeurs d'exemple, comme le nom de paquet "
        "« my-hsdata-package », pour montrer ce que ses colonnes attendent. Les importer telles "
        "quelles publierait les données sous un nom que personne n'a choisi : remplacez-les par "
        "les vôtres.",
    ),
    "spreadsheet-empty": (
        "Le tableur ne contient aucun enregistrement",
        "Aucune feuille d'enregistrements ne contient d'enregistrement : le modèle a été importé "
        "avant d'être rempli, ou les enregistrements sont sur des feuilles dont le nom a été "
        "changé. Un paquet sans enregistrement n'est pas importé.",
    ),
    "upgrade-unreadable": (
        "Un fichier du paquet ne peut pas être lu pour la mise à niveau",
        "Le datapackage.json ou l'une de ses ressources manque, n'est pas du JSON UTF-8 (ni du "
        "JSON Lines), répète un champ dans un objet, ou ne contient pas une liste "
        "d'enregistrements. Rien n'a été écrit : corrigez le fichier (la validation du paquet "
        "en dit plus) et relancez la mise à niveau.",
    ),
    "upgrade-version": (
        "Le paquet ne peut pas être mis à niveau vers la version demandée",
        "Le paquet ne déclare pas dans « hsdata:version » la version de la norme qu'il suit, en "
        "déclare une que ce hsdata ne connaît pas, ou la version demandée est antérieure à celle "
        "du paquet (hsdata met à niveau, jamais l'inverse) ou n'est pas une version publiée. "
        "Rien n'a été écrit.",
    ),
    "upgrade-unsafe-path": (
        "La mise à niveau lirait ou écrirait hors de ses dossiers",
        "Le chemin d'une ressource est absolu, est une URL, sort du dossier du paquet (par "
        "« .. » ou par un lien symbolique), ou le dossier de sortie se trouve dans le paquet ou "
        "n'est pas vide. hsdata ne suit jamais un chemin hors du paquet et n'écrit jamais "
        "par-dessus les données qu'il lit. Rien n'a été écrit.",
    ),
    "upgrade-release-details": (
        "La nouvelle version demande sur l'éditeur des renseignements que lui seul peut donner",
        "À partir de la version 1.2, un paquet indique qui le publie et s'il rend compte de ses "
        "propres activités ou de celles d'un autre, l'espace de noms sous lequel ses "
        "enregistrements sont nommés, sa licence et sa date de publication. La mise à niveau "
        "les prend dans ses options (hsdata upgrade --publisher-name, --publisher-id, "
        "--reporting, --namespace, --license, --published) ou dans ce que le descripteur dit "
        "déjà (un contributeur dont le rôle est publisher, un identifiant http(s)), et ne les "
        "invente jamais : le message nomme chaque option encore nécessaire, ou la valeur "
        "inutilisable. Rien n'a été écrit.",
    ),
    "merge-conflict": (
        "Deux éditeurs se contredisent au sujet d'une même chose",
        "Lorsque des paquets sont fusionnés, les enregistrements d'éditeurs différents qui "
        "partagent un identifiant externe (le même schéma et le même identifiant, comme le code "
        "ISO 3166-1 « NO ») désignent la même chose. Lorsqu'ils en donnent des dates, des "
        "statuts ou des listes (complètes) de membres différents, les deux déclarations sont "
        "conservées et cet avertissement nomme les deux sources, afin que quelqu'un puisse les "
        "vérifier; la fusion n'en choisit jamais une. Des dates de précision différente qui "
        "concordent (« 1997 » et « 1997-12-03 ») ne sont pas une contradiction.",
    ),
    "registry-package-missing": (
        "Un paquet inscrit au registre est introuvable",
        "Chaque jeu de données d'un registre donne le chemin local de son paquet (un dossier, "
        "son datapackage.json ou un fichier .zip), relatif au fichier du registre, ou une "
        "adresse downloadURL d'où le télécharger avec « hsdata registry fetch "
        "--allow-network ». Rien n'a été trouvé au chemin indiqué, ou aucun chemin n'a été "
        "donné et rien n'a été téléchargé.",
    ),
    "registry-invalid": (
        "Un fichier de registre ne suit pas le format des registres",
        "Un registre énumère des éditeurs et leurs jeux de données dans un seul objet JSON, "
        "comme le décrit le schéma des registres (schema/registry.json) : chaque "
        "éditeur a un identifiant et un nom, chaque jeu de données un titre, l'identifiant de "
        "son éditeur, une licence, une date de modification et l'endroit où se trouve son "
        "paquet (un chemin local ou une adresse downloadURL). Un registre qui enfreint le "
        "format n'est pas lu du tout, afin qu'aucun paquet ne soit vérifié ni téléchargé sur "
        "une lecture erronée.",
    ),
    "registry-fetch-failed": (
        "Un paquet inscrit au registre n'a pas pu être téléchargé",
        "« hsdata registry fetch --allow-network » télécharge l'adresse downloadURL de chaque "
        "jeu de données dans des limites fixes : http ou https seulement, un délai, une taille "
        "maximale, et aucune adresse hors de l'internet public sauf si l'hôte est autorisé "
        "(HSDATA_ALLOW_HOSTS). Ce téléchargement a dépassé l'une d'elles ou a échoué; son "
        "paquet n'a donc pas été vérifié.",
    ),
    "upgrade-write": (
        "Le paquet mis à niveau n'a pas pu être écrit",
        "Un fichier du paquet mis à niveau n'a pas pu être écrit (disque plein, dossier en "
        "lecture seule, lien symbolique en travers...). Chaque fichier déjà écrit a été remis "
        "en place : le paquet est tel qu'il était. Corrigez la cause et relancez la mise à "
        "niveau.",
    ),
    "upgrade-interrupted": (
        "Une mise à niveau interrompue ne peut pas être terminée",
        "Le dossier du paquet contient le journal d'une mise à niveau sur place qui a été "
        "interrompue (.hsdata-upgrade.json), et les fichiers qu'il énumère ne sont pas ceux "
        "qu'elle a écrits, ou la mise à niveau devait écrire ailleurs. Exécutez "
        "« hsdata upgrade --in-place » sur le paquet pour la terminer; en cas d'échec, "
        "restaurez le paquet à partir d'une copie et supprimez le journal.",
    ),
    "package-hsdata-invalid": (
        "La description hsdata du paquet est absente ou erronée",
        "À partir de la version 1.2, le fichier datapackage.json indique qui publie le paquet "
        "(hsdata:publisher), sous quelle adresse Web ses enregistrements sont nommés "
        "(hsdata:namespace), sous quelle licence les données peuvent être utilisées (licenses) "
        "et quand cette édition a été publiée (hsdata:published), sous les formes que donne le "
        "schéma de paquet de la norme. Seules les clés commençant par « hsdata: » que la norme "
        "définit sont permises, afin qu'une clé mal orthographiée ne soit pas ignorée sans "
        "avertissement.",
    ),
    "dependency-undeclared": (
        "Une référence utilise un préfixe qu'aucune dépendance ne déclare",
        "Une référence écrite « préfixe:identifiant », comme « hsca:canada », désigne un "
        "enregistrement d'un autre paquet publié. Le préfixe doit être déclaré dans "
        "hsdata:dependencies du descripteur, avec le nom, la version et l'espace de noms de ce "
        "paquet; sinon, personne ne peut savoir à quel paquet l'enregistrement appartient. "
        "Déclarez la dépendance ou corrigez le préfixe.",
    ),
    "dependency-missing": (
        "Aucune copie locale d'une dépendance déclarée n'a été trouvée",
        "Le paquet renvoie à des enregistrements d'un autre paquet qu'il déclare dans "
        "hsdata:dependencies, et hsdata vérifie ces références dans une copie de ce paquet "
        "présente sur cet ordinateur : celle que nomme le chemin (path) de la déclaration, "
        "relatif au paquet, ou celle donnée par « --dependency PRÉFIXE=CHEMIN » (en Python, "
        "dependencies={préfixe: chemin}). Aucune n'a été trouvée, ou ce qui a été trouvé n'est "
        "pas un paquet de données lisible : les références n'ont donc pas pu être vérifiées. "
        "hsdata ne télécharge le paquet à l'adresse (url) de la déclaration que si le réseau "
        "est permis (--allow-network).",
    ),
    "dependency-digest-mismatch": (
        "La copie d'une dépendance n'est pas l'édition déclarée",
        "La déclaration donne l'empreinte sha256 du fichier datapackage.json de la dépendance, "
        "afin que les lecteurs sachent qu'ils ont l'édition même sur laquelle le paquet a été "
        "établi. La copie trouvée a une autre empreinte : c'est une autre édition, ou elle a "
        "été modifiée. Utilisez l'édition déclarée, ou mettez la déclaration à jour (version "
        "et sha256) après avoir vérifié que chaque référence tient toujours.",
    ),
    "dependency-mismatch": (
        "La copie d'une dépendance n'est pas le paquet déclaré",
        "La déclaration nomme le paquet de la dépendance (name), son édition (version) et "
        "l'adresse Web sous laquelle ses enregistrements sont nommés (namespace). La copie "
        "trouvée dit autre chose dans son propre datapackage.json (name, version, "
        "hsdata:namespace) : ce n'est pas le paquet pour lequel les références ont été écrites, "
        "ou la déclaration n'est plus à jour.",
    ),
    "language-english-missing": (
        "Un texte n'a pas de version anglaise",
        "À partir de la version 1.2, un texte multilingue peut être rédigé dans une seule "
        "langue, quelle qu'elle soit. L'anglais est recommandé, afin que tous les lecteurs "
        "puissent le lire : ajoutez un texte anglais à côté des autres quand vous le pouvez.",
    ),
    "identifier-scheme-format": (
        "Un identifiant externe n'a pas la forme de son système",
        "Quand la norme connaît la forme d'un système, l'identifiant externe est vérifié : un "
        "identifiant ISO 3166-1 est un code de pays connu de deux lettres (« CA »), un "
        "identifiant ISO 3166-2 un code de pays connu, un trait d'union et jusqu'à trois lettres "
        "ou chiffres (« CA-ON »), un code M49 de l'ONU trois chiffres (« 419 ») et un "
        "identifiant Wikidata la lettre Q suivie de chiffres (« Q16 »). Un identifiant d'une "
        "autre forme est probablement mal saisi ou rattaché au mauvais système.",
    ),
    "role-holder-not-member": (
        "Un rôle dans un partenariat est tenu par un acteur qui n'en est pas membre",
        "La présidence, l'hôte ou le coordonnateur d'un partenariat est normalement l'un de ses "
        "membres, mais l'acteur indiqué pour ce rôle ne figure pas parmi les membres que "
        "l'enregistrement énumère. Ajoutez-le aux membres ou vérifiez le rôle. Un secrétariat "
        "ou un dépositaire peut être un organisme extérieur et n'est pas vérifié.",
    ),
    "lifecycle-order": (
        "Les dates d'un document sont dans un ordre impossible",
        "Un document est rédigé, puis adopté, puis ouvert à la signature et signé, puis ratifié "
        "et mis en vigueur; il est modifié après son adoption et prend fin en dernier. Une "
        "partie signe avant de consentir à être liée, et le document entre en vigueur pour elle "
        "après son consentement. Deux dates qui placent ces étapes dans l'ordre inverse ne "
        "peuvent pas être exactes toutes les deux. Les dates partielles sont comparées selon ce "
        "qu'elles permettent : « 1997-12 » n'est pas antérieur à « 1997-12-03 ».",
    ),
}


def rule_title(rule_id: str, language: str) -> str | None:
    """The title of a rule in ``language`` ('en' or 'fr'); None for an unknown rule.

    A rule without a French entry keeps its English title.
    """
    rule = RULES.get(rule_id)
    if rule is None:
        return None
    if language == "fr" and rule_id in RULES_FR:
        return RULES_FR[rule_id][0]
    return rule.title


def rule_explanation(rule_id: str, language: str) -> str | None:
    """The explanation of a rule in ``language``; None for an unknown rule."""
    rule = RULES.get(rule_id)
    if rule is None:
        return None
    if language == "fr" and rule_id in RULES_FR:
        return RULES_FR[rule_id][1]
    return rule.explanation
