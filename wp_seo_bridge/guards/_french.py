"""French word lists for the name guard: common words, and the endings of ordinary words.

The common words tell an ordinary word at the start of a sentence or heading ("Cette",
"Selon", "Pourtant") from a name ("Macron"). They need not be complete: a capitalised first
word is also taken as ordinary when the draft or the rewrite uses it in lower case elsewhere.
Month and day names come from CLDR (``facts/locales.py``), number words from ``facts/lexicon.py``.
"""

from __future__ import annotations

from ._common import strip_accents


#: Ordinary French words that may open a sentence or a heading (accents folded, lower case).
COMMON_WORDS = {
    strip_accents(word)
    for word in """
    a à afin ailleurs ainsi alors apres après au aucun aucune aujourd aujourd'hui auparavant aupres auquel aussi
    aussitot autant autour autre autres autrement aux auxquels avant avec avoir bref bien bientot
    c ca car ce ceci cela celle celle-ci celle-la celles celles-ci celles-la celui celui-ci celui-la
    cependant certaines certains certes ces cet cette ceux ceux-ci ceux-la chacun chacune chaque
    chez ci comme comment concretement contrairement contre d dans de dedans dehors deja depuis
    derriere des desormais dessous dessus desquels deux devant donc dont du duquel durant elle
    elles en encore enfin ensuite entre envers environ et etant evidemment face faute finalement
    grace hier ici il ils jamais je jusqu jusque l la laquelle le lequel les lesquels leur leurs
    loin longtemps lors lorsque lui m ma mais malgre meme memes mes mieux moi moins mon n ne ni
    non nos notamment notre nous on or ou ou parce par parfois parmi partout pas pendant peu peut-etre
    plus plusieurs plutot pour pourquoi pourtant pres presque puis puisque qu quand que quel quelle
    quelles quels quelque quelques qui quoi quoique s sa sans se selon ses seul seule seulement si
    sinon soit son sous souvent sur surtout t ta tandis tant tantot te tel telle telles tels tes toi
    ton toujours tous tout toute toutes toutefois tres trop tu un une vers voici voila vos votre
    vous y
    egalement neanmoins d'abord d'ailleurs d'autant dorenavant actuellement aujourd'hui
    desormais deja recemment rapidement directement notamment precisement reste resultat
    concretement officiellement publiquement clairement visiblement apparemment selon
    premier premiere premiers premieres dernier derniere derniers dernieres second seconde
    nouveau nouvelle nouveaux nouvelles ancien ancienne grand grande grands grandes petit petite
    meme autre certain certaine divers diverses differents differentes nombreux nombreuses
    principal principale principaux principales seuls seules tous toutes quelques-uns quelques-unes
    l'un l'une les uns les unes un autre cote cote-la pire meilleur meilleure
    oui non voici voila ca cela ceci
    est sont etait etaient sera seront serait seraient a ont avait avaient aura auront aurait auraient
    fait font faut doit doivent peut peuvent pourrait pourraient devrait devraient reste restent
    il y a c'est ce sont
    question questions enjeu enjeux contexte objectif objectifs resultat bilan conclusion introduction
    pourquoi comment quoi combien ou quand lequel laquelle
    situation position reaction reactions decision decisions consequence consequences
    ici la-bas partout ailleurs entre-temps dorenavant
    voir lire dire faire prendre mettre donner savoir pouvoir vouloir devoir aller venir tenir
    comprendre apprendre decouvrir retrouver suivre rappeler noter souligner retenir eviter
    voir aussi lire aussi decouvrez retrouvez suivez rappelons notons soulignons precisons
    ajoutons retenons imaginons prenons disons voyons
    dit fait mis pris vu su eu ete devenu venu reste restee
    va vont vient viennent tient tiennent sait savent veut veulent dit disent met mettent prend prennent
    semble semblent parait paraissent demeure demeurent suffit importe compte comptent
    etre avoir aller faire
    retour zoom focus gros plan quid cap fin debut suite point points place role poids part
    histoire contexte chiffre chiffres cle cles explications decryptage analyse analyses enjeu
    probleme problemes solution solutions risque risques menace menaces crainte craintes
    defi defis priorite priorites strategie strategies reponse reponses reaction objectif
    premier premiere ici maintenant aujourd'hui demain hier autrefois jadis desormais
    encore toujours jamais souvent parfois rarement vite longtemps tard tot
    cote face vis-a-vis grace faute hors sauf outre via
    guerre paix monde pays etat etats gouvernement president presidente ministre ministres
    pouvoir pouvoirs economie politique politiques societe societes entreprise entreprises
    marche marches commerce echanges aide aides soutien soutiens accord accords relation relations
    partenariat partenariats alliance alliances alliés allies allie conflit conflits crise crises
    armee armees militaire militaires defense securite sanctions sanction tension tensions
    diplomatie negociation negociations sommet sommets rencontre rencontres visite visites
    dossier dossiers affaire affaires projet projets plan plans mesure mesures loi lois
    annee annees mois semaine semaines jour jours heure heures temps periode epoque
    chaque plusieurs divers nombre nombreux nombreuses majorite minorite ensemble totalite
    hausse baisse croissance recul progression chute
    sources source selon d'apres
    officiellement concretement pratiquement globalement generalement finalement heureusement
    malheureusement evidemment certainement probablement surement naturellement
    absolument notamment particulierement principalement essentiellement justement
    idee idees fait faits verite realite question reponse
    dans quelle mesure jusqu'ou jusqu'a quand combien
    bon bonne bons bonnes mauvais mauvaise meilleur meilleure pire vrai vraie faux fausse
    seul seule seuls seules propre propres tel telle
    nouvelles nouveaux ancien anciens ancienne anciennes
    long longue court courte haut haute bas basse fort forte faible faibles
    grand grande grands grandes petit petite petits petites gros grosse
    important importante importants importantes principal principale
    europeen europeenne europeens europeennes americain americaine americains americaines
    chinois chinoise chinoises russe russes ukrainien ukrainienne ukrainiens ukrainiennes
    francais francaise francaises allemand allemande britannique britanniques
    occidental occidentale occidentaux occidentales international internationale internationaux
    national nationale nationaux mondial mondiale mondiaux economique economiques
    quant preuve preuves signe signes exemple cas raison raisons motif facteur element elements
    difficile facile utile inutile fragile possible impossible probable improbable certain clair
    evident logique normal surprenant frappant notable revelateur significatif inquietant paradoxe
    paradoxalement ironie autrement mieux pis tant pis tant mieux inversement parallelement
    interroge interrogee interroges contacte contactee sollicite sollicitee questionne
    arrive arrivee arrives confronte confrontee face a accuse accusee soupconne critique
    lui-meme elle-meme eux-memes elles-memes nous-memes soi chacun chacune personne rien tout
    aucun nul nulle quiconque autrui certains certaines d'autres quelques-uns
    """.split()
}

#: Endings of French verbs, adverbs and abstract nouns: a capitalised first word with one is an ordinary word.
ORDINARY_ENDINGS = (
    "ment", "ments", "aient", "eront", "erait", "eraient", "tion", "tions", "sion", "sions", "ites",
    "isme", "ismes", "eurs", "euse", "euses", "ances", "ences", "able", "ables", "ible", "ibles", "ages",
    "oire", "oires", "oir", "ons",
)
